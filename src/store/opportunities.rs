//! Opportunities: a card's row, creating one, and every change to a card.
//!
//! Every change loads the card, edits it in Rust and saves it through [`save`], which checks the
//! version the caller read and recomputes the period the card counts in. One path, so the
//! running totals (kept by triggers) and the version check can't be bypassed.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, Statement, ToSql, params};
use std::borrow::Cow;

use super::card_key::{CardId, CardKey, MillisText};
use super::funnels::{stage_from_index, status_from_index, status_index};
use super::{Day, Funnel, Minute, Refusal, Result, Store, StoreError, Tx, new_id};
use crate::domain::{
    EventKind, Opportunity, OpportunityFields, Stage, Status, money, period, text,
};

/// What a user gives to add an opportunity.
#[derive(Debug, Clone, Default)]
pub struct NewOpportunity {
    pub fields: OpportunityFields,
    pub stage: Option<Stage>,
}

/// The card's dates, stored as day numbers (see [`Day`]).
pub(super) const DAY_COLUMNS: [&str; 6] = [
    "created",
    "expected_close",
    "closed",
    "decision_date",
    "stage_since",
    "next_step_due",
];

pub(crate) const COLUMNS: &str =
    "o.id, (SELECT id FROM funnels WHERE key = o.funnel), o.title, o.account, o.value_cents, o.stage, o.status,
    o.owner, o.team, o.region, o.territory, o.product, o.created, o.expected_close, o.closed,
    o.lost_reason, o.next_step, o.decision_date, o.budget_cents, o.problem_cost_cents,
    o.decision_criteria, o.stage_since, o.version, o.updated_at, o.updated_by, o.next_step_due,
    o.next_step_at";

/// How many columns [`COLUMNS`] reads: a query may select more after them.
pub(crate) const COLUMN_COUNT: usize = 27;

fn opt_date(row: &Row, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    Ok(row.get::<_, Option<Day>>(i)?.map(|d| d.0))
}

/// Reads a row selected with [`COLUMNS`]; text is cleaned again on the way out, since another
/// program may have written the file.
pub(crate) fn opportunity_from_row(row: &Row) -> rusqlite::Result<Opportunity> {
    let s =
        |i: usize| -> rusqlite::Result<String> { Ok(text::clean_line(&row.get::<_, String>(i)?)) };
    Ok(Opportunity {
        id: row.get::<_, CardId>(0)?.0,
        funnel_id: row.get(1)?,
        fields: OpportunityFields {
            title: s(2)?,
            account: s(3)?,
            value_cents: row.get(4)?,
            owner: s(7)?,
            team: s(8)?,
            region: s(9)?,
            territory: s(10)?,
            product: s(11)?,
            expected_close: opt_date(row, 13)?,
            next_step: s(16)?,
            next_step_due: opt_date(row, 25)?,
            next_step_at: row.get::<_, Option<Minute>>(26)?.map(|m| m.0),
            decision_date: opt_date(row, 17)?,
            budget_cents: row.get(18)?,
            problem_cost_cents: row.get(19)?,
            decision_criteria: s(20)?,
        },
        stage: stage_from_index(row.get(5)?)?,
        status: status_from_index(row.get(6)?)?,
        created: row.get::<_, Day>(12)?.0,
        closed: opt_date(row, 14)?,
        lost_reason: s(15)?,
        stage_since: row.get::<_, Day>(21)?.0,
        version: row.get(22)?,
        updated_at: row.get::<_, MillisText>(23)?.0,
        updated_by: row.get(24)?,
    })
}

/// The fiscal year an opportunity counts in, for a funnel whose year starts in month
/// `fiscal_start`: 0 for an open one without an expected close date (the current period).
pub(crate) fn period_in(opp: &Opportunity, fiscal_start: u32) -> i32 {
    opp.period_date()
        .map_or(0, |date| period::year_of(date, fiscal_start))
}

/// Cleans and checks what a user typed or imported.
pub fn validate_fields(fields: &mut OpportunityFields) -> Result<(), Refusal> {
    for (field, value) in fields.texts_mut() {
        if let Cow::Owned(clean) = text::cleaned_line(value) {
            *value = clean;
        }
        if let Some(too_long) = text::too_long(value) {
            return Err(Refusal::TooLong { field, too_long });
        }
    }
    if fields.title.is_empty() {
        return Err(Refusal::NoTitle);
    }
    for (field, cents) in fields.amounts() {
        if let Some(Err(error)) = cents.map(money::check_cents) {
            return Err(Refusal::Amount { field, error });
        }
    }
    Ok(())
}

