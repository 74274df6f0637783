//! Opportunities: creating, reading pages of cards, and every change to a card.
//!
//! Every change loads the card, edits it in Rust and saves it through [`save`], which checks the
//! version the caller read and recomputes the period the card counts in. One path, so the
//! running totals (kept by triggers) and the version check can't be bypassed.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, Statement, ToSql, params};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::card_key::{CardId, CardKey, MillisText, card_bytes, prefix_range};
use super::funnels::{stage_from_index, status_from_index, status_index};
use super::{Day, Funnel, Result, Store, StoreError, Tx, new_id};
use crate::domain::{
    EventKind, Opportunity, OpportunityFields, Stage, Status, money, period, text,
};

/// What a user gives to add an opportunity.
#[derive(Debug, Clone, Default)]
pub struct NewOpportunity {
    pub fields: OpportunityFields,
    pub stage: Option<Stage>,
}

/// Which cards a board column or a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardFilter {
    pub owner: Option<String>,
    /// Case-insensitive substring of title, account, owner, team or region.
    pub text: Option<String>,
    /// `None`: open cards only; `Some(s)`: only that status; see [`CardFilter::closed_too`].
    pub status: Option<Status>,
    /// Show won and lost cards too (in the stage where they closed).
    pub closed_too: bool,
    pub stage: Option<Stage>,
}

/// Which way from a card of a column: towards its top (bigger values) or its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Above,
    Below,
}

/// A card as the board draws it: the opportunity and its current stage's progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub opportunity: Opportunity,
    /// `None` for a card read ahead of the screen: its progress is read when it comes on
    /// screen (see [`Store::progress`]).
    pub progress: Option<Progress>,
}

/// How far a card is in its current stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Questions of the stage marked asked.
    pub asked: usize,
    /// The stage's evidence is confirmed.
    pub evidence: bool,
}

/// The two columns of a card's [`Progress`]: the card's id and stage are the SQL expressions
/// `id` and `stage`.
fn progress_sql(id: &str, stage: &str) -> String {
    format!(
        "(SELECT count(*) FROM answers a WHERE a.opportunity_id = {id} AND a.stage = {stage}
            AND a.asked AND a.deleted_at IS NULL),
        EXISTS (SELECT 1 FROM evidence e WHERE e.opportunity_id = {id} AND e.stage = {stage}
            AND e.deleted_at IS NULL)"
    )
}

fn progress_from_row(row: &Row, at: usize) -> rusqlite::Result<Progress> {
    Ok(Progress {
        asked: row.get::<_, i64>(at)? as usize,
        evidence: row.get(at + 1)?,
    })
}

/// The card's dates, stored as day numbers (see [`Day`]).
pub(super) const DAY_COLUMNS: [&str; 5] = [
    "created",
    "expected_close",
    "closed",
    "decision_date",
    "stage_since",
];

pub(crate) const COLUMNS: &str =
    "o.id, (SELECT id FROM funnels WHERE key = o.funnel), o.title, o.account, o.value_cents, o.stage, o.status,
    o.owner, o.team, o.region, o.territory, o.product, o.created, o.expected_close, o.closed,
    o.lost_reason, o.next_step, o.decision_date, o.budget_cents, o.problem_cost_cents,
    o.decision_criteria, o.stage_since, o.version, o.updated_at, o.updated_by";

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
pub fn validate_fields(fields: &mut OpportunityFields) -> Result<()> {
    for (name, field) in fields.texts_mut() {
        if let Cow::Owned(clean) = text::cleaned_line(field) {
            *field = clean;
        }
        if let Some(reason) = text::too_long(field) {
            return Err(StoreError::Invalid(format!("{name}: {reason}")));
        }
    }
    if fields.title.is_empty() {
        return Err(StoreError::Invalid("an opportunity needs a title".into()));
    }
    for (name, cents) in fields.amounts() {
        if let Some(Err(e)) = cents.map(money::check_cents) {
            return Err(StoreError::Invalid(format!("{name}: {e}")));
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
            stage_since, period, version, updated_at, updated_by, hlc)
         VALUES (?1, {funnel}, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
            ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)"
    )
}

/// Adds an event to a card's history (see [`Tx::record_event`]).
pub(super) const INSERT_EVENT: &str =
    "INSERT INTO stage_events (id, opportunity_id, at, kind, from_stage, to_stage,
        evidence_confirmed, note, updated_at, updated_by, hlc)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?3, ?9, ?10)";

