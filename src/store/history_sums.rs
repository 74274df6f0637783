//! Sums over the stage history, kept current so that the conversion paths, the days spent per
//! stage visit and the purchase lead times are read from a few hundred rows instead of a pass
//! over every card and its whole history (tens of seconds at a million cards).
//!
//! Three small tables of counts, keyed by funnel and owner (so the seller filter still works):
//! `journey_counts` (a card's path: created stage, furthest stage, status), `stage_day_counts`
//! (finished stage visits: stage, whole days) and `purchase_day_counts` (won cards: days from
//! creation to winning). Triggers keep them in the same transaction as every write, whoever
//! writes (the store, or a pull's plain SQL). They follow the definitions of the scans exactly:
//! soft-deleted events and cards count for nothing, a card without history counts from its
//! current stage, visits are ordered by (at, id), start with a 'created', 'moved' or
//! 'reopened' event and end at the next event of the card, whatever its kind.
//!
//! `history_paths` is a memo per card of its history's lowest, highest and created stage and
//! its latest event, so that a move, a close or a reopen (an event appended at the end) costs a
//! few lookups by key however long the card's history is. A card gets its memo from its
//! history the first time a trigger needs it; rarer changes (an event withdrawn or edited, or
//! inserted before the latest) look at the card's history and drop the memo.
//!
//! Bulk loads drop the triggers (see `import::suspend_derived`) and sum the cards as they write
//! them ([`HistorySums`]). The schema step counts the data already there once ([`RECOUNTS`]).

use chrono::NaiveDate;
use rusqlite::params;
use std::collections::HashMap;

use super::funnels::status_index;
use super::sync::PulledCard;
use super::{Result, Tx};
use crate::domain::{EventKind, Opportunity, Stage, Status};

/// The tables and their triggers (the schema step, as released: see
/// [`by_funnel_id`](super::schema::by_funnel_id)), then the sums of the data already there.
pub(super) fn schema() -> String {
    let mut sql = String::from(TABLES);
    sql.push_str(&triggers());
    sql.push_str(&fill());
    by_text_dates(&super::schema::by_funnel_id(&sql))
}

/// `sql` as released before cards' dates were day numbers (see
/// [`Day`](super::Day)): the days from creation to winning were counted from ISO text.
fn by_text_dates(sql: &str) -> String {
    ["NEW.", "OLD.", ""].iter().fold(sql.to_owned(), |sql, c| {
        sql.replace(
            &format!("{c}closed - {c}created"),
            &format!("CAST(julianday({c}closed) - julianday({c}created) AS INTEGER)"),
        )
    })
}

pub(super) const TABLES: &str = r#"
CREATE TABLE journey_counts (
    funnel INTEGER NOT NULL,
    owner TEXT NOT NULL,
    first INTEGER NOT NULL,
    last INTEGER NOT NULL,
    status INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (funnel, owner, first, last, status)
) WITHOUT ROWID;
CREATE TABLE stage_day_counts (
    funnel INTEGER NOT NULL,
    owner TEXT NOT NULL,
    stage INTEGER NOT NULL,
    days INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (funnel, owner, stage, days)
) WITHOUT ROWID;
CREATE TABLE purchase_day_counts (
    funnel INTEGER NOT NULL,
    owner TEXT NOT NULL,
    days INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (funnel, owner, days)
) WITHOUT ROWID;
-- Per card, of its events not deleted: the lowest stage a 'created' event went to, the lowest
-- and highest stage any went to (NULL without events) and the latest by (at, id), whether it
-- starts a visit. A card without a row has not been needed since the last bulk load.
CREATE TABLE history_paths (
    opportunity_id TEXT PRIMARY KEY NOT NULL,
    created INTEGER,
    lowest INTEGER,
    highest INTEGER,
    last_at TEXT,
    last_id TEXT,
    last_stage INTEGER,
    last_opens INTEGER
) WITHOUT ROWID;
"#;

