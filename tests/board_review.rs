//! The review on the board, driven by keys as a user drives it: the changes view, the seller's
//! one-to-one walking the changes, the past meetings, the team one-to-one and the action items
//! on the agenda. A small funnel with a hand-made history (fixed clock): a previous one-to-one
//! with Ana on 2 February, then a month of changes on her cards.

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use funnel::config::Config;
use funnel::domain::review::{Change, ReviewScope};
use funnel::domain::{Lang, OpportunityFields, Stage};
use funnel::store::{Clock, Funnel, MoveOutcome, NewOpportunity, Store};
use funnel::tui::overlays::Overlay;
use funnel::tui::{Tui, View, render_text};

mod screen;
use screen::{key, keys, noon, tui};

const ANA: &str = "Ana Silva";
const MARC: &str = "Marc Dubois";
const LEA: &str = "Léa Roux";

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn add(
    store: &mut Store,
    funnel: &Funnel,
    (title, account, value): (&str, &str, i64),
    (owner, team): (&str, &str),
    stage: Stage,
    close: NaiveDate,
) -> String {
    let fields = OpportunityFields {
        title: title.into(),
        account: account.into(),
        value_cents: value * 100,
        owner: owner.into(),
        team: team.into(),
        expected_close: Some(close),
        ..Default::default()
    };
    store
        .add_opportunity(
            funnel,
            NewOpportunity {
                fields,
                stage: Some(stage),
            },
        )
        .unwrap()
        .id
}

/// Changes a card's fields with `change`.
fn edit(store: &mut Store, id: &str, change: impl FnOnce(&mut OpportunityFields)) {
    let card = store.opportunity(id).unwrap();
    let mut fields = card.fields.clone();
    change(&mut fields);
    store.update_fields(id, card.version, fields).unwrap();
}

/// The cards of the fixture, by title.
struct Cards {
    plant: String,
    fleet: String,
    sensors: String,
    renewal: String,
}

/// Ana (north) and Marc (north), Léa (south). On 2 February Ana's one-to-one chose a skill
/// and left two action items (one due 9 February, overdue today); the north team met with its
/// lead Marc. Then: Ana's "Plant analytics" close date pushed twice (30 April → 31 May → 30
/// June), "Fleet telemetry" forced forward two stages, "Warehouse sensors" moved back and its
/// value cut, "Data platform renewal" won, "Support plan" lost, "Training programme" new.
/// Today is 2 March.
fn fixture() -> (Store, Funnel, Cards) {
    let mut store = Store::open_in_memory().unwrap();
    store.set_clock(Clock::Fixed(noon(2026, 1, 5)));
    store.set_actor("test");
    let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
    let north_ana = (ANA, "north");
    let plant = add(
        &mut store,
        &funnel,
        ("Plant analytics", "Mireo Steel", 310_000),
        north_ana,
        Stage::EvaluatesAlternatives,
        day(4, 30),
    );
    let fleet = add(
        &mut store,
        &funnel,
        ("Fleet telemetry rollout", "Norvik Logistics", 48_000),
        north_ana,
        Stage::ProblemRecognized,
        day(6, 30),
    );
    let sensors = add(
        &mut store,
        &funnel,
        ("Warehouse sensors", "Kestrel Ports", 230_000),
        north_ana,
        Stage::DecisionCriteria,
        day(5, 15),
    );
    let renewal = add(
        &mut store,
        &funnel,
        ("Data platform renewal", "Helia Foods", 125_000),
        north_ana,
        Stage::DecisionCriteria,
        day(3, 31),
    );
    let support = add(
        &mut store,
        &funnel,
        ("Support plan", "Brava Textiles", 9_500),
        north_ana,
        Stage::PreFunnel,
        day(3, 31),
    );
    add(
        &mut store,
        &funnel,
        ("Analytics suite", "Orla Health", 87_000),
        (MARC, "north"),
        Stage::ImpactDefined,
        day(6, 30),
    );
    add(
        &mut store,
        &funnel,
        ("Port cranes", "Solen Harbour", 150_000),
        (LEA, "south"),
        Stage::DecisionCriteria,
        day(7, 31),
    );

    store.set_clock(Clock::Fixed(noon(2026, 2, 2)));
    let meeting = store.start_meeting(&funnel, ANA).unwrap();
    store
        .set_meeting_skill(&meeting.id, "Qualifying the decision process")
        .unwrap();
    store
        .add_action_item(&meeting.id, ANA, "Call the CFO", Some(day(2, 9)))
        .unwrap();
    store
        .add_action_item(&meeting.id, ANA, "Map the buying centre", Some(day(3, 20)))
        .unwrap();
    store.end_meeting(&meeting.id).unwrap();
    let team = store.start_team_meeting(&funnel, "north", MARC).unwrap();
    store.set_meeting_skill(&team.id, "Forecasting").unwrap();
    store.end_meeting(&team.id).unwrap();

    store.set_clock(Clock::Fixed(noon(2026, 2, 10)));
    edit(&mut store, &plant, |f| f.expected_close = Some(day(5, 31)));
    store
        .move_stage(&fleet, None, Stage::ImpactDefined, true)
        .unwrap();
    let back = store
        .move_stage(&sensors, None, Stage::CommitsToInvest, false)
        .unwrap();
    assert!(matches!(back, MoveOutcome::Moved(_)));
    edit(&mut store, &sensors, |f| f.value_cents = 180_000_00);
    store.set_clock(Clock::Fixed(noon(2026, 2, 20)));
    edit(&mut store, &plant, |f| f.expected_close = Some(day(6, 30)));
    store.mark_won(&renewal, None, day(2, 20)).unwrap();
    store
        .mark_lost(&support, None, "no budget", day(2, 20))
        .unwrap();
    add(
        &mut store,
        &funnel,
        ("Training programme", "Norvik Logistics", 15_000),
        north_ana,
        Stage::PreFunnel,
        day(5, 31),
    );
    store.set_clock(Clock::Fixed(noon(2026, 3, 2)));
    (
        store,
        funnel,
        Cards {
            plant,
            fleet,
            sensors,
            renewal,
        },
    )
}