/// The fewest characters of an id that lists and messages show (see [`Store::short_id`]).
const SHORT_ID: usize = 8;
/// Above this many, [`Store::short_ids`] walks every id instead of seeking each one's neighbours.
const SHORT_IDS_BY_SEEKS: usize = 1_000;

/// How many leading characters two ids share.
fn shared_len(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

/// The start of `id` one character longer than what it shares with its neighbours.
fn short(id: &str, shared: usize) -> String {
    id[..(shared + 1).clamp(SHORT_ID, id.len())].to_owned()
}

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
    /// ?1 id, ?2 the funnel's id … ?23 period, ?24 version, ?25 updated_at, ?26 updated_by, then ?27
    /// hlc when given.
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
                period = ?23, version = version + 1, updated_at = ?25, updated_by = ?26
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

    fn soft_delete(&self, id: &str, version: Option<i64>) -> Result<()> {
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
            self.hlc
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

    /// Finds the one opportunity whose id starts with `prefix` (as git does with hashes).
    pub fn resolve_id(&self, prefix: &str) -> Result<String> {
        let prefix = prefix.trim().to_ascii_lowercase();
        let Some((low, high)) = prefix_range(&prefix).filter(|_| !prefix.is_empty()) else {
            return Err(StoreError::NotFound(prefix));
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM opportunities WHERE id BETWEEN ?1 AND ?2
             AND deleted_at IS NULL LIMIT 2",
        )?;
        let ids: Vec<String> = stmt
            .query_map([low, high], |r| Ok(r.get::<_, CardId>(0)?.0))?
            .collect::<rusqlite::Result<_>>()?;
        match ids.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(StoreError::NotFound(prefix)),
            _ => Err(StoreError::Ambiguous(prefix)),
        }
    }

    /// The shortest start of `id` that [`Store::resolve_id`] reads as this card alone, and at
    /// least eight characters. Ids are time-ordered, so cards made together share their first
    /// digits: it takes one digit more than the id shares with either neighbour.
    pub fn short_id(&self, id: &str) -> Result<String> {
        let neighbour = |sql: &str| -> Result<Option<String>> {
            Ok(self
                .conn
                .prepare_cached(sql)?
                .query_row([CardKey(id)], |r| Ok(r.get::<_, CardId>(0)?.0))
                .optional()?)
        };
        let below = neighbour(
            "SELECT id FROM opportunities WHERE id < ?1 AND deleted_at IS NULL
             ORDER BY id DESC LIMIT 1",
        )?;
        let above = neighbour(
            "SELECT id FROM opportunities WHERE id > ?1 AND deleted_at IS NULL
             ORDER BY id LIMIT 1",
        )?;
        let shared = [below, above]
            .iter()
            .flatten()
            .map(|other| shared_len(id, other))
            .max()
            .unwrap_or(0);
        Ok(short(id, shared))
    }

    /// [`Store::short_id`] of each of `ids`. For many, one walk over every id in order: two
    /// seeks a card, in the order of a list, read pages all over the file (a million cards
    /// took 13 minutes on a file not in the OS cache; walked, 0.4 s).
    pub fn short_ids(&self, ids: &[&str]) -> Result<Vec<String>> {
        if ids.len() <= SHORT_IDS_BY_SEEKS {
            return ids.iter().map(|id| self.short_id(id)).collect();
        }
        let wanted: HashSet<&str> = ids.iter().copied().collect();
        let mut shared: HashMap<String, usize> = HashMap::with_capacity(ids.len());
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM opportunities WHERE deleted_at IS NULL ORDER BY id")?;
        let mut rows = stmt.query([])?;
        // The id before, and how much it shares with the one before it.
        let mut before: Option<(String, usize)> = None;
        while let Some(row) = rows.next()? {
            let id = row.get::<_, CardId>(0)?.0;
            let with_before = before.as_ref().map_or(0, |(b, _)| shared_len(b, &id));
            if let Some((b, b_shared)) = before.take()
                && wanted.contains(b.as_str())
            {
                shared.insert(b, b_shared.max(with_before));
            }
            before = Some((id, with_before));
        }
        if let Some((b, b_shared)) = before
            && wanted.contains(b.as_str())
        {
            shared.insert(b, b_shared);
        }
        // A card not walked (deleted meanwhile) keeps its whole id.
        Ok(ids
            .iter()
            .map(|id| short(id, shared.get(*id).copied().unwrap_or(id.len())))
            .collect())
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
                return Err(StoreError::Invalid(format!(
                    "this opportunity is {}: reopen it before moving it",
                    opp.status
                )));
            }
            let from = opp.stage;
            if to == from {
                return Err(StoreError::Invalid(format!("already in stage {to}")));
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
            return Err(StoreError::Invalid(
                "a lost opportunity needs a reason".into(),
            ));
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
                return Err(StoreError::Invalid(format!(
                    "this opportunity is already {}",
                    opp.status
                )));
            }
            opp.status = status;
            opp.closed = Some(date);
            opp.lost_reason = reason.to_owned();
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
                return Err(StoreError::Invalid(
                    "this opportunity is already open".into(),
                ));
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

    /// Total count and value of the cards each of the given columns shows. Without a text
    /// filter they come from the running totals (which have the owner), in one pass for all
    /// the columns; a text filter counts through the index, column by column.
    pub fn column_totals(
        &self,
        funnel: &Funnel,
        filter: &CardFilter,
        stages: &[Stage],
    ) -> Result<Vec<(i64, i128)>> {
        if filter.text.as_deref().is_none_or(str::is_empty) {
            let (low, high) = match (filter.status, filter.closed_too) {
                (Some(status), _) => (status_index(status), status_index(status)),
                (None, false) => (0, 0),
                (None, true) => (0, 2),
            };
            let mut stmt = self.conn.prepare_cached(
                "SELECT stage, sum(count), sum(value_cents) FROM totals
                 WHERE funnel = (SELECT key FROM funnels WHERE id = ?1)
                   AND status BETWEEN ?2 AND ?3 AND (?4 IS NULL OR owner = ?4)
                 GROUP BY stage",
            )?;
            let mut by_stage = [(0, 0); Stage::COUNT];
            let mut rows = stmt.query(params![funnel.id, low, high, filter.owner])?;
            while let Some(row) = rows.next()? {
                let stage = stage_from_index(row.get(0)?)?;
                by_stage[stage.index()] = (row.get(1)?, i128::from(row.get::<_, i64>(2)?));
            }
            return Ok(stages.iter().map(|s| by_stage[s.index()]).collect());
        }
        let total = |stage: &Stage| -> Result<(i64, i128)> {
            let (sql_where, args) = filter_sql(funnel, Some(*stage), filter);
            let sql = format!(
                "SELECT count(*), coalesce(sum(o.value_cents), 0) FROM opportunities o
                 WHERE {sql_where}"
            );
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let params: Vec<&dyn ToSql> = args.iter().map(|a| a as &dyn ToSql).collect();
            Ok(stmt.query_row(params.as_slice(), |r| {
                Ok((r.get(0)?, i128::from(r.get::<_, i64>(1)?)))
            })?)
        };
        stages.iter().map(total).collect()
    }

    /// Where a card sits in its column's order (biggest value first), so the selection can
    /// follow a card that moved.
    pub fn rank_in_column(
        &self,
        funnel: &Funnel,
        opp: &Opportunity,
        filter: &CardFilter,
    ) -> Result<usize> {
        // Two counts, each a range of the board index: with an OR the planner scans the whole
        // column (700 ms at a million cards).
        let (sql_where, filter_args) = filter_sql(funnel, Some(opp.stage), filter);
        let sql = format!(
            "SELECT (SELECT count(*) FROM opportunities o WHERE {sql_where} AND o.value_cents > ?)
                  + (SELECT count(*) FROM opportunities o WHERE {sql_where}
                     AND o.value_cents = ? AND o.id < ?)"
        );
        let mut args = filter_args.clone();
        args.push(Arg::Int(opp.fields.value_cents));
        args.extend(filter_args);
        args.push(Arg::Int(opp.fields.value_cents));
        args.push(Arg::Card(opp.id.clone()));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let params: Vec<&dyn ToSql> = args.iter().map(|a| a as &dyn ToSql).collect();
        let rank: i64 = stmt.query_row(params.as_slice(), |r| r.get(0))?;
        Ok(usize::try_from(rank).unwrap_or(0))
    }

    /// One page of a column, biggest value first: `limit` cards from `offset` of the `count`
    /// the column holds.
    pub fn column_page(
        &self,
        funnel: &Funnel,
        stage: Stage,
        filter: &CardFilter,
        (offset, limit, count): (usize, usize, usize),
    ) -> Result<Vec<Card>> {
        let (sql_where, args) = filter_sql(funnel, Some(stage), filter);
        // A page in the back half of the column is read from its end (the index backwards), so
        // `G` in a column of 160k cards skips a handful of entries instead of all of them.
        if offset + limit / 2 > count / 2 {
            let take = limit.min(count.saturating_sub(offset));
            let skip = count.saturating_sub(offset + take);
            self.column_cards(&sql_where, args, Side::Above, take, skip, true)
        } else {
            self.column_cards(&sql_where, args, Side::Below, limit, offset, true)
        }
    }

    /// Up to `limit` cards of `card`'s column next to it, on the given side, in column order.
    /// Reading on from a card already read seeks the board index to it (its value, then its id
    /// among equal values), so scrolling costs the same a million cards down as at the top,
    /// where an offset steps through every card above. The cards come without their progress:
    /// they are read ahead of the screen, and their checklists and evidence, pages of their own
    /// apart from the card's, are read as each comes on screen ([`Store::progress`]).
    pub fn column_beside(
        &self,
        funnel: &Funnel,
        filter: &CardFilter,
        card: &Opportunity,
        side: Side,
        limit: usize,
    ) -> Result<Vec<Card>> {
        let (sql_where, args) = filter_sql(funnel, Some(card.stage), filter);
        let (beyond, tie) = match side {
            Side::Below => ("<", ">"),
            Side::Above => (">", "<"),
        };
        let value = card.fields.value_cents;
        // Two seeks: the cards of the same value past this one, then those of values beyond.
        // One condition on both (value at most V, and below V or past the id) would step over
        // every card of the same value before this one: thousands in a column of round amounts
        // at a million cards (4.4 ms a scrolled line, against 25 µs).
        let mut ties_args = args.clone();
        ties_args.extend([Arg::Int(value), Arg::Card(card.id.clone())]);
        let ties_where = format!("{sql_where} AND o.value_cents = ? AND o.id {tie} ?");
        let ties = self.column_cards(&ties_where, ties_args, side, limit, 0, false)?;
        let rest = limit - ties.len();
        if rest == 0 {
            return Ok(ties);
        }
        let mut beyond_args = args;
        beyond_args.push(Arg::Int(value));
        let beyond_where = format!("{sql_where} AND o.value_cents {beyond} ?");
        let farther = self.column_cards(&beyond_where, beyond_args, side, rest, 0, false)?;
        // In column order: below the card the ties come first, above it last.
        let (mut cards, after) = match side {
            Side::Below => (ties, farther),
            Side::Above => (farther, ties),
        };
        cards.extend(after);
        Ok(cards)
    }

    /// One card as the board draws it (a card that just moved, to show it in its new column).
    pub fn card(&self, id: &str) -> Result<Card> {
        let args = vec![Arg::Card(id.to_owned())];
        let where_id = "o.id = ? AND o.deleted_at IS NULL";
        self.column_cards(where_id, args, Side::Below, 1, 0, true)?
            .pop()
            .ok_or_else(|| StoreError::NotFound(id.to_owned()))
    }

    /// A card's progress in its current stage, as [`Store::column_page`] reads it with the card:
    /// for a card read ahead that comes on screen. The stage is the one given, so the progress
    /// matches the card as the caller holds it.
    pub fn progress(&self, card: &Opportunity) -> Result<Progress> {
        let sql = format!("SELECT {}", progress_sql("?1", "?2"));
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(params![CardKey(&card.id), card.stage], |row| {
                progress_from_row(row, 0)
            })?)
    }

    /// The cards matching a column's `sql_where`: `take` of them after skipping `skip`, counted
    /// from the column's top (`Side::Below`: going down) or from its end (`Side::Above`);
    /// returned in column order either way, `with_progress` or without.
    fn column_cards(
        &self,
        sql_where: &str,
        mut args: Vec<Arg>,
        going: Side,
        take: usize,
        skip: usize,
        with_progress: bool,
    ) -> Result<Vec<Card>> {
        let by = match going {
            Side::Below => "o.value_cents DESC, o.id",
            Side::Above => "o.value_cents ASC, o.id DESC",
        };
        // Straight from the board index in its order, no sort: a card skipped by OFFSET costs
        // a lookup of its row (the index does not hold `deleted_at`, its condition, so SQLite
        // checks the row of each entry it steps over) and no more; the checklist and evidence
        // are counted for the cards returned only. LIMIT is a literal: SQLite plans with a
        // bound LIMIT's value and so re-prepares the statement on every bind.
        let progress = if with_progress {
            format!(", {}", progress_sql("o.id", "o.stage"))
        } else {
            String::new()
        };
        let sql = format!(
            "SELECT {COLUMNS}{progress} FROM opportunities o WHERE {sql_where}
             ORDER BY {by} LIMIT {take} OFFSET ?"
        );
        args.push(Arg::Int(skip as i64));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let params: Vec<&dyn ToSql> = args.iter().map(|a| a as &dyn ToSql).collect();
        let rows = stmt.query_map(params.as_slice(), |row| {
            Ok(Card {
                opportunity: opportunity_from_row(row)?,
                progress: with_progress
                    .then(|| progress_from_row(row, 25))
                    .transpose()?,
            })
        })?;
        let mut cards = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        if going == Side::Above {
            cards.reverse();
        }
        Ok(cards)
    }

    /// Calls `f` for every opportunity matching the filter, in creation order, without
    /// loading them all (export, `list`).
    pub fn for_each_opportunity(
        &self,
        funnel: &Funnel,
        filter: &CardFilter,
        mut f: impl FnMut(Opportunity) -> Result<()>,
    ) -> Result<()> {
        self.walk(funnel, filter, COLUMNS, |row| f(opportunity_from_row(row)?))
    }

    /// Calls `f` for each row matching the filter, in id order, with `columns` selected from
    /// the table `o`.
    pub(super) fn walk(
        &self,
        funnel: &Funnel,
        filter: &CardFilter,
        columns: &str,
        mut f: impl FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        let (sql_where, args) = filter_sql(funnel, filter.stage, filter);
        // The table itself is in id order: walking it needs no sort of a million rows, which
        // the board index would (the walk reads nearly every row anyway). `+` keeps the
        // planner off that index.
        let sql_where = sql_where.replacen("o.funnel", "+o.funnel", 1);
        let sql = format!("SELECT {columns} FROM opportunities o WHERE {sql_where} ORDER BY o.id");
        let mut stmt = self.conn.prepare(&sql)?;
        let params: Vec<&dyn ToSql> = args.iter().map(|a| a as &dyn ToSql).collect();
        let mut rows = stmt.query(params.as_slice())?;
        while let Some(row) = rows.next()? {
            f(row)?;
        }
        Ok(())
    }

    /// The whole list (small funnels, tests).
    pub fn opportunities(&self, funnel: &Funnel, filter: &CardFilter) -> Result<Vec<Opportunity>> {
        let mut all = Vec::new();
        self.for_each_opportunity(funnel, filter, |o| {
            all.push(o);
            Ok(())
        })?;
        Ok(all)
    }
}