/// Each table's rows counted from the cards and their histories: what the triggers keep (the
/// schema step fills the tables with them; `funnel check` compares).
pub(super) const RECOUNTS: [(&str, &str); 3] = [
    (
        "journey_counts",
        "SELECT funnel, owner, first, last, status, count(*) FROM (
    SELECT o.funnel, o.owner, coalesce(e.created, e.lowest, o.stage) AS first,
           max(coalesce(e.highest, o.stage), o.stage) AS last, o.status
    FROM opportunities o LEFT JOIN (
        SELECT opportunity_id, min(CASE WHEN kind = 'created' THEN to_stage END) AS created,
               min(to_stage) AS lowest, max(to_stage) AS highest
        FROM stage_events WHERE deleted_at IS NULL GROUP BY opportunity_id
    ) e ON e.opportunity_id = o.id
    WHERE o.deleted_at IS NULL)
GROUP BY 1, 2, 3, 4, 5",
    ),
    (
        "stage_day_counts",
        "SELECT o.funnel, o.owner, v.stage, v.days, count(*) FROM (
    SELECT opportunity_id, to_stage AS stage, kind,
           CAST(julianday(substr(lead(at) OVER w, 1, 10)) - julianday(substr(at, 1, 10))
                AS INTEGER) AS days
    FROM stage_events WHERE deleted_at IS NULL
    WINDOW w AS (PARTITION BY opportunity_id ORDER BY at, id)
) v JOIN opportunities o ON o.id = v.opportunity_id AND o.deleted_at IS NULL
WHERE v.days IS NOT NULL AND v.kind IN ('created', 'moved', 'reopened')
GROUP BY 1, 2, 3, 4",
    ),
    (
        "purchase_day_counts",
        "SELECT funnel, owner, days, count(*) FROM (
    SELECT funnel, owner, closed - created AS days
    FROM opportunities WHERE deleted_at IS NULL AND status = 1 AND closed >= created)
WHERE days IS NOT NULL
GROUP BY 1, 2, 3",
    ),
];

/// Every sum counted from the cards and their history (the schema step, for a file that already
/// has cards). Memos are dropped: they are made again on demand.
fn fill() -> String {
    let mut sql = String::from("\nDELETE FROM history_paths;\n");
    for (table, recount) in RECOUNTS {
        sql.push_str(&format!(
            "DELETE FROM {table};\nINSERT INTO {table}\n{recount};\n"
        ));
    }
    sql
}

/// Whether the event kind `kind` starts a stage visit (comparisons rather than an `IN` list,
/// which SQLite would build as a table on every firing of a trigger).
fn opens(kind: &str) -> String {
    format!("({kind} = 'created' OR {kind} = 'moved' OR {kind} = 'reopened')")
}

/// Adds a signed count to a row of a sums table (the row is made when missing; rows that fall
/// to zero are kept, and left out when read).
const ADD_COUNT: &str = "ON CONFLICT DO UPDATE SET count = count + excluded.count;";

/// Whole days between two stamps' dates, as the scans count them.
fn days(from: &str, to: &str) -> String {
    format!("CAST(julianday(substr({to}, 1, 10)) - julianday(substr({from}, 1, 10)) AS INTEGER)")
}

/// A history summary: (created, lowest, highest) as SQL expressions.
type Summary = (String, String, String);

/// A summary with the event `e` (a trigger's `NEW` or `OLD`) added.
fn with_event((created, lowest, highest): &Summary, e: &str) -> Summary {
    let to = format!("{e}.to_stage");
    (
        format!("iif({e}.kind = 'created', min(coalesce({created}, {to}), {to}), {created})"),
        format!("min(coalesce({lowest}, {to}), {to})"),
        format!("max(coalesce({highest}, {to}), {to})"),
    )
}

/// A card's path (first stage, furthest stage) from its history summary and current stage.
fn path((created, lowest, highest): &Summary, stage: &str) -> (String, String) {
    (
        format!("coalesce({created}, {lowest}, {stage})"),
        format!("max(coalesce({highest}, {stage}), {stage})"),
    )
}

/// The memo's summary.
fn memo() -> Summary {
    ("m.created".into(), "m.lowest".into(), "m.highest".into())
}

/// One side of a card's contribution to `journey_counts`: `card` is the alias of its row (a
/// trigger's `OLD`/`NEW`, or `o`), `summary` its history's.
struct Side<'a> {
    card: &'a str,
    summary: Summary,
}

