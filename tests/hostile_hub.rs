//! A hostile or broken client against a real PostgreSQL hub: members of each kind (seller,
//! lead, director) connect with plain SQL, as `psql` would, and try what funnel never does. The
//! hub refuses each attempt, or keeps it where the clients check what they pull and keep the
//! row aside; the honest members' figures stay exactly what they were.
//!
//! Needs `FUNNEL_TEST_PG` (see `team_hub`); `.ci/run` sets it.

mod common;
mod team_hub;

use std::path::Path;

use funnel::store::Flaw;
use funnel::sync::hub::Kind;
use postgres::error::SqlState;
use postgres::{Client, NoTls};
use team_hub::{Hub, Person};

/// A hub with sellers ann and bob and lead lea in team north, seller carl in team south and
/// director dan, each with a file; the sellers' cards and the targets synced everywhere.
struct World {
    hub: Hub,
    dir: tempfile::TempDir,
    ann: Person,
    bob: Person,
    lea: Person,
    carl: Person,
    dan: Person,
}

impl World {
    fn new(test: &str) -> Option<World> {
        let mut hub = Hub::new(test)?;
        let dir = tempfile::tempdir().unwrap();
        let mut person = |name: &str, team: &str, kind: Kind| {
            let url = hub.member(name, team, kind);
            Person::new(dir.path(), name, url)
        };
        let mut world = World {
            ann: person("ann", "north", Kind::Seller),
            bob: person("bob", "north", Kind::Seller),
            lea: person("lea", "north", Kind::Lead),
            carl: person("carl", "south", Kind::Seller),
            dan: person("dan", "", Kind::Director),
            hub,
            dir,
        };
        world.ann.add("Acme renewal", "ann", 1000);
        world.ann.add("Beta pilot", "ann", 2000);
        world.bob.add("Gamma rollout", "bob", 4000);
        world.carl.add_in("south", "Southern deal", "carl", 7000);
        let set = |p: &mut Person, owner: Option<&str>, amount: i64| {
            let funnel = p.store.resolve_funnel(None, "EUR", 1).unwrap();
            p.store.set_target(&funnel, 2026, owner, amount).unwrap();
        };
        set(&mut world.lea, None, 50_000);
        set(&mut world.lea, Some("ann"), 20_000);
        set(&mut world.carl, Some("carl"), 9_000);
        world.sync_all();
        Some(world)
    }

    fn everyone(&mut self) -> [&mut Person; 5] {
        [
            &mut self.ann,
            &mut self.bob,
            &mut self.lea,
            &mut self.carl,
            &mut self.dan,
        ]
    }

    /// Everyone syncs twice (the second brings what others pushed in the first).
    fn sync_all(&mut self) {
        for _ in 0..2 {
            for person in self.everyone() {
                person.sync();
            }
        }
    }

    /// What each member's reports say, by owner.
    fn figures(&self) -> Vec<serde_json::Value> {
        ["ann", "bob", "lea", "carl", "dan"]
            .map(|name| by_owner(&self.dir.path().join(format!("{name}.db"))))
            .into()
    }

    fn sql(&self, person: &Person) -> Client {
        Client::connect(&person.url, NoTls).unwrap()
    }

    /// The id of the card titled `title`, on the hub.
    fn card(&self, title: &str) -> String {
        self.hub
            .admin_client()
            .query_one(
                "SELECT id FROM funnel_hub.opportunities WHERE data->>'title' = $1",
                &[&title],
            )
            .unwrap()
            .get(0)
    }
}

/// `funnel report --json --by owner`: every figure of every owner this file holds.
fn by_owner(db: &Path) -> serde_json::Value {
    let out = assert_cmd::Command::cargo_bin("funnel")
        .unwrap()
        .args([
            "--db",
            db.to_str().unwrap(),
            "report",
            "--json",
            "--by",
            "owner",
        ])
        .env_remove("FUNNEL_SYNC_URL")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let mut figures: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // When the report was made is no figure.
    if let Some(map) = figures.as_object_mut() {
        map.retain(|key, _| !key.contains("today") && !key.contains("generated"));
    }
    figures
}

