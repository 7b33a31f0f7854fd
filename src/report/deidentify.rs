//! Open-data exports: people become stable pseudonyms and free text is dropped or redacted.
//!
//! A pseudonym is a keyed hash (HMAC-SHA256) of the name with a secret that stays beside the
//! database, never in an export. The same name gets the same pseudonym in every export made
//! from that database, so quarters can be compared, yet nobody without the secret can test a
//! guessed name against a pseudonym (which a plain hash would allow).

use super::CampaignReport;
use super::redact::redact;
use super::training::{Need, TrainingList};
use hmac::{Hmac, KeyInit, Mac};
use regex::Regex;
use sha2::Sha256;
use std::io::{Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// File name of the pseudonym secret, kept in the database's folder.
pub const SECRET_FILE: &str = "callgrade.secret";
const SECRET_LEN: usize = 32;

/// Why the pseudonym secret could not be used; each message names the file and what to do.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error(
        "{path}: cannot create the pseudonym secret: {source}. Check that the database folder is writable."
    )]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: cannot read the pseudonym secret: {source}. Check the file's permissions.")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path}: the pseudonym secret is {found} bytes, expected {SECRET_LEN}. Restore it from a backup to keep earlier pseudonyms, or delete it to start new ones."
    )]
    Damaged { path: PathBuf, found: usize },
    #[error(
        "{path}: the pseudonym secret can be read by other users (mode {mode:o}). Run `chmod 600 {path}`."
    )]
    Exposed { path: PathBuf, mode: u32 },
}

/// Turns names into pseudonyms with a secret key.
pub struct Pseudonymizer {
    key: [u8; SECRET_LEN],
}

impl Pseudonymizer {
    /// Uses a given key (tests, or a secret managed elsewhere).
    pub fn from_key(key: [u8; SECRET_LEN]) -> Pseudonymizer {
        Pseudonymizer { key }
    }

    /// The secret beside the database `db` (`<db folder>/callgrade.secret`), created from
    /// /dev/urandom with mode 0600 on first use.
    pub fn for_db(db: &Path) -> Result<Pseudonymizer, SecretError> {
        let folder = match db.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        Pseudonymizer::from_secret_file(&folder.join(SECRET_FILE))
    }

    /// Reads the secret at `path`, creating it when missing.
    pub fn from_secret_file(path: &Path) -> Result<Pseudonymizer, SecretError> {
        if !path.exists() {
            create_secret(path)?;
        }
        let read_err = |source| SecretError::Read {
            path: path.to_path_buf(),
            source,
        };
        let mode = std::fs::metadata(path)
            .map_err(read_err)?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(SecretError::Exposed {
                path: path.to_path_buf(),
                mode: mode & 0o777,
            });
        }
        let bytes = std::fs::read(path).map_err(read_err)?;
        let key: [u8; SECRET_LEN] =
            bytes
                .as_slice()
                .try_into()
                .map_err(|_| SecretError::Damaged {
                    path: path.to_path_buf(),
                    found: bytes.len(),
                })?;
        Ok(Pseudonymizer { key })
    }

    /// A readable pseudonym such as `Staff-3F9A2C`: `prefix`, a dash and 24 bits of the keyed
    /// hash of the trimmed name (collisions stay unlikely for a few thousand people).
    pub fn pseudonym(&self, prefix: &str, name: &str) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key)
            .expect("HMAC accepts keys of any length");
        // The prefix is hashed too, so a unit and a person with the same name differ.
        mac.update(prefix.as_bytes());
        mac.update(&[0]);
        mac.update(name.trim().as_bytes());
        let digest = mac.finalize().into_bytes();
        format!("{prefix}-{}", hex::encode_upper(&digest[..3]))
    }
}

/// Writes a new secret beside `path` and links it into place, so that two exports starting at
/// once never see a half-written file: the first link wins and the other export reads it.
fn create_secret(path: &Path) -> Result<(), SecretError> {
    let create_err = |source| SecretError::Create {
        path: path.to_path_buf(),
        source,
    };
    let mut key = [0u8; SECRET_LEN];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut key))
        .map_err(create_err)?;
    let tmp = path.with_extension(format!("new-{}-{}", std::process::id(), unique()));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .and_then(|mut file| file.write_all(&key).and_then(|_| file.sync_all()));
    let linked = written.and_then(|_| match std::fs::hard_link(&tmp, path) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other,
    });
    let _ = std::fs::remove_file(&tmp);
    linked.map_err(create_err)
}