fn with_user<'a>(store: &'a mut Store, funnel: &Funnel, user: &str) -> Tui<'a> {
    let config = Config::parse(&format!("user = \"{user}\"\n"), Lang::En).unwrap();
    let mut tui = Tui::new(store, funnel.clone(), Lang::En, &config, (120, 40)).unwrap();
    tui.app.color = false;
    tui
}

/// Shows one seller on the board (`o`, then down the list to them).
fn show_seller(tui: &mut Tui, name: &str) {
    key(tui, KeyCode::Char('o'));
    let owners = match tui.overlays.last() {
        Some(Overlay::Picker(picker)) => picker.owners.clone(),
        other => panic!("{other:?}"),
    };
    for _ in 0..owners.iter().position(|o| o == name).unwrap() {
        key(tui, KeyCode::Down);
    }
    key(tui, KeyCode::Enter);
}

#[test]
fn the_changes_view_in_english_and_french_at_two_sizes() {
    let (mut store, funnel, _) = fixture();
    for lang in [Lang::En, Lang::Fr] {
        for (w, h) in [(80, 24), (200, 60)] {
            let mut tui = tui(&mut store, &funnel, lang, (w, h));
            show_seller(&mut tui, ANA);
            key(&mut tui, KeyCode::Char('W'));
            assert_eq!(tui.view(), View::Changes);
            insta::assert_snapshot!(format!("changes_{lang:?}_{w}x{h}"), render_text(&tui));
        }
    }
}