fn column(client: &mut Client, sql: &str) -> Vec<String> {
    let mut values: Vec<String> = (client.query(sql, &[]).unwrap().iter())
        .map(|r| r.get(0))
        .collect();
    values.sort();
    values.dedup();
    values
}

fn code(result: Result<u64, postgres::Error>) -> SqlState {
    result
        .expect_err("refused")
        .code()
        .cloned()
        .expect("a server error")
}

/// A stamp of now, as a client would write it.
const NOW: &str = "lpad(((extract(epoch FROM clock_timestamp()) * 1000)::bigint)::text, 13, '0')
    || '-00000-0000000000000bad'";

#[test]
fn each_kind_reads_only_what_its_role_may() {
    let Some(mut w) = World::new("reads") else {
        return;
    };
    let carls = w.card("Southern deal");
    let queries = [
        "SELECT owner FROM funnel_hub.opportunities",
        "SELECT o.owner FROM funnel_hub.records r JOIN funnel_hub.opportunities o
         ON o.id = r.opportunity_id",
        "SELECT owner FROM funnel_hub.targets WHERE owner <> ''",
        "SELECT owner FROM funnel_hub.members",
    ];
    let north = ["ann", "bob"];
    for (person, owners, members) in [
        (&w.ann, &north[..], &["ann", "bob", "lea"][..]),
        (&w.lea, &north[..], &["ann", "bob", "lea"][..]),
        (&w.carl, &["carl"][..], &["carl"][..]),
        (
            &w.dan,
            &["ann", "bob", "carl"][..],
            &["ann", "bob", "carl", "dan", "lea"][..],
        ),
    ] {
        let mut client = w.sql(person);
        let [cards, records, targets, people] = queries.map(|q| column(&mut client, q));
        assert_eq!(cards, owners, "{}", person.url);
        assert_eq!(records, owners, "{}", person.url);
        assert!(
            targets.iter().all(|t| owners.contains(&t.as_str())),
            "{targets:?}"
        );
        assert_eq!(people, members, "{}", person.url);
        let direct = client
            .query(
                "SELECT 1 FROM funnel_hub.opportunities WHERE id = $1",
                &[&carls],
            )
            .unwrap();
        assert_eq!(direct.len(), usize::from(owners.contains(&"carl")));
    }
    // Nor do the files: a seller's holds their team's cards only.
    assert!(!w.ann.titles().contains(&"Southern deal".to_owned()));
    assert!(w.dan.titles().contains(&"Southern deal".to_owned()));
    w.sync_all();
}