/// A number no other call in this process has had (threads may create secrets at once).
fn unique() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Every distinct staff name of the campaign: the names redaction looks for.
pub fn staff_names(report: &CampaignReport) -> Vec<String> {
    let mut names: Vec<String> = report
        .calls
        .iter()
        .map(|c| c.staff.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The report with every transcript segment and evidence quote redacted (`--redact`).
pub fn redact_transcripts(report: &CampaignReport) -> CampaignReport {
    let names = staff_names(report);
    let mut out = report.clone();
    for call in &mut out.calls {
        for s in &mut call.transcript {
            s.text = redact(&s.text, &names);
        }
        for c in &mut call.criteria {
            for e in &mut c.evidence {
                e.text = redact(&e.text, &names);
            }
            c.reason = redact(&c.reason, &names);
            if let Some(o) = &mut c.overridden {
                o.reason = redact(&o.reason, &names);
                o.original_reason = redact(&o.original_reason, &names);
            }
        }
    }
    out
}

/// What replaces dropped free text (transcripts, quotes, error messages) in open data.
const DROPPED: &str = "[redacted]";

/// `reason` without the speech it quotes: every quote of one of `heard` (「…」 or "…") becomes
/// a quote of [`DROPPED`]. A self-introduction's reason quotes the whole greeting, name and
/// all, and the name slot takes whatever Whisper heard there (地國 for 敝姓郭), so no name
/// list can be trusted to mask it: in open data the quote goes, the verdict and time stay.
fn drop_quoted_speech<S: AsRef<str>>(reason: &str, heard: &[S]) -> String {
    let mut out = reason.to_string();
    for h in heard {
        let h = h.as_ref().trim();
        if h.is_empty() || h == DROPPED {
            continue;
        }
        out = out
            .replace(&format!("「{h}」"), &format!("「{DROPPED}」"))
            .replace(&format!("\"{h}\""), &format!("\"{DROPPED}\""));
    }
    out
}

/// The date of `called_at` (`2026-10-05T09:12:00` → `2026-10-05`), or nothing when it does
/// not start with one. With the unit, the minute of a test call tells who answered it.
pub fn date_only(called_at: &str) -> String {
    static DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})(?:$|[^\d])").expect("valid date pattern")
    });
    DATE.captures(called_at)
        .and_then(|c| c.get(1))
        .map_or_else(String::new, |m| m.as_str().to_string())
}

/// The report as open data: staff become `Staff-XXXXXX`, file names `Call-XXXXXX`, stored
/// paths disappear, times of calls keep only their date, transcripts, evidence quotes and
/// error messages are dropped (their times stay), and the verdicts' reasons lose the speech
/// they quote and are redacted.
pub fn deidentify(report: &CampaignReport, pseudo: &Pseudonymizer) -> CampaignReport {
    let names = staff_names(report);
    let mut out = report.clone();
    for call in &mut out.calls {
        if !call.staff.trim().is_empty() {
            call.staff = pseudo.pseudonym("Staff", &call.staff);
        }
        // File names often carry the staff member's name (call01-amy-….wav).
        call.file = pseudo.pseudonym("Call", &format!("{}\0{}", call.campaign, call.file));
        call.path = String::new();
        call.called_at = date_only(&call.called_at);
        let segments: Vec<String> = call.transcript.iter().map(|s| s.text.clone()).collect();
        call.transcript.clear();
        call.error = call.error.as_ref().map(|_| DROPPED.to_string());
        for c in &mut call.criteria {
            let mut heard: Vec<String> = c.evidence.iter().map(|e| e.text.clone()).collect();
            heard.extend(segments.iter().cloned());
            let open = |text: &str| redact(&drop_quoted_speech(text, &heard), &names);
            c.reason = open(&c.reason);
            // Reviewers are people too: open data keeps that a verdict was overridden, not who.
            if let Some(o) = &mut c.overridden {
                o.by = DROPPED.to_string();
                o.reason = open(&o.reason);
                o.original_reason = open(&o.original_reason);
            }
            for e in &mut c.evidence {
                e.text = DROPPED.to_string();
            }
        }
    }
    out
}

/// Staff names in a training list (it spans campaigns, so it may name people the exported
/// campaign does not).
pub fn training_names(list: &TrainingList) -> Vec<String> {
    let mut names: Vec<String> = list.by_person.iter().map(|p| p.staff.clone()).collect();
    names.sort();
    names.dedup();
    names
}

fn each_need(list: &mut TrainingList, mut f: impl FnMut(&mut Need)) {
    for p in &mut list.by_person {
        p.needs.iter_mut().for_each(&mut f);
    }
    for c in &mut list.by_criterion {
        c.people.iter_mut().for_each(&mut f);
    }
}

