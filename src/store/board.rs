//! Reading cards as the board and the lists show them: the filter of a column or a list, pages
//! of a column in its order (biggest value first) read straight from the board index, the
//! cards beside one, a card's progress in its stage, column totals from the running totals,
//! and walks over every card that matches (export, `list`, `check`).

use chrono::NaiveDate;
use rusqlite::{Row, ToSql, params};

use super::card_key::{CardKey, card_bytes};
use super::funnels::{stage_from_index, status_index};
use super::opportunities::{COLUMN_COUNT, COLUMNS, opportunity_from_row};
use super::{Day, Funnel, Result, Store, StoreError};
use crate::domain::{Flag, FlagCounts, Opportunity, Stage, Status};

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
    /// Only this team's, region's, territory's or product's cards (the board's filter).
    pub team: Option<String>,
    pub region: Option<String>,
    pub territory: Option<String>,
    pub product: Option<String>,
    /// Only cards expected to close on or after this day…
    pub closing_from: Option<NaiveDate>,
    /// …and on or before this one (a card without an expected close is left out).
    pub closing_to: Option<NaiveDate>,
    /// Only cards whose next step was due before this day: overdue on it.
    pub due_before: Option<NaiveDate>,
    /// Only open cards without a dated next step.
    pub no_next_step: bool,
    /// Only cards whose last move was made without its evidence (unverified).
    pub unverified: bool,
    /// The order of a column's cards.
    pub order: ColumnOrder,
}

/// The order of a board column's cards, each read straight from an index (open cards; a
/// column with closed cards too is sorted). Equal keys go by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum ColumnOrder {
    /// Biggest value first.
    #[default]
    Value,
    /// Soonest expected close first; cards without one last.
    ExpectedClose,
    /// Soonest next step first; cards without one last.
    NextStepDue,
    /// Longest in the stage first.
    DaysInStage,
}

/// What stands for "no date" in the orders by a date: after every day.
const NO_DAY: i64 = 2_147_483_647;

/// A card's next step day as the index by next step has it.
const NEXT_STEP_KEY: &str = "coalesce(o.next_step_due, 2147483647)";

impl ColumnOrder {
    pub const ALL: [ColumnOrder; 4] = [
        ColumnOrder::Value,
        ColumnOrder::ExpectedClose,
        ColumnOrder::NextStepDue,
        ColumnOrder::DaysInStage,
    ];

    /// How a setting (see [`Store::set_funnel_setting`]) or a command names it.
    pub fn name(self) -> &'static str {
        match self {
            ColumnOrder::Value => "value",
            ColumnOrder::ExpectedClose => "expected_close",
            ColumnOrder::NextStepDue => "next_step_due",
            ColumnOrder::DaysInStage => "days_in_stage",
        }
    }

    /// The order of that [`ColumnOrder::name`], if any.
    pub fn from_name(name: &str) -> Option<ColumnOrder> {
        ColumnOrder::ALL.into_iter().find(|o| o.name() == name)
    }

    /// The SQL of the key of card `o`, as the order's index has it.
    fn key_sql(self) -> &'static str {
        match self {
            ColumnOrder::Value => "o.value_cents",
            ColumnOrder::ExpectedClose => "coalesce(o.expected_close, 2147483647)",
            ColumnOrder::NextStepDue => "coalesce(o.next_step_due, 2147483647)",
            ColumnOrder::DaysInStage => "o.stage_since",
        }
    }

    /// The key of a card, as [`ColumnOrder::key_sql`] computes it.
    fn key(self, card: &Opportunity) -> i64 {
        let day = |d: Option<NaiveDate>| d.map_or(NO_DAY, |d| Day(d).number());
        match self {
            ColumnOrder::Value => card.fields.value_cents,
            ColumnOrder::ExpectedClose => day(card.fields.expected_close),
            ColumnOrder::NextStepDue => day(card.fields.next_step_due),
            ColumnOrder::DaysInStage => Day(card.stage_since).number(),
        }
    }

    /// Whether the column's top has the biggest keys.
    fn descending(self) -> bool {
        self == ColumnOrder::Value
    }

    /// The comparison of keys nearer the column's top than a card's (`<` or `>`), and of
    /// those farther.
    fn above_below(self) -> (&'static str, &'static str) {
        if self.descending() {
            (">", "<")
        } else {
            ("<", ">")
        }
    }
}

