//! One-to-one meetings: a lead with one seller, or a director with a team's lead. A meeting
//! keeps its date, the one skill chosen for development and a meeting note; beside it, coaching
//! notes per card and an action plan. Open action items of earlier meetings with the same seller
//! (or the same team) are carried to the next one (they stay rows of the meeting that made them,
//! so ticking one off closes it everywhere), and a seller's open items are on their agenda.
//!
//! A seller meeting keeps the seller's team as it was when held, and a team meeting the team and
//! its lead: what the hub's rights read once coaching travels.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::card_key::{CardId, CardKey};
use super::{
    Funnel, Refusal, Result, Store, StoreError, date_text, new_id, parse_date, parse_stamp,
};
use crate::domain::review::ReviewScope;
use crate::domain::text;

/// One action of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionItem {
    pub id: String,
    pub meeting_id: String,
    /// Who does it (the seller, or the lead).
    pub owner: String,
    pub text: String,
    pub due: Option<NaiveDate>,
    pub done: bool,
}

/// Who a one-to-one is with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MeetingKind {
    /// A lead with one seller.
    Seller,
    /// A director with a team's lead, over the whole team.
    Team,
}

impl MeetingKind {
    /// The word the store keeps.
    pub fn key(self) -> &'static str {
        match self {
            MeetingKind::Seller => "seller",
            MeetingKind::Team => "team",
        }
    }

    fn from_key(key: &str) -> rusqlite::Result<Self> {
        match key {
            "seller" => Ok(MeetingKind::Seller),
            "team" => Ok(MeetingKind::Team),
            other => Err(rusqlite::Error::FromSqlConversionFailure(
                0,
                rusqlite::types::Type::Text,
                format!("meeting kind {other:?}").into(),
            )),
        }
    }
}

/// A one-to-one meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: String,
    pub funnel_id: String,
    pub kind: MeetingKind,
    /// The seller (a team meeting: the team's lead, '' when not named).
    pub owner: String,
    /// The seller's team when the meeting was held ('' without one), or the team met.
    pub team: String,
    pub held_on: NaiveDate,
    /// The one skill chosen for development ('' until chosen).
    pub skill: String,
    /// The meeting note.
    pub notes: String,
    pub started_at: NaiveDateTime,
    /// This meeting's action items, oldest first.
    pub items: Vec<ActionItem>,
    /// Open items of earlier meetings with the same seller (or team), oldest first.
    pub carried: Vec<ActionItem>,
    /// Coaching notes per card: (opportunity id, note).
    pub card_notes: Vec<(String, String)>,
}

/// A meeting held before, as a list of them shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastMeeting {
    /// The meeting (without its items, carried items or card notes).
    pub meeting: Meeting,
    pub items_done: usize,
    pub items_open: usize,
}

const MEETING_COLUMNS: &str =
    "m.id, m.funnel_id, m.kind, m.owner, m.team, m.held_on, m.skill, m.notes, m.started_at";
const ITEM_COLUMNS: &str = "id, meeting_id, owner, text, due, done";

fn meeting_from_row(r: &rusqlite::Row) -> rusqlite::Result<Meeting> {
    Ok(Meeting {
        id: r.get(0)?,
        funnel_id: r.get(1)?,
        kind: MeetingKind::from_key(&r.get::<_, String>(2)?)?,
        owner: r.get(3)?,
        team: r.get(4)?,
        held_on: parse_date(&r.get::<_, String>(5)?)?,
        skill: r.get(6)?,
        notes: r.get(7)?,
        started_at: parse_stamp(&r.get::<_, String>(8)?)?,
        items: Vec::new(),
        carried: Vec::new(),
        card_notes: Vec::new(),
    })
}

