//! CSV and JSON import/export through the library, on the fixture files in `tests/fixtures/`.

use chrono::{NaiveDate, NaiveTime};
use funnel::domain::{ActivityKind, NewActivity};
use funnel::domain::{Answer, Opportunity, OpportunityFields, Person, Stage, Status};
use funnel::interchange::{ImportError, export_csv, export_json, import_file};
use funnel::store::{
    CardFilter, Funnel, ImportProgress, ImportStats, NewOpportunity, PROGRESS_EVERY, Store,
};
use std::path::{Path, PathBuf};

fn setup() -> (Store, Funnel) {
    let mut store = Store::open_in_memory().unwrap();
    let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
    (store, funnel)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    day(2026, 3, 15)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn import(store: &mut Store, funnel: &Funnel, path: &Path) -> Result<ImportStats, ImportError> {
    import_file(store, funnel, path, false, today(), None)
}

fn import_fixture(store: &mut Store, funnel: &Funnel, name: &str) -> ImportStats {
    import(store, funnel, &fixture(name)).unwrap_or_else(|e| panic!("{name}:\n{e}"))
}

fn problems(store: &mut Store, funnel: &Funnel, name: &str) -> Vec<(usize, String, String)> {
    problem_list(import(store, funnel, &fixture(name)).expect_err(name))
}

fn problem_list(err: ImportError) -> Vec<(usize, String, String)> {
    assert!(err.store.is_none(), "{err}");
    let list = err.problems.into_iter();
    list.map(|p| (p.line, p.column, p.reason.to_string()))
        .collect()
}

/// (line, column) of each problem: what a user needs to find it.
fn places(problems: &[(usize, String, String)]) -> Vec<(usize, &str)> {
    problems.iter().map(|(l, c, _)| (*l, c.as_str())).collect()
}

fn csv_of(store: &Store, funnel: &Funnel) -> String {
    let mut out = Vec::new();
    export_csv(store, funnel, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn json_of(store: &Store, funnel: &Funnel) -> String {
    let mut out = Vec::new();
    export_json(store, funnel, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn all(store: &Store, funnel: &Funnel) -> Vec<Opportunity> {
    let filter = CardFilter {
        closed_too: true,
        ..CardFilter::default()
    };
    store.opportunities(funnel, &filter).unwrap()
}

fn titled(store: &Store, funnel: &Funnel, title: &str) -> Opportunity {
    let found = all(store, funnel)
        .into_iter()
        .find(|o| o.fields.title == title);
    found.unwrap_or_else(|| panic!("no opportunity titled {title}"))
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const ERP: &str = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a51";
const DATA: &str = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a52";

#[test]
fn imports_a_good_csv() {
    let (mut store, funnel) = setup();
    let stats = import_fixture(&mut store, &funnel, "good.csv");
    assert_eq!(
        stats,
        ImportStats {
            added: 5,
            updated: 0
        }
    );

    let erp = store.opportunity(ERP).unwrap();
    assert_eq!(erp.fields.value_cents, 1_200_050);
    assert_eq!(erp.stage, Stage::CommitsToInvest);
    assert_eq!(erp.created, day(2026, 1, 10));
    assert_eq!(erp.stage_since, today());
    assert_eq!(erp.fields.expected_close, Some(day(2026, 6, 30)));
    assert_eq!(erp.fields.next_step, "Send the proposal");

    // Upper-case id, French stage name, lower-case currency, thousands space.
    let data = store.opportunity(DATA).unwrap();
    assert_eq!(data.stage, Stage::DecisionCriteria);
    assert_eq!(data.fields.value_cents, 150_000);

    let won = titled(&store, &funnel, "Support renewal");
    assert_eq!(
        (won.status, won.closed),
        (Status::Won, Some(day(2026, 3, 1)))
    );
    assert_eq!(won.created, today(), "no created date: today");
    assert_eq!(won.stage, Stage::Closing);

    let lost = titled(&store, &funnel, "Pilot");
    assert_eq!(
        (lost.status, lost.lost_reason.as_str()),
        (Status::Lost, "Budget cut")
    );
    assert_eq!(lost.fields.value_cents, 25_050);
    assert_eq!(lost.stage, Stage::ProblemRecognized);

    let training = titled(&store, &funnel, "Training, phase 2");
    assert_eq!(training.stage, Stage::PreFunnel);
    assert_eq!(training.status, Status::Open);
    assert_eq!(training.fields.value_cents, 0);
    assert_eq!(training.fields.next_step, "Call \"Marie\" back");
    assert!(
        uuid::Uuid::parse_str(&training.id)
            .unwrap()
            .get_version_num()
            == 7
    );
}

#[test]
fn reads_semicolons_a_bom_and_decimal_commas() {
    let (mut store, funnel) = setup();
    let stats = import_fixture(&mut store, &funnel, "semicolon_bom_decimal_comma.csv");
    assert_eq!(stats.added, 3);
    let reseau = titled(&store, &funnel, "Réseau");
    assert_eq!(reseau.fields.value_cents, 123_450);
    assert_eq!(reseau.stage, Stage::VendorSelected);
    assert_eq!(
        reseau.fields.owner, "claire",
        "the BOM is not part of the first column"
    );
    let switches = titled(&store, &funnel, "Switches");
    assert_eq!(switches.fields.value_cents, 1_200_000);
    assert_eq!(switches.stage, Stage::PreFunnel);
    assert_eq!(
        titled(&store, &funnel, "Serveurs").fields.value_cents,
        100_005
    );
}

#[test]
fn reimport_updates_instead_of_duplicating() {
    let (mut store, funnel) = setup();
    import_fixture(&mut store, &funnel, "good.csv");
    let first = csv_of(&store, &funnel);

    // The export carries every id: importing it back changes nothing.
    let dir = tempfile::tempdir().unwrap();
    let exported = write(&dir, "export.csv", &first);
    let stats = import(&mut store, &funnel, &exported).unwrap();
    assert_eq!(
        stats,
        ImportStats {
            added: 0,
            updated: 5
        }
    );
    assert_eq!(all(&store, &funnel).len(), 5);
    assert_eq!(csv_of(&store, &funnel), first);

    // The fixture itself: rows with an id update, rows without one add.
    let stats = import_fixture(&mut store, &funnel, "good.csv");
    assert_eq!(
        stats,
        ImportStats {
            added: 3,
            updated: 2
        }
    );
    assert_eq!(all(&store, &funnel).len(), 8);
}

#[test]
fn a_partial_sheet_updates_only_its_columns() {
    let (mut store, funnel) = setup();
    import_fixture(&mut store, &funnel, "good.csv");
    let erp = store.opportunity(ERP).unwrap();
    let fields = OpportunityFields {
        budget_cents: Some(5_000_000),
        decision_criteria: "price".into(),
        ..erp.fields.clone()
    };
    store.update_fields(ERP, erp.version, fields).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let sheet = write(
        &dir,
        "values.csv",
        &format!("value,id,title\n99,{ERP},ERP v2\n"),
    );
    let stats = import(&mut store, &funnel, &sheet).unwrap();
    assert_eq!(stats.updated, 1);
    let after = store.opportunity(ERP).unwrap();
    assert_eq!(after.fields.value_cents, 9_900);
    assert_eq!(after.fields.title, "ERP v2");
    assert_eq!(after.fields.account, "Acme");
    assert_eq!(after.fields.budget_cents, Some(5_000_000));
    assert_eq!(after.fields.decision_criteria, "price");
    assert_eq!((after.stage, after.created), (erp.stage, erp.created));
    assert_eq!(after.fields.expected_close, erp.fields.expected_close);
}

#[test]
fn reports_every_bad_row_and_writes_nothing() {
    let (mut store, funnel) = setup();
    import_fixture(&mut store, &funnel, "good.csv");
    let before = csv_of(&store, &funnel);

    let found = problems(&mut store, &funnel, "bad_rows.csv");
    assert_eq!(
        places(&found),
        [
            (3, "title"),
            (4, "value"),
            (5, "stage"),
            (6, "closed"),
            (7, "lost_reason"),
            (8, "currency"),
            (9, "value"),
            (10, ""),
            (11, "created"),
            (12, "value"),
            (13, "value"),
            (13, "stage"),
        ]
    );
    let reason = |line: usize, column: &str| {
        let problem = found.iter().find(|(l, c, _)| *l == line && c == column);
        problem.unwrap().2.clone()
    };
    assert_eq!(reason(3, "title"), "required");
    assert_eq!(reason(4, "value"), "not a number: \"12abc\"");
    assert!(reason(5, "stage").starts_with("unknown stage \"nowhere\""));
    assert_eq!(reason(6, "closed"), "a won opportunity needs a closed date");
    assert_eq!(
        reason(7, "lost_reason"),
        "a lost opportunity needs a reason"
    );
    assert_eq!(
        reason(8, "currency"),
        "USD is not the funnel's currency (EUR)"
    );
    assert!(reason(9, "value").starts_with("ambiguous amount"));
    assert_eq!(reason(10, ""), "expected 8 fields like the header, found 2");
    assert_eq!(reason(11, "created"), "no such date: 2026-13-01");
    assert_eq!(reason(12, "value"), "negative amount not allowed");

    let err = import(&mut store, &funnel, &fixture("bad_rows.csv")).unwrap_err();
    let text = err.to_string();
    assert_eq!(text.lines().count(), 12);
    assert!(
        text.starts_with("3: title: required\n4: value: not a number"),
        "{text}"
    );

    assert_eq!(csv_of(&store, &funnel), before, "nothing written");
}

#[test]
fn lines_count_blank_lines_and_cells_spanning_lines() {
    let (mut store, funnel) = setup();
    let dir = tempfile::tempdir().unwrap();
    let text = "title;value\r\n\r\n\"Two\r\nlines\";1,5\r\nBad;x\r\n\"A;b\";2\r\n;3\r\n";
    let path = write(&dir, "crlf.csv", text);
    let err = import(&mut store, &funnel, &path).unwrap_err();
    assert_eq!(
        err.to_string(),
        "5: value: not a number: \"x\"\n7: title: required"
    );
    let fixed = write(
        &dir,
        "fixed.csv",
        &text.replace("Bad;x", "Good;9").replace("\n;3", "\nT;3"),
    );
    assert_eq!(import(&mut store, &funnel, &fixed).unwrap().added, 4);
    assert_eq!(titled(&store, &funnel, "Two lines").fields.value_cents, 150);
    assert_eq!(titled(&store, &funnel, "A;b").fields.value_cents, 200);

    let late_header = write(&dir, "late.csv", "\r\n\r\ntitle;value;colour\r\n");
    let err = import(&mut store, &funnel, &late_header).unwrap_err();
    assert_eq!(places(&problem_list(err)), [(3, "colour")]);
}

/// A quote left open swallows the rest of the file into the record it opens in, wherever that
/// is: after quoted cells that span lines, in the last column (so the record still has every
/// field), after rows with problems of their own, in the header.
#[test]
fn a_quote_left_open_is_found_in_whichever_record_it_opens() {
    let (mut store, funnel) = setup();
    let dir = tempfile::tempdir().unwrap();
    let rows =
        "title,value,owner\r\n\"Two\r\nlines\",1,\"a\"\r\nBad,x,b\r\n\"C, \"\"c\"\"\",3,c\r\n";
    for (tail, expected) in [
        ("D,4,\"open\r\nE,5,e\r\n", (6, "owner")),
        ("D,4,d\r\n\"open,5,e\r\nF,6,f\r\n", (7, "title")),
        ("D,4,d\r\nE,5,\"\"\"\r\n", (7, "owner")),
    ] {
        let path = write(&dir, "open.csv", &format!("{rows}{tail}"));
        let found = problem_list(import(&mut store, &funnel, &path).unwrap_err());
        assert_eq!(places(&found), [expected], "{tail:?}");
        assert_eq!(found[0].2, "quote opened here is never closed");
        let closed = write(&dir, "closed.csv", &format!("{rows}{tail}\"\r\n"));
        let found = problem_list(import(&mut store, &funnel, &closed).unwrap_err());
        assert!(
            found.iter().all(|p| !p.2.contains("never closed")),
            "{found:?}"
        );
    }
    let header = write(&dir, "header.csv", "title,\"value\nA,1\n");
    let found = problem_list(import(&mut store, &funnel, &header).unwrap_err());
    assert_eq!(places(&found), [(1, "")]);
    assert_eq!(found[0].2, "quote opened here is never closed");
    assert!(all(&store, &funnel).is_empty());
}

#[test]
fn refuses_unknown_and_duplicate_columns() {
    let (mut store, funnel) = setup();
    let found = problems(&mut store, &funnel, "unknown_column.csv");
    assert_eq!(places(&found), [(1, "colour"), (1, "stge")]);
    assert!(
        found[0]
            .2
            .starts_with("unknown column (the columns are id, title,")
    );

    let found = problems(&mut store, &funnel, "duplicate_column.csv");
    assert_eq!(places(&found), [(1, "OWNER")]);
    assert_eq!(found[0].2, "duplicate column");

    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "no_value.csv", "title,owner\nA,b\n");
    let err = import(&mut store, &funnel, &path).unwrap_err();
    assert_eq!(err.to_string(), "1: value: required column is missing");
    assert!(all(&store, &funnel).is_empty());
}

#[test]
fn refuses_duplicate_and_malformed_ids() {
    let (mut store, funnel) = setup();
    let found = problems(&mut store, &funnel, "duplicate_ids.csv");
    assert_eq!(places(&found), [(4, "id"), (5, "id")]);
    assert_eq!(found[0].2, "duplicate id (also on line 2)");
    assert_eq!(found[1].2, "not a UUID: \"not-a-uuid\"");
}

#[test]
fn refuses_an_id_of_another_funnel() {
    let (mut store, funnel) = setup();
    import_fixture(&mut store, &funnel, "good.csv");
    let other = store.add_funnel("other", "EUR", 1).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "steal.csv",
        &format!("id,title,value\n{ERP},Mine,1\n"),
    );
    let err = import(&mut store, &other, &path).unwrap_err();
    assert_eq!(
        err.to_string(),
        "2: id: this id belongs to an opportunity of another funnel"
    );
    assert_eq!(store.opportunity(ERP).unwrap().funnel_id, funnel.id);
}

#[test]
fn whole_file_problems() {
    let (mut store, funnel) = setup();
    let err = import(&mut store, &funnel, &fixture("empty.csv")).unwrap_err();
    assert_eq!(err.to_string(), "empty file: expected a header row");
    assert_eq!(err.problems[0].line, 0);

    let found = problems(&mut store, &funnel, "open_quote.csv");
    assert_eq!(places(&found), [(3, "title")]);
    assert_eq!(found[0].2, "quote opened here is never closed");

    let found = problems(&mut store, &funnel, "invalid_utf8.csv");
    assert_eq!(places(&found), [(3, "title"), (5, "owner")]);
    assert!(found[0].2.starts_with("invalid UTF-8"));

    let found = problems(&mut store, &funnel, "impossible_date.csv");
    assert_eq!(places(&found), [(2, "expected_close")]);
    assert_eq!(found[0].2, "no such date: 2026-02-30");

    let dir = tempfile::tempdir().unwrap();
    let text = write(&dir, "opportunities.txt", "title,value\n");
    let err = import(&mut store, &funnel, &text).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("unsupported file type (use a .csv or .json file)")
    );
    let missing = import(&mut store, &funnel, &dir.path().join("gone.csv")).unwrap_err();
    assert!(missing.to_string().starts_with("cannot read "), "{missing}");

    assert!(all(&store, &funnel).is_empty());
}

#[test]
fn header_only_imports_nothing_and_extensions_ignore_case() {
    let (mut store, funnel) = setup();
    let stats = import_fixture(&mut store, &funnel, "header_only.csv");
    assert_eq!(stats, ImportStats::default());
    let dir = tempfile::tempdir().unwrap();
    let upper = write(&dir, "SHEET.CSV", "Title,Value\nLoud,1\n");
    assert_eq!(import(&mut store, &funnel, &upper).unwrap().added, 1);
}

#[test]
fn dry_run_counts_and_writes_nothing() {
    let (mut store, funnel) = setup();
    let dry_run = |store: &mut Store| {
        import_file(store, &funnel, &fixture("good.csv"), true, today(), None).unwrap()
    };
    let stats = dry_run(&mut store);
    assert_eq!(
        stats,
        ImportStats {
            added: 5,
            updated: 0
        }
    );
    assert!(all(&store, &funnel).is_empty());

    import_fixture(&mut store, &funnel, "good.csv");
    let before = json_of(&store, &funnel);
    let stats = dry_run(&mut store);
    assert_eq!(
        stats,
        ImportStats {
            added: 3,
            updated: 2
        }
    );
    assert_eq!(json_of(&store, &funnel), before);
}

#[test]
fn csv_export_neutralises_formulas_and_round_trips_them() {
    let (mut store, funnel) = setup();
    import_fixture(&mut store, &funnel, "formula.csv");
    // Kept as typed; a leading quote before a formula character is the spreadsheet's escape.
    let link = "=HYPERLINK(\"http://evil.example\",\"click\")";
    let first = titled(&store, &funnel, link);
    assert_eq!(first.fields.account, "+33 1 23 45 67 89");
    assert_eq!(first.fields.next_step, "@SUM(A1)");
    let second = titled(&store, &funnel, "=1+1");
    assert_eq!(second.fields.account, "-minus");
    assert_eq!(second.fields.next_step, "plain 'quote");

    let exported = csv_of(&store, &funnel);
    assert!(exported.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\""));
    assert!(exported.contains(",'+33 1 23 45 67 89,"));
    assert!(exported.contains(",'@SUM(A1),,\n"));
    assert!(exported.contains(",'=1+1,"));
    assert!(exported.contains(",'-minus,"));
    assert!(exported.contains(",plain 'quote,,\n"));
    for line in exported.lines() {
        for cell in line.split(',') {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell} in {line}");
        }
    }

    let (mut copy, copy_funnel) = setup();
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "export.csv", &exported);
    import(&mut copy, &copy_funnel, &path).unwrap();
    assert_eq!(
        titled(&copy, &copy_funnel, link).fields.account,
        "+33 1 23 45 67 89"
    );
    assert_eq!(csv_of(&copy, &copy_funnel), exported);
}

