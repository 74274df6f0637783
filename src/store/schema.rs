//! The database schema, as versioned migrations (SQLite's `user_version` holds the version).
//!
//! Sync-ready from the start: UUID v7 keys, `updated_at`/`updated_by` on every row and soft
//! deletes (`deleted_at`), so a seller's file can later be merged with a lead's. Stages and
//! statuses are stored as small integers (the index in [`Stage::ALL`](crate::domain::Stage) and
//! 0 open / 1 won / 2 lost) to keep rows small at a million opportunities; for the same reason
//! cards and the sums kept per funnel name their funnel by its small integer `key` rather than
//! its id, and their dates by day numbers (see [`FUNNEL_KEYS`]), and cards keep their id as 16
//! bytes and `updated_at` as milliseconds (see [`COMPACT_CARDS`]); other rows keep text.
//!
//! `totals` holds running sums per (funnel, period, status, stage, owner), kept by triggers in
//! the same transaction as the change, so the footer and column headers never scan every row.
//! Period 0 stands for "open with no expected close date" (it counts in the current period).

use rusqlite_migration::{M, Migrations};
use std::sync::LazyLock;

/// Marks a SQLite file as a funnel database (`PRAGMA application_id`): "FNL1".
pub const APPLICATION_ID: i32 = 0x464E_4C31;