fn item_from_row(r: &rusqlite::Row) -> rusqlite::Result<ActionItem> {
    Ok(ActionItem {
        id: r.get(0)?,
        meeting_id: r.get(1)?,
        owner: r.get(2)?,
        text: r.get(3)?,
        due: r
            .get::<_, Option<String>>(4)?
            .map(|d| parse_date(&d))
            .transpose()?,
        done: r.get(5)?,
    })
}

fn not_found(id: &str) -> StoreError {
    Refusal::NoSuchMeeting(id.to_owned()).into()
}

/// The meetings of a scope among `meetings m` (`?2` the seller or the team).
fn scope_sql(kind: MeetingKind) -> &'static str {
    match kind {
        MeetingKind::Seller => "m.kind = 'seller' AND m.owner = ?2",
        MeetingKind::Team => "m.kind = 'team' AND m.team = ?2",
    }
}

/// A scope's kind of meeting and the name its meetings are looked up by.
fn scope_key(scope: &ReviewScope) -> (MeetingKind, &str) {
    match scope {
        ReviewScope::Owner(owner) => (MeetingKind::Seller, owner),
        ReviewScope::Team(team) => (MeetingKind::Team, team),
    }
}

/// A scope's meetings, newest first, with their items done and open (`?3` the meeting in
/// progress or NULL, `?4` how many).
pub(super) fn past_meetings_sql(kind: MeetingKind) -> String {
    format!(
        "SELECT {MEETING_COLUMNS},
                (SELECT count(*) FROM action_items a
                 WHERE a.meeting_id = m.id AND a.deleted_at IS NULL AND a.done = 1),
                (SELECT count(*) FROM action_items a
                 WHERE a.meeting_id = m.id AND a.deleted_at IS NULL AND a.done = 0)
         FROM meetings m
         WHERE m.funnel_id = ?1 AND {scope} AND m.deleted_at IS NULL
           AND (?3 IS NULL OR (m.started_at, m.id) <
                (SELECT started_at, id FROM meetings WHERE id = ?3))
         ORDER BY m.started_at DESC, m.id DESC LIMIT ?4",
        scope = scope_sql(kind)
    )
}

/// The latest skill chosen in a scope's meetings before the meeting `?3`.
pub(super) fn last_skill_sql(kind: MeetingKind) -> String {
    format!(
        "SELECT m.held_on, m.skill FROM meetings m
         WHERE m.funnel_id = ?1 AND {scope} AND m.deleted_at IS NULL AND m.skill <> ''
           AND (m.started_at, m.id) < (SELECT started_at, id FROM meetings WHERE id = ?3)
         ORDER BY m.started_at DESC, m.id DESC LIMIT 1",
        scope = scope_sql(kind)
    )
}

/// Someone's (`?2`) open action items of the funnel's (`?1`) meetings: along the index of
/// open items, sorted apart (a person has a few).
pub(super) const OPEN_ITEMS_SQL: &str = "SELECT a.id, a.meeting_id, a.owner, a.text, a.due, a.done
     FROM action_items a INDEXED BY action_items_open_by_owner
     JOIN meetings m ON m.id = a.meeting_id
     WHERE a.owner = ?2 AND a.done = 0 AND a.deleted_at IS NULL
       AND m.funnel_id = ?1 AND m.deleted_at IS NULL
     ORDER BY a.due IS NULL, a.due, a.id";

/// The funnel's teams, from the per-group counts the triggers keep (a few hundred rows).
pub(super) const TEAMS_SQL: &str = "SELECT DISTINCT team FROM group_totals
     WHERE funnel = (SELECT key FROM funnels WHERE id = ?1) AND team <> '' AND count > 0
     ORDER BY team";

impl Store {
    /// Starts a one-to-one with a seller now (the store's clock), returned with the open
    /// action items of their earlier meetings. It keeps the seller's team of today.
    pub fn start_meeting(&mut self, funnel: &Funnel, owner: &str) -> Result<Meeting> {
        let owner = text::clean_line(owner).trim().to_owned();
        if owner.is_empty() {
            return Err(Refusal::NoSeller.into());
        }
        let team = self.team_of(funnel, &owner)?.unwrap_or_default();
        self.insert_meeting(funnel, MeetingKind::Seller, &owner, &team)
    }

