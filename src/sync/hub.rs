//! The PostgreSQL hub: its schema and access rules, and the statements sync runs against it.
//!
//! Every row is kept as the JSON object of its SQLite columns beside the few columns the hub
//! itself needs: `hlc` (which version is newer), `xid` (the writing transaction, set by a trigger,
//! the pull cursor) and, for opportunities, `owner`/`team` (what row-level security checks).
//! People are PostgreSQL roles listed in `members`; the policies, not the client, decide who may
//! read and write what. The schema is versioned in `meta` and upgraded by `funnel hub init`.

use postgres::error::SqlState;
use postgres::{Client, GenericClient, IsolationLevel};
use serde_json::{Map, Value};

use crate::store::{Change, Incoming, synced_table};

/// Hub schema migrations, oldest first; `meta.version` counts those applied.
const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE funnel_hub.members (
    role_name text PRIMARY KEY,
    owner text NOT NULL,
    team text NOT NULL DEFAULT '',
    kind text NOT NULL CHECK (kind IN ('seller', 'lead', 'director'))
);

-- Plain SQL functions run as the caller, so current_user is the member asking.
CREATE FUNCTION funnel_hub.is_member() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM funnel_hub.members WHERE role_name = current_user)
$$;
-- A card belongs to its owner's team (or to the team written on it).
CREATE FUNCTION funnel_hub.may_read(card_owner text, card_team text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM funnel_hub.members me WHERE me.role_name = current_user
        AND (me.kind = 'director' OR me.owner = card_owner OR me.team = card_team
             OR EXISTS (SELECT 1 FROM funnel_hub.members o
                        WHERE o.owner = card_owner AND o.team = me.team)))
$$;
CREATE FUNCTION funnel_hub.may_write(card_owner text, card_team text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM funnel_hub.members me WHERE me.role_name = current_user
        AND ((me.kind = 'seller' AND me.owner = card_owner)
             OR (me.kind = 'lead' AND (me.owner = card_owner OR me.team = card_team
                 OR EXISTS (SELECT 1 FROM funnel_hub.members o
                            WHERE o.owner = card_owner AND o.team = me.team)))))
$$;

-- The pull cursor: the transaction that last wrote the row, set by the server, never the client.
CREATE FUNCTION funnel_hub.stamp_xid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.xid := pg_current_xact_id()::text::bigint;
    RETURN NEW;
END
$$;

CREATE TABLE funnel_hub.funnels (
    id text PRIMARY KEY,
    name text NOT NULL UNIQUE,
    hlc text NOT NULL,
    xid bigint NOT NULL DEFAULT 0,
    data jsonb NOT NULL
);
CREATE TABLE funnel_hub.opportunities (
    id text PRIMARY KEY,
    owner text NOT NULL,
    team text NOT NULL,
    hlc text NOT NULL,
    xid bigint NOT NULL DEFAULT 0,
    data jsonb NOT NULL
);
CREATE INDEX opportunities_by_owner ON funnel_hub.opportunities (owner);
-- History, evidence, answers and people: append or newest-wins per row, all tied to a card.
CREATE TABLE funnel_hub.records (
    tbl text NOT NULL,
    id text NOT NULL,
    opportunity_id text NOT NULL REFERENCES funnel_hub.opportunities (id),
    hlc text NOT NULL,
    xid bigint NOT NULL DEFAULT 0,
    data jsonb NOT NULL,
    PRIMARY KEY (tbl, id)
);
CREATE INDEX records_by_opportunity ON funnel_hub.records (opportunity_id);

CREATE INDEX funnels_by_xid ON funnel_hub.funnels (xid);
CREATE INDEX opportunities_by_xid ON funnel_hub.opportunities (xid);
CREATE INDEX records_by_xid ON funnel_hub.records (xid);
CREATE TRIGGER stamp_xid BEFORE INSERT OR UPDATE ON funnel_hub.funnels
    FOR EACH ROW EXECUTE FUNCTION funnel_hub.stamp_xid();
CREATE TRIGGER stamp_xid BEFORE INSERT OR UPDATE ON funnel_hub.opportunities
    FOR EACH ROW EXECUTE FUNCTION funnel_hub.stamp_xid();
CREATE TRIGGER stamp_xid BEFORE INSERT OR UPDATE ON funnel_hub.records
    FOR EACH ROW EXECUTE FUNCTION funnel_hub.stamp_xid();

ALTER TABLE funnel_hub.funnels ENABLE ROW LEVEL SECURITY;
ALTER TABLE funnel_hub.opportunities ENABLE ROW LEVEL SECURITY;
ALTER TABLE funnel_hub.records ENABLE ROW LEVEL SECURITY;

-- Any role may try; the policies let members only. Nothing is ever deleted (soft deletes).
GRANT USAGE ON SCHEMA funnel_hub TO PUBLIC;
GRANT SELECT ON funnel_hub.members TO PUBLIC;
GRANT SELECT, INSERT, UPDATE ON funnel_hub.funnels, funnel_hub.opportunities, funnel_hub.records
    TO PUBLIC;

