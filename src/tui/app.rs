//! What every screen shares: the store session, the funnel and period on view, the language,
//! the footer's figures, the status line's notice, the undo history and the background workers'
//! state. Screens own the rest ([`super::screens`]); the router ([`super::Tui`]) holds both.
//!
//! The footer's figures are read from the store's running totals: opening a database of a
//! million cards costs the same as an empty one.

use chrono::{Duration, NaiveDate, TimeDelta};

use super::background::{DEFAULT_EVERY_SECONDS, SyncStatus};
use super::figures::{FiguresStatus, Request};
use super::keymap::Keymap;
use super::reviews::ReviewStatus;
use super::texts;
use super::undo::{Change, History};
use crate::config::Config;
use crate::domain::indicators::{self, Summary};
use crate::domain::upkeep;
use crate::domain::{Catalog, FlagCounts, Flags, Lang, Opportunity, Period, Stage, UpkeepSettings};
use crate::insight::{self, Insight};
use crate::store::{CardFilter, Funnel, Result, Store, StoreError};
use crate::tui::action::Action;
use crate::tui::keymap::Table;

/// The card a dialog is about, with the version that was shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRef {
    pub id: String,
    pub version: i64,
    pub title: String,
}

impl CardRef {
    pub fn of(opp: &Opportunity) -> CardRef {
        CardRef {
            id: opp.id.clone(),
            version: opp.version,
            title: opp.fields.title.clone(),
        }
    }
}

/// A message on the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

pub struct App<'a> {
    pub store: &'a mut Store,
    pub funnel: Funnel,
    pub lang: Lang,
    pub catalog: &'static Catalog,
    /// Days after which a card is stale, per stage (catalog, or config.toml).
    pub expected_days: [u32; Stage::COUNT],
    /// What the funnel's upkeep checks (`[funnels.NAME]` in config.toml): the flags the board
    /// marks and the inactive days.
    pub upkeep: UpkeepSettings,
    /// Who uses the board (config.toml's `user`): the agenda starts on their cards.
    pub user: Option<String>,
    /// The open cards each upkeep flag is raised on, the user's (else everyone's): the title
    /// bar says them. Read again after each change, never on a key that only moves.
    pub flag_counts: FlagCounts,
    pub today: NaiveDate,
    /// Terminal size.
    pub width: u16,
    pub height: u16,
    pub color: bool,
    /// The key tables in use (the defaults, as `config.toml` changes them).
    pub keys: Keymap,
    pub period: Period,
    /// Which cards the board shows; the footer's figures follow its owner.
    pub filter: CardFilter,
    pub summary: Summary,
    /// The forward-looking figures of the same view (probability, required factor…), recomputed
    /// only when the summary or the seller changes: browsing cards costs nothing.
    pub insight: Option<Insight>,
    /// The required factor while there is no history (config.toml).
    pub default_factor: f64,
    pub notice: Option<Notice>,
    pub history: History,
    /// The background sync, when a hub is configured (see [`super::background`]).
    pub sync: Option<SyncStatus>,
    /// The slower figures' computation, when a worker does it (see [`super::figures`]).
    pub figures: Option<FiguresStatus>,
    /// The review of the changes being read, when a worker reads it (see [`super::reviews`]).
    pub reviews: Option<ReviewStatus>,
    pub quit: bool,
}