/// A bound SQL parameter of a dynamic filter.
#[derive(Debug, Clone)]
enum Arg {
    Text(String),
    Int(i64),
    /// A card's id (see [`CardKey`]).
    Card(String),
}

impl ToSql for Arg {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            Arg::Text(t) => t.to_sql(),
            Arg::Int(i) => i.to_sql(),
            Arg::Card(id) => Ok(card_bytes(id).into()),
        }
    }
}

/// The WHERE clause of a filter, with positional parameters.
fn filter_sql(funnel: &Funnel, stage: Option<Stage>, filter: &CardFilter) -> (String, Vec<Arg>) {
    let mut sql =
        String::from("o.funnel = (SELECT key FROM funnels WHERE id = ?) AND o.deleted_at IS NULL");
    let mut args = vec![Arg::Text(funnel.id.clone())];
    match (filter.status, filter.closed_too) {
        (Some(status), _) => {
            sql.push_str(" AND o.status = ?");
            args.push(Arg::Int(status_index(status)));
        }
        (None, false) => sql.push_str(" AND o.status = 0"),
        (None, true) => sql.push_str(" AND o.status IN (0, 1, 2)"),
    }
    if let Some(stage) = stage {
        // A literal, not a parameter: SQLite re-prepares a statement whose parameter took part
        // in choosing the (partial) board index each time its value changes, which a move
        // between two columns always does. Eight stages make eight cached statements.
        sql.push_str(&format!(" AND o.stage = {}", stage.index()));
    }
    if let Some(owner) = &filter.owner {
        sql.push_str(" AND o.owner = ?");
        args.push(Arg::Text(owner.clone()));
    }
    if let Some(needle) = filter.text.as_deref().filter(|t| !t.is_empty()) {
        let escaped = needle
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = format!("%{escaped}%");
        let columns = ["title", "account", "owner", "team", "region"];
        let clause = columns
            .map(|c| format!("o.{c} LIKE ? ESCAPE '\\'"))
            .join(" OR ");
        sql.push_str(&format!(" AND ({clause})"));
        args.extend(columns.map(|_| Arg::Text(pattern.clone())));
    }
    (sql, args)
}

