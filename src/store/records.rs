//! What hangs off an opportunity: stage history, evidence, checklist answers and the people of
//! the buying centre.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::card_key::CardKey;
use super::funnels::stage_from_index;
use super::{Refusal, Result, Store, date_text, new_id, parse_date, parse_stamp};
use crate::domain::{Activity, Answer, Evidence, Person, Stage, StageEvent, UnknownKey, text};

/// Everything attached to an opportunity, as a lossless export carries it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Records {
    pub history: Vec<StageEvent>,
    pub evidence: Vec<Evidence>,
    pub answers: Vec<Answer>,
    pub people: Vec<Person>,
    /// Newest first.
    pub activities: Vec<Activity>,
}

impl Store {
    /// All records of one opportunity (for a lossless export).
    pub fn records(&self, id: &str) -> Result<Records> {
        Ok(Records {
            history: self.history(id)?,
            evidence: self.evidence(id)?,
            answers: self.answers(id)?,
            people: self.people(id)?,
            activities: self.activities(id)?,
        })
    }

    /// The append-only stage history, oldest first.
    pub fn history(&self, id: &str) -> Result<Vec<StageEvent>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, at, kind, from_stage, to_stage, evidence_confirmed, note, updated_by
             FROM stage_events WHERE opportunity_id = ?1 AND deleted_at IS NULL
             ORDER BY at, id",
        )?;
        let rows = stmt.query_map([CardKey(id)], |r| {
            let kind: String = r.get(2)?;
            Ok(StageEvent {
                id: r.get(0)?,
                at: parse_stamp(&r.get::<_, String>(1)?)?,
                kind: kind.parse().map_err(|e: UnknownKey| {
                    rusqlite::Error::FromSqlConversionFailure(
                        2,
                        rusqlite::types::Type::Text,
                        Box::new(e),
                    )
                })?,
                from_stage: r
                    .get::<_, Option<i64>>(3)?
                    .map(stage_from_index)
                    .transpose()?,
                to_stage: stage_from_index(r.get(4)?)?,
                evidence_confirmed: r.get(5)?,
                note: text::clean_line(&r.get::<_, String>(6)?),
                by: Some(text::clean_line(&r.get::<_, String>(7)?)),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records that the customer gave the stage's evidence (replacing an earlier confirmation).
    pub fn confirm_evidence(
        &mut self,
        id: &str,
        stage: Stage,
        on: NaiveDate,
        note: &str,
    ) -> Result<()> {
        let evidence = Evidence {
            stage,
            confirmed_on: on,
            note: text::clean_line(note),
        };
        self.write(|tx| {
            tx.load(id)?;
            tx.upsert_evidence(id, &evidence)
        })
    }

    /// Confirmed evidence of every stage of a card.
    pub fn evidence(&self, id: &str) -> Result<Vec<Evidence>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT stage, confirmed_on, note FROM evidence
             WHERE opportunity_id = ?1 AND deleted_at IS NULL ORDER BY stage",
        )?;
        let rows = stmt.query_map([CardKey(id)], |r| {
            Ok(Evidence {
                stage: stage_from_index(r.get(0)?)?,
                confirmed_on: parse_date(&r.get::<_, String>(1)?)?,
                note: text::clean_line(&r.get::<_, String>(2)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Marks a checklist question asked or not, with the customer's answer.
    pub fn set_answer(&mut self, id: &str, answer: &Answer) -> Result<()> {
        let answer = Answer {
            answer: text::clean(&answer.answer).trim().to_owned(),
            ..answer.clone()
        };
        self.write(|tx| {
            tx.load(id)?;
            tx.upsert_answer(id, &answer)
        })
    }

    /// Checklist answers of every stage of a card.
    pub fn answers(&self, id: &str) -> Result<Vec<Answer>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT stage, question, asked, answer FROM answers
             WHERE opportunity_id = ?1 AND deleted_at IS NULL ORDER BY stage, question",
        )?;
        let rows = stmt.query_map([CardKey(id)], |r| {
            Ok(Answer {
                stage: stage_from_index(r.get(0)?)?,
                question: r.get::<_, i64>(1)? as usize,
                asked: r.get(2)?,
                answer: text::clean(&r.get::<_, String>(3)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The buying centre of a card, most authority first; the id breaks ties so that the order
    /// (and so an export) is the same in every copy of the database.
    pub fn people(&self, id: &str) -> Result<Vec<Person>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, role, influence, authority, motivations FROM people
             WHERE opportunity_id = ?1 AND deleted_at IS NULL
             ORDER BY authority DESC, influence DESC, name, id",
        )?;
        let rows = stmt.query_map([CardKey(id)], |r| {
            Ok(Person {
                id: r.get(0)?,
                name: text::clean_line(&r.get::<_, String>(1)?),
                role: text::clean_line(&r.get::<_, String>(2)?),
                influence: r.get(3)?,
                authority: r.get(4)?,
                motivations: text::clean_line(&r.get::<_, String>(5)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds a person (empty `id`) or updates one; returns the person's id.
    pub fn save_person(&mut self, opportunity_id: &str, person: &Person) -> Result<String> {
        let name = text::clean_line(&person.name);
        if name.is_empty() {
            return Err(Refusal::NoPersonName.into());
        }
        if person.influence > 5 || person.authority > 5 {
            return Err(Refusal::ScoreOutOfRange.into());
        }
        let person = Person {
            name,
            role: text::clean_line(&person.role),
            motivations: text::clean_line(&person.motivations),
            ..person.clone()
        };
        self.write(|tx| {
            tx.load(opportunity_id)?;
            tx.upsert_person(opportunity_id, &person)
        })
    }

    pub fn remove_person(&mut self, person_id: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE people SET deleted_at = ?2, updated_at = ?2, updated_by = ?3 WHERE id = ?1",
                params![person_id, tx.stamp, tx.actor],
            )?;
            Ok(())
        })
    }

    /// The stage where a card's most recent unverified move left from, if its last move was one.
    pub fn last_move(&self, id: &str) -> Result<Option<StageEvent>> {
        Ok(self
            .history(id)?
            .into_iter()
            .rev()
            .find(|e| e.from_stage.is_some()))
    }

    /// Whether an id names a stored (not deleted) opportunity.
    pub fn exists(&self, id: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM opportunities WHERE id = ?1 AND deleted_at IS NULL",
                [CardKey(id)],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }
}

/// The upserts shared by the user's actions and imports. A new row gets the transaction's `hlc`
/// (empty but in a bulk load); an update leaves it to the sync triggers.
impl super::Tx<'_> {
    pub(crate) fn upsert_evidence(&self, id: &str, e: &Evidence) -> Result<()> {
        self.prepare_cached(
            "INSERT INTO evidence (id, opportunity_id, stage, confirmed_on, note, updated_at, updated_by, hlc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (opportunity_id, stage) DO UPDATE SET confirmed_on = excluded.confirmed_on,
                note = excluded.note, updated_at = excluded.updated_at,
                updated_by = excluded.updated_by, deleted_at = NULL",
        )?
        .execute(params![new_id(), CardKey(id), e.stage, date_text(e.confirmed_on), e.note, self.stamp, self.actor, self.hlc])?;
        Ok(())
    }

    pub(crate) fn upsert_answer(&self, id: &str, a: &Answer) -> Result<()> {
        self.prepare_cached(
            "INSERT INTO answers (id, opportunity_id, stage, question, asked, answer, updated_at, updated_by, hlc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (opportunity_id, stage, question) DO UPDATE SET asked = excluded.asked,
                answer = excluded.answer, updated_at = excluded.updated_at,
                updated_by = excluded.updated_by, deleted_at = NULL",
        )?
        .execute(params![new_id(), CardKey(id), a.stage, a.question as i64, a.asked, a.answer, self.stamp, self.actor, self.hlc])?;
        Ok(())
    }

    /// Adds a person (empty id: a new one) or updates one; returns the person's id.
    pub(crate) fn upsert_person(&self, opportunity_id: &str, p: &Person) -> Result<String> {
        let id = if p.id.is_empty() {
            new_id()
        } else {
            p.id.clone()
        };
        self.prepare_cached(
            "INSERT INTO people (id, opportunity_id, name, role, influence, authority, motivations,
                updated_at, updated_by, hlc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role,
                influence = excluded.influence, authority = excluded.authority,
                motivations = excluded.motivations, updated_at = excluded.updated_at,
                updated_by = excluded.updated_by, deleted_at = NULL",
        )?
        .execute(params![
            id,
            CardKey(opportunity_id),
            p.name,
            p.role,
            p.influence,
            p.authority,
            p.motivations,
            self.stamp,
            self.actor,
            self.hlc
        ])?;
        Ok(id)
    }
}