#[test]
fn each_kinds_forbidden_writes_are_refused_by_the_hub() {
    let Some(mut w) = World::new("writes") else {
        return;
    };
    let before = w.figures();
    let (acme, gamma, south) = (
        w.card("Acme renewal"),
        w.card("Gamma rollout"),
        w.card("Southern deal"),
    );
    let set_data = |client: &mut Client, id: &str, change: &str| {
        client.execute(
            &format!(
                "UPDATE funnel_hub.opportunities SET data = ({change})::json, hlc = {NOW}
                 WHERE id = $1"
            ),
            &[&id],
        )
    };
    let mut ann = w.sql(&w.ann);
    let mut lea = w.sql(&w.lea);
    let mut dan = w.sql(&w.dan);

    // Another's card: an update touches nothing; a delete, a card or record made in another's
    // name, are errors.
    let touch = "data::jsonb || '{\"value_cents\": 1}'";
    for (person, id) in [
        (&w.ann, &gamma),
        (&w.ann, &south),
        (&w.lea, &south),
        (&w.dan, &acme),
    ] {
        assert_eq!(set_data(&mut w.sql(person), id, touch).unwrap(), 0, "{id}");
    }
    for client in [&mut ann, &mut lea, &mut dan] {
        let delete = client.execute(
            "DELETE FROM funnel_hub.opportunities WHERE id = $1",
            &[&acme],
        );
        assert_eq!(code(delete), SqlState::INSUFFICIENT_PRIVILEGE);
        let theirs = client.execute(
            &format!(
                "INSERT INTO funnel_hub.opportunities (id, owner, team, hlc, data)
                 VALUES ('forged', 'carl', 'south', {NOW},
                         '{{\"id\": \"forged\", \"owner\": \"carl\", \"team\": \"south\"}}')"
            ),
            &[],
        );
        assert_eq!(code(theirs), SqlState::INSUFFICIENT_PRIVILEGE);
        let record = client.execute(
            &format!(
                "INSERT INTO funnel_hub.records (tbl, id, opportunity_id, hlc, data)
                 VALUES ('stage_events', 'forged', $1, {NOW},
                         json_build_object('id', 'forged', 'opportunity_id', $1::text))"
            ),
            &[&south],
        );
        assert_eq!(code(record), SqlState::INSUFFICIENT_PRIVILEGE);
        let target = client.execute(
            "UPDATE funnel_hub.targets SET data = data WHERE owner = 'carl'",
            &[],
        );
        assert_eq!(target.unwrap(), 0);
    }

    // One's own card given to someone else: in the columns, refused by the policies; in the
    // payload only, refused as not what the columns say.
    let give = client_update(&mut ann, &acme, "owner = 'carl', team = 'south'");
    assert_eq!(code(give), SqlState::INSUFFICIENT_PRIVILEGE);
    for forged in [
        "jsonb_set(data::jsonb, '{owner}', '\"carl\"')",
        "jsonb_set(data::jsonb, '{team}', '\"south\"')",
        "jsonb_set(data::jsonb, '{id}', to_jsonb($1::text || 'x'))",
    ] {
        for (person, id) in [(&w.ann, &acme), (&w.lea, &gamma)] {
            let result = set_data(&mut w.sql(person), id, forged);
            assert_eq!(code(result), SqlState::CHECK_VIOLATION, "{forged}");
        }
    }

    // One's own team or kind.
    for client in [&mut ann, &mut lea, &mut dan] {
        let promote = client.execute(
            "UPDATE funnel_hub.members SET team = 'south', kind = 'director'
             WHERE role_name = current_user",
            &[],
        );
        assert_eq!(code(promote), SqlState::INSUFFICIENT_PRIVILEGE);
    }

    // A 10 MB payload, text that is not JSON, JSON that is not a row, a stamp from 2286.
    let huge = "data::jsonb || jsonb_build_object('notes', repeat('x', 10000000))";
    assert_eq!(
        code(set_data(&mut ann, &acme, huge)),
        SqlState::CHECK_VIOLATION
    );
    let broken = "'{\"id\": \"' || $1";
    assert_eq!(
        code(set_data(&mut ann, &acme, broken)),
        SqlState::INVALID_TEXT_REPRESENTATION
    );
    let not_a_row = "'[1, 2]' || left($1, 0)";
    assert_eq!(
        code(set_data(&mut ann, &acme, not_a_row)),
        SqlState::CHECK_VIOLATION
    );
    let future = client_update(
        &mut ann,
        &acme,
        "hlc = '9999999999999-00000-ffffffffffffffff'",
    );
    assert_eq!(code(future), SqlState::CHECK_VIOLATION);

    w.sync_all();
    assert_eq!(w.figures(), before);
}

/// `UPDATE` of one card, setting `set`.
fn client_update(client: &mut Client, id: &str, set: &str) -> Result<u64, postgres::Error> {
    client.execute(
        &format!("UPDATE funnel_hub.opportunities SET {set} WHERE id = $1"),
        &[&id],
    )
}