impl CardFilter {
    /// Whether the running totals (by owner and status) count what this filter shows: any
    /// other condition counts through the cards themselves.
    pub fn totals_count_it(&self) -> bool {
        let CardFilter {
            owner: _,
            text,
            status: _,
            closed_too: _,
            stage: _,
            team,
            region,
            territory,
            product,
            closing_from,
            closing_to,
            due_before,
            no_next_step,
            unverified,
            order: _,
        } = self;
        text.as_deref().is_none_or(str::is_empty)
            && [team, region, territory, product]
                .iter()
                .all(|f| f.is_none())
            && closing_from.is_none()
            && closing_to.is_none()
            && due_before.is_none()
            && !no_next_step
            && !unverified
    }
}

/// Which way from a card of a column: towards its top (bigger values) or its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Above,
    Below,
}

/// A card as the board draws it: the opportunity, the day of its latest activity (for its
/// upkeep flags) and its current stage's progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub opportunity: Opportunity,
    pub last_activity: Option<NaiveDate>,
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

impl Store {
    /// Total count and value of the cards each of the given columns shows. Without a text
    /// filter (nor another the totals do not keep) they come from the running totals (which
    /// have the owner), in one pass for all the columns; such a filter counts through the
    /// index, column by column.
    pub fn column_totals(
        &self,
        funnel: &Funnel,
        filter: &CardFilter,
        stages: &[Stage],
    ) -> Result<Vec<(i64, i128)>> {
        if filter.totals_count_it() {
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

    /// How many open cards of each of the given columns have their next step overdue on
    /// `today`, have none, and have their expected close passed, each counted up to `cap` (a
    /// column header shows them): each a range of the index of a board order (by next step, by
    /// expected close), where counting stops at `cap`, so a column of a million cards costs what
    /// `cap` cards do. The other flags are left at zero.
    pub fn column_flag_counts(
        &self,
        funnel: &Funnel,
        filter: &CardFilter,
        stages: &[Stage],
        today: NaiveDate,
        cap: usize,
    ) -> Result<Vec<FlagCounts>> {
        let count = |stage: Stage, condition: &str, day: Option<NaiveDate>| -> Result<u64> {
            let (sql_where, mut args) = filter_sql(funnel, Some(stage), filter);
            args.extend(day.map(|d| Arg::Int(Day(d).number())));
            let mut stmt = self
                .conn
                .prepare_cached(&flagged_sql(&sql_where, condition, cap))?;
            let params: Vec<&dyn ToSql> = args.iter().map(|a| a as &dyn ToSql).collect();
            let n: i64 = stmt.query_row(params.as_slice(), |r| r.get(0))?;
            Ok(u64::try_from(n).unwrap_or(0))
        };
        stages
            .iter()
            .map(|s| {
                let mut counts = FlagCounts::default();
                for (flag, condition, on_today) in header_flags() {
                    counts.0[flag.index()] = count(*s, &condition, on_today.then_some(today))?;
                }
                Ok(counts)
            })
            .collect()
    }

    /// Where a card sits in its column's order (the filter's), so the selection can follow a
    /// card that moved.
    pub fn rank_in_column(
        &self,
        funnel: &Funnel,
        opp: &Opportunity,
        filter: &CardFilter,
    ) -> Result<usize> {
        // Two counts, each a range of the board index: with an OR the planner scans the whole
        // column (700 ms at a million cards).
        let (sql_where, filter_args) = filter_sql(funnel, Some(opp.stage), filter);
        let order = filter.order;
        let sql = rank_sql(&sql_where, order);
        let mut args = filter_args.clone();
        args.push(Arg::Int(order.key(opp)));
        args.extend(filter_args);
        args.push(Arg::Int(order.key(opp)));
        args.push(Arg::Card(opp.id.clone()));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let params: Vec<&dyn ToSql> = args.iter().map(|a| a as &dyn ToSql).collect();
        let rank: i64 = stmt.query_row(params.as_slice(), |r| r.get(0))?;
        Ok(usize::try_from(rank).unwrap_or(0))
    }

    /// One page of a column in the filter's order: `limit` cards from `offset` of the `count`
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
            self.column_cards(
                &sql_where,
                args,
                Some(filter.order),
                Side::Above,
                take,
                skip,
                true,
            )
        } else {
            self.column_cards(
                &sql_where,
                args,
                Some(filter.order),
                Side::Below,
                limit,
                offset,
                true,
            )
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
        let order = filter.order;
        let value = order.key(card);
        let (ties_where, beyond_where) = beside_sql(&sql_where, order, side);
        // Two seeks: the cards of the same value past this one, then those of values beyond.
        // One condition on both (value at most V, and below V or past the id) would step over
        // every card of the same value before this one: thousands in a column of round amounts
        // at a million cards (4.4 ms a scrolled line, against 25 µs).
        let mut ties_args = args.clone();
        ties_args.extend([Arg::Int(value), Arg::Card(card.id.clone())]);
        let ties = self.column_cards(&ties_where, ties_args, None, side, limit, 0, false)?;
        let rest = limit - ties.len();
        if rest == 0 {
            return Ok(ties);
        }
        let mut beyond_args = args;
        beyond_args.push(Arg::Int(value));
        let farther = self.column_cards(
            &beyond_where,
            beyond_args,
            Some(order),
            side,
            rest,
            0,
            false,
        )?;
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
        self.column_cards(where_id, args, None, Side::Below, 1, 0, true)?
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
    /// returned in column order either way, `with_progress` or without; `order`: `None` for
    /// cards of one key.
    #[allow(clippy::too_many_arguments)]
    fn column_cards(
        &self,
        sql_where: &str,
        mut args: Vec<Arg>,
        order: Option<ColumnOrder>,
        going: Side,
        take: usize,
        skip: usize,
        with_progress: bool,
    ) -> Result<Vec<Card>> {
        let sql = column_sql(sql_where, order, going, take, with_progress);
        args.push(Arg::Int(skip as i64));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let params: Vec<&dyn ToSql> = args.iter().map(|a| a as &dyn ToSql).collect();
        let rows = stmt.query_map(params.as_slice(), |row| {
            Ok(Card {
                opportunity: opportunity_from_row(row)?,
                last_activity: row.get::<_, Option<Day>>(COLUMN_COUNT)?.map(|d| d.0),
                progress: with_progress
                    .then(|| progress_from_row(row, COLUMN_COUNT + 1))
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

/// Where a card of a column is (see [`Store::rank_in_column`]): how many cards come before its
/// key, plus how many of its key before its id (`?` after each WHERE: the key, the key, the id).
fn rank_sql(sql_where: &str, order: ColumnOrder) -> String {
    let (key, above) = (order.key_sql(), order.above_below().0);
    // By value, the board's index: SQLite would rather count the agenda's, which holds what
    // the count checks, but its range is every stage's cards of bigger values.
    let index = match order {
        ColumnOrder::Value => " INDEXED BY opportunities_board",
        _ => "",
    };
    format!(
        "SELECT (SELECT count(*) FROM opportunities o{index} WHERE {sql_where} AND {key} {above} ?)
              + (SELECT count(*) FROM opportunities o{index} WHERE {sql_where}
                 AND {key} = ? AND o.id < ?)"
    )
}

/// The conditions of the cards beside one on `side` (see [`Store::column_beside`]): those of
/// its key past its id (`?` the key, then the id), and those of keys beyond (`?` the key).
fn beside_sql(sql_where: &str, order: ColumnOrder, side: Side) -> (String, String) {
    let (above, below) = order.above_below();
    let (beyond, tie) = match side {
        Side::Below => (below, ">"),
        Side::Above => (above, "<"),
    };
    let key = order.key_sql();
    (
        format!("{sql_where} AND {key} = ? AND o.id {tie} ?"),
        format!("{sql_where} AND {key} {beyond} ?"),
    )
}

/// The statement of [`Store::column_cards`], its `?` after the WHERE's the cards skipped.
fn column_sql(
    sql_where: &str,
    order: Option<ColumnOrder>,
    going: Side,
    take: usize,
    with_progress: bool,
) -> String {
    // Cards of one key (`None`) go by id alone: SQLite sees an order by a key held equal as
    // the index's own for a column, not for an expression (it would sort every tie). Going
    // up the column reads every key the other way.
    let dir = |descending: bool| match descending != (going == Side::Above) {
        true => "DESC",
        false => "ASC",
    };
    let key = order.map(|o| format!("{} {}, ", o.key_sql(), dir(o.descending())));
    let by = format!("{}o.id {}", key.unwrap_or_default(), dir(false));
    // Straight from the order's index, no sort: a card skipped by OFFSET costs a lookup of its
    // row when the index does not hold `deleted_at`, its condition (the board's index; the
    // other orders' hold it), and no more; the checklist and evidence are counted for the
    // cards returned only. LIMIT is a literal: SQLite plans with a bound LIMIT's value and so
    // re-prepares the statement on every bind.
    let progress = if with_progress {
        format!(", {}", progress_sql("o.id", "o.stage"))
    } else {
        String::new()
    };
    format!(
        "SELECT {COLUMNS}, o.last_activity{progress} FROM opportunities o WHERE {sql_where}
         ORDER BY {by} LIMIT {take} OFFSET ?"
    )
}

/// The flags a column header counts, each with its condition on a card `o` (a range of the
/// index of a board order) and whether it takes today (`?`).
fn header_flags() -> [(Flag, String, bool); 3] {
    let close_key = ColumnOrder::ExpectedClose.key_sql();
    [
        (Flag::Overdue, format!("{NEXT_STEP_KEY} < ?"), true),
        (
            Flag::NoNextStep,
            format!("{NEXT_STEP_KEY} = {NO_DAY}"),
            false,
        ),
        (Flag::ClosePassed, format!("{close_key} < ?"), true),
    ]
}

/// How many open cards of a column (`sql_where`) meet `condition`, counted up to `cap`.
fn flagged_sql(sql_where: &str, condition: &str, cap: usize) -> String {
    format!(
        "SELECT count(*) FROM (SELECT 1 FROM opportunities o
         WHERE {sql_where} AND o.status = 0 AND {condition} LIMIT {cap})"
    )
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
    for (column, value) in [
        ("team", &filter.team),
        ("region", &filter.region),
        ("territory", &filter.territory),
        ("product", &filter.product),
    ] {
        if let Some(value) = value {
            sql.push_str(&format!(" AND o.{column} = ?"));
            args.push(Arg::Text(value.clone()));
        }
    }
    for (condition, day) in [
        ("o.expected_close >= ?", filter.closing_from),
        ("o.expected_close <= ?", filter.closing_to),
        ("o.status = 0 AND o.next_step_due < ?", filter.due_before),
    ] {
        if let Some(day) = day {
            sql.push_str(&format!(" AND {condition}"));
            args.push(Arg::Int(Day(day).number()));
        }
    }
    if filter.no_next_step {
        sql.push_str(" AND o.status = 0 AND o.next_step_due IS NULL");
    }
    if filter.unverified {
        // The card's last move: the evidence of the stage it left was not confirmed.
        sql.push_str(
            " AND (SELECT NOT e.evidence_confirmed FROM stage_events e
                   WHERE e.opportunity_id = o.id AND e.kind = 'moved' AND e.deleted_at IS NULL
                   ORDER BY e.at DESC, e.id DESC LIMIT 1)",
        );
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::{plan, setup};

    /// A column header's counts are each a range of a board order's index.
    #[test]
    fn a_header_counts_its_flags_from_the_orders_indexes() {
        let (store, funnel) = setup();
        let (sql_where, _) = filter_sql(&funnel, Some(Stage::Closing), &CardFilter::default());
        for (flag, condition, _) in header_flags() {
            let plan = plan(&store, &flagged_sql(&sql_where, &condition, 100));
            let index = match flag {
                Flag::ClosePassed => "opportunities_by_close",
                _ => "opportunities_by_next_step",
            };
            assert!(
                plan.contains(&format!(
                    "COVERING INDEX {index} (funnel=? AND stage=? AND <expr>"
                )),
                "{flag:?}: {plan}"
            );
        }
    }

    /// Every order pages, ranks and reads beside a card of an open column from its index,
    /// without sorting.
    #[test]
    fn each_column_order_reads_from_its_index() {
        let (store, funnel) = setup();
        let indexes = [
            (
                ColumnOrder::Value,
                "opportunities_board|opportunities_agenda",
            ),
            (ColumnOrder::ExpectedClose, "opportunities_by_close"),
            (ColumnOrder::NextStepDue, "opportunities_by_next_step"),
            (ColumnOrder::DaysInStage, "opportunities_overdue"),
        ];
        for (order, index) in indexes {
            let filter = CardFilter {
                order,
                ..CardFilter::default()
            };
            let (sql_where, _) = filter_sql(&funnel, Some(Stage::ImpactDefined), &filter);
            let mut statements = vec![rank_sql(&sql_where, order)];
            for side in [Side::Below, Side::Above] {
                statements.push(column_sql(&sql_where, Some(order), side, 20, true));
                let (ties, beyond) = beside_sql(&sql_where, order, side);
                statements.push(column_sql(&ties, None, side, 20, false));
                statements.push(column_sql(&beyond, Some(order), side, 20, false));
            }
            for sql in statements {
                let plan = plan(&store, &sql);
                let searches: Vec<&str> = plan.lines().filter(|l| l.contains(" o USING")).collect();
                assert!(!searches.is_empty(), "{order:?}: {plan}");
                for line in searches {
                    let found = index
                        .split('|')
                        .any(|i| line.contains(&format!("INDEX {i} ")));
                    assert!(found, "{order:?}: {plan}");
                }
                assert!(
                    !plan.contains("TEMP B-TREE") && !plan.contains("SCAN o"),
                    "{order:?}: {plan}"
                );
            }
        }
    }
}