/// Adds a card (see [`Tx::insert`]), in the funnel whose key is the SQL expression `funnel`:
/// the key of the funnel id bound as `?2`, or a number when the caller knows it (an import's
/// every row would otherwise look it up).
pub(super) fn insert_card(funnel: &str) -> String {
    format!(
        "INSERT INTO opportunities (id, funnel, title, account, value_cents, stage, status, owner,
            team, region, territory, product, created, expected_close, closed, lost_reason,
            next_step, decision_date, budget_cents, problem_cost_cents, decision_criteria,
            stage_since, period, version, updated_at, updated_by, next_step_due, next_step_at, hlc)
         VALUES (?1, {funnel}, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
            ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29)"
    )
}

/// Adds an event to a card's history (see [`Tx::record_event`]), with the card's owner and
/// team as they are (what a review looks a seller's events up by): written here, the schema's
/// trigger need not look the card up, and a bulk load's card staged apart is not missed.
pub(super) const INSERT_EVENT: &str =
    "INSERT INTO stage_events (id, opportunity_id, at, kind, from_stage, to_stage,
        evidence_confirmed, note, updated_at, updated_by, hlc, card_owner, card_team)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?3, ?9, ?10, ?11, ?12)";

impl Tx<'_> {
    // The statements below run once per card of an import: cached on the connection, except
    // the new card's and its event's, which an import prepares once (`insert_with`,
    // `record_event_with`).

    fn fiscal_start(&self, funnel_id: &str) -> Result<u32> {
        Ok(self
            .prepare_cached("SELECT fiscal_start FROM funnels WHERE id = ?1")?
            .query_row([funnel_id], |r| r.get(0))?)
    }

    pub(crate) fn load(&self, id: &str) -> Result<Opportunity> {
        let sql =
            format!("SELECT {COLUMNS} FROM opportunities o WHERE id = ?1 AND deleted_at IS NULL");
        self.prepare_cached(&sql)?
            .query_row([CardKey(id)], opportunity_from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(id.to_owned()))
    }

    /// Loads a card for a change, refusing if it is no longer the version the caller saw.
    pub(crate) fn load_at(&self, id: &str, version: Option<i64>) -> Result<Opportunity> {
        let opp = self.load(id).map_err(|e| match (e, version) {
            (StoreError::NotFound(_), Some(_)) => StoreError::Conflict,
            (e, _) => e,
        })?;
        if version.is_some_and(|v| v != opp.version) {
            return Err(StoreError::Conflict);
        }
        Ok(opp)
    }

    /// Inserts a complete opportunity as given (new cards and imports) that counts in `period`
    /// (see [`period_in`]).
    pub(crate) fn insert(&self, opp: &Opportunity, period: i32) -> Result<()> {
        let sql = insert_card("(SELECT key FROM funnels WHERE id = ?2)");
        self.insert_with(&mut *self.prepare_cached(&sql)?, opp, period)
    }

    /// [`Tx::insert`] with [`insert_card`] prepared by the caller (an import, once for all).
    pub(super) fn insert_with(
        &self,
        insert: &mut Statement,
        opp: &Opportunity,
        period: i32,
    ) -> Result<()> {
        self.write_row(insert, opp, period, Some(self.hlc))?;
        Ok(())
    }

    /// Runs an INSERT or UPDATE of a whole card whose parameters are numbered in column order:
    /// ?1 id, ?2 the funnel's id … ?23 period, ?24 version, ?25 updated_at, ?26 updated_by, ?27
    /// next_step_due (added by step 13), ?28 next_step_at (step 14), then ?29 hlc when given.
    fn write_row(
        &self,
        stmt: &mut Statement,
        opp: &Opportunity,
        period: i32,
        hlc: Option<&str>,
    ) -> Result<usize> {
        let values = params![
            CardKey(&opp.id),
            opp.funnel_id,
            opp.fields.title,
            opp.fields.account,
            opp.fields.value_cents,
            opp.stage,
            status_index(opp.status),
            opp.fields.owner,
            opp.fields.team,
            opp.fields.region,
            opp.fields.territory,
            opp.fields.product,
            Day(opp.created),
            opp.fields.expected_close.map(Day),
            opp.closed.map(Day),
            opp.lost_reason,
            opp.fields.next_step,
            opp.fields.decision_date.map(Day),
            opp.fields.budget_cents,
            opp.fields.problem_cost_cents,
            opp.fields.decision_criteria,
            Day(opp.stage_since),
            period,
            opp.version,
            self.stamp_ms,
            self.actor,
            opp.fields.next_step_due.map(Day),
            opp.fields.next_step_at.map(Minute),
        ];
        let hlc = hlc.as_ref().map(|h| h as &dyn ToSql);
        for (i, value) in values.iter().chain(hlc.as_ref()).enumerate() {
            stmt.raw_bind_parameter(i + 1, value)?;
        }
        Ok(stmt.raw_execute()?)
    }

    pub(crate) fn period_of(&self, opp: &Opportunity) -> Result<i32> {
        Ok(period_in(opp, self.fiscal_start(&opp.funnel_id)?))
    }

    /// Writes every column of `opp` if the stored version is still `opp.version`, then bumps it.
    pub(crate) fn save(&self, opp: &mut Opportunity) -> Result<()> {
        let period = self.period_of(opp)?;
        let changed = self.write_row(
            &mut *self.prepare_cached(
                "UPDATE opportunities SET title = ?3, account = ?4, value_cents = ?5, stage = ?6,
                status = ?7, owner = ?8, team = ?9, region = ?10, territory = ?11, product = ?12,
                created = ?13, expected_close = ?14, closed = ?15, lost_reason = ?16,
                next_step = ?17, decision_date = ?18, budget_cents = ?19,
                problem_cost_cents = ?20, decision_criteria = ?21, stage_since = ?22,
                period = ?23, version = version + 1, updated_at = ?25, updated_by = ?26,
                next_step_due = ?27, next_step_at = ?28
             WHERE id = ?1 AND version = ?24 AND deleted_at IS NULL",
            )?,
            opp,
            period,
            None,
        )?;
        if changed == 0 {
            return Err(StoreError::Conflict);
        }
        opp.version += 1;
        opp.updated_at = self.stamp.to_owned();
        opp.updated_by = self.actor.to_owned();
        Ok(())
    }

    pub(super) fn soft_delete(&self, id: &str, version: Option<i64>) -> Result<()> {
        let opp = self.load_at(id, version)?;
        self.execute(
            "UPDATE opportunities SET deleted_at = ?2, updated_at = ?3, updated_by = ?4,
                version = version + 1 WHERE id = ?1",
            params![CardKey(&opp.id), self.stamp, self.stamp_ms, self.actor],
        )?;
        Ok(())
    }

    /// Appends to the stage history; returns the event's id.
    pub(crate) fn record_event(
        &self,
        opp: &Opportunity,
        kind: EventKind,
        from: Option<Stage>,
        evidence_confirmed: bool,
        note: &str,
    ) -> Result<String> {
        let mut insert = self.prepare_cached(INSERT_EVENT)?;
        self.record_event_with(&mut insert, opp, kind, from, evidence_confirmed, note)
    }

    /// [`Tx::record_event`] with [`INSERT_EVENT`] prepared by the caller (an import, once for
    /// all).
    pub(super) fn record_event_with(
        &self,
        insert: &mut Statement,
        opp: &Opportunity,
        kind: EventKind,
        from: Option<Stage>,
        evidence_confirmed: bool,
        note: &str,
    ) -> Result<String> {
        let id = new_id();
        insert.execute(params![
            id,
            CardKey(&opp.id),
            self.stamp,
            kind.key(),
            from,
            opp.stage,
            evidence_confirmed,
            text::cleaned_line(note),
            self.actor,
            self.hlc,
            opp.fields.owner,
            opp.fields.team
        ])?;
        Ok(id)
    }

    fn evidence_confirmed(&self, id: &str, stage: Stage) -> Result<bool> {
        Ok(self
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM evidence
                  WHERE opportunity_id = ?1 AND stage = ?2 AND deleted_at IS NULL)",
            )?
            .query_row(params![CardKey(id), stage], |r| r.get(0))?)
    }
}