#[test]
fn values_the_hub_does_not_look_at_are_kept_aside_by_the_clients() {
    let Some(mut w) = World::new("values") else {
        return;
    };
    let before = w.figures();
    let (acme, beta, gamma) = (
        w.card("Acme renewal"),
        w.card("Beta pilot"),
        w.card("Gamma rollout"),
    );
    // The hub keeps a payload as sent: a stage no client knows, a negative amount, one above
    // the cap, written by a seller and a lead on cards they may write.
    for (person, id, change) in [
        (&w.ann, &acme, "jsonb_build_object('stage', 99)"),
        (&w.ann, &beta, "jsonb_build_object('value_cents', -500)"),
        (
            &w.lea,
            &gamma,
            "jsonb_build_object('value_cents', 9223372036854775807)",
        ),
    ] {
        let written = w
            .sql(person)
            .execute(
                &format!(
                    "UPDATE funnel_hub.opportunities SET data = (data::jsonb || {change})::json,
                     hlc = {NOW} WHERE id = $1"
                ),
                &[&id],
            )
            .unwrap();
        assert_eq!(written, 1);
    }

    // An honest laptop whose clock is two years ahead: its change is refused and stays queued.
    let two_years = 2 * 365 * 24 * 3600 * 1000_i64;
    let ahead = chrono::Utc::now().timestamp_millis() + two_years;
    w.bob.add("Delta trial", "bob", 800);
    rusqlite::Connection::open(w.dir.path().join("bob.db"))
        .unwrap()
        .execute(
            "UPDATE opportunities SET hlc = printf('%013d-00000-bbbb', ?1)
             WHERE title = 'Delta trial'",
            [ahead],
        )
        .unwrap();
    let report = w.bob.sync();
    assert!(
        report
            .refused
            .iter()
            .any(|r| r.2.contains("ahead of the hub's clock")),
        "{report:?}"
    );

    for person in [&mut w.lea, &mut w.dan, &mut w.ann] {
        let report = person.sync();
        let kept = person.store.kept_aside().unwrap();
        // The three cards, each for what is wrong with it. A pull delivers at least once (a
        // transaction elsewhere on the server may hold its cursor back), and a record of one
        // of those cards pulled again is kept aside with its card.
        let flaws: Vec<&Flaw> = (kept.iter())
            .filter(|k| k.table == "opportunities")
            .map(|k| &k.flaw)
            .collect();
        assert!(matches!(flaws[..], [_, _, _]), "{kept:?}");
        let mut records = kept.iter().filter(|k| k.table != "opportunities");
        assert!(records.all(|k| k.flaw == Flaw::CardAside), "{kept:?}");
        assert!(
            (3..=kept.len()).contains(&report.kept_aside),
            "{report:?} {kept:?}"
        );
        assert!(
            flaws
                .iter()
                .any(|f| matches!(f, Flaw::Refused(why) if why.contains("CHECK")))
        );
        let amounts = flaws.iter().filter(|f| matches!(f, Flaw::Amount { .. }));
        assert_eq!(amounts.count(), 2, "{kept:?}");
    }
    // Nothing of it reached anyone's figures; the next syncs try again and keep them aside.
    w.sync_all();
    let mut after = w.figures();
    let mut expected = before.clone();
    // Bob holds his own card still (refused by the hub, kept in his file).
    after.remove(1);
    expected.remove(1);
    assert_eq!(after, expected);
}

/// An activity as a client sends it, on `card`, changed by `change` (SQL of a jsonb object made
/// from `o`, the activity).
fn activity(
    client: &mut Client,
    id: &str,
    card: &str,
    change: &str,
) -> Result<u64, postgres::Error> {
    client.execute(
        &format!(
            "INSERT INTO funnel_hub.records (tbl, id, opportunity_id, hlc, data)
             SELECT 'activities', $1, $2, {NOW}, ({change})::json FROM (SELECT jsonb_build_object(
                 'id', $1::text, 'opportunity_id', $2::text, 'kind', 'call', 'day', '2026-07-15',
                 'at_minute', 570, 'with_whom', 'Jo Park', 'summary', 'Went through the quote',
                 'updated_at', '2026-07-15T09:30:00.000Z', 'updated_by', 'ann',
                 'deleted_at', null) AS o) a"
        ),
        &[&id, &card],
    )
}