#[test]
fn the_changes_since_the_previous_meeting_count_each_change() {
    let (mut store, funnel, cards) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    show_seller(&mut tui, ANA);
    key(&mut tui, KeyCode::Char('W'));
    let changes = tui.changes().unwrap();
    let review = &changes.review;
    assert_eq!(review.scope, ReviewScope::Owner(ANA.into()));
    assert_eq!(review.since, day(2, 2), "since the previous meeting");
    let of = |id: &str| {
        review
            .cards
            .iter()
            .find(|c| c.id == id)
            .unwrap()
            .changes
            .clone()
    };
    assert!(of(&cards.plant).contains(&Change::ClosePushed {
        from: Some(day(4, 30)),
        to: Some(day(6, 30)),
        times: 2
    }));
    assert!(of(&cards.fleet).contains(&Change::Unverified {
        from: Stage::ProblemRecognized,
        to: Stage::ImpactDefined
    }));
    assert!(of(&cards.sensors).contains(&Change::Backward {
        from: Stage::DecisionCriteria,
        to: Stage::CommitsToInvest
    }));
    assert!(of(&cards.renewal).contains(&Change::Won {
        value_cents: 125_000_00
    }));
    assert_eq!(review.overdue_items.len(), 1);
    assert_eq!(review.overdue_items[0].text, "Call the CFO");
    let screen = render_text(&tui);
    for said in [
        "close date pushed 2× 2026-04-30 → 2026-06-30",
        "⚠ unverified",
        "↩ moved back",
        "Call the CFO",
        "(the previous meeting)",
    ] {
        assert!(screen.contains(said), "{said} missing:\n{screen}");
    }
    // The lost card is listed first, the biggest of the warnings after it.
    let selected = tui.changes().unwrap().selected_card().unwrap().to_owned();
    assert_eq!(
        tui.app.store.opportunity(&selected).unwrap().fields.title,
        "Support plan"
    );
}

#[test]
fn enter_opens_a_changed_card_and_esc_comes_back() {
    let (mut store, funnel, _) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    show_seller(&mut tui, ANA);
    key(&mut tui, KeyCode::Char('W'));
    key(&mut tui, KeyCode::Char('j'));
    let id = tui.changes().unwrap().selected_card().unwrap().to_owned();
    key(&mut tui, KeyCode::Enter);
    assert_eq!(tui.view(), View::Detail);
    assert_eq!(tui.detail().unwrap().opportunity.id, id);
    key(&mut tui, KeyCode::Esc);
    assert_eq!(tui.view(), View::Changes);
    key(&mut tui, KeyCode::Esc);
    assert_eq!(tui.view(), View::Board);
}

#[test]
fn w_reviews_the_selected_cards_seller_or_the_boards_team() {
    let (mut store, funnel, _) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    key(&mut tui, KeyCode::Char('W'));
    let owner = tui
        .board
        .selected_card()
        .unwrap()
        .opportunity
        .fields
        .owner
        .clone();
    assert_eq!(
        tui.changes().unwrap().review.scope,
        ReviewScope::Owner(owner)
    );
    key(&mut tui, KeyCode::Esc);
    tui.app.filter.team = Some("north".into());
    key(&mut tui, KeyCode::Char('W'));
    let review = &tui.changes().unwrap().review;
    assert_eq!(review.scope, ReviewScope::Team("north".into()));
    assert_eq!(review.since, day(2, 2), "since the team's meeting");
}

#[test]
fn s_asks_since_when_refuses_a_day_to_come_and_reads_again() {
    let (mut store, funnel, cards) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    show_seller(&mut tui, ANA);
    key(&mut tui, KeyCode::Char('W'));
    key(&mut tui, KeyCode::Char('s'));
    keys(&mut tui, "2026-04-01");
    key(&mut tui, KeyCode::Enter);
    assert_eq!(tui.view(), View::Overlay(funnel::tui::keymap::Table::Text));
    assert!(render_text(&tui).contains("that day is after today"));
    for _ in 0..12 {
        key(&mut tui, KeyCode::Backspace);
    }
    keys(&mut tui, "2026-02-15");
    key(&mut tui, KeyCode::Enter);
    let review = &tui.changes().unwrap().review;
    assert_eq!(review.since, day(2, 15));
    // The first push (10 February) is before the day: pushed once since.
    let plant = review.cards.iter().find(|c| c.id == cards.plant).unwrap();
    assert!(plant.changes.contains(&Change::ClosePushed {
        from: Some(day(5, 31)),
        to: Some(day(6, 30)),
        times: 1
    }));
    // Empty: the previous meeting again.
    key(&mut tui, KeyCode::Char('s'));
    for _ in 0..12 {
        key(&mut tui, KeyCode::Backspace);
    }
    key(&mut tui, KeyCode::Enter);
    assert_eq!(tui.changes().unwrap().review.since, day(2, 2));
}

