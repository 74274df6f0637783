//! One-to-one meetings: the lead with one seller. A meeting keeps its date, the one skill chosen
//! for development and a meeting note; beside it, coaching notes per card and an action plan.
//! Open action items of a seller's earlier meetings are carried to the next one (they stay rows
//! of the meeting that made them, so ticking one off closes it everywhere).
//!
//! Local only (not in [`super::SYNCED`]): coaching is between the lead and the seller.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, params};

use super::card_key::{CardId, CardKey};
use super::{
    Funnel, Refusal, Result, Store, StoreError, date_text, new_id, parse_date, parse_stamp,
};
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

/// A one-to-one meeting with a seller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: String,
    pub funnel_id: String,
    /// The seller.
    pub owner: String,
    pub held_on: NaiveDate,
    /// The one skill chosen for development ('' until chosen).
    pub skill: String,
    /// The meeting note.
    pub notes: String,
    pub started_at: NaiveDateTime,
    /// This meeting's action items, oldest first.
    pub items: Vec<ActionItem>,
    /// Open items of the seller's earlier meetings, oldest first.
    pub carried: Vec<ActionItem>,
    /// Coaching notes per card: (opportunity id, note).
    pub card_notes: Vec<(String, String)>,
}

const MEETING_COLUMNS: &str = "id, funnel_id, owner, held_on, skill, notes, started_at";
const ITEM_COLUMNS: &str = "id, meeting_id, owner, text, due, done";

fn meeting_from_row(r: &rusqlite::Row) -> rusqlite::Result<Meeting> {
    Ok(Meeting {
        id: r.get(0)?,
        funnel_id: r.get(1)?,
        owner: r.get(2)?,
        held_on: parse_date(&r.get::<_, String>(3)?)?,
        skill: r.get(4)?,
        notes: r.get(5)?,
        started_at: parse_stamp(&r.get::<_, String>(6)?)?,
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

impl Store {
    /// Starts a one-to-one with a seller now (the store's clock), returned with the open
    /// action items of their earlier meetings.
    pub fn start_meeting(&mut self, funnel: &Funnel, owner: &str) -> Result<Meeting> {
        let owner = text::clean_line(owner).trim().to_owned();
        if owner.is_empty() {
            return Err(Refusal::NoSeller.into());
        }
        let id = new_id();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO meetings (id, funnel_id, owner, held_on, started_at, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)",
                params![id, funnel.id, owner, date_text(tx.today), tx.stamp, tx.actor],
            )?;
            Ok(())
        })?;
        self.meeting(&id)
    }

    /// Ends a meeting: one left without a note, a skill, a card note or an action item is
    /// dropped, so opening a one-to-one and leaving it at once keeps no trace. True when it was.
    pub fn end_meeting(&mut self, id: &str) -> Result<bool> {
        self.write(|tx| {
            let dropped = tx.execute(
                "DELETE FROM meetings WHERE id = ?1 AND notes = '' AND skill = ''
                   AND NOT EXISTS (SELECT 1 FROM meeting_card_notes WHERE meeting_id = ?1)
                   AND NOT EXISTS (SELECT 1 FROM action_items WHERE meeting_id = ?1)",
                [id],
            )?;
            Ok(dropped == 1)
        })
    }

    /// A meeting with its items, carried items and card notes.
    pub fn meeting(&self, id: &str) -> Result<Meeting> {
        let mut meeting = self
            .conn
            .prepare_cached(&format!(
                "SELECT {MEETING_COLUMNS} FROM meetings WHERE id = ?1 AND deleted_at IS NULL"
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
        meeting.carried = self.query_items(
            "SELECT a.id, a.meeting_id, a.owner, a.text, a.due, a.done
             FROM action_items a JOIN meetings m ON m.id = a.meeting_id
             WHERE m.funnel_id = ?1 AND m.owner = ?2 AND m.deleted_at IS NULL
               AND (m.started_at, m.id) < (?3, ?4)
               AND a.deleted_at IS NULL AND a.done = 0
             ORDER BY m.started_at, a.id",
            params![
                meeting.funnel_id,
                meeting.owner,
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
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {MEETING_COLUMNS} FROM meetings
             WHERE funnel_id = ?1 AND owner = ?2 AND deleted_at IS NULL
             ORDER BY started_at DESC, id DESC"
        ))?;
        let rows = stmt.query_map(params![funnel.id, owner], meeting_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
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
