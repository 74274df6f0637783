//! The board's upkeep marks, its order and its filter, driven as a user drives them (keys
//! through the same dispatch as the terminal) on a fixed day, with snapshots of the screen.

use chrono::{NaiveDate, NaiveTime};
use crossterm::event::KeyCode;
use funnel::config::Config;
use funnel::domain::{ActivityKind, Flag, Lang, NewActivity, OpportunityFields, Stage};
use funnel::store::{Clock, Funnel, NewOpportunity, Store};
use funnel::tui::{Tui, render_text};

mod screen;
use screen::{key, keys, noon, tui};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A card of the fixture: its title, value (k€), owner, team, stage, next step due, close.
struct Spec {
    title: &'static str,
    value: i64,
    owner: &'static str,
    team: &'static str,
    stage: Stage,
    due: Option<NaiveDate>,
    close: Option<NaiveDate>,
}

fn add(store: &mut Store, funnel: &Funnel, s: &Spec) -> String {
    let fields = OpportunityFields {
        title: s.title.into(),
        account: "Helia Foods".into(),
        value_cents: s.value * 100_000,
        owner: s.owner.into(),
        team: s.team.into(),
        expected_close: s.close,
        next_step: if s.due.is_some() {
            "Call back".into()
        } else {
            String::new()
        },
        next_step_due: s.due,
        ..Default::default()
    };
    let new = NewOpportunity {
        fields,
        stage: Some(s.stage),
    };
    store.add_opportunity(funnel, new).unwrap().id
}

/// Cards in every state of upkeep, today being 2026-03-02: a next step overdue, due today,
/// later and missing; a close date passed; one untouched since January (inactive).
fn fixture(path: Option<&std::path::Path>) -> (Store, Funnel) {
    let mut store = match path {
        Some(path) => Store::open(path).unwrap(),
        None => Store::open_in_memory().unwrap(),
    };
    store.set_actor("test");
    let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
    let today = day(2026, 3, 2);
    let specs = [
        Spec {
            title: "Overdue call",
            value: 90,
            owner: "Ana Silva",
            team: "North",
            stage: Stage::PreFunnel,
            due: Some(day(2026, 2, 27)),
            close: Some(day(2026, 6, 30)),
        },
        Spec {
            title: "Due today",
            value: 60,
            owner: "Marc Dubois",
            team: "South",
            stage: Stage::PreFunnel,
            due: Some(today),
            close: Some(day(2026, 5, 31)),
        },
        Spec {
            title: "Later step",
            value: 40,
            owner: "Ana Silva",
            team: "North",
            stage: Stage::PreFunnel,
            due: Some(day(2026, 3, 15)),
            close: Some(day(2026, 4, 30)),
        },
        Spec {
            title: "No step yet",
            value: 120,
            owner: "Marc Dubois",
            team: "South",
            stage: Stage::ProblemRecognized,
            due: None,
            close: Some(day(2026, 7, 31)),
        },
        Spec {
            title: "Close passed",
            value: 75,
            owner: "Ana Silva",
            team: "North",
            stage: Stage::ProblemRecognized,
            due: Some(day(2026, 3, 20)),
            close: Some(day(2026, 2, 15)),
        },
    ];
    store.set_clock(Clock::Fixed(noon(2026, 1, 5)));
    add(
        &mut store,
        &funnel,
        &Spec {
            title: "Asleep since January",
            value: 30,
            owner: "Marc Dubois",
            team: "South",
            stage: Stage::ImpactDefined,
            due: Some(day(2026, 4, 1)),
            close: Some(day(2026, 9, 30)),
        },
    );
    store.set_clock(Clock::Fixed(noon(2026, 2, 26)));
    for spec in &specs {
        add(&mut store, &funnel, spec);
    }
    store.set_clock(Clock::Fixed(noon(2026, 3, 2)));
    (store, funnel)
}

fn titles(tui: &Tui, column: usize) -> Vec<String> {
    tui.board.columns[column]
        .loaded
        .iter()
        .map(|c| c.opportunity.fields.title.clone())
        .collect()
}