impl Side<'_> {
    fn key(&self) -> String {
        let (first, last) = path(&self.summary, &format!("{}.stage", self.card));
        let c = self.card;
        format!("{c}.funnel, {c}.owner, {first}, {last}, {c}.status")
    }
}

/// Moves one card's count in `journey_counts` from the path `from` to the path `to` (either
/// may be absent), unless they are the same; `tables` and `filter` join what the sides read.
fn journey_move(from: Option<&Side>, to: Option<&Side>, tables: &str, filter: &str) -> String {
    let alive = |s: &Side| format!("{}.deleted_at IS NULL", s.card);
    let row = |s: &Side| format!("({}, {})", alive(s), s.key());
    let differ = match (from, to) {
        (Some(f), Some(t)) => format!("AND {} IS NOT {}", row(f), row(t)),
        _ => String::new(),
    };
    let mut sql = String::new();
    for (side, sign) in [(from, -1), (to, 1)] {
        if let Some(s) = side {
            sql.push_str(&format!(
                "INSERT INTO journey_counts SELECT {}, {sign} FROM {tables}
                 WHERE {filter} AND {} {differ}\n{ADD_COUNT}\n",
                s.key(),
                alive(s)
            ));
        }
    }
    sql
}

/// Makes the memo of card `id` from its history (leaving out the event `except`) if it has
/// none. The subqueries over the history are correlated with the card's row, so SQLite cannot
/// evaluate them once up front: they run only when the memo is missing.
fn ensure_memo(id: &str, except: &str) -> String {
    let of = format!(
        "FROM stage_events e
         WHERE e.opportunity_id = c.id AND e.deleted_at IS NULL AND e.id IS NOT {except}"
    );
    let l_opens = opens("l.kind");
    format!(
        "INSERT INTO history_paths
         SELECT c.id, (SELECT min(e.to_stage) {of} AND e.kind = 'created'),
                (SELECT min(e.to_stage) {of}), (SELECT max(e.to_stage) {of}),
                l.at, l.id, l.to_stage, {l_opens}
         FROM opportunities c LEFT JOIN stage_events l
              ON l.id = (SELECT e.id {of} ORDER BY e.at DESC, e.id DESC LIMIT 1)
         WHERE c.id = {id}
           AND NOT EXISTS (SELECT 1 FROM history_paths h WHERE h.opportunity_id = c.id);\n"
    )
}

/// The history summary of card `id` as a one-row subquery `r` (no memo needed: a card being
/// inserted has no history yet, one being deleted has no memo to keep).
fn summary_of(id: &str, except: &str, guard: &str) -> String {
    format!(
        "(SELECT min(CASE WHEN kind = 'created' THEN to_stage END) AS created,
                 min(to_stage) AS lowest, max(to_stage) AS highest
          FROM stage_events
          WHERE {guard} AND opportunity_id = {id} AND deleted_at IS NULL AND id IS NOT {except}
         ) r"
    )
}

fn rest() -> Summary {
    ("r.created".into(), "r.lowest".into(), "r.highest".into())
}

/// The event of card `id` just before (`before`) or after the event `e` by (at, id), leaving
/// `e` out: a subquery of at most one row, reading nothing unless `guard` holds (a condition
/// on the trigger's row only: SQLite tests it before the loop of the innermost query).
fn neighbour(id: &str, e: &str, before: bool, guard: &str) -> String {
    let (cmp, order) = if before { ("<", "DESC") } else { (">", "ASC") };
    format!(
        "(SELECT at, to_stage, kind FROM stage_events
          WHERE {guard} AND opportunity_id = {id} AND deleted_at IS NULL AND id <> {e}.id
            AND at {cmp}= {e}.at AND (at {cmp} {e}.at OR id {cmp} {e}.id)
          ORDER BY at {order}, id {order} LIMIT 1)"
    )
}

