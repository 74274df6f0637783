//! The store's contract: what it keeps, what it refuses, and that the running totals always
//! equal a recount.

use chrono::{NaiveDate, NaiveDateTime};

mod coaching;
pub(super) mod day;
pub(super) mod review;

use super::*;
use crate::domain::indicators::aggregate;
use crate::domain::{Answer, Opportunity, OpportunityFields, Person, Stage, Status, money};

fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
}

/// The query plan of a statement, a line per step. Its parameters are left unbound (NULL): the
/// plans these tests check do not depend on them.
pub(super) fn plan(store: &Store, sql: &str) -> String {
    let mut stmt = store
        .conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .unwrap();
    let mut rows = stmt.raw_query();
    let mut lines = Vec::new();
    while let Some(row) = rows.next().unwrap() {
        lines.push(row.get::<_, String>(3).unwrap());
    }
    lines.join("\n")
}

pub(super) fn setup() -> (Store, Funnel) {
    let mut store = Store::open_in_memory().unwrap();
    store.set_clock(Clock::Fixed(at(2026, 5, 4)));
    let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
    (store, funnel)
}

pub(super) fn new(title: &str, value: i64, stage: Stage) -> NewOpportunity {
    NewOpportunity {
        fields: OpportunityFields {
            title: title.into(),
            value_cents: value,
            owner: "ana".into(),
            ..Default::default()
        },
        stage: Some(stage),
    }
}

/// The running totals equal a recount of every live opportunity.
fn assert_totals_consistent(store: &Store, funnel: &Funnel) {
    let all = store
        .opportunities(
            funnel,
            &CardFilter {
                closed_too: true,
                ..Default::default()
            },
        )
        .unwrap();
    let mut kept = store.totals(funnel).unwrap();
    kept.sort();
    assert_eq!(kept, aggregate(&all, funnel.fiscal_start));
    // The footer's sums by period (and seller), and the columns' totals, agree with them.
    let mut owners: Vec<Option<&str>> = kept.iter().map(|r| Some(r.owner.as_str())).collect();
    owners.push(None);
    owners.sort();
    owners.dedup();
    let mut years: Vec<i32> = kept.iter().filter_map(|r| r.period).collect();
    years.push(1999);
    for (year, undated, owner) in years
        .iter()
        .flat_map(|&y| [(y, false), (y, true)])
        .flat_map(|(y, u)| owners.iter().map(move |&o| (y, u, o)))
    {
        let mut expected = std::collections::BTreeMap::new();
        let counted = kept.iter().filter(|r| {
            (r.period == Some(year) || (undated && r.period.is_none()))
                && owner.is_none_or(|o| r.owner == o)
        });
        for r in counted {
            let sum = expected.entry((r.status, r.stage)).or_insert((0, 0));
            *sum = (sum.0 + r.count, sum.1 + r.value_cents);
        }
        let sums = store.period_sums(funnel, year, undated, owner).unwrap();
        let sums: std::collections::BTreeMap<_, _> = sums
            .into_iter()
            .filter(|r| r.count != 0)
            .map(|r| ((r.status, r.stage), (r.count, r.value_cents)))
            .collect();
        assert_eq!(sums, expected, "{year} {undated} {owner:?}");
    }
    for filter in [
        CardFilter::default(),
        CardFilter {
            closed_too: true,
            owner: Some("ana".into()),
            ..Default::default()
        },
    ] {
        let totals = store.column_totals(funnel, &filter, &Stage::ALL).unwrap();
        let recount: Vec<(i64, i128)> = Stage::ALL
            .iter()
            .map(|&stage| {
                let shown = all.iter().filter(|o| {
                    o.stage == stage
                        && (filter.closed_too || o.status == Status::Open)
                        && filter.owner.as_ref().is_none_or(|w| &o.fields.owner == w)
                });
                shown.fold((0, 0), |(n, v), o| {
                    (n + 1, v + i128::from(o.fields.value_cents))
                })
            })
            .collect();
        assert_eq!(totals, recount, "{filter:?}");
    }
}

#[test]
fn first_use_creates_the_main_funnel_once() {
    let (mut store, funnel) = setup();
    assert_eq!(funnel.name, DEFAULT_FUNNEL);
    assert_eq!(store.resolve_funnel(None, "USD", 4).unwrap(), funnel);
    assert!(matches!(
        store.add_funnel("main", "EUR", 1),
        Err(StoreError::FunnelExists(_))
    ));
    assert!(matches!(
        store.add_funnel("x", "EURO", 1),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.add_funnel("x", "EUR", 13),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.resolve_funnel(Some("nope"), "EUR", 1),
        Err(StoreError::NoSuchFunnel(_))
    ));
}

#[test]
fn moving_forward_needs_the_evidence_of_every_stage_left() {
    let (mut store, funnel) = setup();
    let opp = store
        .add_opportunity(&funnel, new("a", 100, Stage::PreFunnel))
        .unwrap();
    let outcome = store
        .move_stage(&opp.id, None, Stage::ImpactDefined, false)
        .unwrap();
    assert_eq!(
        outcome,
        MoveOutcome::NeedsEvidence(MissingEvidence {
            stages: vec![Stage::PreFunnel, Stage::ProblemRecognized]
        })
    );
    assert_eq!(
        store.opportunity(&opp.id).unwrap().stage,
        Stage::PreFunnel,
        "nothing written"
    );
    let today = store.today();
    store
        .confirm_evidence(&opp.id, Stage::PreFunnel, today, "met the COO")
        .unwrap();
    store
        .confirm_evidence(&opp.id, Stage::ProblemRecognized, today, "")
        .unwrap();
    let MoveOutcome::Moved(moved) = store
        .move_stage(&opp.id, None, Stage::ImpactDefined, false)
        .unwrap()
    else {
        panic!("evidence is there")
    };
    assert_eq!(moved.stage, Stage::ImpactDefined);
    assert!(
        store
            .history(&opp.id)
            .unwrap()
            .last()
            .unwrap()
            .evidence_confirmed
    );
    // Going back never needs evidence.
    assert!(matches!(
        store
            .move_stage(&opp.id, None, Stage::PreFunnel, false)
            .unwrap(),
        MoveOutcome::Moved(_)
    ));
    assert_totals_consistent(&store, &funnel);
}

#[test]
fn a_stale_version_is_refused() {
    let (mut store, funnel) = setup();
    let opp = store
        .add_opportunity(&funnel, new("a", 100, Stage::PreFunnel))
        .unwrap();
    let mut fields = opp.fields.clone();
    fields.title = "renamed".into();
    store
        .update_fields(&opp.id, opp.version, fields.clone())
        .unwrap();
    let err = store
        .update_fields(&opp.id, opp.version, fields)
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict));
    assert!(matches!(
        store.mark_won(&opp.id, Some(opp.version), store.today()),
        Err(StoreError::Conflict)
    ));
}

#[test]
fn won_lost_reopen_and_delete_keep_the_totals_right() {
    let (mut store, funnel) = setup();
    let a = store
        .add_opportunity(&funnel, new("a", 100, Stage::Closing))
        .unwrap();
    let b = store
        .add_opportunity(&funnel, new("b", 250, Stage::CommitsToInvest))
        .unwrap();
    let c = store
        .add_opportunity(&funnel, new("c", 999, Stage::PreFunnel))
        .unwrap();
    store
        .mark_won(&a.id, None, NaiveDate::from_ymd_opt(2025, 12, 30).unwrap())
        .unwrap();
    assert!(matches!(
        store.mark_lost(&b.id, None, "  ", store.today()),
        Err(StoreError::Invalid(_))
    ));
    store
        .mark_lost(&b.id, None, "Price", store.today())
        .unwrap();
    assert_totals_consistent(&store, &funnel);
    store.reopen(&b.id, None).unwrap();
    store.delete(&c.id, None).unwrap();
    assert!(matches!(
        store.opportunity(&c.id),
        Err(StoreError::NotFound(_))
    ));
    assert_totals_consistent(&store, &funnel);
    let history: Vec<_> = store
        .history(&b.id)
        .unwrap()
        .into_iter()
        .map(|e| e.kind.key())
        .collect();
    assert_eq!(history, ["created", "lost", "reopened"]);
    let won = store.opportunity(&a.id).unwrap();
    assert_eq!(
        (won.status, won.closed),
        (Status::Won, NaiveDate::from_ymd_opt(2025, 12, 30))
    );
}

#[test]
fn ids_resolve_by_unique_prefix() {
    let (mut store, funnel) = setup();
    let a = store
        .add_opportunity(&funnel, new("a", 1, Stage::PreFunnel))
        .unwrap();
    let b = store
        .add_opportunity(&funnel, new("b", 2, Stage::PreFunnel))
        .unwrap();
    assert_eq!(store.resolve_id(&a.id).unwrap(), a.id);
    assert_eq!(store.resolve_id(&b.id.to_uppercase()).unwrap(), b.id);
    let common =
        a.id.chars()
            .zip(b.id.chars())
            .take_while(|(x, y)| x == y)
            .count();
    assert!(matches!(
        store.resolve_id(&a.id[..common]),
        Err(StoreError::Ambiguous(_))
    ));
    assert_eq!(store.resolve_id(&a.id[..common + 1]).unwrap(), a.id);
    assert!(matches!(
        store.resolve_id("zz"),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.resolve_id("%"),
        Err(StoreError::NotFound(_))
    ));
}