#[test]
fn cards_carry_their_upkeep_marks() {
    let (mut store, funnel) = fixture(None);
    let tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    let screen = render_text(&tui);
    // The later next step's day shows where the card has room.
    assert!(screen.contains("→15/03"), "{screen}");
    assert!(screen.contains("⧖"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn a_funnel_that_does_not_check_a_flag_does_not_mark_it() {
    let (mut store, funnel) = fixture(None);
    let config: Config = toml_config("[funnels.main]\nflags = [\"overdue\"]\n");
    let mut tui = Tui::new(&mut store, funnel.clone(), Lang::En, &config, (120, 40)).unwrap();
    tui.app.color = false;
    let screen = render_text(&tui);
    assert!(!screen.contains("⧖"), "{screen}");
    assert!(!screen.contains("0/7 · ?"), "{screen}");
    assert!(screen.contains(" !"), "{screen}");
}

fn toml_config(text: &str) -> Config {
    Config::parse(text, Lang::En).unwrap()
}

#[test]
fn the_filter_form_narrows_the_board_and_the_title_says_how() {
    let (mut store, funnel) = fixture(None);
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    key(&mut tui, KeyCode::Char('F'));
    // Owner, then Team.
    key(&mut tui, KeyCode::Tab);
    keys(&mut tui, "North");
    for _ in 0..6 {
        key(&mut tui, KeyCode::Tab);
    }
    keys(&mut tui, "overdue");
    key(&mut tui, KeyCode::Enter);
    let counts: Vec<i64> = tui.board.columns.iter().map(|c| c.count).collect();
    assert_eq!(counts, [1, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(titles(&tui, 0), ["Overdue call"]);
    let screen = render_text(&tui);
    assert!(screen.contains("North · overdue"), "{screen}");
    insta::assert_snapshot!(screen);
    // Esc clears every filter.
    key(&mut tui, KeyCode::Esc);
    assert_eq!(tui.board.columns.iter().map(|c| c.count).sum::<i64>(), 6);
}

#[test]
fn a_bad_flag_or_date_in_the_filter_form_is_explained_in_french() {
    let (mut store, funnel) = fixture(None);
    let mut tui = tui(&mut store, &funnel, Lang::Fr, (120, 40));
    key(&mut tui, KeyCode::Char('F'));
    for _ in 0..5 {
        key(&mut tui, KeyCode::Tab);
    }
    keys(&mut tui, "31/02");
    key(&mut tui, KeyCode::Tab);
    key(&mut tui, KeyCode::Tab);
    keys(&mut tui, "en retard, bof");
    key(&mut tui, KeyCode::Enter);
    let screen = render_text(&tui);
    assert!(screen.contains("ce jour n'existe pas"), "{screen}");
    assert!(screen.contains("signal inconnu « bof »"), "{screen}");
    // The focus went to the first bad field. Fixed, the filter keeps cards expected to close
    // from the 3rd of March on that have no next step at all.
    for _ in 0..5 {
        key(&mut tui, KeyCode::Backspace);
    }
    keys(&mut tui, "2026-03-03");
    key(&mut tui, KeyCode::Tab);
    key(&mut tui, KeyCode::Tab);
    for _ in 0.."en retard, bof".chars().count() {
        key(&mut tui, KeyCode::Backspace);
    }
    keys(&mut tui, "sans prochaine étape");
    key(&mut tui, KeyCode::Enter);
    let counts: Vec<i64> = tui.board.columns.iter().map(|c| c.count).collect();
    assert_eq!(counts, [0, 1, 0, 0, 0, 0, 0, 0]);
    assert_eq!(titles(&tui, 1), ["No step yet"]);
}

#[test]
fn the_unverified_flag_keeps_cards_whose_last_move_lacked_its_evidence() {
    let (mut store, funnel) = fixture(None);
    let cards = store.opportunities(&funnel, &Default::default()).unwrap();
    let id = |title: &str| {
        cards
            .iter()
            .find(|c| c.fields.title == title)
            .unwrap()
            .id
            .clone()
    };
    // Forced forward: unverified. Forced forward then back: its last move needs no evidence.
    let (forced, back) = (id("Due today"), id("Later step"));
    store
        .move_stage(&forced, None, Stage::ImpactDefined, true)
        .unwrap();
    store
        .move_stage(&back, None, Stage::ProblemRecognized, true)
        .unwrap();
    store
        .move_stage(&back, None, Stage::PreFunnel, false)
        .unwrap();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    key(&mut tui, KeyCode::Char('F'));
    for _ in 0..7 {
        key(&mut tui, KeyCode::Tab);
    }
    keys(&mut tui, "unverified");
    key(&mut tui, KeyCode::Enter);
    let counts: Vec<i64> = tui.board.columns.iter().map(|c| c.count).collect();
    assert_eq!(counts, [0, 0, 1, 0, 0, 0, 0, 0]);
    assert_eq!(titles(&tui, 2), ["Due today"]);
    // The form opens again on the filter as it is.
    key(&mut tui, KeyCode::Char('F'));
    let screen = render_text(&tui);
    assert!(
        screen.contains("Flags") && screen.contains(" unverified "),
        "{screen}"
    );
}

#[test]
fn s_sorts_the_columns_by_expected_close_next_step_and_days_in_stage() {
    let (mut store, funnel) = fixture(None);
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    // By value, biggest first.
    assert_eq!(titles(&tui, 0), ["Overdue call", "Due today", "Later step"]);
    key(&mut tui, KeyCode::Char('s'));
    // By expected close, soonest first.
    assert_eq!(titles(&tui, 0), ["Later step", "Due today", "Overdue call"]);
    assert_eq!(titles(&tui, 1), ["Close passed", "No step yet"]);
    let screen = render_text(&tui);
    assert!(screen.contains("· by expected close"), "{screen}");
    key(&mut tui, KeyCode::Char('s'));
    // By next step due, most overdue first.
    assert_eq!(titles(&tui, 0), ["Overdue call", "Due today", "Later step"]);
    insta::assert_snapshot!(render_text(&tui));
    key(&mut tui, KeyCode::Char('s'));
    assert!(render_text(&tui).contains("· by days in stage"));
    key(&mut tui, KeyCode::Char('s'));
    assert!(!render_text(&tui).contains("· by "));
}

#[test]
fn the_order_and_filter_are_remembered_per_funnel() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("funnel.db");
    let (mut store, funnel) = fixture(Some(&path));
    let other = store.add_funnel("renewals", "EUR", 1).unwrap();
    {
        let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
        key(&mut tui, KeyCode::Char('s'));
        key(&mut tui, KeyCode::Char('F'));
        keys(&mut tui, "Ana Silva");
        for _ in 0..7 {
            key(&mut tui, KeyCode::Tab);
        }
        keys(&mut tui, "overdue");
        key(&mut tui, KeyCode::Enter);
    }
    drop(store);
    // The app opened again on the same database: the same board.
    let mut store = Store::open(&path).unwrap();
    store.set_clock(Clock::Fixed(noon(2026, 3, 2)));
    let tui_again = tui(&mut store, &funnel, Lang::En, (120, 40));
    let screen = render_text(&tui_again);
    assert!(
        screen.contains("· owner: Ana Silva · by expected close · overdue"),
        "{screen}"
    );
    assert_eq!(titles(&tui_again, 0), ["Overdue call"]);
    drop(tui_again);
    // Another funnel keeps its own (none yet).
    let elsewhere = tui(&mut store, &other, Lang::En, (120, 40));
    assert!(!render_text(&elsewhere).contains("overdue"));
    drop(elsewhere);
    // Esc clears the filter for good; the order stays.
    let mut cleared = tui(&mut store, &funnel, Lang::En, (120, 40));
    key(&mut cleared, KeyCode::Esc);
    drop(cleared);
    let last = tui(&mut store, &funnel, Lang::En, (120, 40));
    let screen = render_text(&last);
    assert!(screen.contains("· by expected close"), "{screen}");
    assert!(!screen.contains("Ana Silva ·"), "{screen}");
}

/// The fixture's "No step yet" card with a history: moved on without its evidence, a call and
/// a meeting logged, its value changed, then a next step set for tomorrow at 10:30.
fn card_with_a_timeline(store: &mut Store, funnel: &Funnel) -> String {
    let id = store
        .opportunities(funnel, &Default::default())
        .unwrap()
        .into_iter()
        .find(|c| c.fields.title == "No step yet")
        .unwrap()
        .id;
    store.set_clock(Clock::Fixed(noon(2026, 2, 27)));
    store
        .move_stage(&id, None, Stage::ImpactDefined, true)
        .unwrap();
    store
        .log_activity(
            &id,
            &NewActivity {
                kind: ActivityKind::Call,
                on: day(2026, 2, 27),
                at: NaiveTime::from_hms_opt(9, 15, 0),
                with: "Léa Martin".into(),
                summary: "Budget confirmed for Q3".into(),
            },
        )
        .unwrap();
    store.set_clock(Clock::Fixed(noon(2026, 3, 1)));
    let card = store.opportunity(&id).unwrap();
    let fields = OpportunityFields {
        value_cents: 135_000_00,
        ..card.fields
    };
    store.update_fields(&id, card.version, fields).unwrap();
    store
        .log_activity(
            &id,
            &NewActivity {
                kind: ActivityKind::Meeting,
                on: day(2026, 3, 1),
                at: None,
                with: String::new(),
                summary: "Demo to the plant managers".into(),
            },
        )
        .unwrap();
    store.set_clock(Clock::Fixed(noon(2026, 3, 2)));
    store
        .set_next_step(
            &id,
            None,
            "Send the pilot proposal",
            Some(day(2026, 3, 3)),
            NaiveTime::from_hms_opt(10, 30, 0),
        )
        .unwrap();
    id
}

#[test]
fn the_detail_shows_the_next_step_and_one_timeline_newest_first() {
    for (lang, size) in [
        (Lang::En, (80, 24)),
        (Lang::En, (200, 60)),
        (Lang::Fr, (80, 24)),
        (Lang::Fr, (200, 60)),
    ] {
        let (mut store, funnel) = fixture(None);
        card_with_a_timeline(&mut store, &funnel);
        let mut tui = tui(&mut store, &funnel, lang, size);
        // The card is alone in Impact defined with the other one, biggest first.
        key(&mut tui, KeyCode::Char('l'));
        key(&mut tui, KeyCode::Char('l'));
        key(&mut tui, KeyCode::Enter);
        let detail = tui.detail().unwrap();
        assert_eq!(detail.opportunity.fields.title, "No step yet");
        let screen = render_text(&tui);
        let (call, step) = match lang {
            Lang::En => ("call with Léa Martin", "03 10:30, in 1 d"),
            Lang::Fr => ("appel avec Léa Martin", "03 10:30, dans 1 j"),
        };
        assert!(screen.contains(call), "{screen}");
        assert!(screen.contains(step), "{screen}");
        let (w, h) = size;
        insta::assert_snapshot!(format!("detail_timeline_{lang:?}_{w}x{h}"), screen);
    }
}

#[test]
fn the_timeline_scrolls_a_page_at_a_time() {
    let (mut store, funnel) = fixture(None);
    let id = card_with_a_timeline(&mut store, &funnel);
    for n in 1..=12 {
        store
            .log_activity(
                &id,
                &NewActivity {
                    kind: ActivityKind::Note,
                    on: day(2026, 3, 2),
                    at: None,
                    with: String::new(),
                    summary: format!("note number {n}"),
                },
            )
            .unwrap();
    }
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 30));
    key(&mut tui, KeyCode::Char('l'));
    key(&mut tui, KeyCode::Char('l'));
    key(&mut tui, KeyCode::Enter);
    let screen = render_text(&tui);
    assert!(screen.contains("note number 12"), "{screen}");
    assert!(!screen.contains("Budget confirmed"), "{screen}");
    for _ in 0..5 {
        key(&mut tui, KeyCode::PageDown);
    }
    let screen = render_text(&tui);
    assert!(!screen.contains("note number 12"), "{screen}");
    assert!(screen.contains("Budget confirmed"), "{screen}");
    assert!(screen.contains("! unverified"), "{screen}");
    key(&mut tui, KeyCode::PageUp);
    key(&mut tui, KeyCode::PageUp);
    key(&mut tui, KeyCode::PageUp);
    key(&mut tui, KeyCode::PageUp);
    key(&mut tui, KeyCode::PageUp);
    assert!(render_text(&tui).contains("note number 12"));
}

#[test]
fn the_dashboard_shows_each_sellers_upkeep() {
    let (mut store, funnel) = fixture(None);
    card_with_a_timeline(&mut store, &funnel);
    for lang in [Lang::En, Lang::Fr] {
        let mut tui = tui(&mut store, &funnel, lang, (120, 40));
        key(&mut tui, KeyCode::Char('D'));
        let dashboard = tui.dashboard().unwrap();
        let upkeep: Vec<(String, u64, u64)> = dashboard
            .upkeep
            .iter()
            .map(|(owner, u)| (owner.clone(), u.open, u.kept))
            .collect();
        // Ana: overdue, later, close passed (dated, not overdue, created days ago) → 2 of 3.
        // Marc: due today, the card with its timeline, asleep since January → 2 of 3.
        assert_eq!(
            upkeep,
            [("Ana Silva".into(), 3, 2), ("Marc Dubois".into(), 3, 2)]
        );
        let screen = render_text(&tui);
        let (header, cell) = match lang {
            Lang::En => ("Upkeep", "67% 2/3"),
            Lang::Fr => ("Suivi", "67 % 2/3"),
        };
        assert!(screen.contains(header) && screen.contains(cell), "{screen}");
        insta::assert_snapshot!(format!("dashboard_upkeep_{lang:?}"), screen);
    }
}

/// A column header's counts: next step overdue, none, expected close passed.
fn flagged(tui: &Tui, column: usize) -> (u64, u64, u64) {
    let f = tui.board.columns[column].flagged;
    let get = |flag| f.get(flag);
    (
        get(Flag::Overdue),
        get(Flag::NoNextStep),
        get(Flag::ClosePassed),
    )
}

#[test]
fn a_column_header_counts_flagged_cards_up_to_its_cap() {
    let (mut store, funnel) = fixture(None);
    for n in 0..120 {
        let spec = Spec {
            title: "Bulk",
            value: n + 1,
            owner: "Tom Becker",
            team: "East",
            stage: Stage::Closing,
            due: None,
            close: None,
        };
        add(&mut store, &funnel, &spec);
    }
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    let closing = Stage::Closing.index();
    assert_eq!(flagged(&tui, closing), (0, 100, 0));
    for _ in 0..closing {
        key(&mut tui, KeyCode::Char('l'));
    }
    let screen = render_text(&tui);
    assert!(screen.contains("120 · €7.3M ?99+"), "{screen}");
    // The first column: one overdue; the second: one without a step, one past its close.
    assert_eq!(flagged(&tui, 0), (1, 0, 0));
    assert_eq!(flagged(&tui, 1), (0, 1, 1));
    // Filtered to Ana's cards, still counted (a small column).
    key(&mut tui, KeyCode::Char('F'));
    keys(&mut tui, "Ana Silva");
    key(&mut tui, KeyCode::Enter);
    assert_eq!(flagged(&tui, 0), (1, 0, 0));
    assert_eq!(flagged(&tui, closing), (0, 0, 0));
}

#[test]
fn a_one_to_one_ends_on_the_board_as_it_was_left() {
    let (mut store, funnel) = fixture(None);
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    key(&mut tui, KeyCode::Char('s'));
    tui.start_one_to_one("Ana Silva").unwrap();
    assert_eq!(tui.app.filter.owner.as_deref(), Some("Ana Silva"));
    key(&mut tui, KeyCode::Esc);
    let screen = render_text(&tui);
    assert!(screen.contains("· by expected close"), "{screen}");
    assert_eq!(tui.app.filter.owner, None);
}
