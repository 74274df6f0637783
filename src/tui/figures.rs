//! The board's slower figures in the background. The footer's RTV, GAP and factor come from the
//! running totals at every key; the probability of the target, the required factor and the
//! conversion behind them ([`App::insight`]) read the whole history, which takes seconds at a
//! million cards. In the interactive board a worker thread with its own [`Store`] on the same
//! file computes them, so a key never waits: until the new figures arrive, the footer shows the
//! previous ones, marked as being brought up to date.
//!
//! Without a worker (tests, `board --print`, benchmarks of the synchronous path) the figures
//! are computed in place, as before. The board's side is plain state, [`FiguresStatus`], and a
//! finished computation reaches the app through the one update path
//! ([`super::action::Action::FiguresReady`]).

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use super::App;
use crate::domain::indicators::Summary;
use crate::insight::{self, Insight};
use crate::store::{Clock, Funnel, Store};

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

/// The figures thread and the two channels to it.
pub struct Worker {
    requests: Sender<Request>,
    results: Receiver<Result<Insight, String>>,
}

impl Worker {
    /// Starts the thread; it opens its own store on `path` (with the board's clock) at its
    /// first request, and ends when the worker is dropped.
    pub fn spawn(path: PathBuf, clock: Clock) -> std::io::Result<Worker> {
        let (requests, inbox) = mpsc::channel::<Request>();
        let (outbox, results) = mpsc::channel();
        std::thread::Builder::new()
            .name("funnel-figures".into())
            .spawn(move || {
                let mut store: Option<Store> = None;
                while let Ok(mut request) = inbox.recv() {
                    // Only the latest state matters: skip requests already overtaken.
                    while let Ok(newer) = inbox.try_recv() {
                        request = newer;
                    }
                    let result = super::background::open(&mut store, &path).and_then(|store| {
                        store.set_clock(clock);
                        insight::compute(
                            store,
                            &request.funnel,
                            request.summary,
                            request.owner.as_deref(),
                            request.default_factor,
                        )
                        .map_err(|e| e.to_string())
                    });
                    if outbox.send(result).is_err() {
                        break;
                    }
                }
            })?;
        Ok(Worker { requests, results })
    }

    /// Applies the figures that arrived and starts a computation if wanted. Never waits.
    pub fn pump(&self, app: &mut App) {
        while let Ok(result) = self.results.try_recv() {
            app.figures_ready(result);
        }
        if let Some(request) = app.take_figures_request()
            && self.requests.send(request).is_err()
        {
            app.figures_ready(Err("the figures thread stopped".into()));
        }
    }

    /// Waits up to `timeout` for the computation under way and applies it (tests).
    pub fn wait(&self, app: &mut App, timeout: Duration) -> bool {
        match self.results.recv_timeout(timeout) {
            Ok(result) => {
                app.figures_ready(result);
                true
            }
            Err(_) => false,
        }
    }
}

/// A worker for the board on `store` when it is a file (an in-memory store cannot be opened
/// twice; its board computes in place).
pub fn start(store: &Store) -> Option<Worker> {
    Worker::spawn(store.path()?, store.clock()).ok()
}
