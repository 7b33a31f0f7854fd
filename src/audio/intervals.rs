//! Sums and unions of spans on the call's time line, shared by the speech finder's coverage
//! check, scoring's untranscribed speech and the pipeline's splice of text heard again.

use super::Region;

/// Seconds of `a` that lie inside `b` (both sorted and non-overlapping).
pub(crate) fn overlap(a: &[Region], b: &[Region]) -> f64 {
    let mut total = 0.0;
    let mut j = 0;
    for r in a {
        while j < b.len() && b[j].end <= r.start {
            j += 1;
        }
        let mut k = j;
        while k < b.len() && b[k].start < r.end {
            total += (r.end.min(b[k].end) - r.start.max(b[k].start)).max(0.0);
            k += 1;
        }
    }
    total
}

pub(crate) fn seconds(regions: &[Region]) -> f64 {
    regions.iter().map(|r| r.end - r.start).sum()
}

/// Sorted union of two region lists (each in any order).
pub(crate) fn union(a: &[Region], b: &[Region]) -> Vec<Region> {
    let mut all: Vec<Region> = a.iter().chain(b).copied().collect();
    all.sort_by(|x, y| x.start.total_cmp(&y.start));
    let mut out: Vec<Region> = Vec::new();
    for r in all {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(start: f64, end: f64) -> Region {
        Region { start, end }
    }

    #[test]
    fn overlap_counts_shared_seconds_and_union_merges() {
        let energy = [r(0.0, 10.0)];
        assert_eq!(overlap(&energy, &[r(1.0, 2.0), r(9.5, 12.0)]), 1.5);
        assert_eq!(union(&[r(0.0, 1.0)], &[r(0.5, 2.0), r(3.0, 4.0)]).len(), 2);
        // Overlapping pieces are counted once after a union.
        let covered = union(&[r(3.0, 5.0), r(1.0, 4.0)], &[]);
        assert_eq!(covered, [r(1.0, 5.0)]);
        assert_eq!(seconds(&covered), 4.0);
        assert_eq!(overlap(&[r(0.0, 2.0), r(4.5, 6.0)], &covered), 1.5);
    }
}