/// The training list with its quotes and reasons redacted (`--redact`).
pub fn redact_training(list: &TrainingList, names: &[String]) -> TrainingList {
    let mut out = list.clone();
    each_need(&mut out, |n| {
        if let Some(e) = &mut n.latest {
            e.reason = redact(&e.reason, names);
            for q in &mut e.evidence {
                q.text = redact(&q.text, names);
            }
        }
    });
    out
}

/// The training list as open data, with the same pseudonyms [`deidentify`] gives.
pub fn deidentify_training(
    list: &TrainingList,
    pseudo: &Pseudonymizer,
    names: &[String],
) -> TrainingList {
    // The list says `(none)` for calls whose manifest left the staff empty: nobody to hide.
    let hide = |name: &str| match name {
        "(none)" => name.to_string(),
        _ => pseudo.pseudonym("Staff", name),
    };
    let mut out = list.clone();
    for p in &mut out.by_person {
        p.staff = hide(&p.staff);
    }
    each_need(&mut out, |n| {
        n.staff = hide(&n.staff);
        if let Some(e) = &mut n.latest {
            e.file = pseudo.pseudonym("Call", &format!("{}\0{}", e.campaign, e.file));
            e.called_at = date_only(&e.called_at);
            let heard: Vec<&str> = e.evidence.iter().map(|q| q.text.as_str()).collect();
            e.reason = redact(&drop_quoted_speech(&e.reason, &heard), names);
            for q in &mut e.evidence {
                q.text = DROPPED.to_string();
            }
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_stable_keyed_and_distinct() {
        let a = Pseudonymizer::from_key([7; 32]);
        let b = Pseudonymizer::from_key([8; 32]);
        let p = a.pseudonym("Staff", "林美華");
        assert!(
            p.starts_with("Staff-") && p.len() == "Staff-".len() + 6,
            "{p}"
        );
        assert_eq!(p, a.pseudonym("Staff", " 林美華 "));
        assert_ne!(p, a.pseudonym("Staff", "王小明"));
        assert_ne!(
            p,
            b.pseudonym("Staff", "林美華"),
            "another secret, another pseudonym"
        );
    }

    #[test]
    fn the_secret_is_created_once_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        let first = Pseudonymizer::for_db(&db)
            .unwrap()
            .pseudonym("Staff", "Amy");
        let secret = dir.path().join(SECRET_FILE);
        let mode = std::fs::metadata(&secret).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(std::fs::read(&secret).unwrap().len(), SECRET_LEN);
        assert_eq!(
            Pseudonymizer::for_db(&db)
                .unwrap()
                .pseudonym("Staff", "Amy"),
            first
        );

        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = Pseudonymizer::for_db(&db).err().unwrap().to_string();
        assert!(err.contains("chmod 600"), "{err}");
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::fs::write(&secret, b"short").unwrap();
        let err = Pseudonymizer::for_db(&db).err().unwrap().to_string();
        assert!(err.contains("5 bytes"), "{err}");
    }
    #[test]
    fn exports_starting_at_once_share_one_secret() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SECRET_FILE);
        let keys: Vec<[u8; SECRET_LEN]> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| s.spawn(|| Pseudonymizer::from_secret_file(&path).unwrap().key))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(keys.iter().all(|k| k == &keys[0]));
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "only the secret remains: {left:?}");
    }

    #[test]
    fn quoted_speech_leaves_reasons_and_other_quotes_stay() {
        let heard = ["敝姓林，林美花為您服務", "this is Lynn"];
        assert_eq!(
            drop_quoted_speech("自報姓名：「敝姓林，林美花為您服務」（3.1 秒）", &heard),
            "自報姓名：「[redacted]」（3.1 秒）"
        );
        assert_eq!(
            drop_quoted_speech("gave own name: \"this is Lynn\" at 2.0 s", &heard),
            "gave own name: \"[redacted]\" at 2.0 s"
        );
        // Rubric phrases the reason quotes are not speech.
        assert_eq!(
            drop_quoted_speech("未說「您好」、「早安」", &heard),
            "未說「您好」、「早安」"
        );
    }

    #[test]
    fn call_times_keep_only_the_date() {
        assert_eq!(date_only("2026-10-05T09:12:00"), "2026-10-05");
        assert_eq!(date_only("2026/10/5 09:12"), "2026/10/5");
        assert_eq!(date_only("2026-10-05"), "2026-10-05");
        assert_eq!(date_only(""), "");
        assert_eq!(date_only("Monday 9:12"), "");
        assert_eq!(date_only("20261005091200"), "");
    }
}
