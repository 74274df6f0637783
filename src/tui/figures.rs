//! The board's slower figures in the background. The footer's RTV, GAP and factor come from the
//! running totals at every key; the probability of the target, the required factor and the
//! conversion behind them ([`super::App::insight`]) read the whole history, which takes seconds at a
//! million cards. In the interactive board a worker thread with its own [`Store`] on the same
//! file computes them, so a key never waits: until the new figures arrive, the footer shows the
//! previous ones, marked as being brought up to date.
//!
//! Once a day it also keeps every seller's and team's figures for their trends
//! ([`insight::snapshots::record_scoped`]).
//!
//! The worker also copies the board's commits from the WAL into the file (a checkpoint), which
//! SQLite would otherwise do on the board's thread after one key in a few dozen.
//!
//! Without a worker (`board --print`, an in-memory store, most tests) the figures
//! are computed in place, as before. The board's side is plain state, [`FiguresStatus`], and a
//! finished computation reaches the app through the one update path
//! ([`super::action::Action::FiguresReady`]).

use crate::domain::Lang;
use crate::domain::indicators::Summary;
use crate::insight::{self, Insight};
use crate::store::{Clock, Funnel, Store, StoreError};

/// What the worker needs to compute one [`Insight`].
#[derive(Debug, Clone)]
pub struct Request {
    pub funnel: Funnel,
    pub summary: Summary,
    pub owner: Option<String>,
    pub default_factor: f64,
    /// The language its errors are said in.
    pub lang: Lang,
}

/// Where the board's slower figures stand.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FiguresStatus {
    /// The figures are out of date and no computation for them has started.
    pub wanted: bool,
    /// A computation was handed to the worker and has not ended.
    pub running: bool,
}

/// Computes one request on the worker's own store, then copies the board's commits from the WAL
/// into the file.
pub fn work(
    store: Result<&mut Store, StoreError>,
    clock: Clock,
    request: Request,
) -> Result<Insight, String> {
    give_way();
    let lang = request.lang;
    let store = store.map_err(|e| e.say(lang))?;
    store.set_clock(clock);
    store.use_scan_cache().map_err(|e| e.say(lang))?;
    let insight = insight::compute(
        store,
        &request.funnel,
        request.summary,
        request.owner.as_deref(),
        request.default_factor,
    )
    // The day's first figures also keep every seller's and team's (their trends).
    .and_then(|insight| {
        insight::snapshots::record_scoped(store, &request.funnel, request.default_factor)?;
        Ok(insight)
    })
    .map_err(|e| e.say(lang));
    // The board's commits since the last figures, copied into the file here rather than on a
    // key (see `Store::leave_checkpoints_to_another`). One that fails leaves them in the WAL,
    // where they are as safe: the next one, or the board's own, copies them.
    let _ = store.checkpoint();
    insight
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

#[cfg(test)]
mod snapshots {
    use super::*;
    use crate::domain::review::ReviewScope;
    use crate::domain::{OpportunityFields, Period, Stage};
    use crate::store::NewOpportunity;

    /// The figures worked out in the background also keep the day's figures of each seller
    /// and team, once.
    #[test]
    fn the_figures_keep_each_sellers_and_teams_day_once() {
        let mut store = Store::open_in_memory().unwrap();
        let clock = Clock::Fixed(
            chrono::NaiveDate::from_ymd_opt(2026, 5, 4)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
        );
        store.set_clock(clock);
        let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
        let fields = OpportunityFields {
            title: "Deal".into(),
            value_cents: 500_00,
            owner: "ana".into(),
            team: "north".into(),
            ..Default::default()
        };
        let stage = Some(Stage::CommitsToInvest);
        store
            .add_opportunity(&funnel, NewOpportunity { fields, stage })
            .unwrap();
        let period = Period::containing(store.today(), 1);
        let request = Request {
            funnel: funnel.clone(),
            summary: insight::summary(&store, &funnel, period, None).unwrap(),
            owner: None,
            default_factor: 3.0,
            lang: Lang::En,
        };
        work(Ok(&mut store), clock, request).unwrap();
        let today = store.today();
        for scope in [
            ReviewScope::Owner("ana".into()),
            ReviewScope::Team("north".into()),
        ] {
            let kept = store
                .snapshots_scoped(&funnel, 2026, &scope, today)
                .unwrap();
            assert_eq!(kept.len(), 1, "{scope:?}");
            assert_eq!(kept[0].rtv_cents, 500_00);
        }
    }
}