    /// Starts a one-to-one with a team's lead now (`lead` may be '' when not named), returned
    /// with the open action items of the team's earlier meetings.
    pub fn start_team_meeting(
        &mut self,
        funnel: &Funnel,
        team: &str,
        lead: &str,
    ) -> Result<Meeting> {
        let team = text::clean_line(team).trim().to_owned();
        if team.is_empty() {
            return Err(Refusal::NoTeam.into());
        }
        let lead = text::clean_line(lead).trim().to_owned();
        self.insert_meeting(funnel, MeetingKind::Team, &lead, &team)
    }

    fn insert_meeting(
        &mut self,
        funnel: &Funnel,
        kind: MeetingKind,
        owner: &str,
        team: &str,
    ) -> Result<Meeting> {
        let id = new_id();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO meetings (id, funnel_id, kind, owner, team, held_on, started_at, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
                params![id, funnel.id, kind.key(), owner, team, date_text(tx.today), tx.stamp, tx.actor],
            )?;
            Ok(())
        })?;
        self.meeting(&id)
    }

    /// Ends a meeting: one left without a note, a skill, a card note or an action item is
    /// dropped, so opening a one-to-one and leaving it at once keeps no trace. True when it was.
    /// One a sync took to the hub meanwhile is marked removed instead, which travels.
    pub fn end_meeting(&mut self, id: &str) -> Result<bool> {
        const EMPTY: &str = "id = ?1 AND notes = '' AND skill = '' AND deleted_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM meeting_card_notes WHERE meeting_id = ?1)
            AND NOT EXISTS (SELECT 1 FROM action_items WHERE meeting_id = ?1)";
        self.write(|tx| {
            // Never on the hub: unstamped, or queued as new and not pushed yet.
            let dropped = tx.execute(
                &format!(
                    "DELETE FROM meetings WHERE {EMPTY} AND (hlc = '' OR EXISTS (SELECT 1
                        FROM sync_outbox WHERE tbl = 'meetings' AND row_id = ?1 AND base = ''))"
                ),
                [id],
            )?;
            if dropped == 1 {
                tx.execute(
                    "DELETE FROM sync_outbox WHERE tbl = 'meetings' AND row_id = ?1",
                    [id],
                )?;
                return Ok(true);
            }
            let removed = tx.execute(
                &format!(
                    "UPDATE meetings SET deleted_at = ?2, updated_at = ?2, updated_by = ?3
                     WHERE {EMPTY}"
                ),
                params![id, tx.stamp, tx.actor],
            )?;
            Ok(removed == 1)
        })
    }

    /// A meeting with its items, carried items and card notes.
    pub fn meeting(&self, id: &str) -> Result<Meeting> {
        let mut meeting = self
            .conn
            .prepare_cached(&format!(
                "SELECT {MEETING_COLUMNS} FROM meetings m WHERE m.id = ?1 AND m.deleted_at IS NULL"
            ))?
            .query_row([id], meeting_from_row)
            .optional()?
            .ok_or_else(|| not_found(id))?;
        meeting.items = self.query_items(
            &format!(
                "SELECT {ITEM_COLUMNS} FROM action_items
                 WHERE meeting_id = ?1 AND deleted_at IS NULL ORDER BY id"
            ),
            params![meeting.id],
        )?;
        let subject = match meeting.kind {
            MeetingKind::Seller => &meeting.owner,
            MeetingKind::Team => &meeting.team,
        };
        meeting.carried = self.query_items(
            &format!(
                "SELECT a.id, a.meeting_id, a.owner, a.text, a.due, a.done
                 FROM action_items a JOIN meetings m ON m.id = a.meeting_id
                 WHERE m.funnel_id = ?1 AND {scope} AND m.deleted_at IS NULL
                   AND (m.started_at, m.id) < (?3, ?4)
                   AND a.deleted_at IS NULL AND a.done = 0
                 ORDER BY m.started_at, a.id",
                scope = scope_sql(meeting.kind)
            ),
            params![
                meeting.funnel_id,
                subject,
                meeting.started_at.format(super::STAMP).to_string(),
                meeting.id
            ],
        )?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT opportunity_id, note FROM meeting_card_notes
             WHERE meeting_id = ?1 AND deleted_at IS NULL ORDER BY id",
        )?;
        meeting.card_notes = stmt
            .query_map([&meeting.id], |r| Ok((r.get::<_, CardId>(0)?.0, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(meeting)
    }

    fn query_items(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<ActionItem>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(args, item_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A seller's meetings, newest first (without their items).
    pub fn meetings(&self, funnel: &Funnel, owner: &str) -> Result<Vec<Meeting>> {
        let scope = ReviewScope::Owner(owner.to_owned());
        let past = self.past_meetings(funnel, &scope, None, usize::MAX)?;
        Ok(past.into_iter().map(|p| p.meeting).collect())
    }

    /// The meetings with a seller or over a team, newest first, with how many of their action
    /// items are done and open: all of them, or those begun before the meeting `before` (the
    /// one in progress). At most `limit`.
    pub fn past_meetings(
        &self,
        funnel: &Funnel,
        scope: &ReviewScope,
        before: Option<&str>,
        limit: usize,
    ) -> Result<Vec<PastMeeting>> {
        let (kind, subject) = scope_key(scope);
        let mut stmt = self.conn.prepare_cached(&past_meetings_sql(kind))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![funnel.id, subject, before, limit], |r| {
            Ok(PastMeeting {
                meeting: meeting_from_row(r)?,
                items_done: r.get::<_, i64>(9)? as usize,
                items_open: r.get::<_, i64>(10)? as usize,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The skill chosen at the latest meeting with a seller or over a team that chose one,
    /// begun before the meeting `before_meeting`, with the day it was held: what the next
    /// meeting opens with.
    pub fn last_skill(
        &self,
        funnel: &Funnel,
        scope: &ReviewScope,
        before_meeting: &str,
    ) -> Result<Option<(NaiveDate, String)>> {
        let (kind, subject) = scope_key(scope);
        let mut stmt = self.conn.prepare_cached(&last_skill_sql(kind))?;
        Ok(stmt
            .query_row(params![funnel.id, subject, before_meeting], |r| {
                Ok((parse_date(&r.get::<_, String>(0)?)?, r.get(1)?))
            })
            .optional()?)
    }

    /// Someone's open action items from the funnel's meetings, those due first (soonest
    /// first), then those without a date: their agenda's.
    pub fn open_action_items(&self, funnel: &Funnel, owner: &str) -> Result<Vec<ActionItem>> {
        self.query_items(OPEN_ITEMS_SQL, params![funnel.id, owner])
    }

    fn update_meeting(&mut self, id: &str, column: &'static str, value: &str) -> Result<()> {
        self.write(|tx| {
            let n = tx.execute(
                &format!(
                    "UPDATE meetings SET {column} = ?2, updated_at = ?3, updated_by = ?4
                     WHERE id = ?1 AND deleted_at IS NULL"
                ),
                params![id, value, tx.stamp, tx.actor],
            )?;
            if n == 0 {
                return Err(not_found(id));
            }
            Ok(())
        })
    }

    /// Replaces the meeting note.
    pub fn set_meeting_notes(&mut self, id: &str, notes: &str) -> Result<()> {
        self.update_meeting(id, "notes", text::clean(notes).trim())
    }

    /// Chooses the one skill to develop ('' clears it).
    pub fn set_meeting_skill(&mut self, id: &str, skill: &str) -> Result<()> {
        self.update_meeting(id, "skill", text::clean_line(skill).trim())
    }

    /// Adds or replaces the meeting's coaching note on a card ('' removes it).
    pub fn set_card_note(
        &mut self,
        meeting_id: &str,
        opportunity_id: &str,
        note: &str,
    ) -> Result<()> {
        let note = text::clean(note).trim().to_owned();
        self.write(|tx| {
            tx.load(opportunity_id)?;
            tx.execute(
                "INSERT INTO meeting_card_notes (id, meeting_id, opportunity_id, note, updated_at, updated_by, deleted_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, CASE WHEN ?4 = '' THEN ?5 END)
                 ON CONFLICT (meeting_id, opportunity_id) DO UPDATE SET note = excluded.note,
                    updated_at = excluded.updated_at, updated_by = excluded.updated_by,
                    deleted_at = excluded.deleted_at",
                params![new_id(), meeting_id, CardKey(opportunity_id), note, tx.stamp, tx.actor],
            )?;
            Ok(())
        })
    }

    /// Adds an item to the meeting's action plan.
    pub fn add_action_item(
        &mut self,
        meeting_id: &str,
        owner: &str,
        text: &str,
        due: Option<NaiveDate>,
    ) -> Result<ActionItem> {
        let item = ActionItem {
            id: new_id(),
            meeting_id: meeting_id.to_owned(),
            owner: text::clean_line(owner).trim().to_owned(),
            text: text::clean_line(text).trim().to_owned(),
            due,
            done: false,
        };
        if item.text.is_empty() {
            return Err(Refusal::NoActionText.into());
        }
        self.write(|tx| {
            tx.execute(
                "INSERT INTO action_items (id, meeting_id, owner, text, due, done, updated_at, updated_by)
                 SELECT ?1, id, ?3, ?4, ?5, 0, ?6, ?7 FROM meetings WHERE id = ?2 AND deleted_at IS NULL",
                params![
                    item.id,
                    item.meeting_id,
                    item.owner,
                    item.text,
                    item.due.map(date_text),
                    tx.stamp,
                    tx.actor
                ],
            )
            .map_err(StoreError::from)
            .and_then(|n| if n == 0 { Err(not_found(meeting_id)) } else { Ok(()) })
        })?;
        Ok(item)
    }

    /// Ticks an item done, or open again; returns whether it is now done.
    pub fn toggle_action_item(&mut self, id: &str) -> Result<bool> {
        self.write(|tx| {
            tx.query_row(
                "UPDATE action_items SET done = 1 - done, updated_at = ?2, updated_by = ?3
                 WHERE id = ?1 AND deleted_at IS NULL RETURNING done",
                params![id, tx.stamp, tx.actor],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| Refusal::NoSuchActionItem(id.to_owned()).into())
        })
    }

    /// The team a seller works in: the most frequent non-empty team on their cards. Both this
    /// and [`Store::team_members`] read the per-group counts the triggers keep
    /// (`group_totals`: a few hundred rows) instead of every card.
    pub fn team_of(&self, funnel: &Funnel, owner: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT team FROM group_totals
                 WHERE funnel = (SELECT key FROM funnels WHERE id = ?1) AND owner = ?2 AND team <> '' AND count > 0
                 GROUP BY team ORDER BY sum(count) DESC, team LIMIT 1",
            )?
            .query_row(params![funnel.id, owner], |r| r.get(0))
            .optional()?)
    }

    /// The teams with cards in the funnel, by name.
    pub fn teams(&self, funnel: &Funnel) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(TEAMS_SQL)?;
        let rows = stmt.query_map([&funnel.id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The sellers with cards in a team.
    pub fn team_members(&self, funnel: &Funnel, team: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT owner FROM group_totals
             WHERE funnel = (SELECT key FROM funnels WHERE id = ?1) AND team = ?2 AND owner <> '' AND count > 0
             ORDER BY owner",
        )?;
        let rows = stmt.query_map(params![funnel.id, team], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
