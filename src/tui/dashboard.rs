//! The dashboard's state and keys: the footer's figures large, their trend, the stage funnel,
//! lead times, win rates by group, concentration and the stale list. Its data is read when it
//! opens and after a change ([`App::refresh`]), never on a key that only moves the selection.

use chrono::Days;

use super::action::Action;
use super::app::{App, Mode};
use super::update::{quoted, tr};
use crate::domain::Opportunity;
use crate::domain::insight::{GroupBy, GroupFigures, Snapshot};
use crate::insight;
use crate::store::Result;

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
        })
    }

    pub fn selected_stale(&self) -> Option<&Opportunity> {
        self.stale.get(self.selected)
    }
}

impl App<'_> {
    /// Opens the dashboard, reading its data once.
    pub(super) fn open_dashboard(&mut self) -> Result<()> {
        self.dashboard = Some(Dashboard::load(self, GroupBy::Owner, 0)?);
        self.mode = Mode::Dashboard;
        Ok(())
    }

    /// Re-reads the dashboard's data if it is open (keeps the grouping and the selection).
    pub(super) fn reload_dashboard(&mut self) -> Result<()> {
        if let Some(d) = &self.dashboard {
            let (by, selected) = (d.group_by, d.selected);
            self.dashboard = Some(Dashboard::load(self, by, selected)?);
        }
        Ok(())
    }

    pub(super) fn on_dashboard(&mut self, action: Action) -> Result<()> {
        self.mode = Mode::Dashboard;
        let Some(dashboard) = &mut self.dashboard else {
            self.mode = Mode::Board;
            return Ok(());
        };
        match action {
            Action::Up => dashboard.selected = dashboard.selected.saturating_sub(1),
            Action::Down => {
                dashboard.selected =
                    (dashboard.selected + 1).min(dashboard.stale.len().saturating_sub(1))
            }
            Action::CycleGroup => {
                let by = dashboard.group_by.next();
                dashboard.group_by = by;
                dashboard.groups = insight::groups(self.store, &self.funnel, self.period, by)?;
            }
            Action::Accept => {
                if let Some(opp) = dashboard.selected_stale().cloned() {
                    self.close_dashboard();
                    // The card must be on the board: a text filter could hide it.
                    self.filter.text = None;
                    self.select_card(&opp)?;
                    self.refresh()?;
                    self.notify(format!(
                        "{} {}",
                        tr(self.lang, "Stale card", "Carte en retard"),
                        quoted(&opp.fields.title)
                    ));
                }
            }
            // The same as on the board (the refresh reloads the dashboard's data too).
            Action::PreviousPeriod | Action::NextPeriod | Action::Reload => {
                self.on_board(action)?
            }
            Action::Help => {
                self.mode = Mode::Help {
                    back: Box::new(Mode::Dashboard),
                }
            }
            Action::Cancel => self.close_dashboard(),
            _ => {}
        }
        Ok(())
    }

    fn close_dashboard(&mut self) {
        self.dashboard = None;
        self.mode = Mode::Board;
    }
}
