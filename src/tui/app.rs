//! The board's state. The screen is drawn from this alone ([`super::ui::draw`]), and it only
//! changes through [`App::update`](super::update).
//!
//! The board holds the cards on screen in each column (and, as a column scrolls, a few pages
//! read ahead around them) plus the column totals and the footer figures, all read from the
//! store's indexes and running totals: opening a database of a million cards costs the same as
//! an empty one.

use std::ops::Range;

use chrono::NaiveDate;

use super::background::SyncStatus;
use super::dashboard::Dashboard;
use super::figures::FiguresStatus;
use super::form::Form;
use super::input::Input;
use super::undo::History;
use crate::config::Config;
use crate::domain::indicators::{self, Summary};
use crate::domain::{
    Answer, Catalog, Evidence, Lang, Opportunity, Period, Person, Stage, StageEvent,
};
use crate::insight::{self, Insight};
use crate::store::{Card, CardFilter, Funnel, Result, Side, Store, StoreError};

/// Smallest usable terminal; below it the board says so instead of drawing a broken layout.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;
/// Columns never get narrower than this; extra stages scroll horizontally.
pub const MIN_COLUMN_WIDTH: u16 = 26;
/// Rows a card takes (three lines and a gap).
pub const CARD_HEIGHT: u16 = 4;
/// Rows around the columns: title bar, footer, status line, key hints.
pub const CHROME_ROWS: u16 = 4;
/// Rows inside a column that are not cards: two borders, two header lines, the "more" line.
pub const COLUMN_CHROME_ROWS: u16 = 5;

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

/// What a one-line text prompt is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    Filter,
    LostReason(CardRef),
    WonDate(CardRef),
    /// The evidence note typed before a move (`to`: where the card goes after).
    EvidenceNote {
        card: CardRef,
        stage: Stage,
        to: Option<Stage>,
    },
    Answer {
        question: usize,
    },
    /// The period's target (the filtered owner's, if any).
    Target,
    /// A note, skill or action item of the one-to-one.
    Meeting(super::one_to_one::MeetingPrompt),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Board,
    Help {
        back: Box<Mode>,
    },
    EvidencePrompt {
        card: CardRef,
        from: Stage,
        to: Stage,
    },
    Text {
        prompt: Prompt,
        input: Input,
        back: Box<Mode>,
    },
    ConfirmDelete {
        card: CardRef,
    },
    Form {
        form: Form,
        back: Box<Mode>,
    },
    OwnerPicker {
        owners: Vec<String>,
        selected: usize,
    },
    Detail,
    /// The cards both this file and the hub changed since they last synced.
    Conflicts {
        list: Vec<crate::store::Conflict>,
        selected: usize,
    },
    /// The dashboard ([`App::dashboard`] holds its data).
    Dashboard,
    /// Choosing the seller of a one-to-one.
    SellerPicker {
        owners: Vec<String>,
        selected: usize,
    },
    /// A one-to-one with a seller ([`App::one_to_one`]).
    OneToOne,
}

/// A message on the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

/// One board column: the cards read around the screen and the column's totals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Column {
    pub count: i64,
    pub value_cents: i128,
    /// Cards read from the store, from `first` on: the ones on screen and, once the column
    /// scrolled, up to two pages ahead and one behind (see [`App::scroll_to_selection`]). The
    /// ones on screen have their progress; those read ahead get it as they come on screen.
    pub loaded: Vec<Card>,
    /// Index in the whole column of `loaded[0]`.
    pub first: usize,
    /// First card on screen, as an index in the whole column.
    pub offset: usize,
    /// Selected card, as an index in the whole column.
    pub selected: usize,
}

/// Cards read on when scrolling a line at a time passes the cards read. Few, so that no key
/// waits for many: each card of a big file sits on a page of its own (the table is in id
/// order, a column in value order), and at a million cards the two pages read at once before
/// (26 cards and their checklists) took 5-10 ms when the file was not in memory.
pub const LINE_AHEAD: usize = 4;

