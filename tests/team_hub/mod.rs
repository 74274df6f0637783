//! What the tests against a real PostgreSQL hub share: a hub database of their own with its
//! roles (dropped with them), and people, each with their own SQLite file and connection.
//!
//! Needs a server: `FUNNEL_TEST_PG` holds an admin connection string (e.g.
//! `host=127.0.0.1 user=postgres`; `.ci/run` sets it). Without it each test says it is skipped
//! and passes, unless `FUNNEL_REQUIRE_PG` is set (`.ci/run` sets it): then it fails (see
//! `common::postgresql`). Every test makes its own database and roles, and drops them, so they
//! run in parallel.

// Each test file uses a different part of this module.
#![allow(dead_code)]

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use funnel::domain::{OpportunityFields, Stage};
use funnel::store::{CardFilter, NewOpportunity, Store};
use funnel::sync::{self, Options, Progress, SyncError, hub};
use postgres::{Client, NoTls};

/// A fresh hub database with login roles mapped to members; dropped with everything on drop.
pub struct Hub {
    pub admin: String,
    pub db: String,
    roles: Vec<String>,
}

impl Hub {
    pub fn new(test: &str) -> Option<Hub> {
        Hub::at_version(test, usize::MAX)
    }

    /// A hub made by the first `version` steps of the hub's schema, as an older release did.
    pub fn at_version(test: &str, version: usize) -> Option<Hub> {
        let admin = crate::common::postgresql(test)?;
        static N: AtomicUsize = AtomicUsize::new(0);
        let db = format!(
            "funnel_{test}_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let mut client = crate::common::connect_postgresql(&admin);
        client
            .batch_execute(&format!("CREATE DATABASE {db}"))
            .unwrap();
        let hub = Hub {
            admin,
            db,
            roles: Vec::new(),
        };
        hub::init_to(&mut hub.admin_client(), version).unwrap();
        Some(hub)
    }

    pub fn admin_client(&self) -> Client {
        Client::connect(&format!("{} dbname={}", self.admin, self.db), NoTls).unwrap()
    }

    /// Creates a login role (trust auth on loopback) and makes it a member.
    pub fn member(&mut self, name: &str, team: &str, kind: hub::Kind) -> String {
        let role = format!("{}_{name}", self.db);
        let mut admin = self.admin_client();
        admin
            .batch_execute(&format!("CREATE ROLE {role} LOGIN"))
            .unwrap();
        self.roles.push(role.clone());
        hub::set_member(&mut admin, &role, name, team, kind).unwrap();
        format!("{} dbname={} user={role}", self.admin, self.db)
    }

    pub fn count(&self, table: &str) -> i64 {
        self.admin_client()
            .query_one(&format!("SELECT count(*) FROM funnel_hub.{table}"), &[])
            .unwrap()
            .get(0)
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        if let Ok(mut client) = Client::connect(&self.admin, NoTls) {
            let _ =
                client.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.db));
            for role in &self.roles {
                let _ = client.batch_execute(&format!("DROP ROLE IF EXISTS {role}"));
            }
        }
    }
}

/// One person: their own SQLite file and hub connection.
pub struct Person {
    pub store: Store,
    pub url: String,
}

impl Person {
    pub fn new(dir: &Path, name: &str, url: String) -> Person {
        let mut store = Store::open(&dir.join(format!("{name}.db"))).unwrap();
        store.set_actor(name);
        store.resolve_funnel(None, "EUR", 1).unwrap();
        Person { store, url }
    }

    pub fn sync(&mut self) -> sync::Report {
        self.sync_with(Options::default()).unwrap()
    }

    pub fn sync_with(&mut self, options: Options) -> Result<sync::Report, SyncError> {
        let mut client = sync::connect(&self.url).unwrap();
        sync::sync(&mut self.store, &mut client, options, None)
    }

    /// A sync in batches of `batch` rows, with every step of progress it told.
    pub fn sync_told(&mut self, batch: usize) -> (sync::Report, Vec<Progress>) {
        let mut client = sync::connect(&self.url).unwrap();
        let mut steps = Vec::new();
        let mut tell = |p| steps.push(p);
        let options = Options {
            batch,
            ..Options::default()
        };
        let report = sync::sync(&mut self.store, &mut client, options, Some(&mut tell));
        (report.unwrap(), steps)
    }

    /// A card of `owner` in team north.
    pub fn add(&mut self, title: &str, owner: &str, value: i64) -> String {
        self.add_in("north", title, owner, value)
    }

    pub fn add_in(&mut self, team: &str, title: &str, owner: &str, value: i64) -> String {
        let funnel = self.store.resolve_funnel(None, "EUR", 1).unwrap();
        let fields = OpportunityFields {
            title: title.into(),
            owner: owner.into(),
            team: team.into(),
            value_cents: value * 100,
            ..Default::default()
        };
        let new = NewOpportunity {
            fields,
            stage: Some(Stage::ImpactDefined),
        };
        self.store.add_opportunity(&funnel, new).unwrap().id
    }

    /// Cards "Deal 0", "Deal 1"… of `owner`, worth 100, 200…
    pub fn add_deals(&mut self, owner: &str, count: i64) {
        for i in 0..count {
            self.add(&format!("Deal {i}"), owner, 100 * (i + 1));
        }
    }

    pub fn set_value(&mut self, id: &str, value: i64) {
        let opp = self.store.opportunity(id).unwrap();
        let mut fields = opp.fields.clone();
        fields.value_cents = value * 100;
        self.store.update_fields(id, opp.version, fields).unwrap();
    }

    pub fn value(&self, id: &str) -> i64 {
        self.store.opportunity(id).unwrap().fields.value_cents / 100
    }

    pub fn titles(&self) -> Vec<String> {
        let funnel = self.store.funnels().unwrap().remove(0);
        let every = CardFilter {
            closed_too: true,
            ..Default::default()
        };
        let mut titles: Vec<String> = self
            .store
            .opportunities(&funnel, &every)
            .unwrap()
            .into_iter()
            .map(|o| o.fields.title)
            .collect();
        titles.sort();
        titles
    }
}

pub fn team(hub: &mut Hub, dir: &Path) -> (Person, Person, Person) {
    let ann = hub.member("ann", "north", hub::Kind::Seller);
    let bob = hub.member("bob", "north", hub::Kind::Seller);
    let lea = hub.member("lea", "north", hub::Kind::Lead);
    (
        Person::new(dir, "ann", ann),
        Person::new(dir, "bob", bob),
        Person::new(dir, "lea", lea),
    )
}

/// Waits for the clock to move on: changes made within the same millisecond are ordered by node
/// id instead, so a test that needs one change after another waits between them.
pub fn next_millisecond() {
    let now = chrono::Utc::now().timestamp_millis();
    while chrono::Utc::now().timestamp_millis() <= now {
        std::hint::spin_loop();
    }
}

/// `funnel report --json` of one file, as numbers.
pub fn report(db: &Path) -> serde_json::Value {
    let out = assert_cmd::Command::cargo_bin("funnel")
        .unwrap()
        .args(["--db", db.to_str().unwrap(), "report", "--json"])
        .env_remove("FUNNEL_SYNC_URL")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}