/// The visits that change when the event `e` comes into (`sign` 1) or leaves (-1) the
/// history of its card at any place, found by looking at its neighbours: the previous event's
/// visit now ends at `e` instead of at the next one, and `e` starts a visit ending at the next.
fn visits_around(e: &str, sign: i32, guard: &str) -> String {
    let id = format!("{e}.opportunity_id");
    let (p, s) = (
        neighbour(&id, e, true, guard),
        neighbour(&id, e, false, guard),
    );
    let cut = -sign;
    format!(
        "INSERT INTO stage_day_counts
         SELECT o.funnel, o.owner, v.stage, v.days, v.n FROM opportunities o JOIN (
             SELECT p.to_stage AS stage, {ps} AS days, {cut} AS n FROM {p} p JOIN {s} s
             WHERE {p_opens}
             UNION ALL SELECT p.to_stage, {pe}, {sign} FROM {p} p WHERE {p_opens}
             UNION ALL SELECT {e}.to_stage, {es}, {sign} FROM {s} s WHERE {e_opens}
         ) v
         WHERE {guard} AND o.id = {id} AND o.deleted_at IS NULL AND v.days IS NOT NULL
         {ADD_COUNT}\n",
        ps = days("p.at", "s.at"),
        pe = days("p.at", &format!("{e}.at")),
        es = days(&format!("{e}.at"), "s.at"),
        p_opens = opens("p.kind"),
        e_opens = opens(&format!("{e}.kind")),
    )
}

/// Whether the card of the event `e` has a later event, by its memo (which an appended `e`
/// leaves saying so: the latest is `e` or was already later), else by its history.
fn earlier(e: &str) -> String {
    let id = format!("{e}.opportunity_id");
    format!(
        "(EXISTS (SELECT 1 FROM history_paths m
                  WHERE m.opportunity_id = {id} AND ({e}.at, {e}.id) < (m.last_at, m.last_id))
          OR NOT EXISTS (SELECT 1 FROM history_paths m WHERE m.opportunity_id = {id})
             AND EXISTS (SELECT 1 FROM stage_events
                         WHERE opportunity_id = {id} AND deleted_at IS NULL AND id <> {e}.id
                           AND at >= {e}.at AND (at > {e}.at OR id > {e}.id)))"
    )
}

/// The event `e` (`NEW`) comes into its card's history (it is not deleted): the card's path,
/// the visit it ends and the memo. An event after the latest (a move, a close, a reopen) reads
/// only the memo; one inserted earlier (an import, a pull) looks at its neighbours, in this
/// body if `inline_earlier`, else in a trigger of its own (so that the common case does not
/// even compile that statement into its program).
fn event_added(e: &str, guard: &str, inline_earlier: bool) -> String {
    let id = format!("{e}.opportunity_id");
    let later = format!("({e}.at, {e}.id) > (m.last_at, m.last_id)");
    let mut sql = ensure_memo(&id, &format!("{e}.id"));
    let before = Side {
        card: "o",
        summary: memo(),
    };
    let after = Side {
        card: "o",
        summary: with_event(&memo(), e),
    };
    // Most events (a move, once the card's row has moved) leave the path as it is: that is
    // told from the memo alone, before the card is read.
    let may_change = format!(
        "({e}.to_stage > coalesce(m.highest, -1) OR m.lowest IS NULL
          OR {e}.kind = 'created' AND {e}.to_stage < coalesce(m.created, {count})
          OR m.created IS NULL AND {e}.to_stage < m.lowest)",
        count = Stage::COUNT
    );
    sql.push_str(&journey_move(
        Some(&before),
        Some(&after),
        "history_paths m JOIN opportunities o ON o.id = m.opportunity_id",
        &format!("{guard} AND m.opportunity_id = {id} AND {may_change}"),
    ));
    // Appended: the latest event's visit, if it started one, ends here.
    sql.push_str(&format!(
        "INSERT INTO stage_day_counts
         SELECT o.funnel, o.owner, m.last_stage, {d}, 1
         FROM history_paths m JOIN opportunities o ON o.id = m.opportunity_id
         WHERE {guard} AND m.opportunity_id = {id} AND o.deleted_at IS NULL AND m.last_opens
           AND {later} AND {d} IS NOT NULL
         {ADD_COUNT}\n",
        d = days("m.last_at", &format!("{e}.at")),
    ));
    if inline_earlier {
        let earlier = format!("{guard} AND {}", earlier(e));
        sql.push_str(&visits_around(e, 1, &earlier));
    }
    let (created, lowest, highest) =
        with_event(&("created".into(), "lowest".into(), "highest".into()), e);
    let latest = format!("last_at IS NULL OR ({e}.at, {e}.id) > (last_at, last_id)");
    let e_opens = opens(&format!("{e}.kind"));
    sql.push_str(&format!(
        "UPDATE history_paths SET created = {created}, lowest = {lowest}, highest = {highest},
            last_at = iif({latest}, {e}.at, last_at), last_id = iif({latest}, {e}.id, last_id),
            last_stage = iif({latest}, {e}.to_stage, last_stage),
            last_opens = iif({latest}, {e_opens}, last_opens)
         WHERE {guard} AND opportunity_id = {id};\n"
    ));
    sql
}

