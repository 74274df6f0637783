//! A thread that does the board's slow work (a sync, the history-wide figures) with its own
//! [`Store`] on the same file: WAL lets both connections work at once, and the board's own
//! connection is never shared. The event loop only hands requests over and collects results
//! ([`Worker::pump`]); each result reaches the app through the one update path, like a key.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use super::App;
use crate::store::Store;

/// How a kind of work plugs into the board: what to ask for, what to do with the answer.
pub struct Job<Q, R> {
    /// The request to hand over now, if any (marks it as started in the app's state).
    pub next: fn(&mut App) -> Option<Q>,
    /// Applies a result to the app.
    pub apply: fn(&mut App, R),
    /// The result to apply when the thread is gone.
    pub stopped: fn() -> R,
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
        mut work: impl FnMut(Result<&mut Store, String>, Q) -> R + Send + 'static,
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
                        None => Store::open(&path)
                            .map(|opened| store.insert(opened))
                            .map_err(|e| e.to_string()),
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
    pub fn pump(&self, app: &mut App) {
        while let Ok(result) = self.results.try_recv() {
            (self.job.apply)(app, result);
        }
        if let Some(request) = (self.job.next)(app)
            && self.requests.send(request).is_err()
        {
            (self.job.apply)(app, (self.job.stopped)());
        }
    }

    /// Waits up to `timeout` for the request under way and applies its result (tests).
    pub fn wait(&self, app: &mut App, timeout: Duration) -> bool {
        match self.results.recv_timeout(timeout) {
            Ok(result) => {
                (self.job.apply)(app, result);
                true
            }
            Err(_) => false,
        }
    }
}
