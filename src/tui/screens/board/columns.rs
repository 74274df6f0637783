//! The board's columns: the cards on screen in each (and, as a column scrolls, a few pages read
//! ahead around them) plus the column totals, all read from the store's indexes and running
//! totals, so a column costs what the screen shows, not what the database holds.

use std::ops::Range;

use super::Board;
use crate::domain::{Flag, FlagCounts, Opportunity, Stage};
use crate::store::{Card, Result, Side};
use crate::tui::app::App;

/// Rows a card takes (three lines and a gap).
pub const CARD_HEIGHT: u16 = 4;
/// Rows around the columns: title bar, footer, status line, key hints.
pub const CHROME_ROWS: u16 = 4;
/// Rows inside a column that are not cards: two borders, two header lines, the "more" line.
pub const COLUMN_CHROME_ROWS: u16 = 5;
/// Columns never get narrower than this; extra stages scroll horizontally.
pub const MIN_COLUMN_WIDTH: u16 = 26;

/// The column headers count flagged cards up to this many: the count is read with the totals,
/// and stopping there keeps its cost the same in a column of a million cards.
pub const FLAG_COUNT_CAP: usize = 100;

/// A filtered column is counted for its header's flags up to this many cards.
const FILTERED_FLAG_COUNT_UP_TO: usize = 20_000;

/// Cards read on when scrolling a line at a time passes the cards read. Few, so that no key
/// waits for many: each card of a big file sits on a page of its own (the table is in id
/// order, a column in value order), and at a million cards the two pages read at once before
/// (26 cards and their checklists) took 5-10 ms when the file was not in memory.
pub const LINE_AHEAD: usize = 4;

/// One board column: the cards read around the screen and the column's totals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Column {
    pub count: i64,
    pub value_cents: i128,
    /// Open cards whose next step is overdue, without one, and past their expected close, each
    /// up to [`FLAG_COUNT_CAP`].
    pub flagged: FlagCounts,
    /// Cards read from the store, from `first` on: the ones on screen and, once the column
    /// scrolled, up to two pages ahead and one behind (see [`Board::scroll_to_selection`]).
    /// The ones on screen have their progress; those read ahead get it as they come on screen.
    pub loaded: Vec<Card>,
    /// Index in the whole column of `loaded[0]`.
    pub first: usize,
    /// First card on screen, as an index in the whole column.
    pub offset: usize,
    /// Selected card, as an index in the whole column.
    pub selected: usize,
}

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

    /// Cards in the whole column.
    pub fn total(&self) -> usize {
        usize::try_from(self.count).unwrap_or(0)
    }
}

impl Board {
    /// How many cards fit in a column at the current size.
    pub fn page_size(&self) -> usize {
        let rows = self.height.saturating_sub(CHROME_ROWS + COLUMN_CHROME_ROWS);
        // The last card needs no gap below it.
        usize::from(((rows + 1) / CARD_HEIGHT).max(1))
    }

    /// How many columns fit side by side.
    pub fn visible_columns(&self) -> usize {
        usize::from((self.width / MIN_COLUMN_WIDTH).clamp(1, Stage::COUNT as u16))
    }

    /// Re-reads each column's totals and visible page. Cost follows the screen, not the
    /// database.
    pub fn refresh(&mut self, app: &mut App) -> Result<()> {
        let columns: Vec<usize> = (0..Stage::COUNT).collect();
        self.refresh_column_totals(app, &columns)?;
        for i in columns {
            self.load_page(app, i)?;
        }
        if std::mem::take(&mut self.seek_match)
            && self.columns[self.focus].count == 0
            && let Some(first) = self.columns.iter().position(|c| c.count > 0)
        {
            self.focus = first;
        }
        self.follow_focus();
        Ok(())
    }

