//! Work shared out over the machine's cores: one place that splits a slice into a share per
//! core, runs the shares on scoped threads and gives the results back in order. A panic in
//! a share is passed on, never swallowed (a file silently left out of a load could later be
//! overwritten; a sentence silently left out of an index would skew every ranking).

/// At most this many threads, however many cores.
const MAX_THREADS: usize = 8;

/// How many threads to use.
fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_THREADS)
}

/// `f` over one share of `items` per core (the shares in order, together all of `items`):
/// each share's result, in order. Shares are `least` items or more (the last may be
/// shorter), so work too small to be worth a thread runs on this one.
pub fn per_share<T: Sync, R: Send>(
    items: &[T],
    least: usize,
    f: impl Fn(&[T]) -> R + Sync,
) -> Vec<R> {
    let chunk = items.len().div_ceil(threads()).max(least).max(1);
    if items.len() <= chunk {
        return vec![f(items)];
    }
    std::thread::scope(|scope| {
        let f = &f;
        let running: Vec<_> = items
            .chunks(chunk)
            .map(|share| scope.spawn(move || f(share)))
            .collect();
        running
            .into_iter()
            .map(|r| r.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// `f` over every item of `items`, on every core (in shares of `least` or more), results in
/// order.
pub fn map<T: Sync, R: Send>(items: &[T], least: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    per_share(items, least, |share| {
        share.iter().map(&f).collect::<Vec<R>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order_whatever_the_shares() {
        let items: Vec<u32> = (0..1000).collect();
        for least in [1, 7, 999, 1000, 5000] {
            assert_eq!(
                map(&items, least, |n| n * 2),
                items.iter().map(|n| n * 2).collect::<Vec<_>>()
            );
            let shares = per_share(&items, least, |share| share.to_vec());
            assert_eq!(shares.concat(), items, "shares of at least {least}");
            assert!(shares.iter().all(|s| !s.is_empty()));
        }
        assert_eq!(map(&[] as &[u32], 1, |n| *n), Vec::<u32>::new());
    }

    #[test]
    fn a_panic_in_a_share_is_passed_on() {
        let items: Vec<u32> = (0..100).collect();
        let caught = std::panic::catch_unwind(|| map(&items, 1, |&n| assert_ne!(n, 99)));
        assert!(caught.is_err());
    }
}