/// The event `e` (`OLD`, not deleted) leaves its card's history (withdrawn by an undo, edited or
/// removed): the path from the rest of the history, the visits around it, and the memo is
/// dropped (made again when next needed).
fn event_removed(e: &str, guard: &str) -> String {
    let id = format!("{e}.opportunity_id");
    let before = Side {
        card: "o",
        summary: with_event(&rest(), e),
    };
    let after = Side {
        card: "o",
        summary: rest(),
    };
    let tables = format!(
        "opportunities o JOIN {}",
        summary_of(&id, &format!("{e}.id"), guard)
    );
    let mut sql = journey_move(
        Some(&before),
        Some(&after),
        &tables,
        &format!("{guard} AND o.id = {id}"),
    );
    sql.push_str(&visits_around(e, -1, guard));
    sql.push_str(&format!(
        "DELETE FROM history_paths WHERE {guard} AND opportunity_id = {id};\n"
    ));
    sql
}

/// Every finished visit of the card `c` (a trigger's `OLD` or `NEW`) counted `sign` times
/// under its funnel and owner, if it is not deleted.
fn card_visits(c: &str, sign: i32) -> String {
    format!(
        "INSERT INTO stage_day_counts
         SELECT {c}.funnel, {c}.owner, stage, days, {sign} * count(*) FROM (
             SELECT to_stage AS stage, kind, {d} AS days
             FROM stage_events WHERE opportunity_id = {c}.id AND deleted_at IS NULL
             WINDOW w AS (ORDER BY at, id))
         WHERE {c}.deleted_at IS NULL AND days IS NOT NULL AND {opens}
         GROUP BY stage, days
         {ADD_COUNT}\n",
        d = days("at", "lead(at) OVER w"),
        opens = opens("kind"),
    )
}

/// The card `c` counted `sign` times in `purchase_day_counts`, if it is a live won card.
fn card_purchase(c: &str, sign: i32) -> String {
    let d = format!("{c}.closed - {c}.created");
    format!(
        "INSERT INTO purchase_day_counts SELECT {c}.funnel, {c}.owner, {d}, {sign}
         WHERE {c}.deleted_at IS NULL AND {c}.status = 1 AND {c}.closed >= {c}.created
           AND {d} IS NOT NULL
         {ADD_COUNT}\n"
    )
}

/// The card `c`'s path counted `sign` times (a card inserted or deleted).
fn card_path(c: &str, sign: i32) -> String {
    let side = Side {
        card: c,
        summary: rest(),
    };
    let (from, to) = if sign < 0 {
        (Some(&side), None)
    } else {
        (None, Some(&side))
    };
    let tables = summary_of(&format!("{c}.id"), "NULL", "true");
    journey_move(from, to, &tables, "true")
}