CREATE POLICY read ON funnel_hub.funnels FOR SELECT USING (funnel_hub.is_member());
CREATE POLICY add ON funnel_hub.funnels FOR INSERT WITH CHECK (funnel_hub.is_member());
CREATE POLICY change ON funnel_hub.funnels FOR UPDATE
    USING (funnel_hub.is_member()) WITH CHECK (funnel_hub.is_member());

CREATE POLICY read ON funnel_hub.opportunities FOR SELECT USING (funnel_hub.may_read(owner, team));
CREATE POLICY add ON funnel_hub.opportunities FOR INSERT
    WITH CHECK (funnel_hub.may_write(owner, team));
CREATE POLICY change ON funnel_hub.opportunities FOR UPDATE
    USING (funnel_hub.may_write(owner, team)) WITH CHECK (funnel_hub.may_write(owner, team));

-- A record follows its card: readable when the card is, writable when the card is.
CREATE POLICY read ON funnel_hub.records FOR SELECT
    USING (EXISTS (SELECT 1 FROM funnel_hub.opportunities o WHERE o.id = opportunity_id));
CREATE POLICY add ON funnel_hub.records FOR INSERT
    WITH CHECK (EXISTS (SELECT 1 FROM funnel_hub.opportunities o
                        WHERE o.id = opportunity_id AND funnel_hub.may_write(o.owner, o.team)));
CREATE POLICY change ON funnel_hub.records FOR UPDATE
    USING (EXISTS (SELECT 1 FROM funnel_hub.opportunities o
                   WHERE o.id = opportunity_id AND funnel_hub.may_write(o.owner, o.team)))
    WITH CHECK (EXISTS (SELECT 1 FROM funnel_hub.opportunities o
                        WHERE o.id = opportunity_id AND funnel_hub.may_write(o.owner, o.team)));
"#];

/// Creates or upgrades the hub schema; returns the (old, new) versions. Safe to run twice or
/// from two places at once (an advisory lock serialises it).
pub fn init(client: &mut Client) -> Result<(usize, usize), postgres::Error> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock(hashtext('funnel_hub'))", &[])?;
    tx.batch_execute(
        "CREATE SCHEMA IF NOT EXISTS funnel_hub;
         CREATE TABLE IF NOT EXISTS funnel_hub.meta (key text PRIMARY KEY, value text NOT NULL);
         GRANT USAGE ON SCHEMA funnel_hub TO PUBLIC;
         GRANT SELECT ON funnel_hub.meta TO PUBLIC;",
    )?;
    let old: usize = tx
        .query_opt(
            "SELECT value FROM funnel_hub.meta WHERE key = 'version'",
            &[],
        )?
        .and_then(|r| r.get::<_, String>(0).parse().ok())
        .unwrap_or(0);
    for sql in MIGRATIONS.iter().skip(old) {
        tx.batch_execute(sql)?;
    }
    let new = old.max(MIGRATIONS.len());
    tx.execute(
        "INSERT INTO funnel_hub.meta VALUES ('version', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&new.to_string()],
    )?;
    tx.commit()?;
    Ok((old, new))
}

/// What a member is on the hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Seller,
    Lead,
    Director,
}

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Kind::Seller => "seller",
            Kind::Lead => "lead",
            Kind::Director => "director",
        }
    }
}

/// Maps a PostgreSQL role to an owner name, team and kind (the role itself is the admin's to
/// create, with its password or certificate, as for any PostgreSQL user).
pub fn set_member(
    client: &mut Client,
    role: &str,
    owner: &str,
    team: &str,
    kind: Kind,
) -> Result<(), postgres::Error> {
    client.execute(
        "INSERT INTO funnel_hub.members VALUES ($1, $2, $3, $4)
         ON CONFLICT (role_name) DO UPDATE SET owner = excluded.owner, team = excluded.team,
            kind = excluded.kind",
        &[&role, &owner, &team, &kind.key()],
    )?;
    Ok(())
}

/// The hub's id of the funnel with this name, if any.
pub fn funnel_id(client: &mut Client, name: &str) -> Result<Option<String>, postgres::Error> {
    Ok(client
        .query_opt(
            "SELECT id FROM funnel_hub.funnels WHERE name = $1",
            &[&name],
        )?
        .map(|r| r.get(0)))
}

/// The hub's answer to one pushed batch.
#[derive(Debug, Default)]
pub struct Pushed<'a> {
    /// On the hub now (or already there).
    pub accepted: Vec<&'a Change>,
    /// Refused by the server, with its reason.
    pub refused: Vec<(&'a Change, String)>,
}

/// Why the server refused one row, for errors that concern that row alone.
fn refusal(e: &postgres::Error) -> Option<String> {
    let db = e.as_db_error()?;
    [
        SqlState::INSUFFICIENT_PRIVILEGE,
        SqlState::FOREIGN_KEY_VIOLATION,
        SqlState::UNIQUE_VIOLATION,
        SqlState::CHECK_VIOLATION,
    ]
    .contains(db.code())
    .then(|| db.message().to_owned())
}