impl<'a> App<'a> {
    pub fn new(
        store: &'a mut Store,
        funnel: Funnel,
        lang: Lang,
        config: &Config,
        size: (u16, u16),
        background_figures: bool,
    ) -> App<'a> {
        let catalog = Catalog::get(lang);
        let today = store.today();
        let period = Period::containing(today, funnel.fiscal_start);
        let expected_days =
            Stage::ALL.map(|s| config.expected_days(s, catalog.info(s).expected_days));
        let upkeep = config.upkeep(&funnel.name);
        let user = config
            .user
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned);
        App {
            store,
            funnel,
            lang,
            catalog,
            expected_days,
            upkeep,
            user,
            flag_counts: FlagCounts::default(),
            today,
            width: size.0,
            height: size.1,
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            // Checked before the board starts: a config not checked falls back to the defaults.
            keys: Keymap::with_remaps(&config.keys).unwrap_or_default(),
            period,
            filter: CardFilter::default(),
            summary: indicators::summarize(&[], period, true, None, None),
            insight: None,
            default_factor: config.default_required_factor(),
            notice: None,
            history: History::default(),
            sync: None,
            figures: background_figures.then(FiguresStatus::default),
            reviews: None,
            quit: false,
        }
    }

    pub fn is_current_period(&self) -> bool {
        self.period == Period::containing(self.today, self.funnel.fiscal_start)
    }

    /// Re-reads the footer's figures: the period's running totals and target.
    pub fn refresh_summary(&mut self) -> Result<()> {
        let owner = self.filter.owner.as_deref();
        let current = self.is_current_period();
        let rows = self
            .store
            .period_sums(&self.funnel, self.period.year, current, owner)?;
        let target = self
            .store
            .target(&self.funnel, self.period.year, owner)?
            .map(i128::from);
        self.summary = indicators::summarize(&rows, self.period, current, target, owner);
        self.flag_counts = self.store.flag_counts(
            &self.funnel,
            self.user.as_deref(),
            self.today,
            &self.upkeep,
            &self.expected_days,
        )?;
        // The slower figures (history, probability) only when the period's totals changed.
        if self.figures_outdated() {
            match &mut self.figures {
                Some(status) => status.wanted = true,
                None => {
                    self.insight = Some(insight::compute(
                        self.store,
                        &self.funnel,
                        self.summary.clone(),
                        owner,
                        self.default_factor,
                    )?);
                }
            }
        }
        self.count_pending();
        Ok(())
    }

    /// Whether [`App::insight`] is about other totals or another seller than the screen's.
    pub fn figures_outdated(&self) -> bool {
        self.insight.as_ref().is_none_or(|i| {
            i.summary != self.summary || i.owner.as_deref() != self.filter.owner.as_deref()
        })
    }

    /// Keeps today's indicators for the trend, once the figures match the whole funnel's totals.
    pub fn remember_snapshot(&mut self) -> Result<()> {
        if self.filter.owner.is_none()
            && !self.figures_outdated()
            && let Some(ins) = &self.insight
        {
            insight::record_snapshot(self.store, &self.funnel, ins)?;
        }
        Ok(())
    }

    /// Background figures arrived (through [`super::action::Action::FiguresReady`]).
    pub fn figures_arrived(&mut self, result: Result<Insight, String>) -> Result<()> {
        let Some(status) = &mut self.figures else {
            return Ok(());
        };
        status.running = false;
        match result {
            Ok(insight) => {
                self.insight = Some(insight);
                // Changes made while they were computed want newer ones.
                let outdated = self.figures_outdated();
                if let Some(status) = &mut self.figures {
                    status.wanted |= outdated;
                }
                self.remember_snapshot()
            }
            Err(e) => {
                self.warn(e);
                Ok(())
            }
        }
    }

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
            lang: self.lang,
        })
    }

    /// The footer's probability and required factor are being brought up to date.
    pub fn figures_pending(&self) -> bool {
        self.figures.as_ref().is_some_and(|s| s.wanted || s.running)
    }

    /// Turns the background sync on (a hub is configured): the footer shows its state.
    pub fn enable_sync(&mut self, every: std::time::Duration) {
        let every = TimeDelta::from_std(every.max(std::time::Duration::from_secs(1)))
            .unwrap_or(TimeDelta::seconds(DEFAULT_EVERY_SECONDS as i64));
        self.sync = Some(SyncStatus::new(every, self.store.now()));
        // With a hub, every change is queued from now on (and what is already there).
        if let Err(e) = self.store.enable_sync() {
            self.warn_store(&e);
        }
        self.count_pending();
    }

    /// Moves the sync clock on (the event loop calls it on every turn).
    pub fn tick(&mut self) {
        let now = self.store.now();
        if let Some(status) = &mut self.sync {
            status.now = now;
        }
    }

    /// Starts a sync if one is due: marks it running and returns true (the caller hands it to
    /// the worker). Never two at once.
    pub fn take_sync_request(&mut self) -> bool {
        self.tick();
        let Some(status) = self.sync.as_mut().filter(|s| s.is_due()) else {
            return false;
        };
        status.running = true;
        status.wanted = false;
        status.last_attempt = Some(status.now);
        true
    }

    /// Re-reads how many local changes wait for the hub (after every change and sync).
    pub fn count_pending(&mut self) {
        if self.sync.is_none() {
            return;
        }
        let counts = self.store.sync_pending();
        let aside = self.store.kept_aside_count();
        if let (Some(status), Ok((pending, refused)), Ok(aside)) = (&mut self.sync, counts, aside) {
            status.pending = pending;
            status.refused = refused;
            status.aside = aside;
        }
    }

    pub fn stage_name(&self, stage: Stage) -> &str {
        self.catalog.name(stage)
    }

    pub fn is_stale(&self, opp: &Opportunity) -> bool {
        opp.days_in_stage(self.today) > i64::from(self.expected_days[opp.stage.index()])
    }

    /// What needs the seller on a card today, as the funnel's upkeep checks it; `last_activity`
    /// is the card's last logged activity.
    pub fn flags_of(&self, opp: &Opportunity, last_activity: Option<NaiveDate>) -> Flags {
        let expected = self.expected_days[opp.stage.index()];
        upkeep::flags_of(opp, last_activity, self.today, expected, &self.upkeep)
    }

    /// A week from today, the default due date of an action item.
    pub fn next_week(&self) -> NaiveDate {
        self.today + Duration::days(7)
    }

    pub fn notify(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            error: false,
        });
    }

    pub fn warn(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            error: true,
        });
    }

    /// A store error on the status line, in the board's language.
    pub fn warn_store(&mut self, e: &StoreError) {
        self.warn(e.say(self.lang));
    }

    /// A change was made: say so (with the undo key) and keep it for undo. The caller reads
    /// again what it touched.
    pub fn remember(&mut self, change: Change) {
        let key = self.keys.key_for(Table::Board, &Action::Undo);
        self.notify(texts::remembered(self.lang, &change.label, &key));
        self.history.push(change);
    }

    /// A change undo does not record was saved (`what` it was, one of the `*_barrier`
    /// messages): nothing before it can be undone any more, and `u` says why.
    pub fn cannot_undo(&mut self, what: fn(Lang) -> &'static str) {
        let why = texts::cannot_be_undone(self.lang, what(self.lang));
        self.history.barrier(why);
    }

    /// `u` / `Ctrl-r`, on the board and in the card detail: says what was undone (the caller
    /// reads the screen again).
    pub fn undo_or_redo(&mut self, undo: bool) {
        let done = if undo {
            self.history.undo(self.store)
        } else {
            self.history.redo(self.store)
        };
        let l = self.lang;
        match done {
            Some(Ok(label)) if undo => self.notify(texts::undone(l, &label)),
            Some(Ok(label)) => self.notify(texts::redone(l, &label)),
            Some(Err(e)) => self.warn_store(&e),
            None => {
                let text = match (self.history.barrier_reason(), undo) {
                    (Some(why), true) => texts::nothing_to_undo_because(l, why),
                    (Some(why), false) => texts::nothing_to_redo_because(l, why),
                    (None, true) => texts::nothing_to_undo(l).to_owned(),
                    (None, false) => texts::nothing_to_redo(l).to_owned(),
                };
                self.notify(text);
            }
        }
    }
}

/// Columns of a card's title a notice quotes: the status line is one row, and the notice's own
/// words (what was done, the undo key) must show after it.
const QUOTED_TITLE: usize = 40;

/// A card's title in quotes, for a notice, cut with '…'.
pub fn quoted(title: &str) -> String {
    format!("\"{}\"", crate::domain::text::truncate(title, QUOTED_TITLE))
}