const V1_HEAD: &str = r#"
CREATE TABLE funnels (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    currency TEXT NOT NULL DEFAULT 'EUR',
    fiscal_start INTEGER NOT NULL DEFAULT 1 CHECK (fiscal_start BETWEEN 1 AND 12),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX funnels_by_name ON funnels(name) WHERE deleted_at IS NULL;

CREATE TABLE opportunities (
    id TEXT PRIMARY KEY NOT NULL,
    funnel_id TEXT NOT NULL REFERENCES funnels(id),
    title TEXT NOT NULL,
    account TEXT NOT NULL DEFAULT '',
    value_cents INTEGER NOT NULL CHECK (value_cents >= 0),
    stage INTEGER NOT NULL CHECK (stage BETWEEN 0 AND 7),
    status INTEGER NOT NULL CHECK (status BETWEEN 0 AND 2),
    owner TEXT NOT NULL DEFAULT '',
    team TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    territory TEXT NOT NULL DEFAULT '',
    product TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    expected_close TEXT,
    closed TEXT,
    lost_reason TEXT NOT NULL DEFAULT '',
    next_step TEXT NOT NULL DEFAULT '',
    decision_date TEXT,
    budget_cents INTEGER,
    problem_cost_cents INTEGER,
    decision_criteria TEXT NOT NULL DEFAULT '',
    stage_since TEXT NOT NULL,
    period INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT
) WITHOUT ROWID;
-- Keyed by the id itself (no rowid, so no second copy of every id in a separate key index),
-- which also keeps exports in id order without a sort.
-- One page of one board column: open cards of a stage, biggest first. An owner filter reads
-- the same pages (a handful of sellers) and its counts come from `totals`.
CREATE INDEX opportunities_board ON opportunities(funnel_id, status, stage, value_cents DESC, id)
    WHERE deleted_at IS NULL;

"#;

/// The first step: funnels, cards and their records, and `totals` with its triggers as the
/// funnel-keys step makes them again, the funnel then named by its id.
static V1: LazyLock<String> = LazyLock::new(|| {
    let totals = by_funnel_id(TOTALS) + &by_funnel_id(TOTALS_TRIGGERS);
    format!("{V1_HEAD}{}{V1_TAIL}", totals.trim_start())
});

const V1_TAIL: &str = r#"
CREATE TABLE stage_events (
    id TEXT PRIMARY KEY NOT NULL,
    opportunity_id TEXT NOT NULL REFERENCES opportunities(id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('created', 'moved', 'won', 'lost', 'reopened')),
    from_stage INTEGER CHECK (from_stage BETWEEN 0 AND 7),
    to_stage INTEGER NOT NULL CHECK (to_stage BETWEEN 0 AND 7),
    evidence_confirmed INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX stage_events_by_opportunity ON stage_events(opportunity_id, at);

CREATE TABLE evidence (
    id TEXT PRIMARY KEY NOT NULL,
    opportunity_id TEXT NOT NULL REFERENCES opportunities(id),
    stage INTEGER NOT NULL CHECK (stage BETWEEN 0 AND 7),
    confirmed_on TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT,
    UNIQUE (opportunity_id, stage)
);

CREATE TABLE answers (
    id TEXT PRIMARY KEY NOT NULL,
    opportunity_id TEXT NOT NULL REFERENCES opportunities(id),
    stage INTEGER NOT NULL CHECK (stage BETWEEN 0 AND 7),
    question INTEGER NOT NULL CHECK (question >= 0),
    asked INTEGER NOT NULL,
    answer TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT,
    UNIQUE (opportunity_id, stage, question)
);

CREATE TABLE people (
    id TEXT PRIMARY KEY NOT NULL,
    opportunity_id TEXT NOT NULL REFERENCES opportunities(id),
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    influence INTEGER NOT NULL DEFAULT 0 CHECK (influence BETWEEN 0 AND 5),
    authority INTEGER NOT NULL DEFAULT 0 CHECK (authority BETWEEN 0 AND 5),
    motivations TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX people_by_opportunity ON people(opportunity_id);

CREATE TABLE targets (
    id TEXT PRIMARY KEY NOT NULL,
    funnel_id TEXT NOT NULL REFERENCES funnels(id),
    period INTEGER NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT,
    UNIQUE (funnel_id, period, owner)
);
"#;

/// Daily indicator snapshots per funnel and period (one row a day, rewritten during the day),
/// so the dashboard can show how RTV and the factor evolved.
const V2: &str = r#"
CREATE TABLE indicator_snapshots (
    id TEXT PRIMARY KEY NOT NULL,
    funnel_id TEXT NOT NULL REFERENCES funnels(id),
    period INTEGER NOT NULL,
    day TEXT NOT NULL,
    rtv_cents INTEGER NOT NULL,
    sales_to_date_cents INTEGER NOT NULL,
    target_cents INTEGER,
    gap_cents INTEGER,
    factor REAL,
    probability REAL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT,
    UNIQUE (funnel_id, period, day)
);
"#;

/// V3, team sync (see `crate::sync`): a hybrid-logical-clock stamp on every synced row, the queue of
/// local changes not yet on the hub, what sync remembers, and the conflicts kept for the user.
/// Self-contained on purpose: it may be renumbered after other migrations when branches merge.
/// Rows already there are stamped from `updated_at`. Changes are queued only once the file has
/// synced (`sync_state.enabled`): a single user without a hub keeps no queue, and the first
/// sync queues every row at once (see `Store::enable_sync`).
static SYNC: LazyLock<String> = LazyLock::new(|| {
    let mut sql = String::from(
        r#"
CREATE TABLE sync_state (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO sync_state VALUES ('node', lower(hex(randomblob(8))));

CREATE TABLE sync_outbox (
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    -- The hub version (hlc) the first unpushed change was made on; '' for a new row.
    base TEXT NOT NULL,
    -- Why the hub refused the last push (kept, and tried again on every sync).
    refused TEXT,
    PRIMARY KEY (tbl, row_id)
) WITHOUT ROWID;

CREATE TABLE conflicts (
    id TEXT PRIMARY KEY NOT NULL,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    title TEXT NOT NULL,
    mine TEXT NOT NULL,
    theirs TEXT NOT NULL,
    winner TEXT NOT NULL CHECK (winner IN ('mine', 'theirs')),
    at TEXT NOT NULL
);
"#,
    );
    for t in SYNCED_BY_V3 {
        sql.push_str(&stamp_and_queue(t));
    }
    sql
});

/// The tables V3 made sync, fixed: later ones get their own step (its SQL must never change).
const SYNCED_BY_V3: [&str; 6] = [
    "funnels",
    "opportunities",
    "stage_events",
    "evidence",
    "answers",
    "people",
];

/// A synced table's `hlc` column, stamped from `updated_at` for the rows already there, and the
/// triggers that stamp and queue every local write.
fn stamp_and_queue(t: &str) -> String {
    format!(
        r#"
ALTER TABLE {t} ADD COLUMN hlc TEXT NOT NULL DEFAULT '';
UPDATE {t} SET hlc = {stamp};
{triggers}"#,
        stamp = super::sync::STAMP_FROM_UPDATED_AT,
        triggers = sync_triggers(t)
    )
}

/// The triggers that stamp and queue a synced table's local writes once the file syncs. Local
/// writes leave hlc alone and are stamped by the trigger; rows pulled from the hub bring their
/// own hlc and are not queued. A file that never synced keeps its rows unstamped (36 bytes less
/// per row); its first sync stamps them (see `Store::enable_sync`).
fn sync_triggers(t: &str) -> String {
    sync_triggers_queueing(t, "NEW.id")
}

/// [`sync_triggers`] queueing each row under `row_id` (an SQL expression of `NEW`): the hub's
/// form of its id.
fn sync_triggers_queueing(t: &str, row_id: &str) -> String {
    let fresh = super::sync::next_hlc_sql("''");
    let next = super::sync::next_hlc_sql("OLD.hlc");
    let enabled = super::sync::ENABLED;
    format!(
        r#"
CREATE TRIGGER {t}_sync_insert AFTER INSERT ON {t} WHEN NEW.hlc = '' AND {enabled}
BEGIN
    UPDATE {t} SET hlc = {fresh} WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('{t}', {row_id}, '')
    ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER {t}_sync_update AFTER UPDATE ON {t} WHEN NEW.hlc IS OLD.hlc AND {enabled}
BEGIN
    UPDATE {t} SET hlc = {next} WHERE id = NEW.id;
    INSERT INTO sync_outbox (tbl, row_id, base) VALUES ('{t}', {row_id}, OLD.hlc)
    ON CONFLICT DO NOTHING;
END;
"#
    )
}

/// Rows are stamped only once the file syncs: the sync triggers of every synced table are made
/// again with that condition (see [`sync_triggers`]). Stamps already there stay.
static STAMP_WHEN_SYNCED: LazyLock<String> = LazyLock::new(|| {
    super::sync::SYNCED
        .iter()
        .map(|t| {
            format!(
                "DROP TRIGGER {t}_sync_insert;\nDROP TRIGGER {t}_sync_update;\n{}",
                sync_triggers(t)
            )
        })
        .collect()
});

/// One-to-one meetings (see `super::meetings`): a lead's meetings with a seller, coaching notes
/// per card and the action plan. Local only, not synced. Self-contained, so it can be renumbered
/// after other branches' migrations when they merge.
const MEETINGS: &str = r#"
CREATE TABLE meetings (
    id TEXT PRIMARY KEY NOT NULL,
    funnel_id TEXT NOT NULL REFERENCES funnels(id),
    owner TEXT NOT NULL,
    held_on TEXT NOT NULL,
    skill TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX meetings_by_owner ON meetings(funnel_id, owner, started_at);

CREATE TABLE meeting_card_notes (
    id TEXT PRIMARY KEY NOT NULL,
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    opportunity_id TEXT NOT NULL REFERENCES opportunities(id),
    note TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT,
    UNIQUE (meeting_id, opportunity_id)
);

CREATE TABLE action_items (
    id TEXT PRIMARY KEY NOT NULL,
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    owner TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    due TEXT,
    done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX action_items_by_meeting ON action_items(meeting_id);
"#;

/// Targets sync too (a lead sets the team's target once for everyone): the same stamp and
/// queue as V3's tables, and targets already there are queued if the file already syncs.
static TARGETS_SYNC: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{}
INSERT INTO sync_outbox (tbl, row_id, base) SELECT 'targets', id, '' FROM targets WHERE {}
ON CONFLICT DO NOTHING;
",
        stamp_and_queue("targets"),
        super::sync::ENABLED
    )
});

/// The figures that must scan every card and its history (conversion, lead times, probability,
/// groups, concentration, stale cards), kept between runs (see `super::cache`). Any change to a
/// card or its history counts one more `data_generation`, and a kept figure is used only while
/// the generation it was computed at is the current one. Each trigger updates one row, so a write
/// pays almost nothing; a bulk load drops them (their names start with `generation_`) and counts
/// once. Self-contained, so it can be renumbered after other branches' migrations when they merge.
static FIGURES_CACHE: LazyLock<String> = LazyLock::new(|| {
    let mut sql = String::from(
        r#"
CREATE TABLE data_generation (generation INTEGER NOT NULL);
INSERT INTO data_generation VALUES (0);

CREATE TABLE figures_cache (
    -- The query's name and every parameter, as JSON.
    key TEXT PRIMARY KEY NOT NULL,
    generation INTEGER NOT NULL,
    -- The query's result, as JSON.
    rows TEXT NOT NULL
) WITHOUT ROWID;
"#,
    );
    for table in ["opportunities", "stage_events"] {
        sql.push_str(&generation_triggers(table));
    }
    sql
});

/// The triggers that count a data generation at every change of `table`.
fn generation_triggers(table: &str) -> String {
    ["insert", "update", "delete"]
        .map(|change| {
            format!(
                "CREATE TRIGGER generation_on_{table}_{change} AFTER {change} ON {table}
                 BEGIN UPDATE data_generation SET generation = generation + 1; END;\n"
            )
        })
        .concat()
}

/// Sums over the stage history (conversion paths, days per stage visit, purchase lead times)
/// kept by triggers, so those figures no longer scan every card's history: see
/// `super::history_sums`. Counted from the data already there. Self-contained, so it can be
/// renumbered after other branches' migrations when they merge.
static HISTORY_SUMS: LazyLock<String> = LazyLock::new(super::history_sums::schema);

/// The period's figures without reading every card: counts and sums of live cards per group
/// (`group_totals`, win rates by owner, team, region or territory), per stage and equal value
/// of the open ones (`open_value_counts`, the probability of the target) and per account of the
/// viable open ones (`account_totals`, concentration), kept by triggers like `totals`; and the
/// open cards of a stage in the order they became stale (`opportunities_overdue`: the stale list
/// reads a few entries per stage). The triggers' names start with `totals_` and the index is on
/// `opportunities`, so a bulk load drops them and fills the tables once (see `Breakdown`). Rows
/// go when their count reaches zero. Filled from the cards already there. Self-contained, so it
/// can be renumbered after other branches' migrations when they merge.
static PERIOD_BREAKDOWN: LazyLock<String> = LazyLock::new(|| {
    let mut sql = String::new();
    for b in &BREAKDOWNS {
        sql.push_str(&b.create());
        sql.push_str(&b.fill());
    }
    sql.push_str(&breakdown_triggers());
    // As released, before the funnel keys.
    let mut sql = by_funnel_id(&sql);
    sql.push_str(
        "
-- In (stage, stage_since, id) order, the stale list's; the owner after the id, so a seller's
-- list is filtered in the index; status and deleted_at take no byte (0 and NULL live in the
-- entry's header) and make the index cover the query. No funnel column (36 bytes an entry):
-- the cards a list keeps are read to check their funnel.
CREATE INDEX opportunities_overdue
    ON opportunities(stage, stage_since, id, owner, status, deleted_at)
    WHERE status = 0 AND deleted_at IS NULL;
",
    );
    sql
});

/// A table of counts (and value sums) of the live cards that `counts` selects, per key: what
/// a `GROUP BY` over every card would return, kept by triggers in the same transaction as the
/// change.
pub(super) struct Breakdown {
    pub table: &'static str,
    /// (column, its type, its value for a card `R`).
    key: &'static [(&'static str, &'static str, &'static str)],
    /// Which live cards count (for a card `R`).
    counts: &'static str,
    /// Whether the table sums `value_cents` beside the count.
    pub sums_value: bool,
}

/// The breakdowns the period's figures read. Stage 3 is [`crate::domain::Stage::CommitsToInvest`],
/// the first viable one (written out: a migration's SQL never changes).
pub(super) const BREAKDOWNS: [Breakdown; 3] = [
    Breakdown {
        table: "group_totals",
        key: &[
            ("funnel", "INTEGER", "R.funnel"),
            ("period", "INTEGER", "R.period"),
            ("status", "INTEGER", "R.status"),
            ("viable", "INTEGER", "R.stage >= 3"),
            ("owner", "TEXT", "R.owner"),
            ("team", "TEXT", "R.team"),
            ("region", "TEXT", "R.region"),
            ("territory", "TEXT", "R.territory"),
        ],
        counts: "true",
        sums_value: true,
    },
    Breakdown {
        table: "open_value_counts",
        key: &[
            ("funnel", "INTEGER", "R.funnel"),
            ("period", "INTEGER", "R.period"),
            ("stage", "INTEGER", "R.stage"),
            ("value_cents", "INTEGER", "R.value_cents"),
            ("owner", "TEXT", "R.owner"),
        ],
        counts: "R.status = 0",
        sums_value: false,
    },
    Breakdown {
        table: "account_totals",
        key: &[
            ("funnel", "INTEGER", "R.funnel"),
            ("period", "INTEGER", "R.period"),
            ("account", "TEXT", "R.account"),
            ("owner", "TEXT", "R.owner"),
        ],
        counts: "R.status = 0 AND R.stage >= 3 AND R.account <> ''",
        sums_value: true,
    },
];

impl Breakdown {
    /// `SQL` about the card `row` (`NEW`, `OLD`, or `o` in a query).
    fn of(sql: &str, row: &str) -> String {
        sql.replace("R.", &format!("{row}."))
    }

    /// Whether the card `row` counts in the table.
    fn counted(&self, row: &str) -> String {
        Breakdown::of(&format!("R.deleted_at IS NULL AND {}", self.counts), row)
    }

    /// Equality of the table's key with the card `row`'s.
    fn key_is(&self, row: &str) -> String {
        self.key
            .iter()
            .map(|(column, _, value)| format!("{column} = ({})", Breakdown::of(value, row)))
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    fn create(&self) -> String {
        let columns: Vec<String> = (self.key.iter())
            .map(|(column, kind, _)| format!("{column} {kind} NOT NULL"))
            .collect();
        let names: Vec<&str> = self.key.iter().map(|(column, ..)| *column).collect();
        let value = if self.sums_value {
            "value_cents INTEGER NOT NULL, "
        } else {
            ""
        };
        format!(
            "\nCREATE TABLE {} ({}, count INTEGER NOT NULL, {value}PRIMARY KEY ({})) WITHOUT ROWID;\n",
            self.table,
            columns.join(", "),
            names.join(", ")
        )
    }

    /// The table's rows counted from the cards, in its columns' order.
    pub(super) fn recount(&self) -> String {
        let key: Vec<String> = self
            .key
            .iter()
            .map(|(.., v)| Breakdown::of(v, "o"))
            .collect();
        let value = if self.sums_value {
            ", sum(o.value_cents)"
        } else {
            ""
        };
        format!(
            "SELECT {}, count(*){value} FROM opportunities o WHERE {} GROUP BY {}",
            key.join(", "),
            self.counted("o"),
            (1..=self.key.len())
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }

    /// Fills the table from the cards (after a migration).
    fn fill(&self) -> String {
        format!("INSERT INTO {} {};\n", self.table, self.recount())
    }

    /// Whether each column of the key is given to [`Breakdown::insert`] as text (the funnel by
    /// its id), else as a number.
    pub(super) fn text_columns(&self) -> impl Iterator<Item = bool> {
        (self.key.iter()).map(|(column, kind, _)| *kind == "TEXT" || *column == "funnel")
    }

    /// Writes a row: the key (the funnel, first, by its id), the count, and the value when the
    /// table sums it.
    pub(super) fn insert(&self) -> String {
        let values = self.key.len() + usize::from(self.sums_value);
        format!(
            "INSERT INTO {} VALUES ((SELECT key FROM funnels WHERE id = ?), {})",
            self.table,
            vec!["?"; values].join(", ")
        )
    }

    /// Counts the card `row` in, if `also`.
    fn add(&self, row: &str, also: &str) -> String {
        let values: Vec<String> = self
            .key
            .iter()
            .map(|(.., v)| Breakdown::of(v, row))
            .collect();
        let (value, sum) = if self.sums_value {
            (
                format!(", {row}.value_cents"),
                ", value_cents = value_cents + excluded.value_cents",
            )
        } else {
            (String::new(), "")
        };
        format!(
            "INSERT INTO {} SELECT {}, 1{value} WHERE {} AND {also}
    ON CONFLICT DO UPDATE SET count = count + 1{sum};\n",
            self.table,
            values.join(", "),
            self.counted(row)
        )
    }

    /// Counts the card `row` out, if `also` (its row goes with its last card).
    fn remove(&self, row: &str, also: &str) -> String {
        let sum = if self.sums_value {
            format!(", value_cents = value_cents - {row}.value_cents")
        } else {
            String::new()
        };
        let found = format!("{} AND {} AND {also}", self.counted(row), self.key_is(row));
        format!(
            "DELETE FROM {table} WHERE {found} AND count = 1;
    UPDATE {table} SET count = count - 1{sum} WHERE {found};\n",
            table = self.table
        )
    }

    /// Whether an update moves the card to another row (or in or out of the table) or changes
    /// the value it adds; else its row stays as it is (most moves keep a card's group).
    fn moved(&self) -> String {
        let mut same = vec![format!(
            "({}) IS ({})",
            self.counted("OLD"),
            self.counted("NEW")
        )];
        same.extend(self.key.iter().map(|(.., v)| {
            format!(
                "({}) IS ({})",
                Breakdown::of(v, "OLD"),
                Breakdown::of(v, "NEW")
            )
        }));
        if self.sums_value {
            same.push("OLD.value_cents IS NEW.value_cents".into());
        }
        format!("NOT ({})", same.join(" AND "))
    }
}

/// The triggers that keep every [`BREAKDOWNS`] table. A guard that reads only `OLD` and `NEW`
/// is checked once per statement, before SQLite looks for a row.
fn breakdown_triggers() -> String {
    let on_insert: String = BREAKDOWNS.iter().map(|b| b.add("NEW", "true")).collect();
    let on_delete: String = BREAKDOWNS.iter().map(|b| b.remove("OLD", "true")).collect();
    let on_update: String = BREAKDOWNS
        .iter()
        .map(|b| {
            let moved = b.moved();
            format!("{}    {}", b.remove("OLD", &moved), b.add("NEW", &moved))
        })
        .collect();
    format!(
        "
CREATE TRIGGER totals_breakdown_on_insert AFTER INSERT ON opportunities
BEGIN
    {on_insert}END;
CREATE TRIGGER totals_breakdown_on_delete AFTER DELETE ON opportunities
BEGIN
    {on_delete}END;
CREATE TRIGGER totals_breakdown_on_update AFTER UPDATE OF funnel, period, status, stage,
    owner, team, region, territory, account, value_cents, deleted_at ON opportunities
BEGIN
    {on_update}END;
"
    )
}

/// Cards name their funnel by a small integer key instead of its 36-character id: some 70 bytes
/// a card less in the table and its board index, and the sums kept per funnel shrink alike. A
/// funnel keeps its id (what syncs with the hub, and what the app passes around) and gets the
/// key as its rowid, which SQLite gives every new funnel whoever writes it and never renumbers
/// (an explicit `INTEGER PRIMARY KEY`). Queries turn the id into the key once per statement
/// (`funnel = (SELECT key FROM funnels WHERE id = ?)`), sync turns the key back into the id
/// (see `super::sync`). In the same pass the cards' dates become days since 1970-01-01 (see
/// [`Day`](super::Day)): 2 bytes instead of 10 each, in the table and the overdue index; the
/// hub keeps ISO text, which sync translates alike. SQLite cannot change a column's type: the
/// tables are made again, and every index and trigger on them; foreign keys are off while
/// steps run (see `Store::setup`), as making a table again needs. Self-contained, so it can be
/// renumbered after other branches' migrations when they merge.
/// The cards' table as [`FUNNEL_KEYS`] makes it (the later steps make it again from this).
const KEYED_CARDS: &str = "CREATE TABLE opportunities_keyed (
    id TEXT PRIMARY KEY NOT NULL,
    funnel INTEGER NOT NULL REFERENCES funnels(key),
    title TEXT NOT NULL,
    account TEXT NOT NULL DEFAULT '',
    value_cents INTEGER NOT NULL CHECK (value_cents >= 0),
    stage INTEGER NOT NULL CHECK (stage BETWEEN 0 AND 7),
    status INTEGER NOT NULL CHECK (status BETWEEN 0 AND 2),
    owner TEXT NOT NULL DEFAULT '',
    team TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    territory TEXT NOT NULL DEFAULT '',
    product TEXT NOT NULL DEFAULT '',
    -- Days since 1970-01-01 (see the step's comment); a date written as text is refused
    -- rather than sorted after every number.
    created INTEGER NOT NULL CHECK (typeof(created) = 'integer'),
    expected_close INTEGER CHECK (typeof(expected_close) IN ('integer', 'null')),
    closed INTEGER CHECK (typeof(closed) IN ('integer', 'null')),
    lost_reason TEXT NOT NULL DEFAULT '',
    next_step TEXT NOT NULL DEFAULT '',
    decision_date INTEGER CHECK (typeof(decision_date) IN ('integer', 'null')),
    budget_cents INTEGER,
    problem_cost_cents INTEGER,
    decision_criteria TEXT NOT NULL DEFAULT '',
    stage_since INTEGER NOT NULL CHECK (typeof(stage_since) = 'integer'),
    period INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT,
    hlc TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
";

static FUNNEL_KEYS: LazyLock<String> = LazyLock::new(|| {
    let mut sql = String::from(
        r#"
CREATE TEMP TABLE funnels_by_id AS SELECT * FROM funnels;
DROP TABLE funnels;
CREATE TABLE funnels (
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    currency TEXT NOT NULL DEFAULT 'EUR',
    fiscal_start INTEGER NOT NULL DEFAULT 1 CHECK (fiscal_start BETWEEN 1 AND 12),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TEXT,
    hlc TEXT NOT NULL DEFAULT '',
    -- Local only: what the cards and the sums name the funnel by.
    key INTEGER PRIMARY KEY
);
INSERT INTO funnels (id, name, currency, fiscal_start, updated_at, updated_by, deleted_at, hlc)
SELECT id, name, currency, fiscal_start, updated_at, updated_by, deleted_at, hlc
FROM temp.funnels_by_id;
DROP TABLE temp.funnels_by_id;
CREATE UNIQUE INDEX funnels_by_name ON funnels(name) WHERE deleted_at IS NULL;

-- The history's triggers read the cards: they go before the cards' table, and come back with
-- the other triggers below.
DROP TRIGGER history_sums_event_insert;
DROP TRIGGER history_sums_event_insert_earlier;
DROP TRIGGER history_sums_event_update;
DROP TRIGGER history_sums_event_delete;
"#,
    );
    sql.push_str(KEYED_CARDS);
    sql.push_str(
        r#"INSERT INTO opportunities_keyed
SELECT id, (SELECT key FROM funnels f WHERE f.id = o.funnel_id), title, account, value_cents,
       stage, status, owner, team, region, territory, product, unixepoch(created) / 86400,
       unixepoch(expected_close) / 86400, unixepoch(closed) / 86400, lost_reason, next_step,
       unixepoch(decision_date) / 86400, budget_cents, problem_cost_cents, decision_criteria,
       unixepoch(stage_since) / 86400, period, version, updated_at, updated_by, deleted_at, hlc
FROM opportunities o;
DROP TABLE opportunities;
ALTER TABLE opportunities_keyed RENAME TO opportunities;
"#,
    );
    sql.push_str(&keyed_by_funnel(&["totals"], TOTALS));
    for b in &BREAKDOWNS {
        sql.push_str(&keyed_by_funnel(&[b.table], &b.create()));
    }
    // The memo of each card's history holds no funnel: made again on demand.
    sql.push_str("DROP TABLE history_paths;\n");
    let sums = ["journey_counts", "stage_day_counts", "purchase_day_counts"];
    sql.push_str(&keyed_by_funnel(&sums, super::history_sums::TABLES));
    sql.push_str(
        "
CREATE INDEX opportunities_board ON opportunities(funnel, status, stage, value_cents DESC, id)
    WHERE deleted_at IS NULL;
-- The stale list's: a funnel's open cards of a stage in the order they entered it. The funnel
-- takes a byte now; the seller (about 11) is read from the card, only for a seller's list.
CREATE INDEX opportunities_overdue
    ON opportunities(funnel, stage, stage_since, id, status, deleted_at)
    WHERE status = 0 AND deleted_at IS NULL;
",
    );
    sql.push_str(TOTALS_TRIGGERS);
    sql.push_str(&sync_triggers("funnels"));
    sql.push_str(&sync_triggers("opportunities"));
    sql.push_str(&generation_triggers("opportunities"));
    sql.push_str(&super::history_sums::triggers());
    sql.push_str(&breakdown_triggers());
    sql
});

/// The tables of cards' records: each points at its card by `opportunity_id`.
pub(super) const CARD_RECORDS: [&str; 5] = [
    "stage_events",
    "evidence",
    "answers",
    "people",
    "meeting_card_notes",
];

/// Cards keep their id as the UUID's 16 bytes and when they last changed as milliseconds (see
/// `super::card_key`): 20 bytes less a card in the table and in each of its indexes, 18 more
/// in the table. Every row pointing at a card takes the bytes too (their `opportunity_id`,
/// declared TEXT when those tables were made, holds them as given: SQLite converts no blob),
/// with their indexes made again around the change. Sync queues a card under its id as text,
/// as the hub knows it. The triggers that would take the pointers' change for an edit (the
/// history sums', stamping for sync, counting data generations) are dropped first and made
/// again at the end; the history memos are made again on demand. Self-contained, so it can be
/// renumbered after other branches' migrations when they merge.
static COMPACT_CARDS: LazyLock<String> = LazyLock::new(|| {
    use super::card_key::{id_from_text_sql, id_text_sql, millis_from_text_sql};
    let mut sql = String::from(
        "
DROP TRIGGER history_sums_event_insert;
DROP TRIGGER history_sums_event_insert_earlier;
DROP TRIGGER history_sums_event_update;
DROP TRIGGER history_sums_event_delete;
DROP TRIGGER generation_on_stage_events_insert;
DROP TRIGGER generation_on_stage_events_update;
DROP TRIGGER generation_on_stage_events_delete;
",
    );
    for t in CARD_RECORDS
        .iter()
        .filter(|t| super::sync::SYNCED.contains(t))
    {
        sql.push_str(&format!(
            "DROP TRIGGER {t}_sync_insert;\nDROP TRIGGER {t}_sync_update;\n"
        ));
    }
    let id = id_from_text_sql("id");
    let updated_at = millis_from_text_sql("updated_at");
    let table = KEYED_CARDS
        .replace("opportunities_keyed", "opportunities_compact")
        .replace(
            "    id TEXT PRIMARY KEY NOT NULL,",
            "    -- The UUID's 16 bytes (see `card_key`).
    id BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),",
        )
        .replace(
            "    updated_at TEXT NOT NULL,",
            "    -- Milliseconds since 1970.
    updated_at INTEGER NOT NULL CHECK (typeof(updated_at) = 'integer'),",
        );
    sql.push_str(&format!(
        r#"
{table}INSERT INTO opportunities_compact
SELECT {id}, funnel, title, account, value_cents, stage, status, owner, team, region,
       territory, product, created, expected_close, closed, lost_reason, next_step,
       decision_date, budget_cents, problem_cost_cents, decision_criteria, stage_since, period,
       version, {updated_at}, updated_by, deleted_at, hlc
FROM opportunities ORDER BY id;
DROP TABLE opportunities;
ALTER TABLE opportunities_compact RENAME TO opportunities;
CREATE INDEX opportunities_board ON opportunities(funnel, status, stage, value_cents DESC, id)
    WHERE deleted_at IS NULL;
CREATE INDEX opportunities_overdue
    ON opportunities(funnel, stage, stage_since, id, status, deleted_at)
    WHERE status = 0 AND deleted_at IS NULL;
DROP INDEX stage_events_by_opportunity;
DROP INDEX people_by_opportunity;
"#
    ));
    let pointer = id_from_text_sql("opportunity_id");
    for t in CARD_RECORDS {
        sql.push_str(&format!("UPDATE {t} SET opportunity_id = {pointer};\n"));
    }
    sql.push_str(
        "
CREATE INDEX stage_events_by_opportunity ON stage_events(opportunity_id, at);
CREATE INDEX people_by_opportunity ON people(opportunity_id);
DELETE FROM history_paths;
",
    );
    sql.push_str(TOTALS_TRIGGERS);
    sql.push_str(&sync_triggers_queueing(
        "opportunities",
        &id_text_sql("NEW.id"),
    ));
    for t in CARD_RECORDS
        .iter()
        .filter(|t| super::sync::SYNCED.contains(t))
    {
        sql.push_str(&sync_triggers(t));
    }
    sql.push_str(&generation_triggers("opportunities"));
    sql.push_str(&generation_triggers("stage_events"));
    sql.push_str(&super::history_sums::triggers());
    sql.push_str(&breakdown_triggers());
    sql
});

/// `totals` (see V1), the funnel named by its key.
const TOTALS: &str = "
CREATE TABLE totals (
    funnel INTEGER NOT NULL,
    period INTEGER NOT NULL,
    status INTEGER NOT NULL,
    stage INTEGER NOT NULL,
    owner TEXT NOT NULL,
    count INTEGER NOT NULL,
    value_cents INTEGER NOT NULL,
    PRIMARY KEY (funnel, period, status, stage, owner)
) WITHOUT ROWID;
";

const TOTALS_TRIGGERS: &str = "
CREATE TRIGGER totals_on_insert AFTER INSERT ON opportunities WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO totals VALUES (NEW.funnel, NEW.period, NEW.status, NEW.stage, NEW.owner, 1, NEW.value_cents)
    ON CONFLICT DO UPDATE SET count = count + 1, value_cents = value_cents + excluded.value_cents;
END;
CREATE TRIGGER totals_on_delete AFTER DELETE ON opportunities WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE totals SET count = count - 1, value_cents = value_cents - OLD.value_cents
    WHERE funnel = OLD.funnel AND period = OLD.period AND status = OLD.status
      AND stage = OLD.stage AND owner = OLD.owner;
END;
CREATE TRIGGER totals_on_update
AFTER UPDATE OF funnel, period, status, stage, owner, value_cents, deleted_at ON opportunities
BEGIN
    UPDATE totals SET count = count - 1, value_cents = value_cents - OLD.value_cents
    WHERE OLD.deleted_at IS NULL AND funnel = OLD.funnel AND period = OLD.period
      AND status = OLD.status AND stage = OLD.stage AND owner = OLD.owner;
    INSERT INTO totals
    SELECT NEW.funnel, NEW.period, NEW.status, NEW.stage, NEW.owner, 1, NEW.value_cents
    WHERE NEW.deleted_at IS NULL
    ON CONFLICT DO UPDATE SET count = count + 1, value_cents = value_cents + excluded.value_cents;
END;
";

/// Makes the `tables` of sums kept per funnel again as `create` makes them (their funnel first,
/// named by its key): each table's rows are set aside with their funnel's id turned into its
/// key (rows of a funnel no longer there count no card: they go), and copied back. Set aside in
/// temporary tables, not renamed: a rename checks the whole schema again, its big triggers too.
fn keyed_by_funnel(tables: &[&str], create: &str) -> String {
    let mut sql = String::new();
    for t in tables {
        sql.push_str(&format!(
            "CREATE TEMP TABLE {t}_by_id AS SELECT * FROM {t}
    WHERE funnel_id IN (SELECT id FROM funnels);
UPDATE temp.{t}_by_id SET funnel_id = (SELECT key FROM funnels WHERE id = funnel_id);
DROP TABLE {t};\n"
        ));
    }
    sql.push_str(create);
    for t in tables {
        // The keys, stored as text in the old column, are numbers again in the new one.
        sql.push_str(&format!(
            "INSERT INTO {t} SELECT * FROM temp.{t}_by_id;\nDROP TABLE temp.{t}_by_id;\n"
        ));
    }
    sql
}

/// `sql` as a step released before [`FUNNEL_KEYS`] had it: the cards and the sums named their
/// funnel by its id (`funnel_id TEXT`), where they now name it by its key (`funnel INTEGER`).
pub(super) fn by_funnel_id(sql: &str) -> String {
    sql.replace("funnel", "funnel_id")
        .replace("funnel_id INTEGER", "funnel_id TEXT")
}

/// Every migration, oldest first; the schema version is how many have run. Never edit a
/// released one: append a new step.
pub(crate) static MIGRATIONS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    vec![
        V1.as_str(),
        V2,
        SYNC.as_str(),
        MEETINGS,
        TARGETS_SYNC.as_str(),
        FIGURES_CACHE.as_str(),
        HISTORY_SUMS.as_str(),
        PERIOD_BREAKDOWN.as_str(),
        STAMP_WHEN_SYNCED.as_str(),
        FUNNEL_KEYS.as_str(),
        COMPACT_CARDS.as_str(),
    ]
});

/// The migrations of a list of steps (the real one, or a test's).
pub(crate) fn migrations_of(steps: &[&'static str]) -> Migrations<'static> {
    Migrations::new(steps.iter().map(|sql| M::up(sql)).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations_of(&super::MIGRATIONS).validate().unwrap();
    }
}