/// The triggers, named `history_sums_…` (bulk loads drop them by that name). A card's change
/// of stage moves its path only when one of the two stages is beyond its
/// history's highest (a move back, or forward to a stage already reached, changes nothing).
pub(super) fn triggers() -> String {
    let changed = |columns: &[&str]| {
        let row = |side: &str| {
            let mut values: Vec<String> = columns.iter().map(|c| format!("{side}.{c}")).collect();
            values.push(format!("{side}.deleted_at IS NULL"));
            format!("({})", values.join(", "))
        };
        format!("{} IS NOT {}", row("OLD"), row("NEW"))
    };
    let path_columns = ["funnel", "owner", "status"];
    let owner_columns = ["funnel", "owner"];
    let purchase_columns = ["funnel", "owner", "status", "closed", "created"];
    let event_columns = ["opportunity_id", "at", "kind", "to_stage"];
    let mut path_move = ensure_memo("NEW.id", "NULL");
    path_move.push_str(&journey_move(
        Some(&Side {
            card: "OLD",
            summary: memo(),
        }),
        Some(&Side {
            card: "NEW",
            summary: memo(),
        }),
        "history_paths m",
        "m.opportunity_id = NEW.id",
    ));
    format!(
        r#"
CREATE TRIGGER history_sums_card_insert AFTER INSERT ON opportunities WHEN NEW.deleted_at IS NULL
BEGIN
{insert_path}{insert_visits}{insert_purchase}END;
CREATE TRIGGER history_sums_card_path
AFTER UPDATE OF funnel, owner, stage, status, deleted_at ON opportunities
WHEN {path_changed}
  OR OLD.stage IS NOT NEW.stage AND max(OLD.stage, NEW.stage)
     > coalesce((SELECT highest FROM history_paths WHERE opportunity_id = NEW.id), -1)
BEGIN
{path_move}END;
CREATE TRIGGER history_sums_card_visits
AFTER UPDATE OF funnel, owner, deleted_at ON opportunities WHEN {owner_changed}
BEGIN
{old_visits}{new_visits}END;
CREATE TRIGGER history_sums_card_purchase
AFTER UPDATE OF funnel, owner, status, closed, created, deleted_at ON opportunities
WHEN {purchase_changed}
BEGIN
{old_purchase}{new_purchase}END;
CREATE TRIGGER history_sums_card_delete AFTER DELETE ON opportunities
BEGIN
{delete_path}{delete_visits}{delete_purchase}
DELETE FROM history_paths WHERE opportunity_id = OLD.id;
END;
CREATE TRIGGER history_sums_event_insert AFTER INSERT ON stage_events WHEN NEW.deleted_at IS NULL
BEGIN
{event_added}END;
CREATE TRIGGER history_sums_event_insert_earlier AFTER INSERT ON stage_events
WHEN NEW.deleted_at IS NULL AND {earlier}
BEGIN
{event_added_earlier}END;
CREATE TRIGGER history_sums_event_update
AFTER UPDATE OF opportunity_id, at, kind, to_stage, deleted_at ON stage_events
WHEN {event_changed}
BEGIN
{event_left}{event_came}END;
CREATE TRIGGER history_sums_event_delete AFTER DELETE ON stage_events WHEN OLD.deleted_at IS NULL
BEGIN
{event_deleted}END;
"#,
        insert_path = card_path("NEW", 1),
        insert_visits = card_visits("NEW", 1),
        insert_purchase = card_purchase("NEW", 1),
        path_changed = changed(&path_columns),
        owner_changed = changed(&owner_columns),
        old_visits = card_visits("OLD", -1),
        new_visits = card_visits("NEW", 1),
        purchase_changed = changed(&purchase_columns),
        old_purchase = card_purchase("OLD", -1),
        new_purchase = card_purchase("NEW", 1),
        delete_path = card_path("OLD", -1),
        delete_visits = card_visits("OLD", -1),
        delete_purchase = card_purchase("OLD", -1),
        event_added = event_added("NEW", "true", false),
        earlier = earlier("NEW"),
        event_added_earlier = visits_around("NEW", 1, "true"),
        event_changed = changed(&event_columns),
        event_left = event_removed("OLD", "OLD.deleted_at IS NULL"),
        event_came = event_added("NEW", "NEW.deleted_at IS NULL", true),
        event_deleted = event_removed("OLD", "true"),
    )
}

/// The sums of the cards a bulk load writes (whose triggers are dropped), by funnel and owner,
/// as the triggers would have counted them. An import knows each card's whole history; a pull
/// sees cards and events apart, so it counts each card as if it had no history
/// (`cards_only`), and what the history changes is counted from the tables after the load.
#[derive(Default)]
pub(super) struct HistorySums {
    by_funnel: HashMap<String, HashMap<String, OwnerSums>>,
    cards_only: bool,
}