/// Cards made together share their first digits (ids are time-ordered): each one's short id is
/// as long as it takes to name it alone, and no longer.
#[test]
fn a_short_id_names_its_card_alone_with_the_fewest_characters() {
    let (mut store, funnel) = setup();
    let ids: Vec<String> = (0..40)
        .map(|i| {
            let card = new(&format!("deal {i}"), 1, Stage::PreFunnel);
            store.add_opportunity(&funnel, card).unwrap().id
        })
        .collect();
    let shorts: Vec<String> = ids.iter().map(|id| store.short_id(id).unwrap()).collect();
    assert!(
        shorts.iter().any(|s| s.len() > 8),
        "made together: {shorts:?}"
    );
    for (id, short) in ids.iter().zip(&shorts) {
        assert!(
            short.len() >= 8 && id.starts_with(short.as_str()),
            "{short}"
        );
        assert_eq!(&store.resolve_id(short).unwrap(), id);
        if short.len() > 8 {
            let one_less = &short[..short.len() - 1];
            let refused = store.resolve_id(one_less);
            assert!(
                matches!(refused, Err(StoreError::Ambiguous(_))),
                "{one_less}"
            );
        }
    }
    // Many at once (walked in id order rather than sought one by one): the same short ids, in
    // the order asked, a deleted card's neighbour taking no more digits because of it.
    let today = store.today();
    let items = (0..1_200).map(|i| Imported {
        opportunity: Opportunity::open(
            new_id(),
            funnel.id.clone(),
            new(&format!("imported {i}"), 1, Stage::PreFunnel).fields,
            Stage::PreFunnel,
            today,
        ),
        records: None,
    });
    store.import(&funnel, items, &[], false, None).unwrap();
    store.delete(&ids[7], None).unwrap();
    let every = store
        .opportunities(&funnel, &CardFilter::default())
        .unwrap();
    let every: Vec<&str> = every.iter().rev().map(|o| o.id.as_str()).collect();
    assert!(every.len() > 1_200 && !every.contains(&ids[7].as_str()));
    let one_by_one: Vec<String> = every.iter().map(|id| store.short_id(id).unwrap()).collect();
    assert_eq!(store.short_ids(&every).unwrap(), one_by_one);

    // Alone in its file, a card's short id is the fewest characters shown.
    let (mut alone, funnel) = setup();
    let id = alone
        .add_opportunity(&funnel, new("alone", 1, Stage::PreFunnel))
        .unwrap()
        .id;
    assert_eq!(alone.short_id(&id).unwrap(), id[..8]);
}

#[test]
fn pages_follow_value_order_and_filters() {
    let (mut store, funnel) = setup();
    for (i, v) in [300, 100, 500, 200, 400].into_iter().enumerate() {
        let mut n = new(&format!("deal {i}"), v, Stage::ImpactDefined);
        n.fields.account = if i % 2 == 0 {
            "Norvik 50%_off".into()
        } else {
            "Helia".into()
        };
        store.add_opportunity(&funnel, n).unwrap();
    }
    let filter = CardFilter::default();
    let page = store
        .column_page(&funnel, Stage::ImpactDefined, &filter, (1, 2, 5))
        .unwrap();
    let values = |page: &[Card]| -> Vec<i64> {
        page.iter()
            .map(|c| c.opportunity.fields.value_cents)
            .collect()
    };
    assert_eq!(values(&page), [400, 300]);
    // Pages in the back half are read from the end: the same cards, in the same order.
    let all = store
        .column_page(&funnel, Stage::ImpactDefined, &filter, (0, 5, 5))
        .unwrap();
    for offset in 0..5 {
        for limit in 1..=6 {
            let page = store
                .column_page(&funnel, Stage::ImpactDefined, &filter, (offset, limit, 5))
                .unwrap();
            let end = (offset + limit).min(5);
            assert_eq!(values(&page), values(&all[offset..end]), "{offset}+{limit}");
        }
    }
    assert_eq!(
        store
            .column_totals(&funnel, &filter, &[Stage::ImpactDefined])
            .unwrap(),
        [(5, 1500)]
    );
    // LIKE wildcards in the filter text are literal.
    let text = CardFilter {
        text: Some("50%_".into()),
        ..Default::default()
    };
    assert_eq!(
        store
            .column_totals(&funnel, &text, &[Stage::ImpactDefined])
            .unwrap(),
        [(3, 1200)]
    );
    let none = CardFilter {
        text: Some("%".into()),
        owner: Some("bob".into()),
        ..Default::default()
    };
    assert_eq!(
        store
            .column_totals(&funnel, &none, &[Stage::ImpactDefined])
            .unwrap(),
        [(0, 0)]
    );
    let third = &store
        .column_page(&funnel, Stage::ImpactDefined, &filter, (0, 5, 5))
        .unwrap()[2]
        .opportunity;
    assert_eq!(store.rank_in_column(&funnel, third, &filter).unwrap(), 2);
}

/// Reading on from a card gives the cards a page read at an offset gives, equal values (ordered
/// by id) and the column's ends included; other columns and filtered-out cards stay out.
#[test]
fn cards_beside_a_card_are_the_pages_around_it() {
    let (mut store, funnel) = setup();
    for (i, v) in [300, 100, 300, 200, 300, 100, 400].into_iter().enumerate() {
        store
            .add_opportunity(&funnel, new(&format!("deal {i}"), v, Stage::ImpactDefined))
            .unwrap();
    }
    store
        .add_opportunity(&funnel, new("elsewhere", 250, Stage::PreFunnel))
        .unwrap();
    let lost = store
        .add_opportunity(&funnel, new("lost", 350, Stage::ImpactDefined))
        .unwrap();
    store
        .mark_lost(
            &lost.id,
            None,
            "budget",
            NaiveDate::from_ymd_opt(2026, 5, 4).unwrap(),
        )
        .unwrap();
    let filter = CardFilter::default();
    let all = store
        .column_page(&funnel, Stage::ImpactDefined, &filter, (0, 7, 7))
        .unwrap();
    let ids = |cards: &[Card]| -> Vec<String> {
        cards.iter().map(|c| c.opportunity.id.clone()).collect()
    };
    for (at, card) in all.iter().enumerate() {
        for limit in 1..=8 {
            let beside = |side| {
                store
                    .column_beside(&funnel, &filter, &card.opportunity, side, limit)
                    .unwrap()
            };
            let below = &all[at + 1..(at + 1 + limit).min(7)];
            assert_eq!(ids(&beside(Side::Below)), ids(below), "{at} +{limit}");
            let above = &all[at.saturating_sub(limit)..at];
            assert_eq!(ids(&beside(Side::Above)), ids(above), "{at} -{limit}");
        }
    }
}

/// Cards read ahead come without their progress; read alone, it is the one a page gives: the
/// asked questions and the evidence of the card's current stage only.
#[test]
fn progress_read_alone_is_the_pages() {
    let (mut store, funnel) = setup();
    let stage = Stage::ImpactDefined;
    let ids: Vec<String> = (0..3)
        .map(|i| {
            let opp = store
                .add_opportunity(&funnel, new(&format!("deal {i}"), 100 * (3 - i), stage))
                .unwrap();
            opp.id
        })
        .collect();
    let answer = |stage, question, asked| Answer {
        stage,
        question,
        asked,
        answer: String::new(),
    };
    // The first: two questions asked (and one not) and its evidence; the second: a question
    // and evidence of another stage; the third: nothing.
    for a in [
        answer(stage, 0, true),
        answer(stage, 1, false),
        answer(stage, 2, true),
    ] {
        store.set_answer(&ids[0], &a).unwrap();
    }
    let on = NaiveDate::from_ymd_opt(2026, 5, 4).unwrap();
    store.confirm_evidence(&ids[0], stage, on, "").unwrap();
    let earlier = Stage::ProblemRecognized;
    store
        .set_answer(&ids[1], &answer(earlier, 0, true))
        .unwrap();
    store.confirm_evidence(&ids[1], earlier, on, "").unwrap();

    let filter = CardFilter::default();
    let page = store
        .column_page(&funnel, stage, &filter, (0, 3, 3))
        .unwrap();
    let progress = |asked, evidence| Some(Progress { asked, evidence });
    let expected = [progress(2, true), progress(0, false), progress(0, false)];
    assert_eq!(
        page.iter().map(|c| c.progress).collect::<Vec<_>>(),
        expected
    );
    let ahead = store
        .column_beside(&funnel, &filter, &page[0].opportunity, Side::Below, 2)
        .unwrap();
    assert!(ahead.iter().all(|c| c.progress.is_none()));
    for (card, expected) in page.iter().zip(expected) {
        assert_eq!(Some(store.progress(&card.opportunity).unwrap()), expected);
    }
    assert_eq!(store.card(&ids[0]).unwrap().progress, expected[0]);
}

#[test]
fn checklist_evidence_and_people_round_trip() {
    let (mut store, funnel) = setup();
    let opp = store
        .add_opportunity(&funnel, new("a", 1, Stage::ProblemRecognized))
        .unwrap();
    let answer = Answer {
        stage: Stage::ProblemRecognized,
        question: 2,
        asked: true,
        answer: "\x1b[2Jyes".into(),
    };
    store.set_answer(&opp.id, &answer).unwrap();
    assert_eq!(store.answers(&opp.id).unwrap()[0].answer, "yes");
    let card = &store
        .column_page(
            &funnel,
            Stage::ProblemRecognized,
            &CardFilter::default(),
            (0, 1, 1),
        )
        .unwrap()[0];
    let progress = Progress {
        asked: 1,
        evidence: false,
    };
    assert_eq!(card.progress, Some(progress));
    let person = Person {
        name: "Léa".into(),
        role: "Sponsor".into(),
        influence: 4,
        authority: 2,
        ..Default::default()
    };
    let id = store.save_person(&opp.id, &person).unwrap();
    assert_eq!(store.people(&opp.id).unwrap()[0].id, id);
    store.remove_person(&id).unwrap();
    assert!(store.people(&opp.id).unwrap().is_empty());
    assert!(
        store
            .save_person(
                &opp.id,
                &Person {
                    name: "x".into(),
                    influence: 6,
                    ..Default::default()
                }
            )
            .is_err()
    );
}

/// A funnel file cut short (a copy interrupted, a full disk) is said to be damaged, with how
/// much of it is there, not foreign; it is left as it is.
#[test]
fn a_funnel_file_cut_short_is_called_damaged_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.db");
    {
        let mut store = Store::open(&path).unwrap();
        let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
        store
            .add_opportunity(&funnel, new("kept", 1, Stage::PreFunnel))
            .unwrap();
    }
    let whole = std::fs::read(&path).unwrap();
    let cut = &whole[..whole.len() / 2];
    std::fs::write(&path, cut).unwrap();
    let err = Store::open(&path).err().expect("a damaged file is refused");
    assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
    let said = err.to_string();
    assert!(
        said.contains("damaged") && said.contains("bytes of the"),
        "{said}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), cut);
}