#[test]
fn the_next_step_due_goes_through_csv_and_an_older_csv_without_it_imports() {
    let (store, funnel) = rich_store();
    let exported = csv_of(&store, &funnel);
    assert!(
        exported.contains(",'=call the CFO,2026-10-05,14:30\n"),
        "{exported}"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "export.csv", &exported);
    let (mut copy, copy_funnel) = setup();
    import(&mut copy, &copy_funnel, &path).unwrap();
    let erp = titled(&copy, &copy_funnel, "ERP");
    assert_eq!(erp.fields.next_step_due, Some(day(2026, 10, 5)));
    assert_eq!(erp.fields.next_step_at, NaiveTime::from_hms_opt(14, 30, 0));
    assert_eq!(csv_of(&copy, &copy_funnel), exported);

    // good.csv predates the column: its cards have no due date.
    let (mut older, older_funnel) = setup();
    import_fixture(&mut older, &older_funnel, "good.csv");
    let cards = all(&older, &older_funnel);
    assert!(!cards.is_empty());
    assert!(cards.iter().all(|c| c.fields.next_step_due.is_none()));
    assert!(cards.iter().all(|c| c.fields.next_step_at.is_none()));

    // A time that is not one is refused with the line, the column and why.
    let bad = exported.replace("2026-10-05,14:30", "2026-10-05,25:00");
    let path = write(&dir, "bad_time.csv", &bad);
    let (mut refused, refused_funnel) = setup();
    let err = import(&mut refused, &refused_funnel, &path).unwrap_err();
    assert!(err.to_string().contains("next_step_at"), "{err}");
    assert!(err.to_string().contains("25:00"), "{err}");
}