#[test]
fn the_one_to_one_walks_the_changes_first_and_w_walks_every_card() {
    let (mut store, funnel, _) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    tui.start_one_to_one(ANA).unwrap();
    let o = tui.one_to_one().unwrap();
    assert!(o.walk_changes);
    let order: Vec<String> = o
        .session
        .order
        .iter()
        .map(|(_, i)| o.session.review.cards[*i].id.clone())
        .collect();
    let walked = |tui: &Tui| {
        let o = tui.one_to_one().unwrap();
        o.walked.as_ref().unwrap().opportunity.id.clone()
    };
    let mut seen = vec![walked(&tui)];
    for _ in 1..order.len() {
        key(&mut tui, KeyCode::Tab);
        seen.push(walked(&tui));
    }
    assert_eq!(seen, order);
    key(&mut tui, KeyCode::Tab);
    assert_eq!(walked(&tui), order[0], "round to the first change");
    let screen = render_text(&tui);
    assert!(
        screen.contains(&format!("Change 1/{}", order.len())),
        "{screen}"
    );
    assert!(
        screen.contains("Last time (2026-02-02): Qualifying"),
        "{screen}"
    );
    key(&mut tui, KeyCode::Char('w'));
    let o = tui.one_to_one().unwrap();
    assert!(!o.walk_changes);
    assert_eq!(o.walk, Some(0));
    assert!(render_text(&tui).contains(&format!("Card 1/{}", o.cards)));
}

#[test]
fn past_meetings_list_the_previous_one_with_its_skill_and_items() {
    let (mut store, funnel, _) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    tui.start_one_to_one(ANA).unwrap();
    key(&mut tui, KeyCode::Char('P'));
    assert_eq!(
        tui.view(),
        View::Overlay(funnel::tui::keymap::Table::Meetings)
    );
    let screen = render_text(&tui);
    assert!(screen.contains("Past meetings — Ana Silva"), "{screen}");
    assert!(screen.contains("2026-02-02"), "{screen}");
    assert!(screen.contains("0 done, 2 open"), "{screen}");
    key(&mut tui, KeyCode::Esc);
    assert_eq!(tui.view(), View::OneToOne);
}

#[test]
fn the_team_one_to_one_in_english_and_french_at_two_sizes() {
    let (mut store, funnel, _) = fixture();
    for lang in [Lang::En, Lang::Fr] {
        for (w, h) in [(80, 24), (200, 60)] {
            let mut tui = tui(&mut store, &funnel, lang, (w, h));
            tui.start_team_one_to_one("north", None).unwrap();
            assert_eq!(tui.view(), View::TeamOneToOne);
            insta::assert_snapshot!(
                format!("team_one_to_one_{lang:?}_{w}x{h}"),
                render_text(&tui)
            );
            key(&mut tui, KeyCode::Esc);
        }
    }
}