impl Column {
    /// The cards on screen: up to `page` from `offset` (none if a failed read left cards of
    /// another part of the column).
    pub fn on_screen(&self, page: usize) -> &[Card] {
        &self.loaded[self.screen(page)]
    }

    /// Where the cards on screen are in `loaded`.
    fn screen(&self, page: usize) -> Range<usize> {
        let len = self.loaded.len();
        let start = self
            .offset
            .checked_sub(self.first)
            .map_or(len, |s| s.min(len));
        start..(start + page).min(len)
    }

    /// Index in the whole column just past the last card read.
    fn loaded_end(&self) -> usize {
        self.first + self.loaded.len()
    }
}

/// The card detail screen's data, loaded when it opens and after each change.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub opportunity: Opportunity,
    pub history: Vec<StageEvent>,
    pub evidence: Vec<Evidence>,
    pub answers: Vec<Answer>,
    pub people: Vec<Person>,
    /// Index over the current stage's questions, then the people.
    pub selected: usize,
}

impl Detail {
    pub fn load(store: &Store, id: &str, selected: usize) -> Result<Detail> {
        Ok(Detail {
            opportunity: store.opportunity(id)?,
            history: store.history(id)?,
            evidence: store.evidence(id)?,
            answers: store.answers(id)?,
            people: store.people(id)?,
            selected,
        })
    }

    pub fn answer(&self, question: usize) -> Option<&Answer> {
        let stage = self.opportunity.stage;
        self.answers
            .iter()
            .find(|a| a.stage == stage && a.question == question)
    }

    pub fn evidence_of(&self, stage: Stage) -> Option<&Evidence> {
        self.evidence.iter().find(|e| e.stage == stage)
    }
}

pub struct App<'a> {
    pub store: &'a mut Store,
    pub funnel: Funnel,
    pub lang: Lang,
    pub catalog: &'static Catalog,
    /// Days after which a card is stale, per stage (catalog, or config.toml).
    pub expected_days: [u32; Stage::COUNT],
    pub today: NaiveDate,
    /// Terminal size, kept so the pages loaded match what is drawn.
    pub width: u16,
    pub height: u16,
    pub color: bool,
    pub mode: Mode,
    pub columns: Vec<Column>,
    /// Focused column.
    pub focus: usize,
    /// First column drawn (narrow terminals scroll horizontally).
    pub first_column: usize,
    pub period: Period,
    pub filter: CardFilter,
    pub summary: Summary,
    /// The forward-looking figures of the same view (probability, required factor…), recomputed
    /// only when the summary or the seller changes: browsing cards costs nothing.
    pub insight: Option<Insight>,
    /// The required factor while there is no history (config.toml).
    pub default_factor: f64,
    pub notice: Option<Notice>,
    pub history: History,
    pub detail: Option<Detail>,
    /// The background sync, when a hub is configured (see [`super::background`]).
    pub sync: Option<SyncStatus>,
    /// The slower figures' computation, when a worker does it (see [`super::figures`]).
    pub figures: Option<FiguresStatus>,
    /// The dashboard's data while it is open.
    pub dashboard: Option<Dashboard>,
    /// The one-to-one under way, if any.
    pub one_to_one: Option<super::one_to_one::OneToOne>,
    pub quit: bool,
}