#[test]
fn open_refuses_foreign_and_newer_files_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.db");
    std::fs::write(&text, "just some text, not a database").unwrap();
    assert!(matches!(
        Store::open(&text),
        Err(StoreError::NotFunnelDatabase { .. })
    ));
    assert_eq!(
        std::fs::read_to_string(&text).unwrap(),
        "just some text, not a database"
    );

    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    let before = std::fs::read(&other).unwrap();
    assert!(matches!(
        Store::open(&other),
        Err(StoreError::NotFunnelDatabase { .. })
    ));
    assert_eq!(std::fs::read(&other).unwrap(), before);

    let newer = dir.path().join("newer.db");
    drop(Store::open(&newer).unwrap());
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let before = std::fs::read(&newer).unwrap();
    assert!(matches!(
        Store::open(&newer),
        Err(StoreError::TooNew { found: 99, .. })
    ));
    assert_eq!(std::fs::read(&newer).unwrap(), before);
}

#[cfg(unix)]
#[test]
fn a_new_database_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.db");
    drop(Store::open(&path).unwrap());
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // And it reopens.
    drop(Store::open(&path).unwrap());
}

/// A connection that leaves checkpoints to another keeps its commits in the WAL well past the
/// 1,000 pages at which SQLite would copy them into the file on its thread; the other's
/// checkpoint copies them all. The file alone is read with the WAL ignored.
#[test]
fn commits_reach_the_file_by_the_checkpoint_of_another_connection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.db");
    let mut board = Store::open(&path).unwrap();
    let funnel = board.resolve_funnel(None, "EUR", 1).unwrap();
    let figures = Store::open(&path).unwrap();
    let cards_in_file = || -> i64 {
        let uri = format!("file:{}?immutable=1", path.display());
        let flags =
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI;
        let file = Connection::open_with_flags(uri, flags).unwrap();
        file.query_row("SELECT count(*) FROM opportunities", [], |r| r.get(0))
            .unwrap()
    };
    let wal_pages = || -> i64 {
        let wal = std::fs::metadata(path.with_extension("db-wal")).unwrap();
        i64::try_from(wal.len()).unwrap() / 4096
    };
    figures.checkpoint().unwrap();
    assert_eq!(cards_in_file(), 0, "the schema is in the file");
    board.leave_checkpoints_to_another().unwrap();
    let mut added = 0;
    // Where SQLite checkpoints, the WAL starts again from its beginning and stops growing.
    while wal_pages() < 1_500 && added < 3_000 {
        let stage = Stage::ALL[added % 4];
        board
            .add_opportunity(&funnel, new("A", 100, stage))
            .unwrap();
        added += 1;
    }
    assert_eq!(cards_in_file(), 0, "{added} cards, all in the WAL");
    figures.checkpoint().unwrap();
    assert_eq!(cards_in_file(), i64::try_from(added).unwrap());
}

/// A (ana, Alba, 100): created 01-01 in pre-funnel, moved 01-11 (10 days there), lost 02-10
/// (30 days in problem_recognized). B (bob, Bern, 200): created 01-01, moved 01-21 to
/// commits_to_invest (20 days in pre-funnel), won 03-02 (40 days there; purchase 60 days).
/// C (ana, Cyra, 300): created 03-02 in commits_to_invest, still open.
fn history_fixture() -> (Store, Funnel) {
    let (mut store, funnel) = setup();
    let add = |store: &mut Store, title: &str, account: &str, owner: &str, cents, stage| {
        let mut n = new(title, cents, stage);
        n.fields.account = account.into();
        n.fields.owner = owner.into();
        n.fields.expected_close = NaiveDate::from_ymd_opt(2026, 6, 1);
        store.add_opportunity(&funnel, n).unwrap().id
    };
    store.set_clock(Clock::Fixed(at(2026, 1, 1)));
    let a = add(&mut store, "A", "Alba", "ana", 100_00, Stage::PreFunnel);
    let b = add(&mut store, "B", "Bern", "bob", 200_00, Stage::PreFunnel);
    store.set_clock(Clock::Fixed(at(2026, 1, 11)));
    store
        .move_stage(&a, None, Stage::ProblemRecognized, true)
        .unwrap();
    store.set_clock(Clock::Fixed(at(2026, 1, 21)));
    store
        .move_stage(&b, None, Stage::CommitsToInvest, true)
        .unwrap();
    store.set_clock(Clock::Fixed(at(2026, 2, 10)));
    store.mark_lost(&a, None, "price", store.today()).unwrap();
    store.set_clock(Clock::Fixed(at(2026, 3, 2)));
    store.mark_won(&b, None, store.today()).unwrap();
    add(
        &mut store,
        "C",
        "Cyra",
        "ana",
        300_00,
        Stage::CommitsToInvest,
    );
    store.set_clock(Clock::Fixed(at(2026, 5, 4)));
    (store, funnel)
}

#[test]
fn insight_queries_group_the_history() {
    use crate::domain::insight::{DaysCount, GroupBy, JourneyRow, OpenValue};
    let (store, funnel) = history_fixture();
    let mut journeys = store.journeys(&funnel, None).unwrap();
    journeys.sort_by_key(|j| (j.first, j.last));
    let j = |first, last, status| JourneyRow {
        first,
        last,
        status,
        count: 1,
    };
    assert_eq!(
        journeys,
        [
            j(Stage::PreFunnel, Stage::ProblemRecognized, Status::Lost),
            j(Stage::PreFunnel, Stage::CommitsToInvest, Status::Won),
            j(Stage::CommitsToInvest, Stage::CommitsToInvest, Status::Open),
        ]
    );
    assert_eq!(store.journeys(&funnel, Some("bob")).unwrap().len(), 1);
    let mut days = store.stage_days(&funnel, None).unwrap();
    days.sort_by_key(|(s, d)| (*s, d.days));
    let d = |days| DaysCount { days, count: 1 };
    assert_eq!(
        days,
        [
            (Stage::PreFunnel, d(10)),
            (Stage::PreFunnel, d(20)),
            (Stage::ProblemRecognized, d(30)),
            (Stage::CommitsToInvest, d(40)),
        ]
    );
    assert_eq!(store.purchase_days(&funnel, None).unwrap(), [d(60)]);
    let scope = Scope {
        year: 2026,
        current: true,
        owner: None,
    };
    assert_eq!(
        store.open_values(&funnel, scope).unwrap(),
        [OpenValue {
            stage: Stage::CommitsToInvest,
            value_cents: 300_00,
            count: 1
        }]
    );
    assert_eq!(
        store.top_accounts(&funnel, scope, 3).unwrap(),
        [("Cyra".to_owned(), 300_00)]
    );
    let groups = store.group_rows(&funnel, scope, GroupBy::Owner).unwrap();
    assert_eq!(groups.len(), 3); // ana lost, ana open (viable), bob won
    // C has been in commits_to_invest 63 days (03-02 → 05-04): stale above 30, not above 70.
    let stale = store
        .stale(&funnel, None, store.today(), &[30; Stage::COUNT], 10)
        .unwrap();
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0].fields.title, "C");
    let mut lenient = [30; Stage::COUNT];
    lenient[Stage::CommitsToInvest.index()] = 70;
    assert!(
        store
            .stale(&funnel, None, store.today(), &lenient, 10)
            .unwrap()
            .is_empty()
    );
}

/// A day's snapshot with only its RTV.
fn snapshot(day: NaiveDate, rtv_cents: i128) -> crate::domain::insight::Snapshot {
    crate::domain::insight::Snapshot {
        day,
        rtv_cents,
        sales_to_date_cents: 0,
        target_cents: None,
        gap_cents: None,
        factor: None,
        probability: None,
    }
}

#[test]
fn snapshots_keep_one_row_a_day() {
    let (mut store, funnel) = setup();
    let day = store.today();
    let mut snap = snapshot(day, 100);
    store.save_snapshot(&funnel, 2026, &snap).unwrap();
    snap.rtv_cents = 250;
    snap.factor = Some(1.5);
    store.save_snapshot(&funnel, 2026, &snap).unwrap();
    assert_eq!(store.snapshots(&funnel, 2026, day).unwrap(), [snap]);
    assert!(store.snapshots(&funnel, 2025, day).unwrap().is_empty());
}

#[test]
fn rows_are_stamped_for_sync_only_once_the_file_syncs() {
    let (mut store, funnel) = setup();
    let card = store
        .add_opportunity(&funnel, new("lone", 100, Stage::PreFunnel))
        .unwrap();
    let stamps = |store: &Store| -> Vec<(String, String)> {
        SYNCED
            .iter()
            .flat_map(|t| {
                let mut stmt = store
                    .conn
                    .prepare(&format!("SELECT '{t}', hlc FROM {t}"))
                    .unwrap();
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                    .unwrap()
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .unwrap()
            })
            .collect()
    };
    // A single user's file: neither stamped nor queued (the stamp would be 36 bytes a row).
    let before = stamps(&store);
    assert_eq!(before.len(), 3, "funnel, card, its creation: {before:?}");
    assert!(before.iter().all(|(_, hlc)| hlc.is_empty()), "{before:?}");
    assert_eq!(store.sync_pending().unwrap(), (0, 0));

    // The first sync stamps every row at its last change (09:00 that day) and queues it.
    store.enable_sync().unwrap();
    let node = store.sync_value("node").unwrap().unwrap();
    let stamped = format!("1777885200000-00000-{node}");
    let after = stamps(&store);
    assert!(after.iter().all(|(_, hlc)| *hlc == stamped), "{after:?}");
    assert_eq!(store.sync_pending().unwrap(), (3, 0));

    // From then on, a change is stamped later than the row's stamp, by the triggers.
    let mut fields = card.fields.clone();
    fields.title = "edited".into();
    store.update_fields(&card.id, card.version, fields).unwrap();
    let hlc: String = store
        .conn
        .query_row("SELECT hlc FROM opportunities", [], |r| r.get(0))
        .unwrap();
    assert!(hlc > stamped, "{hlc} after {stamped}");
}