#[derive(Default)]
struct OwnerSums {
    /// (first, last, status) → cards.
    journeys: HashMap<(i64, i64, i64), i64>,
    /// (stage, days) → visits.
    stage_days: HashMap<(i64, i64), i64>,
    /// days → won cards.
    purchase_days: HashMap<i64, i64>,
}

/// An event as written: its stamp as stored (`at` text), id, kind and stage.
pub(super) struct Written<'a> {
    pub at: String,
    pub id: &'a str,
    pub kind: EventKind,
    pub to_stage: Stage,
}

/// Days between two dates of stamps as SQLite's `julianday` counts them: only for years it
/// reads.
fn day_span(from: NaiveDate, to: NaiveDate) -> Option<i64> {
    use chrono::Datelike;
    let read = |d: NaiveDate| (0..=9999).contains(&d.year());
    (read(from) && read(to)).then(|| (to - from).num_days())
}

/// The date of a stored stamp (its first ten characters).
fn stamp_date(at: &str) -> Option<NaiveDate> {
    super::parse_date(at.get(..10)?).ok()
}

/// Days from creation to winning of a won card, if it was won after it was created.
fn purchase_span(created: NaiveDate, closed: NaiveDate) -> Option<i64> {
    (closed >= created).then(|| (closed - created).num_days())
}

impl HistorySums {
    fn of(&mut self, funnel_id: &str, owner: &str) -> &mut OwnerSums {
        // Looked up by reference: a million cards share a handful of funnels and owners.
        if !self.by_funnel.contains_key(funnel_id) {
            self.by_funnel.insert(funnel_id.to_owned(), HashMap::new());
        }
        let owners = self.by_funnel.get_mut(funnel_id).expect("just added");
        if !owners.contains_key(owner) {
            owners.insert(owner.to_owned(), OwnerSums::default());
        }
        owners.get_mut(owner).expect("just added")
    }

    /// Adds a new card and the events written with it (its whole history).
    pub(super) fn add(&mut self, opp: &Opportunity, mut history: Vec<Written>) {
        let sums = self.of(&opp.funnel_id, &opp.fields.owner);
        let stages = || history.iter().map(|e| e.to_stage);
        let created = (history.iter())
            .filter(|e| e.kind == EventKind::Created)
            .map(|e| e.to_stage)
            .min();
        let highest = stages().max();
        let first = created.or(stages().min()).unwrap_or(opp.stage);
        let last = highest.map_or(opp.stage, |h| h.max(opp.stage));
        let status = status_index(opp.status);
        let key = (first.index() as i64, last.index() as i64, status);
        *sums.journeys.entry(key).or_default() += 1;
        history.sort_unstable_by(|a, b| (&a.at, a.id).cmp(&(&b.at, b.id)));
        for pair in history.windows(2) {
            let opens = matches!(
                pair[0].kind,
                EventKind::Created | EventKind::Moved | EventKind::Reopened
            );
            let span = stamp_date(&pair[0].at)
                .zip(stamp_date(&pair[1].at))
                .and_then(|(from, to)| day_span(from, to));
            if let (true, Some(days)) = (opens, span) {
                let key = (pair[0].to_stage.index() as i64, days);
                *sums.stage_days.entry(key).or_default() += 1;
            }
        }
        if let (Status::Won, Some(closed)) = (opp.status, opp.closed)
            && let Some(days) = purchase_span(opp.created, closed)
        {
            *sums.purchase_days.entry(days).or_default() += 1;
        }
    }

    /// Adds a pulled card row, as if it had no history (see [`Tx::write_history_sums`]).
    pub(super) fn add_pulled(&mut self, card: &PulledCard) {
        self.cards_only = true;
        let (Some(stage), Some(status), true) = (card.stage, card.status, card.alive) else {
            return;
        };
        let (funnel_id, owner, created, closed) =
            (card.funnel_id, card.owner, card.created, card.closed);
        let date = |text| super::parse_date(text).ok();
        let purchase = match (status, date(created), date(closed)) {
            (1, Some(created), Some(closed)) => purchase_span(created, closed),
            _ => None,
        };
        let sums = self.of(funnel_id, owner);
        *sums.journeys.entry((stage, stage, status)).or_default() += 1;
        if let Some(days) = purchase {
            *sums.purchase_days.entry(days).or_default() += 1;
        }
    }
}

