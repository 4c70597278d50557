//! An ordered parallel pipeline: items read on the calling thread, worked on by up to N
//! scoped threads, their results handed back in the order of the items. The CSV reader uses it
//! for blocks of a table; nothing in it knows about CSV.

use std::collections::BTreeMap;
use std::sync::{mpsc, Arc, Mutex};

/// Why a pipeline stopped early.
#[derive(Debug)]
pub(crate) enum Stopped<E> {
    /// The source of items failed.
    Source(E),
    /// A worker stopped before its item was done (it panicked).
    Worker,
}

/// Runs `work` on every item of `items` on up to `threads` threads and calls `done` with the
/// results in the order of the items. With `threads` ≤ 1, or when the system starts no thread,
/// everything runs on the calling thread. At most `2 × threads` items wait for a worker, so
/// memory stays bounded however many items there are.
pub(crate) fn ordered<T, P, E>(
    items: impl Iterator<Item = Result<T, E>>,
    threads: usize,
    work: &(impl Fn(T) -> P + Sync),
    mut done: impl FnMut(P),
) -> Result<(), Stopped<E>>
where
    T: Send,
    P: Send,
{
    if threads <= 1 {
        for item in items {
            done(work(item.map_err(Stopped::Source)?));
        }
        return Ok(());
    }
    std::thread::scope(|scope| {
        let (work_tx, work_rx) = mpsc::sync_channel::<(usize, T)>(threads * 2);
        let work_rx = Arc::new(Mutex::new(work_rx));
        let (done_tx, done_rx) = mpsc::channel::<(usize, P)>();
        let mut started = 0;
        for _ in 0..threads {
            let work_rx = Arc::clone(&work_rx);
            let done_tx = done_tx.clone();
            let spawned = std::thread::Builder::new().spawn_scoped(scope, move || loop {
                let job = match work_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok((index, item)) = job else { return };
                if done_tx.send((index, work(item))).is_err() {
                    return;
                }
            });
            // A thread the system refuses is one fewer worker, not a failed run.
            started += usize::from(spawned.is_ok());
        }
        drop(done_tx);
        let mut pending = BTreeMap::new();
        let (mut next, mut sent) = (0usize, 0usize);
        let mut hand_over = |pending: &mut BTreeMap<usize, P>, next: &mut usize| {
            while let Some(result) = pending.remove(next) {
                done(result);
                *next += 1;
            }
        };
        let mut failure = None;
        for item in items {
            let item = match item {
                Ok(i) => i,
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            };
            if started == 0 {
                // No worker could be started: work on this thread.
                pending.insert(sent, work(item));
            } else if work_tx.send((sent, item)).is_err() {
                break;
            }
            sent += 1;
            while let Ok((i, result)) = done_rx.try_recv() {
                pending.insert(i, result);
            }
            hand_over(&mut pending, &mut next);
        }
        drop(work_tx);
        for (i, result) in done_rx.iter() {
            pending.insert(i, result);
            hand_over(&mut pending, &mut next);
        }
        match failure {
            Some(e) => Err(Stopped::Source(e)),
            None if next == sent => Ok(()),
            None => Err(Stopped::Worker),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_the_order_of_the_items() {
        for threads in [1, 2, 4] {
            let mut got = Vec::new();
            let items = (0..200u64).map(Ok::<u64, ()>);
            ordered(items, threads, &|x| x * x, |r| got.push(r)).unwrap();
            assert_eq!(got, (0..200u64).map(|x| x * x).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_failing_source_stops_the_pipeline_with_its_error() {
        let items = (0..10).map(|i| if i == 5 { Err("bad") } else { Ok(i) });
        let mut n = 0;
        let r = ordered(items, 2, &|x: i32| x, |_| n += 1);
        assert!(matches!(r, Err(Stopped::Source("bad"))));
        assert_eq!(n, 5);
    }
}