#[test]
fn csv_export_has_the_contract_columns() {
    let (mut store, funnel) = setup();
    assert_eq!(
        csv_of(&store, &funnel),
        "id,title,account,value,currency,stage,status,owner,team,region,territory,product,\
         created,expected_close,closed,lost_reason,next_step,next_step_due,next_step_at\n"
    );
    import_fixture(&mut store, &funnel, "good.csv");
    let exported = csv_of(&store, &funnel);
    let erp = exported.lines().find(|l| l.starts_with(ERP)).unwrap();
    assert_eq!(
        erp,
        format!(
            "{ERP},ERP rollout,Acme,12000.50,EUR,commits_to_invest,open,alice,North,EU,FR-N,ERP,\
             2026-01-10,2026-06-30,,,Send the proposal,,"
        )
    );
}

/// A funnel with every kind of record: history, evidence, answers, people, targets, won and
/// lost cards.
fn rich_store() -> (Store, Funnel) {
    let (mut store, funnel) = setup();
    store.set_target(&funnel, 2026, None, 50_000_000).unwrap();
    store
        .set_target(&funnel, 2026, Some("alice"), 20_000_000)
        .unwrap();
    let add = |store: &mut Store, title: &str, cents: i64| {
        let fields = OpportunityFields {
            title: title.into(),
            account: "Acme".into(),
            value_cents: cents,
            owner: "alice".into(),
            ..OpportunityFields::default()
        };
        let new = NewOpportunity {
            fields,
            stage: None,
        };
        store.add_opportunity(&funnel, new).unwrap()
    };

    let deal = add(&mut store, "ERP", 1_200_050);
    let fields = OpportunityFields {
        expected_close: Some(day(2026, 9, 30)),
        decision_date: Some(day(2026, 8, 1)),
        budget_cents: Some(1_500_000),
        problem_cost_cents: Some(300_000),
        decision_criteria: "TCO, support in French".into(),
        next_step: "=call the CFO".into(),
        next_step_due: Some(day(2026, 10, 5)),
        next_step_at: NaiveTime::from_hms_opt(14, 30, 0),
        ..deal.fields.clone()
    };
    store.update_fields(&deal.id, deal.version, fields).unwrap();
    for (kind, on, at, with, summary) in [
        (
            ActivityKind::Call,
            (2, 3),
            Some((11, 5)),
            "Zoé",
            "Budget owner found",
        ),
        (ActivityKind::Note, (2, 4), None, "", "Sent the\tdeck"),
    ] {
        let new = NewActivity {
            kind,
            on: day(2026, on.0, on.1),
            at: at.and_then(|(h, m)| NaiveTime::from_hms_opt(h, m, 0)),
            with: with.into(),
            summary: summary.into(),
        };
        store.log_activity(&deal.id, &new).unwrap();
    }
    store
        .confirm_evidence(&deal.id, Stage::PreFunnel, day(2026, 2, 1), "ops lead")
        .unwrap();
    store
        .move_stage(&deal.id, None, Stage::ProblemRecognized, false)
        .unwrap();
    let answer = Answer {
        stage: Stage::ProblemRecognized,
        question: 1,
        asked: true,
        answer: "Since 2024.\nGetting worse.".into(),
    };
    store.set_answer(&deal.id, &answer).unwrap();
    for (name, role) in [("Zoé", "CFO"), ("Marc", "user"), ("Anna", "user")] {
        let person = Person {
            name: name.into(),
            role: role.into(),
            influence: 3,
            authority: if role == "CFO" { 5 } else { 1 },
            motivations: "fewer late closes".into(),
            ..Person::default()
        };
        store.save_person(&deal.id, &person).unwrap();
    }

    let forced = add(&mut store, "Data", 500_000);
    store
        .move_stage(&forced.id, None, Stage::ImpactDefined, true)
        .unwrap();
    let won = add(&mut store, "Renewal", 80_000);
    store.mark_won(&won.id, None, day(2026, 3, 1)).unwrap();
    let lost = add(&mut store, "Pilot", 25_050);
    store
        .mark_lost(&lost.id, None, "budget cut", day(2026, 2, 20))
        .unwrap();
    (store, funnel)
}

