//! The review through a real PostgreSQL hub: a card's history travels and counts the same in
//! every file, and coaching (meetings, their card notes and action items) reaches whom each
//! role's rights say, with the hub deriving a child row's subject from its meeting. Hostile
//! clients (plain SQL, as `psql` would) and a hostile hub (rows changed behind the checks) are
//! refused or kept aside.
//!
//! Needs a server, as `tests/sync.rs` (`FUNNEL_TEST_PG`; skipped without it unless
//! `FUNNEL_REQUIRE_PG` is set).

mod common;
mod team_hub;

use chrono::Days;
use funnel::store::{Flaw, Funnel};
use funnel::sync::hub::Kind;
use postgres::error::SqlState;
use postgres::{Client, NoTls};
use rusqlite::Connection;
use team_hub::{Hub, Person, next_millisecond};

/// Sellers ann and bob with lead lea in team north, seller carl with lead sam in team south,
/// director dan; ann's and carl's cards synced everywhere.
struct World {
    hub: Hub,
    dir: tempfile::TempDir,
    ann: Person,
    bob: Person,
    lea: Person,
    carl: Person,
    sam: Person,
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
            sam: person("sam", "south", Kind::Lead),
            dan: person("dan", "", Kind::Director),
            hub,
            dir,
        };
        world.ann.add("Acme renewal", "ann", 1000);
        world.carl.add_in("south", "Southern deal", "carl", 7000);
        world.sync_all();
        Some(world)
    }

    fn everyone(&mut self) -> [&mut Person; 6] {
        [
            &mut self.ann,
            &mut self.bob,
            &mut self.lea,
            &mut self.carl,
            &mut self.sam,
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

    /// The person's file, opened beside their store (as another program would).
    fn file(&self, name: &str) -> Connection {
        Connection::open(self.dir.path().join(format!("{name}.db"))).unwrap()
    }
}

fn funnel(person: &Person) -> Funnel {
    person.store.funnels().unwrap().remove(0)
}

fn card(person: &Person, title: &str) -> String {
    let every = funnel::store::CardFilter {
        closed_too: true,
        ..Default::default()
    };
    let cards = person.store.opportunities(&funnel(person), &every).unwrap();
    cards
        .into_iter()
        .find(|o| o.fields.title == title)
        .unwrap()
        .id
}

/// A seller meeting of `lead` with `seller`, with a skill, an action item for the seller and,
/// if given, a note on a card; its id and the item's.
fn meet(lead: &mut Person, seller: &str, on_card: Option<&str>) -> (String, String) {
    let funnel = funnel(lead);
    let meeting = lead.store.start_meeting(&funnel, seller).unwrap();
    lead.store
        .set_meeting_skill(&meeting.id, "Qualifying the budget")
        .unwrap();
    let today = lead.store.today();
    let item = (lead.store)
        .add_action_item(&meeting.id, seller, "Call the buyer", Some(today))
        .unwrap();
    if let Some(card) = on_card {
        (lead.store)
            .set_card_note(&meeting.id, card, "Ask who signs")
            .unwrap();
    }
    (meeting.id, item.id)
}

/// The ids of this file's rows of `table`, sorted.
fn ids(file: &Connection, table: &str) -> Vec<String> {
    let mut stmt = file
        .prepare(&format!("SELECT id FROM {table} ORDER BY id"))
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// Pushes refused, by table.
fn refused_tables(report: &funnel::sync::Report) -> Vec<&str> {
    report.refused.iter().map(|(t, ..)| t.as_str()).collect()
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
fn a_cards_history_arrives_in_another_file_and_counts_the_same_there() {
    let Some(mut w) = World::new("history") else {
        return;
    };
    let id = card(&w.ann, "Acme renewal");
    let today = w.ann.store.today();
    // Pushed twice, pulled in once, its value raised.
    for (days, value) in [(30, 1000), (45, 1000), (20, 1000), (60, 1200)] {
        next_millisecond();
        let opp = w.ann.store.opportunity(&id).unwrap();
        let mut fields = opp.fields.clone();
        fields.expected_close = Some(today + Days::new(days));
        fields.value_cents = value * 100;
        w.ann.store.update_fields(&id, opp.version, fields).unwrap();
    }
    let report = w.ann.sync();
    assert!(report.refused.is_empty(), "{report:?}");
    // lea's file holds cards already (a later pull); dan's is new (a first pull, in bulk).
    w.lea.sync();
    let dans = tempfile::tempdir().unwrap();
    let mut first = Person::new(dans.path(), "dan", w.dan.url.clone());
    first.sync();

    type Row = (String, i64, Option<i64>, Option<i64>, String);
    let rows = |file: &Connection| -> Vec<Row> {
        let mut stmt = file
            .prepare(
                "SELECT id, field, old, new, updated_at FROM card_history
                 WHERE field IN (1, 2) ORDER BY updated_at, field",
            )
            .unwrap();
        stmt.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    };
    let pushed = |rows: &[Row]| {
        (rows.iter())
            .filter(|(_, field, old, new, _)| *field == 2 && old.is_some() && new > old)
            .count()
    };
    let anns = rows(&w.file("ann"));
    // Setting a first date is no push; 30 -> 45 and 20 -> 60 are, 45 -> 20 is not.
    assert_eq!(pushed(&anns), 2);
    let dans_file = Connection::open(dans.path().join("dan.db")).unwrap();
    for file in [w.file("lea"), dans_file] {
        assert_eq!(rows(&file), anns, "every change, as ann's file has it");
        assert_eq!(pushed(&rows(&file)), pushed(&anns));
        // Looked up by the card's owner when each file recorded it (the puller's: the card's
        // as it came).
        for table in ["stage_events", "card_history"] {
            let sql = format!("SELECT DISTINCT card_owner FROM {table} ORDER BY 1");
            let owners: Vec<String> = (file.prepare(&sql).unwrap())
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            assert!(
                !owners.is_empty() && !owners.contains(&String::new()),
                "{owners:?}"
            );
        }
    }
    assert_eq!(
        w.lea.store.timeline(&id).unwrap(),
        w.ann.store.timeline(&id).unwrap()
    );
    assert_eq!(
        first.store.timeline(&id).unwrap(),
        w.ann.store.timeline(&id).unwrap()
    );
    // Nothing pulled is a change of the puller's, and the history is pushed once.
    assert_eq!(w.lea.store.sync_pending().unwrap(), (0, 0));
    let again = w.ann.sync();
    assert_eq!((again.pushed, again.pulled), (0, 0));
}

#[test]
fn a_seller_reads_their_meetings_ticks_their_items_and_writes_nothing_else() {
    let Some(mut w) = World::new("seller") else {
        return;
    };
    let acme = card(&w.lea, "Acme renewal");
    let (meeting, item) = meet(&mut w.lea, "ann", Some(&acme));
    assert!(w.lea.sync().refused.is_empty());
    w.sync_all();

    // ann reads her meeting, its skill, items and card note; bob and carl read nothing of it.
    let hers = w.ann.store.meeting(&meeting).unwrap();
    assert_eq!(hers.skill, "Qualifying the budget");
    assert_eq!(
        hers.card_notes,
        [(acme.clone(), "Ask who signs".to_owned())]
    );
    assert_eq!(hers.items.len(), 1);
    assert!(!hers.items[0].done);
    for name in ["bob", "carl", "sam"] {
        let file = w.file(name);
        for table in ["meetings", "meeting_card_notes", "action_items"] {
            assert!(ids(&file, table).is_empty(), "{name} {table}");
        }
    }
    assert_eq!(
        ids(&w.file("dan"), "action_items"),
        std::slice::from_ref(&item)
    );

    // She ticks her item: the lead reads it done.
    next_millisecond();
    assert!(w.ann.store.toggle_action_item(&item).unwrap());
    let report = w.ann.sync();
    assert!(report.refused.is_empty(), "{report:?}");
    w.lea.sync();
    assert!(w.lea.store.meeting(&meeting).unwrap().items[0].done);

    // She changes the skill, starts a meeting of her own, rewrites her item's text: each is
    // refused and kept, with the hub's reason.
    next_millisecond();
    (w.ann.store)
        .set_meeting_skill(&meeting, "Something easier")
        .unwrap();
    let own = w.ann.store.start_meeting(&funnel(&w.ann), "ann").unwrap();
    w.ann.store.set_meeting_notes(&own.id, "My notes").unwrap();
    (w.file("ann"))
        .execute(
            "UPDATE action_items SET text = 'Nothing to do' WHERE id = ?1",
            [&item],
        )
        .unwrap();
    let report = w.ann.sync();
    assert_eq!(
        refused_tables(&report),
        ["meetings", "meetings", "action_items"]
    );
    let reasons: Vec<&str> = report
        .refused
        .iter()
        .map(|(.., why)| why.as_str())
        .collect();
    assert!(reasons[0].contains("row-level security"), "{reasons:?}");
    assert!(reasons[2].contains("only tick"), "{reasons:?}");
    assert_eq!(w.ann.store.sync_pending().unwrap(), (3, 3));
    // The next sync tries again, and is refused again: nothing is lost, nothing reaches lea.
    assert_eq!(w.ann.sync().refused.len(), 3);
    w.lea.sync();
    let leas = w.lea.store.meeting(&meeting).unwrap();
    assert_eq!(leas.skill, "Qualifying the budget");
    assert_eq!(leas.items[0].text, "Call the buyer");
    assert!(w.lea.store.meeting(&own.id).is_err());
}

#[test]
fn a_lead_writes_their_teams_seller_meetings_and_reads_the_directors_team_meeting() {
    let Some(mut w) = World::new("lead") else {
        return;
    };
    // lea meets ann (her team): taken. lea meets carl (south): refused. sam meets carl: taken.
    let (anns, _) = meet(&mut w.lea, "ann", None);
    let (carls, _) = meet(&mut w.lea, "carl", None);
    let report = w.lea.sync();
    assert_eq!(refused_tables(&report), ["meetings", "action_items"]);
    assert_eq!(report.refused[0].1, carls);
    let (sams, _) = meet(&mut w.sam, "carl", None);
    assert!(w.sam.sync().refused.is_empty());

    // dan holds a team meeting with lea over team north.
    let team = (w.dan.store)
        .start_team_meeting(&funnel(&w.dan), "north", "lea")
        .unwrap();
    w.dan.store.set_meeting_skill(&team.id, "Coaching").unwrap();
    let today = w.dan.store.today();
    (w.dan.store)
        .add_action_item(&team.id, "lea", "Review the forecast", Some(today))
        .unwrap();
    assert!(w.dan.sync().refused.is_empty());
    w.sync_all();

    let leas = w.file("lea");
    assert_eq!(
        (leas.query_row(
            "SELECT kind, team, skill FROM meetings WHERE id = ?1",
            [&team.id],
            |r| Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?
            )),
        ))
        .unwrap(),
        ("team".into(), "north".into(), "Coaching".into())
    );
    assert!(ids(&leas, "meetings").contains(&anns));
    assert!(!ids(&leas, "meetings").contains(&sams));
    assert_eq!(w.lea.store.meeting(&team.id).unwrap().items.len(), 1);
    // The sellers and the other team's lead do not read it; the director reads every meeting.
    for name in ["ann", "bob", "sam"] {
        assert!(!ids(&w.file(name), "meetings").contains(&team.id), "{name}");
    }
    let dans = ids(&w.file("dan"), "meetings");
    for id in [&anns, &sams, &team.id] {
        assert!(dans.contains(id));
    }
    assert!(ids(&w.file("carl"), "meetings").contains(&sams));

    // lea reads the team meeting and ticks her item of it; she may not write the meeting.
    next_millisecond();
    let hers = w.lea.store.meeting(&team.id).unwrap().items.remove(0);
    assert!(w.lea.store.toggle_action_item(&hers.id).unwrap());
    w.lea.store.set_meeting_skill(&team.id, "Nothing").unwrap();
    let report = w.lea.sync();
    let refused: Vec<&str> = report
        .refused
        .iter()
        .map(|(_, id, _)| id.as_str())
        .collect();
    assert!(refused.contains(&team.id.as_str()), "{report:?}");
    assert!(!refused.contains(&hers.id.as_str()), "{report:?}");
    w.dan.sync();
    let dans = w.dan.store.meeting(&team.id).unwrap();
    assert!(dans.items[0].done);
    assert_eq!(dans.skill, "Coaching");
}

/// What a hostile member tries with plain SQL: a child row that says it is of another subject,
/// a child of a meeting they may not read, a seller writing their own meeting's row, a history
/// row rewritten.
#[test]
fn a_hostile_client_cannot_spoof_a_child_rows_subject_nor_rewrite_history() {
    let Some(mut w) = World::new("spoof") else {
        return;
    };
    let (anns, item) = meet(&mut w.lea, "ann", None);
    let (carls, _) = meet(&mut w.sam, "carl", None);
    w.lea.sync();
    w.sam.sync();
    let mut lea = Client::connect(&w.lea.url, NoTls).unwrap();
    let insert = |meeting: &str, id: &str| {
        format!(
            "INSERT INTO funnel_hub.coaching (tbl, id, meeting_id, kind, owner, team, hlc, data)
             VALUES ('action_items', '{id}', '{anns}', 'seller', 'carl', 'south', {NOW},
                json_build_object('id', '{id}', 'meeting_id', '{meeting}', 'owner', 'carl',
                    'text', 'Spoofed', 'due', null, 'done', 0,
                    'updated_at', '2026-01-05T10:00:00.000Z', 'updated_by', 'lea',
                    'deleted_at', null))"
        )
    };
    // Of a meeting lea may not read: there is no such meeting, for her.
    let sql = insert(&carls, "x1");
    assert_eq!(
        code(lea.execute(sql.as_str(), &[])),
        SqlState::FOREIGN_KEY_VIOLATION
    );
    // Of her own team's meeting, saying it is carl's: it is ann's meeting's, whatever it says.
    lea.execute(insert(&anns, "x2").as_str(), &[]).unwrap();
    let admin = &mut w.hub.admin_client();
    let subject = admin
        .query_one(
            "SELECT meeting_id, kind, owner, team FROM funnel_hub.coaching WHERE id = 'x2'",
            &[],
        )
        .unwrap();
    let subject: (String, String, String, String) = (
        subject.get(0),
        subject.get(1),
        subject.get(2),
        subject.get(3),
    );
    let team: String = (w.file("lea"))
        .query_row("SELECT team FROM meetings WHERE id = ?1", [&anns], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(subject, (anns.clone(), "seller".into(), "ann".into(), team));
    w.sync_all();
    assert!(!ids(&w.file("carl"), "action_items").contains(&"x2".to_owned()));
    assert!(!ids(&w.file("sam"), "action_items").contains(&"x2".to_owned()));
    assert!(ids(&w.file("ann"), "action_items").contains(&"x2".to_owned()));

    // A meeting cannot be moved to another seller, by anyone.
    let moved = "UPDATE funnel_hub.coaching SET hlc = {NOW},
        data = (data::jsonb || '{\"owner\": \"bob\"}')::json WHERE id = $1";
    let moved = moved.replace("{NOW}", NOW);
    let director = &mut Client::connect(&w.dan.url, NoTls).unwrap();
    assert_eq!(
        code(director.execute(moved.as_str(), &[&anns])),
        SqlState::CHECK_VIOLATION
    );

    // ann may not add an item, nor change more than done, nor tick bob's (she cannot see it).
    let mut ann = Client::connect(&w.ann.url, NoTls).unwrap();
    assert_eq!(
        code(ann.execute(insert(&anns, "x3").as_str(), &[])),
        SqlState::INSUFFICIENT_PRIVILEGE
    );
    let rewrite = format!(
        "UPDATE funnel_hub.coaching SET hlc = {NOW},
         data = (data::jsonb || '{{\"text\": \"Nothing\", \"done\": 1}}')::json WHERE id = $1"
    );
    assert_eq!(
        code(ann.execute(rewrite.as_str(), &[&item])),
        SqlState::INSUFFICIENT_PRIVILEGE
    );
    let tick = format!(
        "UPDATE funnel_hub.coaching SET hlc = {NOW},
         data = (data::jsonb || '{{\"done\": 1}}')::json WHERE id = $1"
    );
    assert_eq!(ann.execute(tick.as_str(), &[&item]).unwrap(), 1);
    let (bobs, bobs_item) = meet(&mut w.lea, "bob", None);
    w.lea.sync();
    assert_eq!(ann.execute(tick.as_str(), &[&bobs_item]).unwrap(), 0);
    let mut bob = Client::connect(&w.bob.url, NoTls).unwrap();
    assert_eq!(bob.execute(tick.as_str(), &[&bobs_item]).unwrap(), 1);
    assert!(!bobs.is_empty());

    // A card's history is written once: not even its card's seller may change a row of it.
    let acme = card(&w.ann, "Acme renewal");
    let opp = w.ann.store.opportunity(&acme).unwrap();
    let mut fields = opp.fields.clone();
    fields.value_cents += 100;
    w.ann
        .store
        .update_fields(&acme, opp.version, fields)
        .unwrap();
    let report = w.ann.sync();
    assert!(report.refused.is_empty(), "{report:?}");
    let history = format!(
        "UPDATE funnel_hub.records SET hlc = {NOW},
         data = (data::jsonb || '{{\"new\": 1}}')::json WHERE tbl = 'card_history'"
    );
    assert_eq!(
        code(ann.execute(history.as_str(), &[])),
        SqlState::CHECK_VIOLATION
    );
    // Nor be written with a field clients do not know.
    let bad = format!(
        "INSERT INTO funnel_hub.records (tbl, id, opportunity_id, hlc, data)
         VALUES ('card_history', 'h1', '{acme}', {NOW}, json_build_object('id', 'h1',
            'opportunity_id', '{acme}', 'field', 9, 'old', 1, 'new', 2,
            'updated_at', '2026-01-05T10:00:00.000Z', 'updated_by', 'ann', 'deleted_at', null))"
    );
    let err = ann.execute(bad.as_str(), &[]).expect_err("refused");
    let err = err.as_db_error().expect("a server error");
    assert_eq!(err.code(), &SqlState::CHECK_VIOLATION);
    assert_eq!(
        err.message(),
        "card history h1 has field that is not one clients write"
    );
}

/// Rows a hub changed behind its own checks: each client keeps them aside, saying why, and
/// applies the rest.
#[test]
fn a_hostile_hubs_history_and_coaching_rows_are_kept_aside() {
    let Some(mut w) = World::new("hubside") else {
        return;
    };
    let acme = card(&w.ann, "Acme renewal");
    for value in [1100, 1200] {
        next_millisecond();
        w.ann.set_value(&acme, value);
    }
    let (_, item) = meet(&mut w.lea, "ann", None);
    w.sync_all();
    let mut admin = w.hub.admin_client();
    // Behind the hub's triggers, as a broken or hostile hub would.
    admin
        .batch_execute(&format!(
            "SET session_replication_role = replica;
             WITH h AS (SELECT id FROM funnel_hub.records WHERE tbl = 'card_history'
                        ORDER BY id LIMIT 2),
                  first AS (SELECT min(id) AS id FROM h)
             UPDATE funnel_hub.records SET xid = pg_current_xact_id()::text::bigint,
                hlc = {NOW},
                data = CASE WHEN id = (SELECT id FROM first)
                            THEN (data::jsonb || '{{\"field\": 9}}')::json
                            ELSE (data::jsonb || '{{\"updated_by\": \"mallory\"}}')::json END
             WHERE id IN (SELECT id FROM h);
             UPDATE funnel_hub.coaching SET xid = pg_current_xact_id()::text::bigint,
                hlc = {NOW}, data = (data::jsonb || '{{\"done\": 2}}')::json WHERE id = '{item}';
             UPDATE funnel_hub.coaching SET xid = pg_current_xact_id()::text::bigint,
                hlc = {NOW}, owner = 'bob' WHERE tbl = 'meetings';"
        ))
        .unwrap();
    let report = w.lea.sync();
    assert_eq!(report.kept_aside, 4, "{report:?}");
    let mut flaws: Vec<(String, Flaw)> = (w.lea.store.kept_aside().unwrap().into_iter())
        .map(|f| (f.table.to_owned(), f.flaw))
        .collect();
    flaws.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(flaws.contains(&(
        "card_history".into(),
        Flaw::Field {
            table: "card_history".into(),
            column: "field".into()
        }
    )));
    assert!(flaws.contains(&("card_history".into(), Flaw::Rewritten)));
    assert!(flaws.contains(&(
        "action_items".into(),
        Flaw::Field {
            table: "action_items".into(),
            column: "done".into()
        }
    )));
    assert!(flaws.contains(&(
        "meetings".into(),
        Flaw::Mismatch {
            column: "owner".into()
        }
    )));
    // The file still says what it had: the item open, the history as ann wrote it.
    let leas = w.file("lea");
    let open: i64 = leas
        .query_row(
            "SELECT done FROM action_items WHERE id = ?1",
            [&item],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(open, 0);
    let by: Vec<String> = (leas.prepare("SELECT updated_by FROM card_history"))
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(!by.contains(&"mallory".to_owned()), "{by:?}");
    for flaw in flaws.iter().map(|(_, f)| f) {
        assert!(!flaw.say(funnel::domain::Lang::Fr).is_empty());
    }
}

/// A hub older than coaching (schema version 8) keeps syncing cards and their history; the
/// meetings wait in the outbox, neither refused nor lost, and go once the hub is upgraded.
#[test]
fn coaching_waits_for_a_hub_that_keeps_it() {
    let Some(mut hub) = Hub::at_version("older", 8) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (mut ann, _bob, mut lea) = team_hub::team(&mut hub, dir.path());
    ann.add("Acme renewal", "ann", 1000);
    ann.sync();
    lea.sync();
    let (meeting, _) = meet(&mut lea, "ann", None);
    let report = lea.sync();
    assert!(report.refused.is_empty(), "{report:?}");
    assert_eq!(lea.store.sync_pending().unwrap(), (2, 0));
    let (old, new) = funnel::sync::hub::init(&mut hub.admin_client()).unwrap();
    assert!(old == 8 && new > old);
    assert_eq!(lea.sync().pushed, 2);
    ann.sync();
    assert_eq!(ann.store.meeting(&meeting).unwrap().items.len(), 1);
}

/// A one-to-one opened and left without a trace: never pushed, it leaves nothing queued; pushed
/// meanwhile (the board syncs in the background), it is removed everywhere.
#[test]
fn a_meeting_left_empty_leaves_no_trace_here_nor_on_the_hub() {
    let Some(mut w) = World::new("empty") else {
        return;
    };
    let f = funnel(&w.lea);
    let unpushed = w.lea.store.start_meeting(&f, "ann").unwrap();
    assert!(w.lea.store.end_meeting(&unpushed.id).unwrap());
    assert_eq!(w.lea.store.sync_pending().unwrap(), (0, 0));
    let pushed = w.lea.store.start_meeting(&f, "ann").unwrap();
    assert_eq!(w.lea.sync().pushed, 1);
    w.ann.sync();
    assert!(w.ann.store.meeting(&pushed.id).is_ok());
    assert!(w.lea.store.end_meeting(&pushed.id).unwrap());
    assert!(w.lea.store.meeting(&pushed.id).is_err());
    assert_eq!(w.lea.sync().pushed, 1);
    assert_eq!(w.lea.store.sync_pending().unwrap(), (0, 0));
    w.ann.sync();
    assert!(w.ann.store.meeting(&pushed.id).is_err());
    assert!(ids(&w.file("ann"), "meetings").contains(&pushed.id));
    assert!(!ids(&w.file("ann"), "meetings").contains(&unpushed.id));
}