/// Why a forward move was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingEvidence {
    /// Stages that would be left without their evidence confirmed.
    pub stages: Vec<Stage>,
}

/// The result of [`Store::move_stage`].
// One per user action, used at once: boxing the card would only add an allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveOutcome {
    Moved(Box<Opportunity>),
    /// Nothing written: evidence is missing and the move was not forced.
    NeedsEvidence(MissingEvidence),
}

impl Store {
    /// Adds an open opportunity in the given stage (default: pre-funnel), created today.
    pub fn add_opportunity(&mut self, funnel: &Funnel, new: NewOpportunity) -> Result<Opportunity> {
        let NewOpportunity { mut fields, stage } = new;
        validate_fields(&mut fields)?;
        let today = self.today();
        let stage = stage.unwrap_or(Stage::PreFunnel);
        let opp = Opportunity::open(new_id(), funnel.id.clone(), fields, stage, today);
        self.write(|tx| {
            tx.insert(&opp, tx.period_of(&opp)?)?;
            tx.record_event(&opp, EventKind::Created, None, true, "")?;
            tx.load(&opp.id)
        })
    }

    pub fn opportunity(&self, id: &str) -> Result<Opportunity> {
        let sql =
            format!("SELECT {COLUMNS} FROM opportunities o WHERE id = ?1 AND deleted_at IS NULL");
        // Cached: an import looks up every id of its file.
        self.conn
            .prepare_cached(&sql)?
            .query_row([CardKey(id)], opportunity_from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(id.to_owned()))
    }