impl<'a> App<'a> {
    /// The board, computing every figure as it changes (tests, `board --print`).
    pub fn new(
        store: &'a mut Store,
        funnel: Funnel,
        lang: Lang,
        config: &Config,
        size: (u16, u16),
    ) -> Result<App<'a>> {
        App::with_figures(store, funnel, lang, config, size, false)
    }

    /// The board; with `background_figures`, the slower figures are left to a
    /// [`super::figures::Worker`] the caller pumps.
    pub fn with_figures(
        store: &'a mut Store,
        funnel: Funnel,
        lang: Lang,
        config: &Config,
        size: (u16, u16),
        background_figures: bool,
    ) -> Result<App<'a>> {
        let catalog = Catalog::get(lang);
        let today = store.today();
        let period = Period::containing(today, funnel.fiscal_start);
        let expected_days =
            Stage::ALL.map(|s| config.expected_days(s, catalog.info(s).expected_days));
        let summary = indicators::summarize(&[], period, true, None, None);
        let mut app = App {
            store,
            funnel,
            lang,
            catalog,
            expected_days,
            today,
            width: size.0,
            height: size.1,
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            mode: Mode::Board,
            columns: vec![Column::default(); Stage::COUNT],
            focus: 0,
            first_column: 0,
            period,
            filter: CardFilter::default(),
            summary,
            insight: None,
            default_factor: config.default_required_factor(),
            notice: None,
            history: History::default(),
            detail: None,
            sync: None,
            figures: background_figures.then(FiguresStatus::default),
            dashboard: None,
            one_to_one: None,
            quit: false,
        };
        app.refresh()?;
        app.remember_snapshot()?;
        Ok(app)
    }

    /// How many cards fit in a column at the current size.
    pub fn page_size(&self) -> usize {
        let rows = self.height.saturating_sub(CHROME_ROWS + COLUMN_CHROME_ROWS);
        // The last card needs no gap below it.
        usize::from(((rows + 1) / CARD_HEIGHT).max(1))
    }

    /// How many columns fit side by side.
    pub fn visible_columns(&self) -> usize {
        usize::from((self.board_width() / MIN_COLUMN_WIDTH).clamp(1, Stage::COUNT as u16))
    }

    /// Columns left for the board (the one-to-one panel takes the right side).
    pub fn board_width(&self) -> u16 {
        match &self.one_to_one {
            Some(_) => self.width.saturating_sub(super::one_to_one::PANEL_WIDTH),
            None => self.width,
        }
    }

    pub fn too_small(&self) -> bool {
        self.width < MIN_WIDTH || self.height < MIN_HEIGHT
    }

    pub fn is_current_period(&self) -> bool {
        self.period == Period::containing(self.today, self.funnel.fiscal_start)
    }

    /// Re-reads what is on screen: the footer figures, each column's totals and visible page.
    /// Cost follows the screen, not the database.
    pub fn refresh(&mut self) -> Result<()> {
        self.refresh_columns(0..Stage::COUNT)?;
        if let Some(detail) = &self.detail {
            let id = detail.opportunity.id.clone();
            let selected = detail.selected;
            self.detail = Detail::load(self.store, &id, selected).ok();
            if self.detail.is_none() && self.mode == Mode::Detail {
                self.mode = self.home_mode();
            }
        }
        self.reload_dashboard()
    }

    /// Re-reads the footer figures and the given columns' totals and pages.
    fn refresh_columns(&mut self, columns: impl IntoIterator<Item = usize>) -> Result<()> {
        self.refresh_summary()?;
        let columns: Vec<usize> = columns.into_iter().collect();
        self.refresh_column_totals(&columns)?;
        for i in columns {
            self.load_page(i)?;
        }
        self.follow_focus();
        self.count_pending();
        Ok(())
    }

    /// A card moved from one column to another on the board (`before` and `after` the move;
    /// the caller selected it in its new column): the footer figures and both columns' totals
    /// are read again, but of their cards only the moved one, and the card coming into view at
    /// the foot of the column it left: the others stay where they were. Should another program
    /// have changed a column meanwhile (its count is not one less or one more), its page is
    /// read again instead.
    pub fn card_moved(&mut self, before: &Opportunity, after: &Opportunity) -> Result<()> {
        self.refresh_summary()?;
        let (from, to) = (before.stage.index(), after.stage.index());
        let counts = (self.columns[from].count, self.columns[to].count);
        self.refresh_column_totals(&[from, to])?;
        let column = &mut self.columns[from];
        let at = column
            .loaded
            .iter()
            .position(|c| c.opportunity.id == before.id);
        match at {
            Some(at) if column.count == counts.0 - 1 => {
                column.loaded.remove(at);
                // The card below the screen comes into view (one, unless at the column's end).
                self.clamp_selection(from);
                let column = &self.columns[from];
                let count = usize::try_from(column.count).unwrap_or(0);
                let end = (column.offset + self.page_size()).min(count);
                self.cover_screen(from, end.saturating_sub(column.loaded_end()).max(1))?;
            }
            _ => self.load_page(from)?,
        }
        let column = &mut self.columns[to];
        let rank = column.selected;
        let joined = column.count == counts.1 + 1;
        if joined && (column.first..=column.loaded_end()).contains(&rank) {
            let card = self.store.card(&after.id)?;
            let page = self.page_size();
            let column = &mut self.columns[to];
            column.loaded.insert(rank - column.first, card);
            // Cards moved in one after another would pile up: at most what scrolling keeps.
            column.loaded.truncate(4 * page);
        } else if joined && rank < column.first {
            column.first += 1;
        } else if !joined {
            self.load_page(to)?;
        }
        self.scroll_to_selection(to)?;
        self.follow_focus();
        self.count_pending();
        Ok(())
    }

    /// Re-reads the footer's figures: the period's running totals and target.
    fn refresh_summary(&mut self) -> Result<()> {
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
        Ok(())
    }

    fn refresh_column_totals(&mut self, columns: &[usize]) -> Result<()> {
        let stages: Vec<Stage> = columns.iter().map(|&i| Stage::ALL[i]).collect();
        let totals = self
            .store
            .column_totals(&self.funnel, &self.filter, &stages)?;
        for (&i, (count, value)) in columns.iter().zip(totals) {
            self.columns[i].count = count;
            self.columns[i].value_cents = value;
        }
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

    /// Scrolls a column so its selection is on screen. Moving the selection within the screen
    /// reads nothing, and neither does scrolling within the cards read ahead: only when the
    /// screen goes past them are more cards that way read, in one query that starts from the
    /// last card read (so it costs the same anywhere in the column), and the cards more than a
    /// page behind the screen dropped. Scrolling a line at a time reads [`LINE_AHEAD`] cards
    /// every [`LINE_AHEAD`] keys, without their progress (checklist and evidence), read for
    /// each as it comes on screen: the key that reads them waits for their cards' pages alone.
    /// A key that scrolls further (a page) reads two pages; a jump past the cards read (`g`,
    /// `G`, a click) reads the screen's page alone.
    pub fn scroll_to_selection(&mut self, i: usize) -> Result<()> {
        self.clamp_selection(i);
        let page = self.page_size();
        let column = &self.columns[i];
        let (start, end) = (column.offset, column.offset + page);
        let past =
            (end.saturating_sub(column.loaded_end())).max(column.first.saturating_sub(start));
        // A key scrolls by a page at most: two pages read on from the cards read cover the
        // screen and a page more. Two fixed amounts, so that each column and way has two
        // statements.
        let ahead = if past <= LINE_AHEAD {
            LINE_AHEAD
        } else {
            2 * page
        };
        self.cover_screen(i, ahead)
    }

    /// Reads what column `i` shows and has not read: the cards on screen (see
    /// [`App::read_cards`]), then the progress of those read ahead without it.
    fn cover_screen(&mut self, i: usize, ahead: usize) -> Result<()> {
        self.read_cards(i, ahead)?;
        let page = self.page_size();
        let column = &mut self.columns[i];
        let screen = column.screen(page);
        for card in &mut column.loaded[screen] {
            if card.progress.is_none() {
                card.progress = Some(self.store.progress(&card.opportunity)?);
            }
        }
        Ok(())
    }

    /// Reads the cards on screen that column `i` has not read: `ahead` cards on from the ones
    /// read when that reaches past the screen, else the screen's page alone.
    fn read_cards(&mut self, i: usize, ahead: usize) -> Result<()> {
        let page = self.page_size();
        let column = &self.columns[i];
        let count = usize::try_from(column.count).unwrap_or(0);
        let (start, end) = (column.offset, (column.offset + page).min(count));
        let (first, last) = (column.first, column.loaded_end());
        if first <= start && end <= last {
            return Ok(());
        }
        let (side, edge, expected) = if first <= start && end <= last + ahead {
            let expected = ahead.min(count.saturating_sub(last));
            (Side::Below, column.loaded.last(), expected)
        } else if end <= last && first <= start + ahead {
            (Side::Above, column.loaded.first(), ahead.min(first))
        } else {
            return self.load_page(i);
        };
        let Some(edge) = edge else {
            return self.load_page(i);
        };
        let fresh =
            self.store
                .column_beside(&self.funnel, &self.filter, &edge.opportunity, side, ahead)?;
        if fresh.len() != expected {
            // The column changed meanwhile: read the screen's page again.
            return self.load_page(i);
        }
        let column = &mut self.columns[i];
        match side {
            Side::Below => {
                column.loaded.extend(fresh);
                let behind = start.saturating_sub(page).saturating_sub(first);
                column.loaded.drain(..behind);
                column.first += behind;
            }
            Side::Above => {
                column.first -= fresh.len();
                column.loaded.splice(0..0, fresh);
                column.loaded.truncate(end + page - column.first);
            }
        }
        Ok(())
    }

    fn clamp_selection(&mut self, i: usize) {
        let page = self.page_size();
        let column = &mut self.columns[i];
        let last = usize::try_from(column.count).unwrap_or(0).saturating_sub(1);
        column.selected = column.selected.min(last);
        if column.selected < column.offset {
            column.offset = column.selected;
        } else if column.selected >= column.offset + page {
            column.offset = column.selected + 1 - page;
        }
        column.offset = column.offset.min(last);
    }

    /// Reads the page on screen alone (after a change, a jump or a resize).
    fn load_page(&mut self, i: usize) -> Result<()> {
        self.clamp_selection(i);
        let column = &self.columns[i];
        let count = usize::try_from(column.count).unwrap_or(0);
        let page = (column.offset, self.page_size(), count);
        self.columns[i].loaded =
            self.store
                .column_page(&self.funnel, Stage::ALL[i], &self.filter, page)?;
        self.columns[i].first = self.columns[i].offset;
        Ok(())
    }

    /// Keeps the focused column in the horizontal window.
    pub fn follow_focus(&mut self) {
        let visible = self.visible_columns();
        if self.focus < self.first_column {
            self.first_column = self.focus;
        } else if self.focus >= self.first_column + visible {
            self.first_column = self.focus + 1 - visible;
        }
        self.first_column = self.first_column.min(Stage::COUNT - visible);
    }

    /// The selected card, if the focused column has one.
    pub fn selected_card(&self) -> Option<&Card> {
        let column = &self.columns[self.focus];
        column
            .loaded
            .get(column.selected.checked_sub(column.first)?)
    }

    /// Where closing a screen returns: the one-to-one if one is under way, else the board.
    pub fn home_mode(&self) -> Mode {
        if self.one_to_one.is_some() {
            Mode::OneToOne
        } else {
            Mode::Board
        }
    }

    pub fn stage_name(&self, stage: Stage) -> &str {
        self.catalog.name(stage)
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
        self.warn(store_error(e, self.lang));
    }

    pub fn is_stale(&self, opp: &Opportunity) -> bool {
        opp.days_in_stage(self.today) > i64::from(self.expected_days[opp.stage.index()])
    }
}

/// A store error as the board says it. The errors a board user can meet are in French too; the
/// others (a foreign or newer file, SQLite's own words) keep the store's English, as the CLI does.
fn store_error(e: &StoreError, lang: Lang) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        StoreError::Conflict => {
            "cette carte a été modifiée ailleurs (autre fenêtre ou commande) ; \
             rechargée, réessayez"
                .into()
        }
        StoreError::Busy => {
            "la base est occupée (un autre funnel écrit) ; réessayez dans un instant".into()
        }
        StoreError::ReadOnly => "la base est en lecture seule : rien n'a été modifié".into(),
        StoreError::Full => {
            "le disque est plein (ou la base a atteint sa taille limite) : rien n'a été \
             enregistré"
                .into()
        }
        StoreError::NotFound(id) => format!("aucune opportunité ne correspond à « {id} »"),
        _ => e.to_string(),
    }
}