#[test]
fn a_funnel_taking_the_hubs_id_keeps_its_cards_targets_snapshots_and_meetings() {
    let (mut store, funnel) = setup();
    store
        .add_opportunity(&funnel, new("kept", 100, Stage::PreFunnel))
        .unwrap();
    store.set_target(&funnel, 2026, None, 500).unwrap();
    store.start_meeting(&funnel, "ana").unwrap();
    let day = store.today();
    let snap = snapshot(day, 100);
    store.save_snapshot(&funnel, 2026, &snap).unwrap();
    store.enable_sync().unwrap();

    let hub_id = "0190aaaa-0000-7000-8000-000000000001";
    store.rekey_funnel(&funnel.id, hub_id).unwrap();
    let rekeyed = store.resolve_funnel(None, "EUR", 1).unwrap();
    assert_eq!(rekeyed.id, hub_id);
    let cards = store
        .opportunities(&rekeyed, &CardFilter::default())
        .unwrap();
    assert_eq!(cards.len(), 1);
    assert_eq!(store.target(&rekeyed, 2026, None).unwrap(), Some(500));
    assert_eq!(store.meetings(&rekeyed, "ana").unwrap().len(), 1);
    assert_eq!(store.snapshots(&rekeyed, 2026, day).unwrap(), [snap]);
    let orphans: i64 = store
        .conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(orphans, 0);
}

#[test]
fn a_cards_dates_travel_as_iso_text_and_are_kept_as_day_numbers() {
    let (mut store, funnel) = setup();
    store.enable_sync().unwrap();
    let mut card = new("a", 100, Stage::PreFunnel);
    card.fields.expected_close = NaiveDate::from_ymd_opt(2059, 9, 19);
    card.fields.decision_date = NaiveDate::from_ymd_opt(1969, 12, 31);
    card.fields.next_step_due = NaiveDate::from_ymd_opt(2027, 1, 15);
    let a = store.add_opportunity(&funnel, card).unwrap();
    assert_eq!(store.opportunity(&a.id).unwrap().fields, a.fields);
    let row = (store.pending_changes("opportunities", "", 10).unwrap()).remove(0);
    let dates = [
        "created",
        "expected_close",
        "closed",
        "decision_date",
        "stage_since",
        "next_step_due",
    ]
    .map(|column| row.data[column].clone());
    let text = |t: &str| serde_json::Value::from(t);
    assert_eq!(
        dates,
        [
            text("2026-05-04"),
            text("2059-09-19"),
            serde_json::Value::Null,
            text("1969-12-31"),
            text("2026-05-04"),
            text("2027-01-15"),
        ]
    );
    let mut pulled = Store::open_in_memory().unwrap();
    pulled.apply_incoming(as_pulled(&store), drop).unwrap();
    let copy = pulled.opportunity(&a.id).unwrap();
    assert_eq!(
        (copy.created, copy.fields, copy.closed, copy.stage_since),
        (a.created, a.fields, a.closed, a.stage_since)
    );
    let days: (i64, i64) = (pulled.conn)
        .query_row(
            "SELECT expected_close, decision_date FROM opportunities",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(days, (32768, -1));
}

#[test]
fn a_date_written_as_text_by_plain_sql_is_refused() {
    let (mut store, funnel) = setup();
    let a = store
        .add_opportunity(&funnel, new("a", 100, Stage::PreFunnel))
        .unwrap();
    for column in [
        "created",
        "expected_close",
        "closed",
        "decision_date",
        "stage_since",
        "next_step_due",
    ] {
        let sql = format!("UPDATE opportunities SET {column} = '2026-06-30'");
        let refused = store.conn.execute(&sql, []).unwrap_err().to_string();
        assert!(refused.contains("CHECK constraint failed"), "{refused}");
    }
    // A day number written as text is stored as the number it reads as.
    (store.conn)
        .execute("UPDATE opportunities SET expected_close = '20634'", [])
        .unwrap();
    let read = store.opportunity(&a.id).unwrap().fields.expected_close;
    assert_eq!(read, NaiveDate::from_ymd_opt(2026, 6, 30));
}

#[test]
fn a_card_id_or_stamp_written_as_text_by_plain_sql_is_refused() {
    let (mut store, funnel) = setup();
    let a = store
        .add_opportunity(&funnel, new("a", 100, Stage::PreFunnel))
        .unwrap();
    let text_id = format!("UPDATE opportunities SET id = '{}'", a.id);
    let text_stamp = "UPDATE opportunities SET updated_at = '2026-06-30T10:00:00.000Z'";
    for sql in [text_id.as_str(), text_stamp] {
        let refused = store.conn.execute(sql, []).unwrap_err().to_string();
        assert!(refused.contains("CHECK constraint failed"), "{refused}");
    }
    // Unchanged, and found by its id as text.
    assert_eq!(store.opportunity(&a.id).unwrap(), a);
}

/// Every writer holds amounts to the cap, so the sums kept in SQLite's integers cannot overflow:
/// the cards' fields (added, edited, imported), targets, and rows pulled from a hub.
#[test]
fn amounts_above_the_cap_are_refused_by_every_writer() {
    let (mut store, funnel) = setup();
    store.enable_sync().unwrap();
    let cap = money::MAX_CENTS;
    let too_large = "amount too large (at most 1,000,000,000,000)";
    fn refused<T: std::fmt::Debug>(result: Result<T>) -> String {
        match result {
            Err(e @ StoreError::Invalid(_)) => e.to_string(),
            other => panic!("not refused: {other:?}"),
        }
    }
    let big = store
        .add_opportunity(&funnel, new("at the cap", cap, Stage::PreFunnel))
        .unwrap();
    store
        .add_opportunity(&funnel, new("small", 1, Stage::PreFunnel))
        .unwrap();
    let over = store.add_opportunity(&funnel, new("over", cap + 1, Stage::PreFunnel));
    assert_eq!(refused(over), format!("value_cents: {too_large}"));
    let mut fields = big.fields.clone();
    fields.problem_cost_cents = Some(i64::MAX);
    let edit = store.update_fields(&big.id, big.version, fields);
    assert_eq!(refused(edit), format!("problem_cost_cents: {too_large}"));
    let mut imported = big.clone();
    imported.id = new_id();
    imported.fields.budget_cents = Some(cap + 1);
    let item = Imported {
        opportunity: imported,
        records: None,
    };
    let import = store.import(&funnel, [item], &[], false, None);
    assert!(refused(import).ends_with(&format!("budget_cents: {too_large}")));
    store.set_target(&funnel, 2026, None, cap).unwrap();
    let target = store.set_target(&funnel, 2026, Some("ana"), cap + 1);
    assert_eq!(refused(target), format!("target: {too_large}"));

    // A hub row past the cap (an older client took any amount) is kept aside, not written.
    let mut pulled = Store::open_in_memory().unwrap();
    pulled.apply_incoming(as_pulled(&store), drop).unwrap();
    let row = |table: &'static str, column: &str, value: serde_json::Value| {
        let mut row = store.pending_changes(table, "", 1).unwrap().remove(0);
        row.data.insert(column.into(), value);
        Incoming {
            table,
            id: row.id,
            hlc: "9999999999999-00000-ff".into(),
            data: (&row.data).try_into().unwrap(),
        }
    };
    for (table, column, value) in [
        ("opportunities", "value_cents", (cap + 1).into()),
        ("opportunities", "budget_cents", 1e30.into()),
        ("targets", "amount_cents", i64::MAX.into()),
    ] {
        let incoming = row(table, column, value);
        let id = incoming.id.clone();
        let stats = pulled.apply_incoming([vec![incoming]], drop).unwrap();
        assert_eq!((stats.applied, stats.kept_aside), (0, 1));
        let kept = pulled.kept_aside().unwrap();
        let flaw = Flaw::Amount {
            column: column.into(),
        };
        assert!(
            kept.iter().any(|k| k.id == id && k.flaw == flaw),
            "{kept:?}"
        );
    }
    assert_eq!(store.target(&funnel, 2026, None).unwrap(), Some(cap));
    assert_eq!(pulled.target(&funnel, 2026, None).unwrap(), None);
    for copy in [&store, &pulled] {
        assert_eq!(copy.opportunity(&big.id).unwrap().fields, big.fields);
        assert_totals_consistent(copy, &funnel);
    }
}

#[test]
fn a_bulk_load_stamps_and_queues_every_row_for_sync() {
    let (mut store, funnel) = setup();
    let today = store.today();
    // Before any sync, nothing is queued; the first one queues what is there (the funnel).
    assert_eq!(store.sync_pending().unwrap(), (0, 0));
    store.enable_sync().unwrap();
    // Into a database without opportunities: the bulk path, which drops the sync triggers.
    let added = crate::demo::generate(
        &mut store,
        &funnel,
        &crate::demo::DemoOptions::new(30, today),
        None,
    )
    .unwrap();
    assert_eq!(added, 30);
    let count = |store: &Store, sql: String| -> i64 {
        store.conn.query_row(&sql, [], |r| r.get(0)).unwrap()
    };
    // The demo's field history and meetings are queued by their own triggers, synced or not
    // yet (schema step 16 queues them before they travel).
    let mut queued: Vec<&str> = SYNCED.to_vec();
    for t in [
        "card_history",
        "meetings",
        "meeting_card_notes",
        "action_items",
    ] {
        if !queued.contains(&t) {
            queued.push(t);
        }
    }
    let rows: i64 = queued
        .iter()
        .map(|t| count(&store, format!("SELECT count(*) FROM {t}")))
        .sum();
    assert!(rows > 30 * 2, "cards and their records: {rows}");
    assert_eq!(store.sync_pending().unwrap(), (rows, 0));
    for t in SYNCED {
        let unstamped = count(&store, format!("SELECT count(*) FROM {t} WHERE hlc = ''"));
        assert_eq!(unstamped, 0, "{t}");
    }
    assert_totals_consistent(&store, &funnel);

    // The triggers are back: a card added afterwards is stamped and queued by them.
    store
        .add_opportunity(&funnel, new("after", 1, Stage::PreFunnel))
        .unwrap();
    assert_eq!(
        store.sync_pending().unwrap(),
        (rows + 2, 0),
        "card and event"
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM opportunities WHERE hlc = ''".into()
        ),
        0
    );
}

