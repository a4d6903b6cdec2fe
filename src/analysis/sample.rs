//! Drawing the double-coding sample reproducibly: the same project, fraction, seed and
//! stratification always give the same transcripts.

use crate::model::{Project, TranscriptId};
use std::collections::BTreeMap;

/// SplitMix64: a small, well-known generator, so the draw does not depend on a crate's
/// version and can be reproduced from the README's description.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform index below `n` (n > 0), by rejection so no index is favoured.
    fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next();
            if x < zone {
                return (x % n) as usize;
            }
        }
    }

    /// Fisher-Yates shuffle.
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SampleError {
    #[error("the project has no transcripts")]
    NoTranscripts,
    #[error("the fraction must be more than 0 and at most 1 (got {0})")]
    BadFraction(String),
}

/// How many transcripts a fraction of `total` means: rounded up, at least one.
pub fn sample_size(total: usize, fraction: f64) -> usize {
    ((total as f64 * fraction).ceil() as usize).clamp(1, total.max(1))
}

/// Draws the sample. With `stratify`, the sample is shared out among the attribute's values
/// in proportion to how many transcripts have each (largest remainders, ties to the larger
/// group, then the value's name), and drawn within each.
pub fn draw_sample(
    project: &Project,
    fraction: f64,
    seed: u64,
    stratify: Option<&str>,
) -> Result<Vec<TranscriptId>, SampleError> {
    if !(fraction > 0.0 && fraction <= 1.0) {
        return Err(SampleError::BadFraction(fraction.to_string()));
    }
    let all: Vec<TranscriptId> = project
        .transcripts_in_order()
        .iter()
        .map(|t| t.id.clone())
        .collect();
    if all.is_empty() {
        return Err(SampleError::NoTranscripts);
    }
    let n = sample_size(all.len(), fraction);
    let mut rng = SplitMix64(seed);
    let mut chosen = Vec::with_capacity(n);
    match stratify {
        None => {
            let mut pool = all.clone();
            rng.shuffle(&mut pool);
            chosen.extend(pool.into_iter().take(n));
        }
        Some(attribute) => {
            let mut groups: BTreeMap<String, Vec<TranscriptId>> = BTreeMap::new();
            for id in &all {
                let value = project
                    .transcript(id)
                    .and_then(|t| t.meta.attributes.get(attribute))
                    .cloned()
                    .unwrap_or_else(|| "(none)".into());
                groups.entry(value).or_default().push(id.clone());
            }
            let total = all.len() as f64;
            let mut shares: Vec<(String, usize, f64)> = groups
                .iter()
                .map(|(v, ids)| {
                    let exact = n as f64 * ids.len() as f64 / total;
                    (v.clone(), exact.floor() as usize, exact - exact.floor())
                })
                .collect();
            let mut left = n - shares.iter().map(|s| s.1).sum::<usize>();
            let mut order: Vec<usize> = (0..shares.len()).collect();
            order.sort_by(|&a, &b| {
                shares[b]
                    .2
                    .partial_cmp(&shares[a].2)
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(groups[&shares[b].0].len().cmp(&groups[&shares[a].0].len()))
                    .then(shares[a].0.cmp(&shares[b].0))
            });
            for i in order {
                if left == 0 {
                    break;
                }
                if shares[i].1 < groups[&shares[i].0].len() {
                    shares[i].1 += 1;
                    left -= 1;
                }
            }
            for (value, take, _) in shares {
                let mut pool = groups[&value].clone();
                rng.shuffle(&mut pool);
                chosen.extend(pool.into_iter().take(take));
            }
        }
    }
    // Report in interview order.
    chosen.sort_by_key(|id| all.iter().position(|x| x == id));
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_round_up_with_at_least_one() {
        assert_eq!(sample_size(12, 0.2), 3);
        assert_eq!(sample_size(213, 0.2), 43);
        assert_eq!(sample_size(5, 0.01), 1);
        assert_eq!(sample_size(10, 1.0), 10);
    }

    #[test]
    fn splitmix_matches_the_published_sequence() {
        // First outputs of SplitMix64 seeded with 0, as in the reference implementation.
        let mut rng = SplitMix64(0);
        assert_eq!(rng.next(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next(), 0x6E78_9E6A_A1B9_65F4);
    }
}