/// Pushes a batch in one transaction. If the server refuses a row, the batch is redone with a
/// savepoint per row, so the others still go through and the refused ones are named.
pub fn push_batch<'a>(
    client: &mut Client,
    changes: &'a [Change],
) -> Result<Pushed<'a>, postgres::Error> {
    match push_in_one(client, changes, false) {
        Err(e) if refusal(&e).is_some() => push_in_one(client, changes, true),
        other => other,
    }
}

fn push_in_one<'a>(
    client: &mut Client,
    changes: &'a [Change],
    isolate: bool,
) -> Result<Pushed<'a>, postgres::Error> {
    let mut tx = client.transaction()?;
    let mut pushed = Pushed::default();
    for change in changes {
        let outcome = if isolate {
            let mut row = tx.savepoint("row")?;
            match push_one(&mut row, change) {
                Ok(accepted) => row.commit().map(|()| Ok(accepted)),
                // Dropping the savepoint rolls back to it.
                Err(e) => refusal(&e).map(Err).ok_or(e),
            }?
        } else {
            Ok(push_one(&mut tx, change)?)
        };
        match outcome {
            Ok(true) => pushed.accepted.push(change),
            // Not written: the hub has a version we have not seen; the pull that follows
            // brings it and settles the conflict.
            Ok(false) => {}
            Err(reason) => pushed.refused.push((change, reason)),
        }
    }
    tx.commit()?;
    Ok(pushed)
}

fn text<'a>(data: &'a Map<String, Value>, key: &str) -> &'a str {
    data.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// Writes one row if it is newer; true when the hub now holds it. Idempotent by (id, hlc): the
/// same change pushed twice (a sync killed before it recorded the first) changes nothing.
fn push_one(client: &mut impl GenericClient, c: &Change) -> Result<bool, postgres::Error> {
    let data = Value::Object(c.data.clone()).to_string();
    match c.table {
        "funnels" => {
            client.execute(
                "INSERT INTO funnel_hub.funnels (id, name, hlc, data) VALUES ($1, $2, $3, $4::text::jsonb)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, hlc = excluded.hlc,
                    data = excluded.data
                 WHERE funnels.hlc < excluded.hlc",
                &[&c.id, &text(&c.data, "name"), &c.hlc, &data],
            )?;
            Ok(true)
        }
        // Compare-and-set on the version this change was made on: a card someone else changed
        // meanwhile is not overwritten blindly.
        "opportunities" => Ok(client
            .query_opt(
                "INSERT INTO funnel_hub.opportunities (id, owner, team, hlc, data)
                 VALUES ($1, $2, $3, $4, $5::text::jsonb)
                 ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, team = excluded.team,
                    hlc = excluded.hlc, data = excluded.data
                 WHERE opportunities.hlc = $6 OR opportunities.hlc = excluded.hlc
                 RETURNING id",
                &[
                    &c.id,
                    &text(&c.data, "owner"),
                    &text(&c.data, "team"),
                    &c.hlc,
                    &data,
                    &c.base,
                ],
            )?
            .is_some()),
        table => {
            client.execute(
                "INSERT INTO funnel_hub.records (tbl, id, opportunity_id, hlc, data)
                 VALUES ($1, $2, $3, $4, $5::text::jsonb)
                 ON CONFLICT (tbl, id) DO UPDATE SET opportunity_id = excluded.opportunity_id,
                    hlc = excluded.hlc, data = excluded.data
                 WHERE records.hlc < excluded.hlc",
                &[
                    &table,
                    &c.id,
                    &text(&c.data, "opportunity_id"),
                    &c.hlc,
                    &data,
                ],
            )?;
            Ok(true)
        }
    }
}

/// Reads every row this role may see written since `cursor`, in pages of `page`, parents
/// first, all from one snapshot; returns the next cursor. Rows written by transactions still
/// running are not in the snapshot and have an xid at or above its xmin, the new cursor, so a
/// later pull gets them; rows pulled twice are skipped by their hlc.
pub fn pull<E: From<postgres::Error>>(
    client: &mut Client,
    cursor: i64,
    page: i32,
    mut apply: impl FnMut(Vec<Incoming>) -> Result<(), E>,
) -> Result<i64, E> {
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    let next: i64 = tx
        .query_one(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint",
            &[],
        )?
        .get(0);
    let queries = [
        "SELECT 'funnels', id, hlc, data::text FROM funnel_hub.funnels WHERE xid >= $1",
        "SELECT 'opportunities', id, hlc, data::text FROM funnel_hub.opportunities WHERE xid >= $1",
        "SELECT tbl, id, hlc, data::text FROM funnel_hub.records WHERE xid >= $1",
    ];
    for query in queries {
        let portal = tx.bind(query, &[&cursor])?;
        loop {
            let rows = tx.query_portal(&portal, page)?;
            if rows.is_empty() {
                break;
            }
            let incoming = rows
                .iter()
                .filter_map(|r| {
                    let data = serde_json::from_str(r.get(3)).ok()?;
                    Some(Incoming {
                        // Tables this version does not know (a newer client's) are skipped.
                        table: synced_table(r.get(0))?,
                        id: r.get(1),
                        hlc: r.get(2),
                        data,
                    })
                })
                .collect();
            apply(incoming)?;
        }
    }
    tx.commit()?;
    Ok(next)
}
