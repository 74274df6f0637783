//! A thread that does the board's slow work (a sync, the history-wide figures) with its own
//! [`Store`] on the same file: WAL lets both connections work at once, and the board's own
//! connection is never shared. The event loop only hands requests over and collects results
//! ([`Worker::pump`]); each result reaches the app through the one update path, like a key.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use super::Tui;
use super::action::Action;
use super::background::{self, DEFAULT_EVERY_SECONDS, Outcome};
use super::figures::{self, Request};
use super::reviews::{self, Reviewed};
use super::texts;
use crate::config::Config;
use crate::domain::Lang;
use crate::insight::Insight;
use crate::store::{Store, StoreError};
use crate::sync;

/// How a kind of work plugs into the board: what to ask for, what to do with the answer.
pub struct Job<Q, R> {
    /// The request to hand over now, if any (marks it as started in the app's state).
    pub next: fn(&mut Tui) -> Option<Q>,
    /// The action that brings a result to the app.
    pub apply: fn(R) -> Action,
    /// The result to apply when the thread is gone, in the board's language.
    pub stopped: fn(Lang) -> R,
}

/// The thread and the two channels to it.
pub struct Worker<Q, R> {
    requests: Sender<Q>,
    results: Receiver<R>,
    job: Job<Q, R>,
}

impl<Q: Send + 'static, R: Send + 'static> Worker<Q, R> {
    /// Starts the thread. It opens its own store on `path` at its first request and answers
    /// each request with `work`; only the latest of several waiting requests is worked on (the
    /// state it asks about overtook the others). It ends when the worker is dropped, after the
    /// request under way.
    pub fn spawn(
        name: &str,
        path: PathBuf,
        job: Job<Q, R>,
        mut work: impl FnMut(Result<&mut Store, StoreError>, Q) -> R + Send + 'static,
    ) -> std::io::Result<Self> {
        let (requests, inbox) = mpsc::channel::<Q>();
        let (outbox, results) = mpsc::channel();
        std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let mut store: Option<Store> = None;
                while let Ok(mut request) = inbox.recv() {
                    while let Ok(newer) = inbox.try_recv() {
                        request = newer;
                    }
                    let opened = match &mut store {
                        Some(store) => Ok(store),
                        None => Store::open(&path).map(|opened| store.insert(opened)),
                    };
                    if outbox.send(work(opened, request)).is_err() {
                        break;
                    }
                }
            })?;
        Ok(Worker {
            requests,
            results,
            job,
        })
    }

    /// Applies the results that arrived and hands over the next request, if any. Never waits.
    pub fn pump(&self, app: &mut Tui) {
        while let Ok(result) = self.results.try_recv() {
            app.update((self.job.apply)(result));
        }
        if let Some(request) = (self.job.next)(app)
            && self.requests.send(request).is_err()
        {
            let stopped = (self.job.stopped)(app.app.lang);
            app.update((self.job.apply)(stopped));
        }
    }

    /// Waits up to `timeout` for the request under way and applies its result (tests).
    pub fn wait(&self, app: &mut Tui, timeout: Duration) -> bool {
        match self.results.recv_timeout(timeout) {
            Ok(result) => {
                app.update((self.job.apply)(result));
                true
            }
            Err(_) => false,
        }
    }
}

/// The sync thread (see [`super::background`]).
pub type SyncWorker = Worker<(), Outcome>;

/// Starts the sync thread for the file at `path`; each request is one sync with the hub at
/// `url`. Dropping the worker ends it after the sync under way, if any (an interrupted one
/// resumes anyway).
pub fn spawn_sync(path: PathBuf, url: String, lang: Lang) -> std::io::Result<SyncWorker> {
    let job = Job {
        next: |tui| tui.app.take_sync_request().then_some(()),
        apply: Action::SyncFinished,
        stopped: |lang| Outcome::Failed(texts::sync_thread_stopped(lang).into()),
    };
    Worker::spawn("funnel-sync", path, job, move |store, ()| match store {
        Ok(store) => background::sync_once(store, &url, lang),
        Err(e) => Outcome::Failed(e.say(lang)),
    })
}

/// Turns the background sync on when a hub is configured and the board's store is a writable
/// file: returns the worker the event loop pumps. Otherwise nothing changes.
pub fn start_sync(tui: &mut Tui, config: &Config) -> Option<SyncWorker> {
    let url = sync::hub_url(config)?;
    if tui.app.store.is_read_only() {
        return None;
    }
    let path = tui.app.store.path()?;
    let worker = spawn_sync(path, url, tui.app.lang).ok()?;
    let every = config.sync.every_seconds.unwrap_or(DEFAULT_EVERY_SECONDS);
    tui.app.enable_sync(Duration::from_secs(every));
    if config.user.is_none()
        && let Some(status) = &mut tui.app.sync
    {
        status.sign_as_member = true;
    }
    Some(worker)
}

/// The figures thread (see [`super::figures`]).
pub type FiguresWorker = Worker<Request, Result<Insight, String>>;

/// A figures thread for the board on `store` when it is a file (an in-memory store cannot be
/// opened twice; its board computes in place). Its store keeps the board's clock.
pub fn start_figures(store: &Store) -> Option<FiguresWorker> {
    let clock = store.clock();
    let job = Job {
        next: |tui| tui.app.take_figures_request(),
        apply: |result| Action::FiguresReady(Box::new(result)),
        stopped: |lang| Err(texts::figures_thread_stopped(lang).into()),
    };
    let work = move |store: Result<&mut Store, StoreError>, request: Request| {
        figures::work(store, clock, request)
    };
    let worker = Worker::spawn("funnel-figures", store.path()?, job, work).ok()?;
    // Without it the board keeps checkpointing: that is only slower.
    let _ = store.leave_checkpoints_to_another();
    Some(worker)
}

/// The review thread (see [`super::reviews`]).
pub type ReviewWorker = Worker<reviews::Request, Reviewed>;

/// A review thread for the board on `store` when it is a file (an in-memory store cannot be
/// opened twice; its screens read their review in place). Its store keeps the board's clock.
pub fn start_reviews(store: &Store) -> Option<ReviewWorker> {
    let clock = store.clock();
    let job = Job {
        next: |tui| tui.take_review_request(),
        apply: |result| Action::ReviewReady(Box::new(result)),
        stopped: |lang| Reviewed {
            asked: None,
            review: Err(texts::review_thread_stopped(lang).into()),
        },
    };
    let work = move |store: Result<&mut Store, StoreError>, request: reviews::Request| {
        reviews::work(store, clock, request)
    };
    Worker::spawn("funnel-reviews", store.path()?, job, work).ok()
}
