//! The rows a review is made of (see [`crate::domain::review`]): what happened to a seller's
//! or a team's cards since a day, the cards as they are now, the open cards that went quiet
//! meanwhile, the action items left overdue, and the day of the previous meeting.
//!
//! Every read follows an index by seller or team, so a review costs about what changed, not
//! the funnel's size: the stage events and field changes by the owner (or team) the card had
//! when they were recorded (`stage_events_by_owner`, `card_history_by_owner`), then each
//! card by its key. The cards gone stale are found on the agenda index, biggest first, and
//! only when the kept upkeep sums say a seller has some.

use chrono::{Days, NaiveDate};
use rusqlite::{OptionalExtension, params};
use std::cmp::Reverse;
use std::collections::HashMap;

use super::card_key::{CardId, CardKey};
use super::funnels::{stage_from_index, status_from_index};
use super::{Day, Funnel, Result, Store, date_text, parse_date, parse_stamp};
use crate::domain::review::{CardFacts, Happened, Happening, OverdueItem, ReviewScope};
use crate::domain::{EventKind, text};

/// What a review reads from the file (see [`Store::review_rows`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReviewRows {
    /// The cards the happenings are about (those still in the funnel) and the cards gone
    /// stale that are listed.
    pub cards: Vec<CardFacts>,
    pub happenings: Vec<Happening>,
    /// Whether more cards went stale than are listed (the biggest are).
    pub more_stale: bool,
}

/// The field numbers of `card_history` a review reads: value, expected close, owner.
const FIELD_VALUE: i64 = 1;
const FIELD_CLOSE: i64 = 2;
const FIELD_OWNER: i64 = 3;

/// One card's current facts, by key, if it is a live card of the funnel whose key is `?2`.
pub(super) const CARD_FACTS: &str =
    "SELECT o.title, o.account, o.owner, o.stage, o.status, o.value_cents,
        o.lost_reason, max(coalesce(o.last_activity, o.created), o.created, o.stage_since)
     FROM opportunities o WHERE o.id = ?1 AND o.funnel = ?2 AND o.deleted_at IS NULL";

/// The rows of `table` (stage events or field history) recorded for the seller `?1` since the
/// day `?2` (and while the card was the team `?3`'s): the index is by owner, so a team's rows
/// are read seller by seller.
pub(super) fn scope_rows(table: &str, stamp: &str, team: bool) -> String {
    let team = match team {
        true => " AND card_team = ?3",
        false => "",
    };
    match table {
        "stage_events" => format!(
            "SELECT opportunity_id, {stamp}, kind, from_stage, to_stage, evidence_confirmed
             FROM stage_events WHERE card_owner = ?1 AND {stamp} >= ?2 AND deleted_at IS NULL{team}"
        ),
        _ => format!(
            "SELECT opportunity_id, {stamp}, field, old, new
             FROM card_history WHERE card_owner = ?1 AND {stamp} >= ?2 AND field IN ({FIELD_VALUE}, {FIELD_CLOSE}, {FIELD_OWNER})
               AND deleted_at IS NULL{team}"
        ),
    }
}

/// The open cards of the funnel `?1` the seller `?4` last touched between `?2` and `?3` (day
/// numbers), of the team `?6` if given, biggest first, `?5` of them. The agenda index holds
/// all but the team: only the cards it finds are read for theirs.
pub(super) fn stale_sql(team: bool) -> String {
    let team = match team {
        true => " AND o.team = ?6",
        false => "",
    };
    format!(
        "SELECT o.id, o.value_cents FROM opportunities o INDEXED BY opportunities_agenda
         WHERE o.funnel = ?1 AND o.status = 0 AND o.deleted_at IS NULL AND o.owner = ?4
           AND max(coalesce(o.last_activity, o.created), o.created, o.stage_since) BETWEEN ?2 AND ?3{team}
         ORDER BY o.value_cents DESC, o.id LIMIT ?5"
    )
}