#[test]
fn the_team_one_to_one_from_the_board_keeps_the_leads_action_plan() {
    let (mut store, funnel, _) = fixture();
    {
        let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
        key(&mut tui, KeyCode::Char('E'));
        match tui.overlays.last() {
            Some(Overlay::Picker(picker)) => assert_eq!(picker.owners, ["north", "south"]),
            other => panic!("{other:?}"),
        }
        key(&mut tui, KeyCode::Enter);
        assert_eq!(tui.view(), View::TeamOneToOne);
        let o = tui.team_one_to_one().unwrap();
        assert_eq!(
            o.session.meeting.owner, MARC,
            "the lead of the last meeting"
        );
        let sellers: Vec<&str> = o.figures.sellers.iter().map(|s| s.owner.as_str()).collect();
        assert_eq!(sellers, [ANA, MARC]);
        let screen = render_text(&tui);
        assert!(
            screen.contains("Last time (2026-02-02): Forecasting"),
            "{screen}"
        );
        assert!(screen.contains("south"), "{screen}");
        key(&mut tui, KeyCode::Char('a'));
        keys(&mut tui, "Coach Ana on forecasting");
        key(&mut tui, KeyCode::Enter);
        key(&mut tui, KeyCode::Enter);
        key(&mut tui, KeyCode::Enter);
        key(&mut tui, KeyCode::Char('s'));
        for _ in 0..60 {
            key(&mut tui, KeyCode::Backspace);
        }
        keys(&mut tui, "Pipeline reviews");
        key(&mut tui, KeyCode::Enter);
        key(&mut tui, KeyCode::Char('j'));
        let id = tui
            .team_one_to_one()
            .unwrap()
            .selected_card()
            .unwrap()
            .to_owned();
        key(&mut tui, KeyCode::Enter);
        assert_eq!(tui.detail().unwrap().opportunity.id, id);
        key(&mut tui, KeyCode::Esc);
        key(&mut tui, KeyCode::Esc);
        assert_eq!(tui.view(), View::Board);
    }
    let past = store
        .past_meetings(&funnel, &ReviewScope::Team("north".into()), None, 10)
        .unwrap();
    assert_eq!(past.len(), 2);
    let m = store.meeting(&past[0].meeting.id).unwrap();
    assert_eq!(m.items[0].text, "Coach Ana on forecasting");
    assert_eq!(m.items[0].owner, MARC);
    assert_eq!(m.skill, "Pipeline reviews");
}

#[test]
fn the_agenda_lists_the_users_open_action_items_overdue_first_and_space_ticks_one() {
    let (mut store, funnel, _) = fixture();
    let mut tui = with_user(&mut store, &funnel, ANA);
    key(&mut tui, KeyCode::Char('A'));
    let agenda = tui.agenda().unwrap();
    let items: Vec<&str> = agenda.items.iter().map(|i| i.text.as_str()).collect();
    assert_eq!(items, ["Call the CFO", "Map the buying centre"]);
    let screen = render_text(&tui);
    assert!(
        screen.contains("Your action items (2) · Space ticks one done"),
        "{screen}"
    );
    assert!(screen.contains("! ☐ Call the CFO"), "{screen}");
    key(&mut tui, KeyCode::Char(' '));
    let items: Vec<&str> = tui
        .agenda()
        .unwrap()
        .items
        .iter()
        .map(|i| i.text.as_str())
        .collect();
    assert_eq!(items, ["Map the buying centre"]);
    assert!(render_text(&tui).contains("Action item \"Call the CFO\" ticked"));
    // Everyone's cards: no one's action items.
    key(&mut tui, KeyCode::Char('m'));
    assert!(tui.agenda().unwrap().items.is_empty());
}

#[test]
fn the_help_of_the_new_screens_lists_their_keys() {
    let (mut store, funnel, _) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    key(&mut tui, KeyCode::Char('?'));
    let board_help = render_text(&tui);
    assert!(board_help.contains("what changed since the last one-to-one"));
    assert!(board_help.contains("one-to-one with a team's lead"));
    key(&mut tui, KeyCode::Esc);
    tui.start_one_to_one(ANA).unwrap();
    key(&mut tui, KeyCode::Char('?'));
    let help = render_text(&tui);
    assert!(
        help.contains("walk the changed cards, or every open card"),
        "{help}"
    );
    assert!(help.contains("past meetings"), "{help}");
}

/// `funnel one-to-one --team` refuses a team the funnel does not have, before the board takes
/// the terminal, and says which teams there are.
#[test]
fn an_unknown_team_is_refused_with_the_teams_there_are() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("review.db");
    {
        let mut store = Store::open(&db).unwrap();
        store.set_actor("test");
        let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
        add(
            &mut store,
            &funnel,
            ("Port cranes", "Solen Harbour", 150_000),
            (LEA, "south"),
            Stage::DecisionCriteria,
            day(7, 31),
        );
    }
    let out = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("funnel"))
        .args(["--db", db.to_str().unwrap(), "--lang", "en"])
        .args(["one-to-one", "--team", "north"])
        .env("XDG_CONFIG_HOME", dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("\"north\"") && said.contains("south"),
        "{said}"
    );
}

