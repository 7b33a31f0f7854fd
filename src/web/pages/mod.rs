//! The review pages: campaigns, a campaign's calls and review queue, a call (recording,
//! timeline, transcript, verdicts, overrides), trends, training and the export downloads.
//! One file per page; the data comes from `report` and `store`, the markup is maud's.

pub mod call;
pub mod calls;
pub mod campaigns;
pub mod history;
pub mod labels;
pub mod range;
pub mod timeline;

/// `text` percent-encoded for a URL path segment or query value (everything but unreserved
/// characters), so campaign names with spaces, slashes or CJK stay one segment.
pub fn enc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `/campaigns/NAME`, the name encoded.
pub fn campaign_url(campaign: &str) -> String {
    format!("/campaigns/{}", enc(campaign))
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_stay_one_path_segment() {
        assert_eq!(
            super::campaign_url("2026 Q4/台北"),
            "/campaigns/2026%20Q4%2F%E5%8F%B0%E5%8C%97"
        );
    }
}
