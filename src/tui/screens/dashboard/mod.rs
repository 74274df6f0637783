//! The dashboard: the footer's figures large, their trend, the stage funnel, lead times, win
//! rates by group (with each seller's upkeep), concentration and the stale list. Its data is read when it opens and after a
//! change, never on a key that only moves the selection; [`draw`] and [`panels`] draw it.

mod draw;
mod panels;

use chrono::Days;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::board::Board;
use super::{Ctx, View};
use crate::domain::insight::{GroupBy, GroupFigures, Snapshot};
use crate::domain::{Opportunity, Upkeep};
use crate::insight;
use crate::store::Result;
use crate::tui::action::Action;
use crate::tui::app::{App, quoted};
use crate::tui::keymap::Table;
use crate::tui::overlays::{Help, Overlay};
use crate::tui::texts;

/// Days of daily snapshots the sparklines show.
pub const TREND_DAYS: u64 = 90;
/// At most this many stale cards are listed (the most overdue first).
pub const STALE_LIMIT: usize = 100;

/// What the dashboard shows beyond [`App::insight`] (which it shares with the footer).
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    pub group_by: GroupBy,
    pub groups: Vec<GroupFigures>,
    /// Open cards past their stage's expected days (the board's seller filter applies).
    pub stale: Vec<Opportunity>,
    /// Index in `stale`.
    pub selected: usize,
    /// The period's funnel-wide daily snapshots of the last [`TREND_DAYS`], oldest first.
    pub snapshots: Vec<Snapshot>,
    /// Each seller's upkeep of their open cards (a dated next step, recent activity), by name.
    pub upkeep: Vec<(String, Upkeep)>,
}

impl Dashboard {
    pub fn load(app: &App, group_by: GroupBy, selected: usize) -> Result<Dashboard> {
        let since = app
            .today
            .checked_sub_days(Days::new(TREND_DAYS - 1))
            .unwrap_or(app.today);
        let stale = app.store.stale(
            &app.funnel,
            app.filter.owner.as_deref(),
            app.today,
            &app.expected_days,
            STALE_LIMIT,
        )?;
        Ok(Dashboard {
            group_by,
            groups: insight::groups(app.store, &app.funnel, app.period, group_by)?,
            selected: selected.min(stale.len().saturating_sub(1)),
            stale,
            snapshots: app.store.snapshots(&app.funnel, app.period.year, since)?,
            upkeep: app.store.upkeep_by_owner(
                &app.funnel,
                app.today,
                &app.upkeep,
                &app.expected_days,
            )?,
        })
    }

    pub fn selected_stale(&self) -> Option<&Opportunity> {
        self.stale.get(self.selected)
    }
}

impl View for Dashboard {
    type Request = ();

    fn open((): (), app: &mut App, _board: &mut Board) -> Result<Dashboard> {
        Dashboard::load(app, GroupBy::Owner, 0)
    }

    fn table(&self) -> Table {
        Table::Dashboard
    }

    fn update(&mut self, cx: &mut Ctx, action: &Action) -> Result<()> {
        let app = &mut *cx.app;
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => {
                self.selected = (self.selected + 1).min(self.stale.len().saturating_sub(1))
            }
            Action::CycleGroup => {
                self.group_by = self.group_by.next();
                self.groups = insight::groups(app.store, &app.funnel, app.period, self.group_by)?;
            }
            Action::Accept => {
                if let Some(opp) = self.selected_stale().cloned() {
                    cx.fx.close();
                    // The card must be on the board: a text filter could hide it.
                    app.filter.text = None;
                    cx.board.select_card(app, &opp)?;
                    cx.fx.refresh();
                    app.notify(texts::stale_card(app.lang, &quoted(&opp.fields.title)));
                }
            }
            // The same as on the board (the refresh reads the dashboard's data again too).
            Action::PreviousPeriod | Action::NextPeriod | Action::Reload => {
                cx.board.update(app, cx.fx, action)?
            }
            Action::Help => cx.fx.overlay(Overlay::Help(Help {
                table: Table::Dashboard,
            })),
            Action::Cancel => cx.fx.close(),
            _ => {}
        }
        Ok(())
    }

    fn reload(&mut self, app: &mut App) -> Result<bool> {
        *self = Dashboard::load(app, self.group_by, self.selected)?;
        Ok(true)
    }

    fn draw(&self, app: &App, _board: &Board, frame: &mut Frame, area: Rect) {
        draw::draw(app, self, frame, area);
    }
}