#[test]
fn w_in_a_one_to_one_shows_every_change_and_esc_comes_back_to_the_meeting() {
    let (mut store, funnel, _) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::Fr, (120, 40));
    tui.start_one_to_one(ANA).unwrap();
    key(&mut tui, KeyCode::Char('W'));
    assert_eq!(tui.view(), View::Changes);
    let changes = tui.changes().unwrap();
    assert_eq!(changes.review, tui.one_to_one().unwrap().session.review);
    assert!(render_text(&tui).contains("depuis le 2026-02-02 (l'entretien précédent)"));
    key(&mut tui, KeyCode::Esc);
    assert_eq!(tui.view(), View::OneToOne);
}

#[test]
fn a_seller_without_changes_is_walked_card_by_card_and_told_why() {
    let (mut store, funnel, _) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    tui.start_one_to_one(LEA).unwrap();
    let o = tui.one_to_one().unwrap();
    assert!(!o.walk_changes);
    assert!(o.session.review.cards.is_empty());
    assert!(render_text(&tui).contains("No change since the previous meeting (or in 30 days)"));
    assert!(render_text(&tui).contains("Card 1/1 · Port cranes"));
    key(&mut tui, KeyCode::Char('w'));
    assert!(!tui.one_to_one().unwrap().walk_changes);
}

/// With a worker reading the review, the one-to-one opens at once: its panel says the changes
/// are being read while the figures, the clock and the walk through every card work; the
/// review arriving through the update path fills the changes and starts the walk on them. An
/// answer about another seller is left.
#[test]
fn a_review_read_in_the_background_fills_the_one_to_one_when_it_arrives() {
    use funnel::tui::action::Action;
    use funnel::tui::reviews::{self, Reading, ReviewStatus, Reviewed};
    let (mut store, funnel, _) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    tui.app.reviews = Some(ReviewStatus::default());
    tui.start_one_to_one(ANA).unwrap();
    let o = tui.one_to_one().unwrap();
    assert_eq!(o.session.reading, Reading::Wanted);
    assert!(o.session.review.cards.is_empty());
    assert!(!o.walk_changes);
    let screen = render_text(&tui);
    assert!(screen.contains("Reading the changes…"), "{screen}");
    assert!(screen.contains("Card 1/"), "{screen}");
    assert!(screen.contains("Last time (2026-02-02)"), "{screen}");
    assert!(tui.review_pending());

    let request = tui.take_review_request().unwrap();
    assert_eq!(request.scope, ReviewScope::Owner(ANA.into()));
    assert_eq!(request.since, Some(day(2, 2)));
    assert_eq!(tui.one_to_one().unwrap().session.reading, Reading::Asked);
    assert!(tui.take_review_request().is_none(), "one at a time");
    let clock = tui.app.store.clock();
    let reviewed = reviews::work(Ok(&mut *tui.app.store), clock, request.clone());

    // Another seller's review is not this meeting's.
    let other = Reviewed {
        asked: Some((ReviewScope::Owner(MARC.into()), request.since)),
        review: reviewed.review.clone(),
    };
    tui.update(Action::ReviewReady(Box::new(other)));
    assert_eq!(tui.one_to_one().unwrap().session.reading, Reading::Asked);

    tui.update(Action::ReviewReady(Box::new(reviewed)));
    let o = tui.one_to_one().unwrap();
    assert_eq!(o.session.reading, Reading::Done);
    assert!(!o.session.review.cards.is_empty());
    assert!(o.walk_changes, "the walk starts on the changes");
    assert!(!tui.review_pending());
    let screen = render_text(&tui);
    assert!(!screen.contains("Reading the changes…"), "{screen}");
    assert!(
        screen.contains(&format!("Change 1/{}", o.session.order.len())),
        "{screen}"
    );
}
