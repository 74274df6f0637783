//! The board's slower figures in the background. The footer's RTV, GAP and factor come from the
//! running totals at every key; the probability of the target, the required factor and the
//! conversion behind them ([`App::insight`]) read the whole history, which takes seconds at a
//! million cards. In the interactive board a worker thread with its own [`Store`] on the same
//! file computes them, so a key never waits: until the new figures arrive, the footer shows the
//! previous ones, marked as being brought up to date.
//!
//! The worker also copies the board's commits from the WAL into the file (a checkpoint), which
//! SQLite would otherwise do on the board's thread after one key in a few dozen.
//!
//! Without a worker (`board --print`, an in-memory store, most tests) the figures
//! are computed in place, as before. The board's side is plain state, [`FiguresStatus`], and a
//! finished computation reaches the app through the one update path
//! ([`super::action::Action::FiguresReady`]).

use super::App;
use super::worker::Job;
use crate::domain::indicators::Summary;
use crate::insight::{self, Insight};
use crate::store::{Funnel, Store};

/// What the worker needs to compute one [`Insight`].
#[derive(Debug, Clone)]
pub struct Request {
    pub funnel: Funnel,
    pub summary: Summary,
    pub owner: Option<String>,
    pub default_factor: f64,
}

/// Where the board's slower figures stand.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FiguresStatus {
    /// The figures are out of date and no computation for them has started.
    pub wanted: bool,
    /// A computation was handed to the worker and has not ended.
    pub running: bool,
    /// A finished computation waiting to be applied.
    pub inbox: Option<Result<Insight, String>>,
}

impl App<'_> {
    /// The request for fresh figures, if they are wanted and none are being computed (the
    /// caller hands it to the worker).
    pub fn take_figures_request(&mut self) -> Option<Request> {
        let status = self.figures.as_mut().filter(|s| s.wanted && !s.running)?;
        status.wanted = false;
        status.running = true;
        Some(Request {
            funnel: self.funnel.clone(),
            summary: self.summary.clone(),
            owner: self.filter.owner.clone(),
            default_factor: self.default_factor,
        })
    }

    /// The footer's probability and required factor are being brought up to date.
    pub fn figures_pending(&self) -> bool {
        self.figures.as_ref().is_some_and(|s| s.wanted || s.running)
    }
}

/// The figures thread (see [`super::worker`]).
pub type Worker = super::worker::Worker<Request, Result<Insight, String>>;

/// A worker for the board on `store` when it is a file (an in-memory store cannot be opened
/// twice; its board computes in place). Its store keeps the board's clock.
pub fn start(store: &Store) -> Option<Worker> {
    let clock = store.clock();
    let job = Job {
        next: |app| app.take_figures_request(),
        apply: |app, result| app.figures_ready(result),
        stopped: || Err("the figures thread stopped".into()),
    };
    let work = move |store: Result<&mut Store, String>, request: Request| {
        give_way();
        let store = store?;
        store.set_clock(clock);
        store.use_scan_cache().map_err(|e| e.to_string())?;
        let insight = insight::compute(
            store,
            &request.funnel,
            request.summary,
            request.owner.as_deref(),
            request.default_factor,
        )
        .map_err(|e| e.to_string());
        // The board's commits since the last figures, copied into the file here rather than on
        // a key (see `Store::leave_checkpoints_to_another`). One that fails leaves them in the
        // WAL, where they are as safe: the next one, or the board's own, copies them.
        let _ = store.checkpoint();
        insight
    };
    let worker = Worker::spawn("funnel-figures", store.path()?, job, work).ok()?;
    // Without it the board keeps checkpointing: that is only slower.
    let _ = store.leave_checkpoints_to_another();
    Some(worker)
}

/// The figures' scan gives way to the board's keys on a busy machine: the thread computing them
/// runs at nice 10, about a tenth of the board's thread's share of a contended CPU, so that a
/// key rarely waits a time slice behind it. Linux keeps a nice value per thread; elsewhere it
/// would be the whole process's, so it is left as it is.
#[cfg(target_os = "linux")]
fn give_way() {
    // SAFETY: plain system call on the calling thread (`who` 0), no memory is passed.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

#[cfg(not(target_os = "linux"))]
fn give_way() {}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// The nice value of the calling thread, from `/proc/thread-self/stat` (the 19th field).
    fn nice() -> i32 {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap();
        // The command name, in parentheses, may hold spaces: count fields after it.
        let after_name = &stat[stat.rfind(')').unwrap() + 2..];
        after_name.split(' ').nth(16).unwrap().parse().unwrap()
    }

    #[test]
    fn the_figures_thread_gives_way_and_the_board_thread_does_not() {
        let board = nice();
        let worker = std::thread::spawn(|| {
            super::give_way();
            nice()
        });
        assert_eq!(worker.join().unwrap(), 10);
        assert_eq!(nice(), board);
    }
}