#[test]
fn a_bulk_load_fills_the_pages_of_the_cards_table() {
    let (mut store, funnel) = setup();
    let today = store.today();
    let options = crate::demo::DemoOptions::new(2_000, today);
    assert_eq!(
        crate::demo::generate(&mut store, &funnel, &options, None).unwrap(),
        2_000
    );
    let pages = |store: &Store| -> i64 {
        let sql = "SELECT count(*) FROM dbstat WHERE name = 'opportunities'";
        store.conn.query_row(sql, [], |r| r.get(0)).unwrap()
    };
    // As few pages as VACUUM leaves (inserted one by one, the cards took a tenth more).
    let loaded = pages(&store);
    store.conn.execute_batch("VACUUM").unwrap();
    assert_eq!(loaded, pages(&store));
    assert_eq!(foreign_keys(&store), 1, "back on after the load");
    assert!(store.check().unwrap().is_empty());
    assert_totals_consistent(&store, &funnel);

    // A first pull of the same cards and their history loads them alike.
    store.enable_sync().unwrap();
    let mut pulled = Store::open_in_memory().unwrap();
    pulled.apply_incoming(as_pulled(&store), drop).unwrap();
    let loaded = pages(&pulled);
    pulled.conn.execute_batch("VACUUM").unwrap();
    assert_eq!(loaded, pages(&pulled));
    assert_eq!(foreign_keys(&pulled), 1, "back on after the pull");
    assert!(pulled.check().unwrap().is_empty());
    assert_eq!(
        pulled
            .opportunities(&funnel, &CardFilter::default())
            .unwrap(),
        store
            .opportunities(&funnel, &CardFilter::default())
            .unwrap()
    );
}

fn foreign_keys(store: &Store) -> i64 {
    (store.conn)
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap()
}

#[test]
fn a_failed_bulk_load_leaves_the_connection_as_it_was() {
    let (mut store, funnel) = setup();
    let today = store.today();
    let card = |title: &str, value_cents| {
        let fields = OpportunityFields {
            title: title.into(),
            value_cents,
            ..Default::default()
        };
        Imported {
            opportunity: Opportunity::open(
                new_id(),
                funnel.id.clone(),
                fields,
                Stage::PreFunnel,
                today,
            ),
            records: None,
        }
    };
    let items = [card("good", 1), card("", 1)];
    let err = store.import(&funnel, items, &[], false, None).unwrap_err();
    assert!(err.to_string().contains("needs a title"), "{err}");
    assert!(
        store
            .opportunities(&funnel, &CardFilter::default())
            .unwrap()
            .is_empty()
    );
    // CHECK constraints hold again (a bulk load compiles its statements without them).
    let bad = store.conn.execute(
        "INSERT INTO stage_events (id, opportunity_id, at, kind, to_stage, evidence_confirmed,
            updated_at, updated_by) VALUES ('x', 'y', '', 'bogus', 0, 1, '', '')",
        [],
    );
    assert!(bad.unwrap_err().to_string().contains("CHECK"));
    // Foreign keys are on again, and no staged card is left to hide the file's table.
    assert_eq!(foreign_keys(&store), 1);
    let staged: i64 = (store.conn)
        .query_row("SELECT count(*) FROM temp.sqlite_schema", [], |r| r.get(0))
        .unwrap();
    assert_eq!(staged, 0);
    // And the next load is a bulk one again, complete with its indexes.
    store
        .import(&funnel, [card("good", 1)], &[], false, None)
        .unwrap();
    assert!(store.check().unwrap().is_empty());
    assert_totals_consistent(&store, &funnel);
}

mod meetings {
    use super::*;

    /// A one-to-one opened and left at once keeps no trace; one with anything in it is kept.
    #[test]
    fn a_meeting_ended_empty_is_dropped_and_one_with_anything_kept() {
        let (mut store, funnel) = setup();
        let card = store
            .add_opportunity(&funnel, new("Deal", 1_000_00, Stage::ImpactDefined))
            .unwrap();
        let empty = store.start_meeting(&funnel, "ana").unwrap();
        assert!(store.end_meeting(&empty.id).unwrap());
        assert!(store.meetings(&funnel, "ana").unwrap().is_empty());
        type Write<'a> = &'a dyn Fn(&mut Store, &str);
        let written: [Write; 4] = [
            &|s, id| s.set_meeting_notes(id, "Good month").unwrap(),
            &|s, id| s.set_meeting_skill(id, "Qualification").unwrap(),
            &|s, id| s.set_card_note(id, &card.id, "Ask for budget").unwrap(),
            &|s, id| drop(s.add_action_item(id, "ana", "Call CFO", None).unwrap()),
        ];
        for (n, write) in written.iter().enumerate() {
            let m = store.start_meeting(&funnel, "ana").unwrap();
            write(&mut store, &m.id);
            assert!(!store.end_meeting(&m.id).unwrap());
            assert_eq!(store.meetings(&funnel, "ana").unwrap().len(), n + 1);
        }
    }

    #[test]
    fn a_meeting_keeps_notes_skill_items_and_card_notes() {
        let (mut store, funnel) = setup();
        let card = store
            .add_opportunity(&funnel, new("Deal", 1_000_00, Stage::ImpactDefined))
            .unwrap();
        let m = store.start_meeting(&funnel, "ana").unwrap();
        assert_eq!(m.owner, "ana");
        assert_eq!(m.held_on, NaiveDate::from_ymd_opt(2026, 5, 4).unwrap());
        assert_eq!(m.started_at, at(2026, 5, 4));
        assert!(m.carried.is_empty() && m.items.is_empty());
        store.set_meeting_notes(&m.id, "Good month").unwrap();
        store.set_meeting_skill(&m.id, "Qualification").unwrap();
        store
            .set_card_note(&m.id, &card.id, "Ask for budget")
            .unwrap();
        store
            .set_card_note(&m.id, &card.id, "Ask for the budget")
            .unwrap();
        let due = NaiveDate::from_ymd_opt(2026, 5, 11);
        let item = store
            .add_action_item(&m.id, "ana", "Call CFO", due)
            .unwrap();
        assert!(store.toggle_action_item(&item.id).unwrap());
        assert!(!store.toggle_action_item(&item.id).unwrap());
        let m = store.meeting(&m.id).unwrap();
        assert_eq!(m.notes, "Good month");
        assert_eq!(m.skill, "Qualification");
        assert_eq!(
            m.card_notes,
            vec![(card.id.clone(), "Ask for the budget".into())]
        );
        assert_eq!(m.items.len(), 1);
        assert_eq!((m.items[0].due, m.items[0].done), (due, false));
        store.set_card_note(&m.id, &card.id, "").unwrap();
        assert!(store.meeting(&m.id).unwrap().card_notes.is_empty());
        assert!(store.add_action_item(&m.id, "ana", "  ", None).is_err());
        assert!(store.add_action_item("nope", "ana", "x", None).is_err());
        assert!(store.start_meeting(&funnel, " ").is_err());
        assert!(store.set_card_note(&m.id, "nope", "x").is_err());
    }

    #[test]
    fn a_sellers_team_and_its_members_follow_their_live_cards() {
        let (mut store, funnel) = setup();
        let mut add = |title: &str, owner: &str, team: &str| {
            let mut card = new(title, 1_000_00, Stage::ProblemRecognized);
            card.fields.owner = owner.into();
            card.fields.team = team.into();
            store.add_opportunity(&funnel, card).unwrap()
        };
        add("A", "ana", "north");
        let moving = add("B", "ana", "south");
        let leaving = add("C", "ana", "south");
        add("D", "bo", "north");
        add("E", "cy", "south");
        add("F", "", "north");
        add("G", "dee", "");
        let team = |store: &Store, owner| store.team_of(&funnel, owner).unwrap();
        let members = |store: &Store, team| store.team_members(&funnel, team).unwrap();
        assert_eq!(team(&store, "ana").as_deref(), Some("south"));
        assert_eq!(team(&store, "dee"), None, "no team on any card");
        assert_eq!(team(&store, "nobody"), None);
        assert_eq!(members(&store, "north"), ["ana", "bo"]);
        assert_eq!(members(&store, "south"), ["ana", "cy"]);
        store.delete(&leaving.id, None).unwrap();
        // One card each: the first team by name.
        assert_eq!(team(&store, "ana").as_deref(), Some("north"));
        let fields = OpportunityFields {
            owner: "bo".into(),
            ..moving.fields
        };
        store
            .update_fields(&moving.id, moving.version, fields)
            .unwrap();
        assert_eq!(members(&store, "south"), ["bo", "cy"]);
        assert_eq!(team(&store, "bo").as_deref(), Some("north"));
    }

    #[test]
    fn open_items_carry_to_the_next_meeting_of_the_same_seller() {
        let (mut store, funnel) = setup();
        let first = store.start_meeting(&funnel, "ana").unwrap();
        let open = store
            .add_action_item(&first.id, "ana", "Open", None)
            .unwrap();
        let done = store
            .add_action_item(&first.id, "lead", "Done", None)
            .unwrap();
        store.toggle_action_item(&done.id).unwrap();
        store.start_meeting(&funnel, "bob").unwrap();
        store.set_clock(Clock::Fixed(at(2026, 6, 1)));
        let second = store.start_meeting(&funnel, "ana").unwrap();
        assert_eq!(second.carried, vec![open.clone()]);
        assert!(second.items.is_empty());
        // Closed in the second meeting: gone from the third.
        store.toggle_action_item(&open.id).unwrap();
        store.set_clock(Clock::Fixed(at(2026, 7, 1)));
        let third = store.start_meeting(&funnel, "ana").unwrap();
        assert!(third.carried.is_empty());
        let all = store.meetings(&funnel, "ana").unwrap();
        assert_eq!(
            all.iter().map(|m| &m.id).collect::<Vec<_>>(),
            vec![&third.id, &second.id, &first.id]
        );
        assert_eq!(store.meetings(&funnel, "bob").unwrap().len(), 1);
    }
}