    /// Replaces the user-editable fields (`version`: the one the caller read).
    pub fn update_fields(
        &mut self,
        id: &str,
        version: i64,
        mut fields: OpportunityFields,
    ) -> Result<Opportunity> {
        validate_fields(&mut fields)?;
        self.write(|tx| {
            let mut opp = tx.load_at(id, Some(version))?;
            opp.fields = fields;
            tx.save(&mut opp)?;
            Ok(opp)
        })
    }

    /// Moves an open card to another stage. Going forward leaves stages behind: each must have
    /// its evidence confirmed, unless `force` (then the move is recorded as unverified).
    pub fn move_stage(
        &mut self,
        id: &str,
        version: Option<i64>,
        to: Stage,
        force: bool,
    ) -> Result<MoveOutcome> {
        self.write(|tx| {
            let mut opp = tx.load_at(id, version)?;
            if opp.status != Status::Open {
                return Err(Refusal::Closed(opp.status).into());
            }
            let from = opp.stage;
            if to == from {
                return Err(Refusal::AlreadyIn(to).into());
            }
            let mut missing = Vec::new();
            for stage in Stage::ALL.into_iter().filter(|s| *s >= from && *s < to) {
                if !tx.evidence_confirmed(id, stage)? {
                    missing.push(stage);
                }
            }
            if !missing.is_empty() && !force {
                return Ok(MoveOutcome::NeedsEvidence(MissingEvidence {
                    stages: missing,
                }));
            }
            opp.stage = to;
            opp.stage_since = tx.today;
            tx.save(&mut opp)?;
            tx.record_event(&opp, EventKind::Moved, Some(from), missing.is_empty(), "")?;
            Ok(MoveOutcome::Moved(Box::new(opp)))
        })
    }

    /// Closes an open card as won on `date`.
    pub fn mark_won(
        &mut self,
        id: &str,
        version: Option<i64>,
        date: NaiveDate,
    ) -> Result<Opportunity> {
        self.close(id, version, Status::Won, date, "")
    }

    /// Closes an open card as lost on `date`; the reason is required (it is what coaching uses).
    pub fn mark_lost(
        &mut self,
        id: &str,
        version: Option<i64>,
        reason: &str,
        date: NaiveDate,
    ) -> Result<Opportunity> {
        let reason = text::clean_line(reason);
        if reason.is_empty() {
            return Err(Refusal::LostNeedsReason.into());
        }
        self.close(id, version, Status::Lost, date, &reason)
    }

    fn close(
        &mut self,
        id: &str,
        version: Option<i64>,
        status: Status,
        date: NaiveDate,
        reason: &str,
    ) -> Result<Opportunity> {
        self.write(|tx| {
            let mut opp = tx.load_at(id, version)?;
            if opp.status != Status::Open {
                return Err(Refusal::Already(opp.status).into());
            }
            opp.status = status;
            opp.closed = Some(date);
            opp.lost_reason = reason.to_owned();
            if let Some(refused) = opp
                .date_conflicts(tx.today)
                .into_iter()
                .find(|c| c.is_refused())
            {
                return Err(Refusal::Dates(refused).into());
            }
            tx.save(&mut opp)?;
            let kind = if status == Status::Won {
                EventKind::Won
            } else {
                EventKind::Lost
            };
            tx.record_event(&opp, kind, Some(opp.stage), true, reason)?;
            Ok(opp)
        })
    }

    /// Puts a won or lost card back on the board, in the stage it closed in.
    pub fn reopen(&mut self, id: &str, version: Option<i64>) -> Result<Opportunity> {
        self.write(|tx| {
            let mut opp = tx.load_at(id, version)?;
            if opp.status == Status::Open {
                return Err(Refusal::Already(Status::Open).into());
            }
            opp.status = Status::Open;
            opp.closed = None;
            opp.lost_reason.clear();
            tx.save(&mut opp)?;
            tx.record_event(&opp, EventKind::Reopened, Some(opp.stage), true, "")?;
            Ok(opp)
        })
    }

    /// Soft-deletes a card (kept for sync and undo, hidden everywhere).
    pub fn delete(&mut self, id: &str, version: Option<i64>) -> Result<()> {
        self.write(|tx| tx.soft_delete(id, version))
    }
}