/// Per card with history: its funnel's id, owner, stage, path and status (a pull's correction).
const PATHS_OF_HISTORIES: &str = "
SELECT (SELECT id FROM funnels WHERE key = o.funnel), o.owner, o.stage, coalesce(e.created, e.lowest, o.stage),
       max(coalesce(e.highest, o.stage), o.stage), o.status, count(*)
FROM (SELECT opportunity_id, min(CASE WHEN kind = 'created' THEN to_stage END) AS created,
             min(to_stage) AS lowest, max(to_stage) AS highest
      FROM stage_events WHERE deleted_at IS NULL GROUP BY opportunity_id) e
JOIN opportunities o ON o.id = e.opportunity_id AND o.deleted_at IS NULL
GROUP BY 1, 2, 3, 4, 5, 6";

/// The finished visits of cards with more than one event (a card with one has none): most
/// pulled cards carry only their 'created' event, and are found without reading the table.
const VISITS_OF_HISTORIES: &str = "
INSERT INTO stage_day_counts
SELECT o.funnel, o.owner, v.stage, v.days, count(*) FROM (
    SELECT opportunity_id, to_stage AS stage, kind,
           CAST(julianday(substr(lead(at) OVER w, 1, 10)) - julianday(substr(at, 1, 10))
                AS INTEGER) AS days
    FROM stage_events
    WHERE deleted_at IS NULL AND opportunity_id IN (
        SELECT opportunity_id FROM stage_events GROUP BY opportunity_id HAVING count(*) > 1)
    WINDOW w AS (PARTITION BY opportunity_id ORDER BY at, id)
) v JOIN opportunities o ON o.id = v.opportunity_id AND o.deleted_at IS NULL
WHERE v.days IS NOT NULL AND v.kind IN ('created', 'moved', 'reopened')
GROUP BY 1, 2, 3, 4";

impl Tx<'_> {
    /// Writes the sums of a bulk load (the tables were empty: so was the database). A pull's
    /// cards counted without their history are corrected from the tables: each card's path
    /// from its history, and the visits of cards with more than one event.
    pub(super) fn write_history_sums(&self, mut sums: HistorySums) -> Result<()> {
        self.execute_batch(
            "DELETE FROM journey_counts; DELETE FROM stage_day_counts;
             DELETE FROM purchase_day_counts; DELETE FROM history_paths;",
        )?;
        if sums.cards_only {
            let mut stmt = self.prepare(PATHS_OF_HISTORIES)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let (stage, first, last, status): (i64, i64, i64, i64) =
                    (r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
                let count: i64 = r.get(6)?;
                if (first, last) != (stage, stage) {
                    let owner = sums.of(&r.get::<_, String>(0)?, &r.get::<_, String>(1)?);
                    *owner.journeys.entry((stage, stage, status)).or_default() -= count;
                    *owner.journeys.entry((first, last, status)).or_default() += count;
                }
            }
        }
        let insert = |table: &str, values: &str| {
            self.prepare(&format!(
                "INSERT INTO {table} VALUES ((SELECT key FROM funnels WHERE id = ?1), {values})"
            ))
        };
        let mut journeys = insert("journey_counts", "?2, ?3, ?4, ?5, ?6")?;
        let mut stage_days = insert("stage_day_counts", "?2, ?3, ?4, ?5")?;
        let mut purchase_days = insert("purchase_day_counts", "?2, ?3, ?4")?;
        for (funnel_id, owners) in &sums.by_funnel {
            for (owner, s) in owners {
                for ((first, last, status), count) in &s.journeys {
                    if *count != 0 {
                        journeys.execute(params![funnel_id, owner, first, last, status, count])?;
                    }
                }
                for ((stage, days), count) in &s.stage_days {
                    stage_days.execute(params![funnel_id, owner, stage, days, count])?;
                }
                for (days, count) in &s.purchase_days {
                    purchase_days.execute(params![funnel_id, owner, days, count])?;
                }
            }
        }
        if sums.cards_only {
            self.execute(VISITS_OF_HISTORIES, [])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