#[test]
fn json_round_trip_is_byte_identical() {
    let (store, funnel) = rich_store();
    let first = json_of(&store, &funnel);
    for expected in [
        "\"format\": \"funnel\"",
        "\"version\": 2",
        "\"fiscal_start\": 1",
        "\"amount_cents\": 20000000",
        "\"value_cents\": 1200050",
        "\"kind\": \"moved\"",
        "\"evidence_confirmed\": false",
        "\"confirmed_on\": \"2026-02-01\"",
        "\"answer\": \"Since 2024. Getting worse.\"",
        "\"name\": \"Zoé\"",
        "\"status\": \"won\"",
        "\"lost_reason\": \"budget cut\"",
        "\"decision_criteria\": \"TCO, support in French\"",
        "\"next_step_due\": \"2026-10-05\"",
        "\"next_step_at\": \"14:30\"",
        "\"kind\": \"call\"",
        "\"at\": \"11:05\"",
        "\"with\": \"Zoé\"",
        "\"summary\": \"Sent the deck\"",
    ] {
        assert!(first.contains(expected), "{expected} missing from\n{first}");
    }
    assert!(!first.contains("updated_at") && !first.contains("updated_by"));

    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "backup.JSON", &first);
    let (mut copy, copy_funnel) = setup();
    let stats = import(&mut copy, &copy_funnel, &path).unwrap();
    assert_eq!(
        stats,
        ImportStats {
            added: 4,
            updated: 0
        }
    );
    assert_eq!(json_of(&copy, &copy_funnel), first);
    // The activities came whole, and each card's latest one with them (an import into an
    // empty file loads in bulk).
    let (erp, erp_copy) = (
        titled(&store, &funnel, "ERP"),
        titled(&copy, &copy_funnel, "ERP"),
    );
    assert_eq!(
        copy.activities(&erp_copy.id).unwrap(),
        store.activities(&erp.id).unwrap()
    );
    assert_eq!(
        copy.last_activity(&erp_copy.id).unwrap(),
        Some(day(2026, 2, 4))
    );

    // Importing it again updates in place; the history is not duplicated.
    let stats = import(&mut copy, &copy_funnel, &path).unwrap();
    assert_eq!(
        stats,
        ImportStats {
            added: 0,
            updated: 4
        }
    );
    assert_eq!(json_of(&copy, &copy_funnel), first);
    assert_eq!(copy.check().unwrap(), []);

    // An export of version 1 (without activities nor next steps' times) still imports.
    let mut doc: serde_json::Value = serde_json::from_str(&first).unwrap();
    doc["version"] = 1.into();
    for card in doc["opportunities"].as_array_mut().unwrap() {
        let card = card.as_object_mut().unwrap();
        card.remove("activities");
        card.remove("next_step_at");
    }
    let path = write(&dir, "v1.json", &doc.to_string());
    let (mut older, older_funnel) = setup();
    import(&mut older, &older_funnel, &path).unwrap();
    let erp = titled(&older, &older_funnel, "ERP");
    assert_eq!(erp.fields.next_step_at, None);
    assert!(older.activities(&erp.id).unwrap().is_empty());
}