#[test]
fn targets_set_before_and_after_the_upgrade_that_syncs_them_are_queued() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.db");
    // V1, V2, sync and meetings: the steps before the one that syncs targets.
    let before_targets = &schema::MIGRATIONS[..4];
    let mut older = Store::open_with(&path, before_targets).unwrap();
    let funnel = older.resolve_funnel(None, "EUR", 1).unwrap();
    // Synced once (as that version recorded it; today's first sync also stamps every table,
    // targets included, which had no stamp column yet).
    older
        .conn
        .execute("INSERT INTO sync_state VALUES ('enabled', '1')", [])
        .unwrap();
    // Not queued by this version: targets did not sync yet (written as it wrote them).
    older
        .conn
        .execute(
            "INSERT INTO targets (id, funnel_id, period, owner, amount_cents, updated_at,
                updated_by) VALUES ('older', ?1, 2026, '', 100, '2026-01-05T12:00:00Z', 'test')",
            [&funnel.id],
        )
        .unwrap();
    drop(older);
    let mut store = Store::open(&path).unwrap();
    // A bulk load (into a file without cards) drops and restores the sync triggers.
    let target = ImportedTarget {
        period: 2026,
        owner: "ana".into(),
        amount_cents: 50,
    };
    store
        .import(&funnel, std::iter::empty(), &[target], false, None)
        .unwrap();
    let (queued, unstamped): (i64, i64) = store
        .conn
        .query_row(
            "SELECT (SELECT count(*) FROM sync_outbox WHERE tbl = 'targets'),
                    (SELECT count(*) FROM targets WHERE hlc = '')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((queued, unstamped), (2, 0));
}

/// Makes `path` a file of the version before the funnel keys (the first `steps` migrations)
/// holding `store`'s funnels, cards, history, records, targets and sync state, written there as
/// that version wrote them: cards name their funnel by its id and hold their dates as ISO
/// text, and its triggers keep its sums.
pub(super) fn written_before_funnel_keys(store: &Store, path: &std::path::Path, steps: usize) {
    drop(Store::open_with(path, &schema::MIGRATIONS[..steps]).unwrap());
    let conn = &store.conn;
    conn.execute("ATTACH ?1 AS old", [path.to_str().unwrap()])
        .unwrap();
    let id = card_key::id_text_sql("id");
    let updated_at = card_key::millis_text_sql("updated_at");
    // The cards' records as they are, but for their pointer to the card, then as text.
    let records: String = ["stage_events", "evidence", "answers", "people"]
        .map(|t| {
            let mut stmt =
                (conn.prepare(&format!("SELECT name FROM pragma_table_info('{t}')"))).unwrap();
            let columns: Vec<String> = (stmt.query_map([], |r| r.get::<_, String>(0)))
                .unwrap()
                .map(Result::unwrap)
                // The old version had no local columns of the review (step 16).
                .filter(|c| !matches!(c.as_str(), "card_owner" | "card_team"))
                .map(|c| match c {
                    c if c == "opportunity_id" => card_key::id_text_sql(&c),
                    c => c,
                })
                .collect();
            format!(
                "INSERT INTO old.{t} SELECT {} FROM {t};\n",
                columns.join(", ")
            )
        })
        .concat();
    conn.execute_batch(&format!(
        "PRAGMA foreign_keys = OFF;
         INSERT INTO old.funnels
         SELECT id, name, currency, fiscal_start, updated_at, updated_by, deleted_at, hlc
         FROM funnels;
         INSERT INTO old.opportunities
         SELECT {id}, (SELECT id FROM funnels WHERE key = o.funnel), title, account, value_cents,
                stage, status, owner, team, region, territory, product,
                date(created * 86400, 'unixepoch'), date(expected_close * 86400, 'unixepoch'),
                date(closed * 86400, 'unixepoch'), lost_reason, next_step,
                date(decision_date * 86400, 'unixepoch'), budget_cents, problem_cost_cents,
                decision_criteria, date(stage_since * 86400, 'unixepoch'), period, version,
                {updated_at}, updated_by, deleted_at, hlc
         FROM opportunities o;
         {records}
         INSERT INTO old.targets SELECT * FROM targets;
         INSERT OR REPLACE INTO old.sync_state SELECT * FROM sync_state;
         INSERT INTO old.sync_outbox SELECT * FROM sync_outbox;
         DETACH old;
         PRAGMA foreign_keys = ON;"
    ))
    .unwrap();
}

#[test]
fn an_upgrade_names_funnels_by_a_key_dates_by_day_numbers_and_cards_by_bytes_and_reads_the_same() {
    let (mut store, main) = setup();
    let other = store.add_funnel("other", "USD", 4).unwrap();
    store.enable_sync().unwrap();
    let today = store.today();
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    for (i, funnel) in [&main, &other, &main].into_iter().enumerate() {
        // Cards made on different days, with dates either side of the epoch and of the last
        // day a 2-byte number holds (2059-09-18).
        store.set_clock(Clock::Fixed(at(2025, 3 + i as u32, 10)));
        let mut a_new = new("a", 100 + i as i64, Stage::PreFunnel);
        a_new.fields.expected_close = day(2059, 9, 18 + i as u32);
        a_new.fields.decision_date = day(1969, 12, 30 + i as u32);
        let a = (store.add_opportunity(funnel, a_new)).unwrap();
        let mut b_new = new("b", 250, Stage::CommitsToInvest);
        b_new.fields.expected_close = day(2026, 6, 30);
        let b = (store.add_opportunity(funnel, b_new)).unwrap();
        let c = (store.add_opportunity(funnel, new("c", 999, Stage::Closing))).unwrap();
        store.set_clock(Clock::Fixed(at(2026, 5, 4)));
        store
            .confirm_evidence(&a.id, Stage::PreFunnel, today, "")
            .unwrap();
        store
            .move_stage(&a.id, None, Stage::ProblemRecognized, false)
            .unwrap();
        store.mark_won(&b.id, None, today).unwrap();
        store.mark_lost(&c.id, None, "Price", today).unwrap();
        if i == 2 {
            store.delete(&a.id, None).unwrap();
        }
    }
    store.set_target(&other, 2026, None, 5000).unwrap();
    let all = CardFilter {
        closed_too: true,
        ..CardFilter::default()
    };
    let read = |store: &Store| {
        let per_funnel: Vec<String> = [&main, &other]
            .map(|f| {
                let mut totals = store.totals(f).unwrap();
                totals.sort();
                format!(
                    "{:?} {totals:?} {:?} {:?} {:?} {:?}",
                    store.opportunities(f, &all).unwrap(),
                    store.journeys(f, None).unwrap(),
                    store.stage_days(f, None).unwrap(),
                    store.purchase_days(f, None).unwrap(),
                    store.target(f, 2026, None).unwrap(),
                )
            })
            .into();
        let pending = SYNCED.map(|t| store.pending_changes(t, "", 100).unwrap());
        (store.funnels().unwrap(), per_funnel, pending)
    };
    let before = read(&store);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.db");
    written_before_funnel_keys(&store, &path, 8);
    let mut upgraded = Store::open(&path).unwrap();
    upgraded.set_clock(Clock::Fixed(at(2026, 5, 4)));
    assert_eq!(read(&upgraded), before);
    assert_eq!(upgraded.check().unwrap(), []);
    let texts: i64 = (upgraded.conn)
        .query_row(
            "SELECT count(*) FROM opportunities WHERE typeof(created) <> 'integer'
                OR typeof(stage_since) <> 'integer' OR typeof(closed) = 'text'
                OR typeof(expected_close) = 'text' OR typeof(decision_date) = 'text'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(texts, 0);
    let loose: i64 = (upgraded.conn)
        .query_row(
            "SELECT (SELECT count(*) FROM opportunities
                     WHERE length(id) <> 16 OR typeof(updated_at) <> 'integer')
                  + (SELECT count(*) FROM stage_events WHERE length(opportunity_id) <> 16)
                  + (SELECT count(*) FROM evidence WHERE length(opportunity_id) <> 16)
                  + (SELECT count(*) FROM people WHERE length(opportunity_id) <> 16)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(loose, 0);
    // The funnels keep their order of creation as keys; a new one takes the next.
    let third = upgraded.add_funnel("third", "EUR", 1).unwrap();
    let keys: Vec<(String, i64)> = (upgraded.conn)
        .prepare("SELECT id, key FROM funnels ORDER BY key")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        keys,
        [
            (main.id.clone(), 1),
            (other.id.clone(), 2),
            (third.id.clone(), 3)
        ]
    );
    // The kept sums and the triggers keep working on the upgraded file.
    let d = (upgraded.add_opportunity(&third, new("d", 7, Stage::PreFunnel))).unwrap();
    upgraded.mark_won(&d.id, None, today).unwrap();
    assert_eq!(upgraded.opportunity(&d.id).unwrap().funnel_id, third.id);
    assert_eq!(upgraded.check().unwrap(), []);
}

/// Figures kept between runs (`super::cache`): the same answer as a recount, read back while
/// nothing changed, computed again after any change.
mod figures_cache {
    use super::*;
    use crate::domain::insight::{DaysCount, GroupBy, GroupRow, JourneyRow, OpenValue};
    use crate::insight::Insight;

    /// Every kept figure of the fixture's funnel, as the report, footer and dashboard read them.
    #[derive(Debug, PartialEq)]
    struct Figures {
        journeys: Vec<JourneyRow>,
        ana_journeys: Vec<JourneyRow>,
        stage_days: Vec<(Stage, DaysCount)>,
        purchase_days: Vec<DaysCount>,
        open_values: Vec<OpenValue>,
        top_accounts: Vec<(String, i128)>,
        groups: Vec<GroupRow>,
        stale: Vec<Opportunity>,
        insight: Insight,
    }

    fn figures(store: &Store, funnel: &Funnel) -> Figures {
        let scope = Scope {
            year: 2026,
            current: true,
            owner: None,
        };
        let period = crate::domain::Period::containing(store.today(), funnel.fiscal_start);
        let summary = crate::insight::summary(store, funnel, period, None).unwrap();
        Figures {
            journeys: store.journeys(funnel, None).unwrap(),
            ana_journeys: store.journeys(funnel, Some("ana")).unwrap(),
            stage_days: store.stage_days(funnel, None).unwrap(),
            purchase_days: store.purchase_days(funnel, None).unwrap(),
            open_values: store.open_values(funnel, scope).unwrap(),
            top_accounts: store.top_accounts(funnel, scope, 3).unwrap(),
            groups: store.group_rows(funnel, scope, GroupBy::Owner).unwrap(),
            stale: (store.stale(funnel, None, store.today(), &[30; Stage::COUNT], 10)).unwrap(),
            insight: crate::insight::compute(store, funnel, summary, None, 3.0).unwrap(),
        }
    }

    fn kept(store: &Store) -> i64 {
        (store.conn)
            .query_row("SELECT count(*) FROM figures_cache", [], |r| r.get(0))
            .unwrap()
    }