/// How many open cards of the funnel `?1` the seller `?4` last touched between `?2` and `?3`,
/// from the kept upkeep sums (`what` 3 is the day a card was last touched).
pub(super) const STALE_COUNT: &str = "SELECT coalesce(sum(count), 0) FROM upkeep_counts
     WHERE funnel = ?1 AND what = 3 AND owner = ?4 AND day BETWEEN ?2 AND ?3";

/// The day of the latest meeting of the funnel `?1` with the seller `?2` (or with the team
/// `?2`'s lead) held before the day `?3`.
pub(super) fn last_meeting_sql(scope: &ReviewScope) -> &'static str {
    match scope {
        ReviewScope::Owner(_) => {
            "SELECT max(held_on) FROM meetings INDEXED BY meetings_by_owner
             WHERE funnel_id = ?1 AND owner = ?2 AND kind = 'seller' AND held_on < ?3
               AND deleted_at IS NULL"
        }
        ReviewScope::Team(_) => {
            "SELECT max(held_on) FROM meetings INDEXED BY meetings_by_team
             WHERE funnel_id = ?1 AND kind = 'team' AND team = ?2 AND held_on < ?3
               AND deleted_at IS NULL"
        }
    }
}

/// The open action items of the funnel `?1` due before the day `?3`: the seller `?2`'s own,
/// or those of the team `?2`'s meetings with its lead.
pub(super) fn overdue_sql(scope: &ReviewScope) -> &'static str {
    match scope {
        ReviewScope::Owner(_) => {
            "SELECT a.id, a.meeting_id, a.owner, a.text, a.due, m.held_on
             FROM action_items a INDEXED BY action_items_open_by_owner
             JOIN meetings m ON m.id = a.meeting_id
             WHERE a.owner = ?2 AND a.due < ?3 AND a.done = 0 AND a.deleted_at IS NULL
               AND m.funnel_id = ?1 AND m.deleted_at IS NULL"
        }
        ReviewScope::Team(_) => {
            "SELECT a.id, a.meeting_id, a.owner, a.text, a.due, m.held_on
             FROM meetings m INDEXED BY meetings_by_team
             JOIN action_items a ON a.meeting_id = m.id
             WHERE m.funnel_id = ?1 AND m.kind = 'team' AND m.team = ?2 AND m.deleted_at IS NULL
               AND a.due < ?3 AND a.done = 0 AND a.deleted_at IS NULL"
        }
    }
}
fn bad_row(column: usize, what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, what.into())
}

fn happened_from_stage(row: &rusqlite::Row) -> rusqlite::Result<Happened> {
    let kind: String = row.get(2)?;
    Ok(Happened::Stage {
        kind: kind
            .parse::<EventKind>()
            .map_err(|e| bad_row(2, e.to_string()))?,
        from: row
            .get::<_, Option<i64>>(3)?
            .map(stage_from_index)
            .transpose()?,
        to: stage_from_index(row.get(4)?)?,
        evidence_confirmed: row.get(5)?,
    })
}

/// A field change; `None` for a row whose values are not what its field holds (another
/// program wrote it): left out rather than failing the review.
fn happened_from_field(row: &rusqlite::Row) -> rusqlite::Result<Option<Happened>> {
    let field: i64 = row.get(2)?;
    let day = |i| -> rusqlite::Result<Option<NaiveDate>> {
        Ok(row.get::<_, Option<Day>>(i).ok().flatten().map(|d| d.0))
    };
    Ok(match field {
        FIELD_VALUE => match (row.get::<_, Option<i64>>(3), row.get::<_, Option<i64>>(4)) {
            (Ok(old), Ok(new)) => Some(Happened::Value {
                old: old.unwrap_or(0),
                new: new.unwrap_or(0),
            }),
            _ => None,
        },
        FIELD_CLOSE => Some(Happened::Close {
            old: day(3)?,
            new: day(4)?,
        }),
        _ => {
            let name = |i| -> String {
                row.get::<_, Option<String>>(i)
                    .ok()
                    .flatten()
                    .map(|t| text::clean_line(&t))
                    .unwrap_or_default()
            };
            Some(Happened::Owner {
                old: name(3),
                new: name(4),
            })
        }
    })
}