/// Each event of a card's history keeps who made it through an export and an import; an export
/// made before it was kept imports as made by whoever imports it.
#[test]
fn json_history_keeps_who_made_each_move() {
    let (store, funnel) = rich_store();
    let first = json_of(&store, &funnel);
    let mut doc: serde_json::Value = serde_json::from_str(&first).unwrap();
    let events = |doc: &mut serde_json::Value| -> Vec<serde_json::Value> {
        let cards = doc["opportunities"].as_array_mut().unwrap();
        let events = cards
            .iter_mut()
            .flat_map(|c| c["history"].as_array_mut().unwrap());
        events.map(std::mem::take).collect()
    };
    let by: Vec<_> = events(&mut doc.clone())
        .into_iter()
        .map(|e| e["by"].clone())
        .collect();
    assert!(
        by.len() > 4 && by.iter().all(|b| b.is_string() && *b == by[0]),
        "{by:?}"
    );

    let dir = tempfile::tempdir().unwrap();
    let (mut copy, copy_funnel) = setup();
    copy.set_actor("importer");
    import(&mut copy, &copy_funnel, &write(&dir, "now.json", &first)).unwrap();
    assert_eq!(json_of(&copy, &copy_funnel), first);

    for card in doc["opportunities"].as_array_mut().unwrap() {
        for event in card["history"].as_array_mut().unwrap() {
            event.as_object_mut().unwrap().remove("by");
        }
    }
    let (mut older, older_funnel) = setup();
    older.set_actor("importer");
    import(
        &mut older,
        &older_funnel,
        &write(&dir, "older.json", &doc.to_string()),
    )
    .unwrap();
    let mut again: serde_json::Value =
        serde_json::from_str(&json_of(&older, &older_funnel)).unwrap();
    let by: Vec<_> = events(&mut again)
        .into_iter()
        .map(|e| e["by"].clone())
        .collect();
    assert!(by.len() > 4 && by.iter().all(|b| b == "importer"), "{by:?}");
}