/// Undo and redo of the board's own changes.
impl Store {
    /// Writes one undo or redo step in one transaction, so a crash never leaves half of it:
    /// the card back to a snapshot (or deleted again), a history event withdrawn or put back,
    /// and evidence withdrawn or confirmed again. Returns the card's new version and the id of
    /// the event withdrawn, if any.
    pub fn rewind(&mut self, step: &Rewind) -> Result<(i64, Option<String>)> {
        self.write(|tx| {
            let version = match step.card {
                Some(snapshot) => {
                    tx.execute(
                        "UPDATE opportunities SET deleted_at = NULL WHERE id = ?1 AND version = ?2",
                        params![CardKey(step.id), step.version],
                    )?;
                    let current = tx.load_at(step.id, Some(step.version))?;
                    let mut opp = Opportunity {
                        version: current.version,
                        updated_at: current.updated_at,
                        updated_by: current.updated_by,
                        ..snapshot.clone()
                    };
                    tx.save(&mut opp)?;
                    opp.version
                }
                None => {
                    tx.soft_delete(step.id, Some(step.version))?;
                    step.version + 1
                }
            };
            let mut retracted = None;
            match step.event {
                EventStep::Keep => {}
                EventStep::RetractLast => {
                    retracted = tx
                        .query_row(
                            "SELECT id FROM stage_events WHERE opportunity_id = ?1 AND deleted_at IS NULL
                             ORDER BY at DESC, id DESC LIMIT 1",
                            [CardKey(step.id)],
                            |r| r.get::<_, String>(0),
                        )
                        .optional()?;
                    if let Some(event) = &retracted {
                        tx.execute(
                            "UPDATE stage_events SET deleted_at = ?2, updated_at = ?2, updated_by = ?3 WHERE id = ?1",
                            params![event, tx.stamp, tx.actor],
                        )?;
                    }
                }
                EventStep::Restore(event) => {
                    tx.execute(
                        "UPDATE stage_events SET deleted_at = NULL, updated_at = ?2, updated_by = ?3 WHERE id = ?1",
                        params![event, tx.stamp, tx.actor],
                    )?;
                }
            }
            match step.evidence {
                EvidenceStep::Keep => {}
                EvidenceStep::Withdraw(stage) => {
                    tx.execute(
                        "UPDATE evidence SET deleted_at = ?3, updated_at = ?3, updated_by = ?4
                         WHERE opportunity_id = ?1 AND stage = ?2 AND deleted_at IS NULL",
                        params![CardKey(step.id), stage, tx.stamp, tx.actor],
                    )?;
                }
                EvidenceStep::Confirm(stage, note) => {
                    let evidence = crate::domain::Evidence {
                        stage,
                        confirmed_on: tx.today,
                        note: note.to_owned(),
                    };
                    tx.upsert_evidence(step.id, &evidence)?;
                }
            }
            Ok((version, retracted))
        })
    }
}

/// One undo or redo step (see [`Store::rewind`]).
#[derive(Debug, Clone, Copy)]
pub struct Rewind<'a> {
    pub id: &'a str,
    /// The version the session last wrote: another writer's change since is a conflict.
    pub version: i64,
    /// The card to write back; `None`: delete it.
    pub card: Option<&'a Opportunity>,
    pub event: EventStep<'a>,
    pub evidence: EvidenceStep<'a>,
}

#[derive(Debug, Clone, Copy)]
pub enum EventStep<'a> {
    Keep,
    RetractLast,
    Restore(&'a str),
}

#[derive(Debug, Clone, Copy)]
pub enum EvidenceStep<'a> {
    Keep,
    Withdraw(Stage),
    Confirm(Stage, &'a str),
}