    /// The figures computed from the data, nothing kept.
    fn recount(store: &Store, funnel: &Funnel) -> Figures {
        store.conn.execute("DELETE FROM figures_cache", []).unwrap();
        figures(store, funnel)
    }

    /// A card with a target, so that the probability of the target is among the figures.
    fn fixture() -> (Store, Funnel) {
        let (mut store, funnel) = history_fixture();
        store.set_target(&funnel, 2026, None, 1_000_00).unwrap();
        (store, funnel)
    }

    fn card(funnel: &Funnel, title: &str, value_cents: i64, today: NaiveDate) -> Opportunity {
        let fields = OpportunityFields {
            title: title.into(),
            account: title.into(),
            value_cents,
            owner: "bob".into(),
            ..Default::default()
        };
        Opportunity::open(
            new_id(),
            funnel.id.clone(),
            fields,
            Stage::CommitsToInvest,
            today,
        )
    }

    #[test]
    fn an_unchanged_database_answers_from_the_kept_figures() {
        let (store, funnel) = fixture();
        let computed = figures(&store, &funnel);
        assert!(kept(&store) >= 4, "one row per query and parameters");
        assert_eq!(figures(&store, &funnel), computed);
        assert_eq!(recount(&store, &funnel), computed);
        // What is kept is what is answered (here a made-up answer, to tell it from a recount).
        let scope = Scope {
            year: 2026,
            current: true,
            owner: None,
        };
        assert!(!store.top_accounts(&funnel, scope, 3).unwrap().is_empty());
        store
            .conn
            .execute(
                "UPDATE figures_cache SET rows = '[]' WHERE key LIKE '[\"top_accounts\"%'",
                [],
            )
            .unwrap();
        assert!(store.top_accounts(&funnel, scope, 3).unwrap().is_empty());
        // Rows this version cannot read count as not kept.
        store
            .conn
            .execute("UPDATE figures_cache SET rows = '{'", [])
            .unwrap();
        assert_eq!(figures(&store, &funnel), computed);
    }

    #[test]
    fn a_kept_probability_reads_back_as_the_number_computed() {
        let (store, _) = fixture();
        // A number JSON's fastest float parsing reads back one unit off in the last digit.
        let probability = 0.907_303_832_202_868_9_f64;
        assert_eq!(
            store.cached("p", (), |_| Ok(probability)).unwrap(),
            probability
        );
        let kept: f64 = store.cached("p", (), |_| Ok(0.0)).unwrap();
        assert_eq!(kept.to_bits(), probability.to_bits());
    }

    /// Reads the figures (kept), applies `change`, and checks that it counted a generation and
    /// that the figures read next are a recount, different from before.
    fn changed(store: &mut Store, funnel: &Funnel, name: &str, change: impl FnOnce(&mut Store)) {
        let before = figures(store, funnel);
        let generation = store.data_generation().unwrap();
        change(store);
        assert!(store.data_generation().unwrap() > generation, "{name}");
        let after = figures(store, funnel);
        assert_ne!(after, before, "{name}: the figures follow the change");
        assert_eq!(after, recount(store, funnel), "{name}");
    }

    #[test]
    fn every_change_to_a_card_or_its_history_makes_the_next_read_compute_again() {
        let (mut store, funnel) = fixture();
        let today = store.today();
        let c = store
            .opportunities(&funnel, &CardFilter::default())
            .unwrap()
            .into_iter()
            .find(|o| o.fields.title == "C")
            .unwrap()
            .id;
        store.enable_sync().unwrap();
        changed(&mut store, &funnel, "move", |s| {
            s.move_stage(&c, None, Stage::DecisionCriteria, true)
                .unwrap();
        });
        changed(&mut store, &funnel, "value edit", |s| {
            let card = s.opportunity(&c).unwrap();
            let fields = OpportunityFields {
                value_cents: 900_00,
                ..card.fields
            };
            s.update_fields(&c, card.version, fields).unwrap();
        });
        let open = store.opportunity(&c).unwrap();
        changed(&mut store, &funnel, "won", |s| {
            s.mark_won(&c, None, today).unwrap();
        });
        changed(&mut store, &funnel, "undo", |s| {
            let version = s.opportunity(&c).unwrap().version;
            s.rewind(&Rewind {
                id: &c,
                version,
                card: Some(&open),
                event: EventStep::RetractLast,
                evidence: EvidenceStep::Keep,
            })
            .unwrap();
        });
        changed(&mut store, &funnel, "lost", |s| {
            s.mark_lost(&c, None, "budget", today).unwrap();
        });
        changed(&mut store, &funnel, "import", |s| {
            let item = Imported {
                opportunity: card(&funnel, "D", 400_00, today),
                records: None,
            };
            s.import(&funnel, [item], &[], false, None).unwrap();
        });
        changed(&mut store, &funnel, "pulled sync row", |s| {
            let mut row = s.pending_changes("opportunities", "", 1).unwrap().remove(0);
            let id = new_id();
            row.data.insert("id".into(), id.clone().into());
            row.data.insert("account".into(), "Eon".into());
            row.data.insert("value_cents".into(), 700_00.into());
            let pulled = Incoming {
                table: "opportunities",
                id,
                hlc: "9999999999999-00000-ff".into(),
                data: (&row.data).try_into().unwrap(),
            };
            assert_eq!(s.apply_incoming([vec![pulled]], drop).unwrap().applied, 1);
        });
    }

    #[test]
    fn a_bulk_load_counts_one_generation() {
        let (mut store, funnel) = setup();
        let today = store.today();
        let empty = figures(&store, &funnel);
        let generation = store.data_generation().unwrap();
        let items = ["A", "B", "C"].map(|title| Imported {
            opportunity: card(&funnel, title, 100_00, today),
            records: None,
        });
        store.import(&funnel, items, &[], false, None).unwrap();
        assert_eq!(store.data_generation().unwrap(), generation + 1);
        let loaded = figures(&store, &funnel);
        assert_ne!(loaded, empty);
        assert_eq!(loaded, recount(&store, &funnel));
        // The triggers are back after the load.
        store
            .add_opportunity(&funnel, new("after", 1, Stage::PreFunnel))
            .unwrap();
        assert!(store.data_generation().unwrap() > generation + 1);
    }

    #[test]
    fn a_first_pull_counts_one_generation() {
        let (mut hub_side, funnel) = fixture();
        hub_side.enable_sync().unwrap();
        let kept = figures(&hub_side, &funnel);
        let pages = as_pulled(&hub_side);
        // A file without cards: the pull is a bulk load, without the per-row triggers.
        let mut store = Store::open_in_memory().unwrap();
        store.set_clock(Clock::Fixed(at(2026, 5, 4)));
        let empty = figures(&store, &funnel);
        let generation = store.data_generation().unwrap();
        store.apply_incoming(pages, drop).unwrap();
        assert_eq!(store.data_generation().unwrap(), generation + 1);
        let pulled = figures(&store, &funnel);
        assert_ne!(pulled, empty);
        assert_eq!(pulled, recount(&store, &funnel));
        assert_eq!(pulled.journeys, kept.journeys);
    }

    #[test]
    fn a_read_only_database_still_answers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.db");
        let mut store = Store::open(&path).unwrap();
        store.set_clock(Clock::Fixed(at(2026, 5, 4)));
        let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
        store
            .add_opportunity(&funnel, new("a", 100_00, Stage::CommitsToInvest))
            .unwrap();
        let computed = figures(&store, &funnel);
        let read_only = |kept_before: bool| {
            let mut ro = Store::open_read_only(&path, schema::MIGRATIONS.len()).unwrap();
            ro.set_clock(Clock::Fixed(at(2026, 5, 4)));
            assert_eq!(figures(&ro, &funnel), computed, "kept: {kept_before}");
            // Nothing could be kept by it.
            assert_eq!(kept(&ro) > 0, kept_before);
        };
        read_only(true);
        store.conn.execute("DELETE FROM figures_cache", []).unwrap();
        read_only(false);
    }
}

#[test]
fn a_bulk_load_into_a_file_keeps_the_wal_with_or_without_another_connection() {
    let dir = tempfile::tempdir().unwrap();
    for other_open in [false, true] {
        let path = dir.path().join(format!("load-{other_open}.db"));
        let mut store = Store::open(&path).unwrap();
        let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
        // A board open on the file keeps the WAL during the load too.
        let other = other_open.then(|| Store::open(&path).unwrap());
        let today = store.today();
        let options = crate::demo::DemoOptions::new(30, today);
        assert_eq!(
            crate::demo::generate(&mut store, &funnel, &options, None).unwrap(),
            30
        );
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal", "other connection open: {other_open}");
        let every = CardFilter {
            closed_too: true,
            ..Default::default()
        };
        if let Some(other) = other {
            let cards = other.opportunities(&funnel, &every).unwrap();
            assert_eq!(cards.len(), 30);
        }
        assert!(store.check().unwrap().is_empty());

        // A first pull of those cards into another empty file is a bulk load too.
        store.enable_sync().unwrap();
        let pages = as_pulled(&store);
        let pulled_path = dir.path().join(format!("pull-{other_open}.db"));
        let mut pulled = Store::open(&pulled_path).unwrap();
        let other = other_open.then(|| Store::open(&pulled_path).unwrap());
        pulled.apply_incoming(pages, drop).unwrap();
        let mode: String = pulled
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal", "other connection open: {other_open}");
        assert_eq!(pulled.opportunities(&funnel, &every).unwrap().len(), 30);
        assert!(pulled.check().unwrap().is_empty());
        drop(other);
    }
}

/// A file's cards and their history as a hub would send them to a first pull (its queue, which
/// holds every row once sync is on), a page per table.
pub(super) fn as_pulled(store: &Store) -> [Vec<Incoming>; 3] {
    ["funnels", "opportunities", "stage_events"].map(|table| {
        let rows = store.pending_changes(table, "", 100_000).unwrap();
        let rows = rows.into_iter().map(|row| Incoming {
            table,
            id: row.id,
            hlc: row.hlc,
            data: (&row.data).try_into().unwrap(),
        });
        rows.collect()
    })
}