#[test]
fn json_problems_are_all_reported_by_path() {
    let (store, funnel) = rich_store();
    let mut doc: serde_json::Value = serde_json::from_str(&json_of(&store, &funnel)).unwrap();
    doc["funnel"]["currency"] = "USD".into();
    doc["targets"][0]["amount_cents"] = (-1).into();
    doc["opportunities"][0]["stage"] = "nowhere".into();
    doc["opportunities"][0]["history"][0]["at"] = "yesterday".into();
    doc["opportunities"][1]["value_cents"] = (-5).into();
    doc["opportunities"][2]["closed"] = "2026-02-30".into();
    doc["opportunities"][3]["id"] = doc["opportunities"][0]["id"].clone();

    let (mut copy, copy_funnel) = setup();
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "bad.json", &doc.to_string());
    let err = import(&mut copy, &copy_funnel, &path).unwrap_err();
    let columns: Vec<&str> = err.problems.iter().map(|p| p.column.as_str()).collect();
    assert_eq!(
        columns,
        [
            "funnel.currency",
            "targets[0].amount_cents",
            "opportunities[0].stage",
            "opportunities[0].history[0].at",
            "opportunities[1].value_cents",
            "opportunities[2].closed",
            "opportunities[3].id",
        ],
        "{err}"
    );
    assert!(err.problems.iter().all(|p| p.line == 0));
    assert!(
        err.to_string()
            .contains("opportunities[3].id: duplicate id (also opportunities[0])")
    );
    assert!(all(&copy, &copy_funnel).is_empty());
}

