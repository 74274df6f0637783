//! What the board shows, remembered per funnel: the columns' order (`s`) and the filter (owner,
//! team, region, territory, product, close dates, flags) as the filter form and `o` set them. A
//! seller who works on their own overdue cards finds the board so the next morning. Kept as a
//! small JSON text in the funnel's local settings; the text search and the closed cards are of
//! the moment and are not kept. A text that cannot be read (written by a later version) is
//! ignored.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::store::{CardFilter, Result};
use crate::tui::app::App;
use crate::tui::board_view::{ORDERS, order_key};

/// The funnel setting that keeps the board's view.
const SETTING: &str = "board";

/// The view as kept: dates as `YYYY-MM-DD`; `overdue` is relative to the day the board opens.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct Kept {
    order: Option<String>,
    owner: Option<String>,
    team: Option<String>,
    region: Option<String>,
    territory: Option<String>,
    product: Option<String>,
    closing_from: Option<String>,
    closing_to: Option<String>,
    overdue: bool,
    no_next_step: bool,
    unverified: bool,
}

fn date(text: Option<&String>) -> Option<NaiveDate> {
    text?.parse().ok()
}

impl Kept {
    fn of(filter: &CardFilter) -> Kept {
        Kept {
            order: Some(order_key(filter.order).to_owned()),
            owner: filter.owner.clone(),
            team: filter.team.clone(),
            region: filter.region.clone(),
            territory: filter.territory.clone(),
            product: filter.product.clone(),
            closing_from: filter.closing_from.map(|d| d.to_string()),
            closing_to: filter.closing_to.map(|d| d.to_string()),
            overdue: filter.due_before.is_some(),
            no_next_step: filter.no_next_step,
            unverified: filter.unverified,
        }
    }

    /// The filter it keeps, overdue on `today`.
    fn filter(self, today: NaiveDate) -> CardFilter {
        let order = ORDERS
            .into_iter()
            .find(|o| Some(order_key(*o)) == self.order.as_deref())
            .unwrap_or_default();
        CardFilter {
            order,
            closing_from: date(self.closing_from.as_ref()),
            closing_to: date(self.closing_to.as_ref()),
            owner: self.owner,
            team: self.team,
            region: self.region,
            territory: self.territory,
            product: self.product,
            due_before: self.overdue.then_some(today),
            no_next_step: self.no_next_step,
            unverified: self.unverified,
            ..CardFilter::default()
        }
    }
}

/// Keeps the board's view for its funnel (a read-only file keeps nothing: the view still
/// changes for the session).
pub fn remember(app: &mut App) -> Result<()> {
    if app.store.is_read_only() {
        return Ok(());
    }
    let text = serde_json::to_string(&Kept::of(&app.filter)).unwrap_or_default();
    app.store.set_funnel_setting(&app.funnel, SETTING, &text)
}

/// The board as it was left for this funnel (when it opens, after a one-to-one), else as it
/// first shows.
pub fn restore(app: &mut App) -> Result<()> {
    let kept = app.store.funnel_setting(&app.funnel, SETTING)?;
    app.filter = kept
        .and_then(|t| serde_json::from_str::<Kept>(&t).ok())
        .map(|kept| kept.filter(app.today))
        .unwrap_or_default();
    Ok(())
}