#[test]
fn activities_follow_their_card_and_the_hub_checks_their_fields() {
    let Some(mut w) = World::new("activities") else {
        return;
    };
    let (acme, gamma, south) = (
        w.card("Acme renewal"),
        w.card("Gamma rollout"),
        w.card("Southern deal"),
    );
    let (mut ann, mut lea, mut carl, mut dan) =
        (w.sql(&w.ann), w.sql(&w.lea), w.sql(&w.carl), w.sql(&w.dan));
    let plain = "o";
    // Who may write one follows the card: its seller, their lead; not a seller of another
    // card or team, nor a director.
    activity(&mut ann, "a1", &acme, plain).unwrap();
    activity(&mut lea, "a2", &gamma, plain).unwrap();
    activity(&mut carl, "a3", &south, plain).unwrap();
    for (person, id, card) in [
        (&w.ann, "x1", &gamma),
        (&w.ann, "x2", &south),
        (&w.lea, "x3", &south),
        (&w.carl, "x4", &acme),
        (&w.dan, "x5", &acme),
    ] {
        let refused = activity(&mut w.sql(person), id, card, plain);
        assert_eq!(code(refused), SqlState::INSUFFICIENT_PRIVILEGE, "{id}");
    }
    // Nor on a card the hub does not have.
    let missing = activity(
        &mut ann,
        "x6",
        "019f0000-0000-7000-8000-000000000000",
        plain,
    );
    assert_eq!(code(missing), SqlState::INSUFFICIENT_PRIVILEGE);
    // Who may read one follows the card too.
    let activities = "SELECT id FROM funnel_hub.records WHERE tbl = 'activities'";
    assert_eq!(column(&mut ann, activities), ["a1", "a2"]);
    assert_eq!(column(&mut lea, activities), ["a1", "a2"]);
    assert_eq!(column(&mut carl, activities), ["a3"]);
    assert_eq!(column(&mut dan, activities), ["a1", "a2", "a3"]);

    // Every field clients read is checked, with the reason said.
    let giant = "o || jsonb_build_object('summary', repeat('x', 10001))";
    for (change, reason) in [
        ("o || jsonb_build_object('kind', 'lunch')", "kind lunch"),
        ("o || jsonb_build_object('kind', 3)", "kind 3"),
        ("o - 'kind'", "kind none"),
        ("o || jsonb_build_object('day', 'monday')", "day monday"),
        ("o || jsonb_build_object('day', 20650)", "day 20650"),
        (
            "o || jsonb_build_object('day', '3026-07-15')",
            "day 3026-07-15",
        ),
        (
            "o || jsonb_build_object('day', '2026-02-30')",
            "day 2026-02-30: no such date",
        ),
        ("o - 'day'", "day none"),
        ("o || jsonb_build_object('at_minute', 1440)", "time 1440"),
        ("o || jsonb_build_object('at_minute', '9:30')", "time 9:30"),
        (giant, "summary that is not a text"),
        (
            "o || jsonb_build_object('with_whom', 7)",
            "with_whom that is not a text",
        ),
        ("o - 'summary'", "summary that is not a text"),
    ] {
        let refused = activity(&mut ann, "bad", &acme, change).expect_err(change);
        let db = refused.as_db_error().expect("a server error");
        assert_eq!(db.code(), &SqlState::CHECK_VIOLATION, "{change}");
        assert!(db.message().contains(reason), "{change}: {}", db.message());
    }
    // An edit is checked as a new row is.
    let edit = ann.execute(
        "UPDATE funnel_hub.records SET data = (data::jsonb || '{\"kind\": \"lunch\"}')::json
         WHERE tbl = 'activities' AND id = 'a1'",
        &[],
    );
    assert_eq!(code(edit), SqlState::CHECK_VIOLATION);
    // A time is optional.
    activity(
        &mut ann,
        "a4",
        &acme,
        "o || jsonb_build_object('at_minute', null)",
    )
    .unwrap();
    // Those the hub took reach the files of whoever reads their card, and no one else's.
    w.sync_all();
    let count = |p: &Person, card: &str| p.store.activities(card).map_or(0, |a| a.len());
    assert_eq!([&w.ann, &w.bob, &w.lea].map(|p| count(p, &acme)), [2; 3]);
    assert_eq!(
        [&w.ann, &w.lea, &w.carl].map(|p| count(p, &gamma)),
        [1, 1, 0]
    );
    assert_eq!(
        [&w.carl, &w.dan, &w.ann].map(|p| count(p, &south)),
        [1, 1, 0]
    );
}