#[test]
fn json_syntax_and_typos_give_line_and_column() {
    let (store, funnel) = rich_store();
    let good = json_of(&store, &funnel);
    let (mut copy, copy_funnel) = setup();
    let dir = tempfile::tempdir().unwrap();

    let typo = write(
        &dir,
        "typo.json",
        &good.replacen("\"title\"", "\"titel\"", 1),
    );
    let err = import(&mut copy, &copy_funnel, &typo).unwrap_err();
    let problem = &err.problems[0];
    let line = good.lines().position(|l| l.contains("\"title\"")).unwrap() + 1;
    assert_eq!(problem.line, line);
    let reason = problem.reason.to_string();
    assert!(reason.starts_with("column "), "{err}");
    assert!(reason.contains(": unknown field `titel`"), "{err}");

    let broken = write(
        &dir,
        "broken.json",
        "{\n  \"format\": \"funnel\",\n  oops\n}\n",
    );
    let err = import(&mut copy, &copy_funnel, &broken).unwrap_err();
    assert_eq!(err.to_string(), "3: column 3: key must be a string");

    let other = write(
        &dir,
        "other.json",
        "{\"format\": \"x\", \"version\": 3, \"funnel\": \
        {\"name\": \"m\", \"currency\": \"EUR\", \"fiscal_start\": 1}, \"targets\": [], \
        \"opportunities\": []}",
    );
    let err = import(&mut copy, &copy_funnel, &other).unwrap_err();
    assert_eq!(
        err.to_string(),
        "format: expected \"funnel\": not a funnel export\n\
         version: version 3 is not readable here (only up to 2)"
    );
}

/// A CSV file loaded into an empty database is written on one thread while a second reads it,
/// checks each row and keeps the store's counts of the new cards (running totals, the period's
/// breakdowns, the history sums): they must equal a recount of what was written.
#[test]
fn a_csv_loaded_into_an_empty_database_keeps_the_counts_a_recount_gives() {
    let (mut store, funnel) = setup();
    let options = funnel::demo::DemoOptions::new(400, today());
    funnel::demo::generate(&mut store, &funnel, &options, None).unwrap();
    let exported = csv_of(&store, &funnel);
    let closed = all(&store, &funnel);
    assert!(closed.iter().any(|o| o.status == Status::Won) && closed.len() == 400);

    let (mut copy, copy_funnel) = setup();
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "demo.csv", &exported);
    let stats = import(&mut copy, &copy_funnel, &path).unwrap();
    assert_eq!(stats.added, 400);
    assert_eq!(copy.check().unwrap(), []);
    assert_eq!(csv_of(&copy, &copy_funnel), exported);
}

/// An import tells how far it has got: every `PROGRESS_EVERY` rows written, then that it is
/// finishing, once; an import refused for a bad row never says it is finishing.
#[test]
fn an_import_tells_its_progress_and_finishing_only_when_every_row_is_written() {
    let rows = 2 * PROGRESS_EVERY + 10;
    let mut csv = String::from("title,value\n");
    for n in 0..rows {
        csv.push_str(&format!("Deal {n},{n}\n"));
    }
    let dir = tempfile::tempdir().unwrap();
    let good = write(&dir, "many.csv", &csv);
    let bad = write(&dir, "bad.csv", &format!("{csv}Last deal,-5\n"));
    let told = |store: &mut Store, funnel: &Funnel, path: &Path| {
        let mut steps = Vec::new();
        let mut tell = |p| steps.push(p);
        let result = import_file(store, funnel, path, false, today(), Some(&mut tell));
        (result.map(|s| s.added + s.updated), steps)
    };
    let expected = vec![
        ImportProgress::Written(PROGRESS_EVERY),
        ImportProgress::Written(2 * PROGRESS_EVERY),
        ImportProgress::Finishing,
    ];

    let (mut store, funnel) = setup();
    // Into an empty database (written while another thread reads the file) ...
    let (written, steps) = told(&mut store, &funnel, &good);
    assert_eq!((written.unwrap(), steps), (rows, expected.clone()));
    // ... and over the cards it wrote (each row an update).
    let (written, steps) = told(&mut store, &funnel, &good);
    assert_eq!((written.unwrap(), steps), (rows, expected));

    let (mut empty, funnel) = setup();
    let (written, steps) = told(&mut empty, &funnel, &bad);
    assert!(written.is_err());
    assert!(!steps.contains(&ImportProgress::Finishing), "{steps:?}");
    assert!(all(&empty, &funnel).is_empty());
}