/// The period's breakdowns (`group_totals`, `open_value_counts`, `account_totals`) and the stale
/// list read from `opportunities_overdue`: the same as counting every card.
mod period_breakdown {
    use super::*;

    /// A small deterministic generator (xorshift), so a failure can be replayed.
    struct Dice(u64);

    impl Dice {
        fn roll(&mut self, sides: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % sides as u64) as usize
        }

        fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
            from[self.roll(from.len())]
        }

        /// Fields that vary everything the breakdowns group by (period through the expected
        /// close), with few values so that cards share rows.
        fn fields(&mut self, title: &str) -> OpportunityFields {
            let close = [
                None,
                Some((2025, 6, 1)),
                Some((2026, 3, 1)),
                Some((2027, 2, 1)),
            ];
            OpportunityFields {
                title: title.into(),
                account: self.pick(&["", "Acme", "Bolt"]).into(),
                value_cents: [0, 100, 250, 100_00][self.roll(4)],
                owner: self.pick(&["ana", "bob", ""]).into(),
                team: self.pick(&["north", "south"]).into(),
                region: self.pick(&["EU", "US"]).into(),
                territory: self.pick(&["FR", "DE", ""]).into(),
                expected_close: close[self.roll(4)]
                    .and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
                ..Default::default()
            }
        }

        fn stage(&mut self) -> Stage {
            Stage::ALL[self.roll(Stage::COUNT)]
        }
    }

    fn assert_recounted(store: &Store, step: usize) {
        assert_eq!(store.check().unwrap(), [], "after step {step}");
    }

    #[test]
    fn breakdowns_equal_a_recount_after_random_writes() {
        let (mut store, main) = setup();
        let other = store.add_funnel("other", "EUR", 1).unwrap();
        let mut dice = Dice(7);
        let mut live: Vec<String> = Vec::new();
        for step in 0..400 {
            let card = (!live.is_empty()).then(|| live[dice.roll(live.len())].clone());
            match (dice.roll(12), card) {
                (0..=3, _) | (_, None) => {
                    let funnel = if dice.roll(3) == 0 { &other } else { &main };
                    let new = NewOpportunity {
                        fields: dice.fields(&format!("card {step}")),
                        stage: Some(dice.stage()),
                    };
                    live.push(store.add_opportunity(funnel, new).unwrap().id);
                }
                (4 | 5, Some(id)) => {
                    let before = store.opportunity(&id).unwrap();
                    let fields = dice.fields(&before.fields.title);
                    let after = store.update_fields(&id, before.version, fields).unwrap();
                    // Undo half of the edits: the card written back as it was.
                    if dice.roll(2) == 0 {
                        store
                            .rewind(&Rewind {
                                id: &id,
                                version: after.version,
                                card: Some(&before),
                                event: EventStep::Keep,
                                evidence: EvidenceStep::Keep,
                            })
                            .unwrap();
                    }
                }
                (6 | 7, Some(id)) => {
                    let (to, card) = (dice.stage(), store.opportunity(&id).unwrap());
                    if card.status == Status::Open && card.stage != to {
                        store.move_stage(&id, None, to, true).unwrap();
                    }
                }
                (8, Some(id)) => match store.opportunity(&id).unwrap().status {
                    Status::Open if dice.roll(2) == 0 => {
                        store.mark_won(&id, None, store.today()).unwrap();
                    }
                    Status::Open => {
                        store.mark_lost(&id, None, "price", store.today()).unwrap();
                    }
                    _ => {
                        store.reopen(&id, None).unwrap();
                    }
                },
                (9, Some(id)) => {
                    store.delete(&id, None).unwrap();
                    live.retain(|l| *l != id);
                }
                (10, Some(id)) => {
                    // Undo of a card's creation: the row goes.
                    let version = store.opportunity(&id).unwrap().version;
                    store
                        .rewind(&Rewind {
                            id: &id,
                            version,
                            card: None,
                            event: EventStep::Keep,
                            evidence: EvidenceStep::Keep,
                        })
                        .unwrap();
                    live.retain(|l| *l != id);
                }
                (_, Some(_)) => {
                    // Time passes: later changes land in other stage_since days.
                    let today = store.today() + chrono::Days::new(dice.roll(20) as u64);
                    store.set_clock(Clock::Fixed(today.and_hms_opt(9, 0, 0).unwrap()));
                }
            }
            if step % 20 == 0 {
                assert_recounted(&store, step);
            }
        }
        assert_recounted(&store, 400);
        let counts: i64 = (store.conn)
            .query_row("SELECT count(*) FROM open_value_counts", [], |r| r.get(0))
            .unwrap();
        assert!(counts > 10, "the walk left open cards: {counts}");
        // A table that drifted from the cards is reported.
        store
            .conn
            .execute("UPDATE open_value_counts SET count = count + 1", [])
            .unwrap();
        let problems = store.check().unwrap();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            matches!(
                problems[0],
                Problem::Breakdown {
                    table: "open_value_counts",
                    ..
                }
            ),
            "{problems:?}"
        );
    }

    #[test]
    fn a_bulk_load_and_an_upgrade_fill_the_breakdowns() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.db");
        let (mut written, funnel) = setup();
        let mut dice = Dice(11);
        let cards: Vec<Opportunity> = (0..60)
            .map(|i| {
                let fields = dice.fields(&format!("card {i}"));
                Opportunity::open(
                    new_id(),
                    funnel.id.clone(),
                    fields,
                    dice.stage(),
                    written.today(),
                )
            })
            .collect();
        for card in &cards {
            let new = NewOpportunity {
                fields: card.fields.clone(),
                stage: Some(card.stage),
            };
            written.add_opportunity(&funnel, new).unwrap();
        }
        // The steps before the breakdowns.
        written_before_funnel_keys(&written, &path, 7);
        let store = Store::open(&path).unwrap();
        assert_recounted(&store, 0);
        // Into an empty file: the bulk path, its triggers dropped.
        let (mut loaded, funnel) = setup();
        let items = cards.into_iter().map(|opportunity| Imported {
            opportunity,
            records: None,
        });
        loaded.import(&funnel, items, &[], false, None).unwrap();
        assert_recounted(&loaded, 0);
        let rows = |store: &Store| -> i64 {
            (store.conn)
                .query_row("SELECT count(*) FROM group_totals", [], |r| r.get(0))
                .unwrap()
        };
        assert!(rows(&loaded) > 0);
        // A first pull of the same cards into an empty file: counted once after the load.
        loaded.enable_sync().unwrap();
        let mut pulled = Store::open_in_memory().unwrap();
        pulled.apply_incoming(as_pulled(&loaded), drop).unwrap();
        assert_recounted(&pulled, 0);
        assert_eq!(rows(&pulled), rows(&loaded));
        assert_eq!(pulled.check().unwrap(), []);
    }

    /// The stale list, counted the long way: every open card of the funnel (and seller), the
    /// most overdue first, then by id.
    fn stale_by_hand(
        store: &Store,
        funnel: &Funnel,
        owner: Option<&str>,
        expected: &[u32; Stage::COUNT],
        limit: usize,
    ) -> Vec<String> {
        let today = store.today();
        let mut open: Vec<(i64, String)> = store
            .opportunities(funnel, &CardFilter::default())
            .unwrap()
            .into_iter()
            .filter(|o| owner.is_none_or(|w| o.fields.owner == w))
            .map(|o| {
                let over =
                    (today - o.stage_since).num_days() - i64::from(expected[o.stage.index()]);
                (over, o.id)
            })
            .filter(|(over, _)| *over > 0)
            .collect();
        open.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        open.into_iter().take(limit).map(|(_, id)| id).collect()
    }

    #[test]
    fn the_stale_list_is_the_most_overdue_open_cards_of_the_funnel_and_seller() {
        let (mut store, main) = setup();
        let other = store.add_funnel("other", "EUR", 1).unwrap();
        let mut dice = Dice(3);
        let mut day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let mut ids = Vec::new();
        for i in 0..300 {
            day = day + chrono::Days::new(dice.roll(2) as u64);
            store.set_clock(Clock::Fixed(day.and_hms_opt(9, 0, 0).unwrap()));
            let funnel = if dice.roll(4) == 0 { &other } else { &main };
            let new = NewOpportunity {
                fields: dice.fields(&format!("card {i}")),
                stage: Some(dice.stage()),
            };
            ids.push(store.add_opportunity(funnel, new).unwrap().id);
            // Some cards move on (a new stage_since) or close (off the list).
            let (id, to) = (&ids[dice.roll(ids.len())], dice.stage());
            let card = store.opportunity(id).unwrap();
            match dice.roll(6) {
                0 if card.status == Status::Open && card.stage != to => {
                    store.move_stage(id, None, to, true).unwrap();
                }
                1 if card.status == Status::Open => {
                    store.mark_won(id, None, day).unwrap();
                }
                _ => {}
            }
        }
        store.set_clock(Clock::Fixed(at(2026, 12, 1)));
        let expected = [30, 21, 21, 30, 30, 45, 21, 14];
        for funnel in [&main, &other] {
            for owner in [None, Some("ana"), Some("nobody")] {
                for limit in [1, 7, 40, 1000] {
                    let stale = store
                        .stale(funnel, owner, store.today(), &expected, limit)
                        .unwrap();
                    let ids: Vec<String> = stale.into_iter().map(|o| o.id).collect();
                    let by_hand = stale_by_hand(&store, funnel, owner, &expected, limit);
                    assert_eq!(ids, by_hand, "{} {owner:?} {limit}", funnel.name);
                }
            }
        }
        assert!(!stale_by_hand(&store, &main, None, &expected, 1000).is_empty());
    }
}

/// Two commands opening the same new file at the same moment both end with the whole schema
/// (each runs the schema's steps; the one that comes second finds them done).
#[test]
fn two_opens_of_a_new_file_at_once_both_succeed() {
    for _ in 0..10 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.db");
        let start = std::sync::Barrier::new(2);
        std::thread::scope(|s| {
            let opens: Vec<_> = (0..2)
                .map(|_| {
                    s.spawn(|| {
                        start.wait();
                        Store::open(&path).map(|_| ())
                    })
                })
                .collect();
            for open in opens {
                open.join().unwrap().unwrap();
            }
        });
        assert!(Store::open(&path).unwrap().check().unwrap().is_empty());
    }
}