    /// A card moved from one column to another on the board (`before` and `after` the move;
    /// the caller selected it in its new column): both columns' totals are read again, but of
    /// their cards only the moved one, and the card coming into view at the foot of the column
    /// it left: the others stay where they were. Should another program have changed a column
    /// meanwhile (its count is not one less or one more), its page is read again instead.
    pub fn card_moved(
        &mut self,
        app: &mut App,
        before: &Opportunity,
        after: &Opportunity,
    ) -> Result<()> {
        let (from, to) = (before.stage.index(), after.stage.index());
        let counts = (self.columns[from].count, self.columns[to].count);
        self.refresh_column_totals(app, &[from, to])?;
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
                let end = (column.offset + self.page_size()).min(column.total());
                let ahead = end.saturating_sub(column.loaded_end()).max(1);
                self.cover_screen(app, from, ahead)?;
            }
            _ => self.load_page(app, from)?,
        }
        let column = &mut self.columns[to];
        let rank = column.selected;
        let joined = column.count == counts.1 + 1;
        if joined && (column.first..=column.loaded_end()).contains(&rank) {
            let card = app.store.card(&after.id)?;
            let page = self.page_size();
            let column = &mut self.columns[to];
            column.loaded.insert(rank - column.first, card);
            // Cards moved in one after another would pile up: at most what scrolling keeps.
            column.loaded.truncate(4 * page);
        } else if joined && rank < column.first {
            column.first += 1;
        } else if !joined {
            self.load_page(app, to)?;
        }
        self.scroll_to_selection(app, to)?;
        self.follow_focus();
        Ok(())
    }

    fn refresh_column_totals(&mut self, app: &mut App, columns: &[usize]) -> Result<()> {
        let stages: Vec<Stage> = columns.iter().map(|&i| Stage::ALL[i]).collect();
        let totals = app.store.column_totals(&app.funnel, &app.filter, &stages)?;
        for (&i, (count, value)) in columns.iter().zip(totals) {
            self.columns[i].count = count;
            self.columns[i].value_cents = value;
        }
        let checked = app.upkeep.flags;
        if [Flag::Overdue, Flag::NoNextStep, Flag::ClosePassed]
            .iter()
            .all(|f| !checked.contains(*f))
        {
            return Ok(());
        }
        // Unfiltered, a count is a range of the index by next step, stopped at the cap. A
        // filter (a seller, a team…) is checked card by card along that range, so only columns
        // small enough for that are counted; the others show no count.
        let plain = app.filter.totals_count_it() && app.filter.owner.is_none();
        let counted: Vec<usize> = columns
            .iter()
            .copied()
            .filter(|&i| plain || self.columns[i].total() <= FILTERED_FLAG_COUNT_UP_TO)
            .collect();
        for &i in columns {
            self.columns[i].flagged = FlagCounts::default();
        }
        let stages: Vec<Stage> = counted.iter().map(|&i| Stage::ALL[i]).collect();
        let flagged = app.store.column_flag_counts(
            &app.funnel,
            &app.filter,
            &stages,
            app.today,
            FLAG_COUNT_CAP,
        )?;
        for (&i, flagged) in counted.iter().zip(flagged) {
            self.columns[i].flagged = flagged;
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
    pub fn scroll_to_selection(&mut self, app: &mut App, i: usize) -> Result<()> {
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
        self.cover_screen(app, i, ahead)
    }

    /// Reads what column `i` shows and has not read: the cards on screen (see
    /// [`Board::read_cards`]), then the progress of those read ahead without it.
    fn cover_screen(&mut self, app: &mut App, i: usize, ahead: usize) -> Result<()> {
        self.read_cards(app, i, ahead)?;
        let page = self.page_size();
        let column = &mut self.columns[i];
        let screen = column.screen(page);
        for card in &mut column.loaded[screen] {
            if card.progress.is_none() {
                card.progress = Some(app.store.progress(&card.opportunity)?);
            }
        }
        Ok(())
    }

    /// Reads the cards on screen that column `i` has not read: `ahead` cards on from the ones
    /// read when that reaches past the screen, else the screen's page alone.
    fn read_cards(&mut self, app: &mut App, i: usize, ahead: usize) -> Result<()> {
        let page = self.page_size();
        let column = &self.columns[i];
        let count = column.total();
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
            return self.load_page(app, i);
        };
        let Some(edge) = edge else {
            return self.load_page(app, i);
        };
        let fresh =
            app.store
                .column_beside(&app.funnel, &app.filter, &edge.opportunity, side, ahead)?;
        if fresh.len() != expected {
            // The column changed meanwhile: read the screen's page again.
            return self.load_page(app, i);
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
        let last = column.total().saturating_sub(1);
        column.selected = column.selected.min(last);
        if column.selected < column.offset {
            column.offset = column.selected;
        } else if column.selected >= column.offset + page {
            column.offset = column.selected + 1 - page;
        }
        column.offset = column.offset.min(last);
    }

    /// Reads the page on screen alone (after a change, a jump or a resize).
    fn load_page(&mut self, app: &mut App, i: usize) -> Result<()> {
        self.clamp_selection(i);
        let column = &self.columns[i];
        let page = (column.offset, self.page_size(), column.total());
        self.columns[i].loaded =
            app.store
                .column_page(&app.funnel, Stage::ALL[i], &app.filter, page)?;
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

    /// Focuses the column of a card and selects it there (the caller reads the column).
    pub fn select_card(&mut self, app: &mut App, opp: &Opportunity) -> Result<()> {
        self.focus = opp.stage.index();
        self.follow_focus();
        self.columns[self.focus].selected =
            app.store.rank_in_column(&app.funnel, opp, &app.filter)?;
        Ok(())
    }

    /// Selects card `index` of the focused column (clamped) and scrolls to it.
    pub fn select(&mut self, app: &mut App, index: usize) -> Result<()> {
        let last = self.columns[self.focus].total().saturating_sub(1);
        self.columns[self.focus].selected = index.min(last);
        self.scroll_to_selection(app, self.focus)
    }

    /// Every column back to its top (the cards shown changed: a filter, another seller).
    pub fn to_top(&mut self) {
        for column in &mut self.columns {
            column.selected = 0;
            column.offset = 0;
        }
    }
}