/// Amounts stop at the cap (1,000,000,000,000.00), so the sums the store keeps cannot overflow:
/// a row above it is reported with its line and column and nothing is written, whether the file
/// is loaded into an empty database in one pass or merged row by row.
#[test]
fn a_csv_amount_over_the_cap_is_refused_by_line_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "big.csv",
        "title,value\nAt the cap,1000000000000.00\nHuge,50000000000000000\n\
         A cent over,1000000000000.01\nSmall,1\n",
    );
    let too_large = "amount too large (at most 1,000,000,000,000)".to_owned();
    for with_cards in [false, true] {
        let (mut store, funnel) = setup();
        if with_cards {
            import_fixture(&mut store, &funnel, "good.csv");
        }
        let before = csv_of(&store, &funnel);
        let found = problem_list(import(&mut store, &funnel, &path).unwrap_err());
        assert_eq!(
            found,
            [
                (3, "value".to_owned(), too_large.clone()),
                (4, "value".to_owned(), too_large.clone()),
            ],
            "with cards: {with_cards}"
        );
        assert_eq!(csv_of(&store, &funnel), before, "with cards: {with_cards}");
    }

    // At the cap, beside another card, the sums stay exact.
    let (mut store, funnel) = setup();
    let path = write(
        &dir,
        "cap.csv",
        "title,value\nAt the cap,1000000000000.00\nSmall,1\n",
    );
    assert_eq!(import(&mut store, &funnel, &path).unwrap().added, 2);
    assert_eq!(store.check().unwrap(), []);
    let totals = store.totals(&funnel).unwrap();
    let sum: i128 = totals.iter().map(|row| row.value_cents).sum();
    assert_eq!(sum, 100_000_000_000_100);
}

#[test]
fn json_amounts_over_the_cap_are_refused_by_path_and_nothing_is_written() {
    let (store, funnel) = rich_store();
    let cap = funnel::domain::money::MAX_CENTS;
    let mut doc: serde_json::Value = serde_json::from_str(&json_of(&store, &funnel)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // Every amount may be at the cap.
    doc["targets"][0]["amount_cents"] = cap.into();
    for amount in ["value_cents", "budget_cents", "problem_cost_cents"] {
        doc["opportunities"][0][amount] = cap.into();
    }
    let path = write(&dir, "cap.json", &doc.to_string());
    let (mut copy, copy_funnel) = setup();
    assert_eq!(import(&mut copy, &copy_funnel, &path).unwrap().added, 4);
    assert_eq!(copy.check().unwrap(), []);

    // One cent above is refused where it is.
    doc["targets"][1]["amount_cents"] = (cap + 1).into();
    doc["opportunities"][0]["budget_cents"] = (cap + 1).into();
    doc["opportunities"][0]["problem_cost_cents"] = i64::MAX.into();
    doc["opportunities"][1]["value_cents"] = (cap + 1).into();
    let path = write(&dir, "over.json", &doc.to_string());
    let (mut copy, copy_funnel) = setup();
    let found = problem_list(import(&mut copy, &copy_funnel, &path).unwrap_err());
    let too_large = "amount too large (at most 1,000,000,000,000)";
    let expected = [
        "targets[1].amount_cents",
        "opportunities[0].budget_cents",
        "opportunities[0].problem_cost_cents",
        "opportunities[1].value_cents",
    ]
    .map(|path| (0, path.to_owned(), too_large.to_owned()));
    assert_eq!(found, expected);
    assert!(all(&copy, &copy_funnel).is_empty());
    assert!(copy.targets(&copy_funnel).unwrap().is_empty());
}

/// A JSON export goes back into a funnel of the same currency and fiscal year, and gives back
/// the same document there; into another it is refused with what to do, nothing written.
#[test]
fn a_json_export_goes_back_into_a_funnel_made_like_its_own() {
    let (mut store, _) = setup();
    let us = store.add_funnel("us", "USD", 4).unwrap();
    let opportunity = store
        .add_opportunity(
            &us,
            NewOpportunity {
                fields: OpportunityFields {
                    title: "Deal".into(),
                    value_cents: 12_300,
                    ..Default::default()
                },
                stage: None,
            },
        )
        .unwrap();
    store.set_target(&us, 2026, None, 500_000).unwrap();
    let exported = json_of(&store, &us);
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "us.json", &exported);

    let (mut copy, main) = setup();
    let problems = problem_list(import(&mut copy, &main, &path).unwrap_err());
    let columns: Vec<&str> = problems.iter().map(|(_, c, _)| c.as_str()).collect();
    assert_eq!(columns, ["funnel.currency", "funnel.fiscal_start"]);
    assert!(
        problems[1]
            .2
            .contains("funnels add NAME --currency USD --fiscal-start 4"),
        "{problems:?}"
    );
    assert!(all(&copy, &main).is_empty());

    let us_copy = copy.add_funnel("us", "USD", 4).unwrap();
    import(&mut copy, &us_copy, &path).unwrap();
    assert_eq!(json_of(&copy, &us_copy), exported);
    assert_eq!(titled(&copy, &us_copy, "Deal").id, opportunity.id);
}