impl Store {
    /// Keeps changes of cards' value, expected close or owner that happened before they were
    /// loaded (the demo's past), each under its id: a row already kept is left as it is, so
    /// loading the same past again adds nothing. Each takes the card's owner and team as they
    /// are; a row about a card not in the file is skipped, and so is a stage event (those are
    /// a card's records, loaded with it). Returns how many rows were added.
    pub fn add_field_history(
        &mut self,
        rows: impl IntoIterator<Item = (String, Happening)>,
    ) -> Result<usize> {
        self.write(|tx| {
            let mut insert = tx.prepare(
                "INSERT INTO card_history (id, opportunity_id, field, old, new, updated_at,
                    updated_by, card_owner, card_team)
                 SELECT ?1, o.id, ?3, ?4, ?5, ?6, ?7, o.owner, o.team FROM opportunities o
                 WHERE o.id = ?2 AND o.deleted_at IS NULL
                 ON CONFLICT (id) DO NOTHING",
            )?;
            let mut added = 0;
            for (id, row) in rows {
                let at = row.at.format(super::STAMP).to_string();
                let key = CardKey(&row.card);
                let day = |d: Option<NaiveDate>| d.map(Day);
                added += match &row.what {
                    Happened::Value { old, new } => {
                        insert.execute(params![id, key, FIELD_VALUE, old, new, at, tx.actor])?
                    }
                    Happened::Close { old, new } => insert.execute(params![
                        id,
                        key,
                        FIELD_CLOSE,
                        day(*old),
                        day(*new),
                        at,
                        tx.actor
                    ])?,
                    Happened::Owner { old, new } => {
                        insert.execute(params![id, key, FIELD_OWNER, old, new, at, tx.actor])?
                    }
                    Happened::Stage { .. } => 0,
                };
            }
            Ok(added)
        })
    }

    /// The day of the scope's latest meeting held before `before`: a seller's one-to-one, or
    /// a team's meeting with its lead.
    pub fn last_meeting_day(
        &self,
        funnel: &Funnel,
        scope: &ReviewScope,
        before: NaiveDate,
    ) -> Result<Option<NaiveDate>> {
        let sql = last_meeting_sql(scope);
        let day: Option<String> = self
            .conn
            .prepare_cached(sql)?
            .query_row(params![funnel.id, scope.name(), date_text(before)], |r| {
                r.get(0)
            })
            .optional()?
            .flatten();
        Ok(day.map(|d| parse_date(&d)).transpose()?)
    }

    /// The open action items due before `today`: a seller's own, or those of the team's
    /// meetings with its lead.
    pub fn overdue_items(
        &self,
        funnel: &Funnel,
        scope: &ReviewScope,
        today: NaiveDate,
    ) -> Result<Vec<OverdueItem>> {
        let sql = overdue_sql(scope);
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params![funnel.id, scope.name(), date_text(today)], |r| {
            Ok(OverdueItem {
                id: r.get(0)?,
                meeting_id: r.get(1)?,
                owner: text::clean_line(&r.get::<_, String>(2)?),
                text: text::clean_line(&r.get::<_, String>(3)?),
                due: parse_date(&r.get::<_, String>(4)?)?,
                meeting_day: parse_date(&r.get::<_, String>(5)?)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// What happened since `since` to the scope's cards of the funnel, the cards as they are
    /// now, and up to `stale_limit` of the open cards that went stale between `since` and
    /// today (inactive after `inactive_days`), biggest first. A team's rows are its sellers'
    /// (see [`Store::team_members`]) recorded while the card was the team's.
    pub fn review_rows(
        &self,
        funnel: &Funnel,
        scope: &ReviewScope,
        since: NaiveDate,
        inactive_days: u32,
        stale_limit: usize,
    ) -> Result<ReviewRows> {
        let key = self.funnel_key(funnel)?;
        let (owners, team) = match scope {
            ReviewScope::Owner(owner) => (vec![owner.clone()], None),
            ReviewScope::Team(team) => (self.team_members(funnel, team)?, Some(team.as_str())),
        };
        let since_text = date_text(since);
        let mut happenings = Vec::new();
        let events_sql = scope_rows("stage_events", "at", team.is_some());
        let history_sql = scope_rows("card_history", "updated_at", team.is_some());
        for owner in &owners {
            let mut stmt = self.conn.prepare_cached(&events_sql)?;
            let mut rows = match team {
                Some(team) => stmt.query(params![owner, since_text, team])?,
                None => stmt.query(params![owner, since_text])?,
            };
            while let Some(row) = rows.next()? {
                happenings.push(Happening {
                    card: row.get::<_, CardId>(0)?.0,
                    at: parse_stamp(&row.get::<_, String>(1)?)?,
                    what: happened_from_stage(row)?,
                });
            }
            let mut stmt = self.conn.prepare_cached(&history_sql)?;
            let mut rows = match team {
                Some(team) => stmt.query(params![owner, since_text, team])?,
                None => stmt.query(params![owner, since_text])?,
            };
            while let Some(row) = rows.next()? {
                if let Some(what) = happened_from_field(row)? {
                    happenings.push(Happening {
                        card: row.get::<_, CardId>(0)?.0,
                        at: parse_stamp(&row.get::<_, String>(1)?)?,
                        what,
                    });
                }
            }
        }
        // Gone stale: last touched on a day that made the card inactive after `since` and
        // by today (see `domain::review::inactive_from`). Each seller's count is kept: the
        // walk stops once it has them all, or enough.
        let today = self.today();
        let back = |d: NaiveDate| d - Days::new(u64::from(inactive_days));
        let (first, last) = (Day(back(since)), Day(back(today) - Days::new(1)));
        let mut stale: Vec<(i64, String)> = Vec::new();
        for owner in &owners {
            let count: i64 = self
                .conn
                .prepare_cached(STALE_COUNT)?
                .query_row(params![key, first, last, owner], |r| r.get(0))?;
            let wanted = count.min(stale_limit as i64 + 1);
            if wanted <= 0 {
                continue;
            }
            let mut stmt = self.conn.prepare_cached(&stale_sql(team.is_some()))?;
            let mut rows = match team {
                Some(team) => stmt.query(params![key, first, last, owner, wanted, team])?,
                None => stmt.query(params![key, first, last, owner, wanted])?,
            };
            while let Some(row) = rows.next()? {
                stale.push((row.get(1)?, row.get::<_, CardId>(0)?.0));
            }
        }
        stale.sort_by(|a, b| (Reverse(a.0), &a.1).cmp(&(Reverse(b.0), &b.1)));
        let more_stale = stale.len() > stale_limit;
        stale.truncate(stale_limit);
        let stale = stale.into_iter().map(|(_, id)| id);

        let mut cards: HashMap<String, Option<CardFacts>> = HashMap::new();
        let mut stmt = self.conn.prepare_cached(CARD_FACTS)?;
        for id in happenings.iter().map(|h| h.card.clone()).chain(stale) {
            if cards.contains_key(&id) {
                continue;
            }
            let facts = stmt
                .query_row(params![CardKey(&id), key], |r| {
                    Ok(CardFacts {
                        id: id.clone(),
                        title: text::clean_line(&r.get::<_, String>(0)?),
                        account: text::clean_line(&r.get::<_, String>(1)?),
                        owner: text::clean_line(&r.get::<_, String>(2)?),
                        stage: stage_from_index(r.get(3)?)?,
                        status: status_from_index(r.get(4)?)?,
                        value_cents: r.get(5)?,
                        lost_reason: text::clean_line(&r.get::<_, String>(6)?),
                        last_touched: r.get::<_, Day>(7)?.0,
                    })
                })
                .optional()?;
            cards.insert(id, facts);
        }
        happenings.retain(|h| cards.get(&h.card).is_some_and(Option::is_some));
        let mut cards: Vec<CardFacts> = cards.into_values().flatten().collect();
        cards.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(ReviewRows {
            cards,
            happenings,
            more_stale,
        })
    }
}
