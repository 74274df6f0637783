//! The board driven as a user drives it: key presses through the same dispatch as the terminal,
//! then checks of the screen (insta snapshots of a fixed-size buffer, fixed clock) and of the
//! database.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use funnel::config::Config;
use funnel::domain::{EventKind, Lang, OpportunityFields, Stage, Status};
use funnel::store::{CardFilter, Clock, Funnel, NewOpportunity, Store};
use funnel::tui::action::Action;
use funnel::tui::keymap::{Keymap, Table};
use funnel::tui::overlays::{Overlay, Picker};
use funnel::tui::{Tui, View, render_text};

mod screen;
use screen::{key, keys, noon, tui};

/// A store with a fixed clock and one funnel.
fn store() -> (Store, Funnel) {
    let mut store = Store::open_in_memory().unwrap();
    store.set_clock(Clock::Fixed(noon(2026, 3, 2)));
    store.set_actor("test");
    let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
    (store, funnel)
}

fn add(
    store: &mut Store,
    funnel: &Funnel,
    title: &str,
    account: &str,
    value: i64,
    stage: Stage,
) -> String {
    let fields = OpportunityFields {
        title: title.into(),
        account: account.into(),
        value_cents: value * 100,
        owner: if value % 2 == 0 {
            "Ana Silva".into()
        } else {
            "Marc Dubois".into()
        },
        expected_close: NaiveDate::from_ymd_opt(2026, 9, 30),
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

/// Eight cards across the journey, some created weeks ago so days-in-stage and staleness show.
fn fixture() -> (Store, Funnel) {
    let (mut store, funnel) = store();
    store.set_clock(Clock::Fixed(noon(2026, 1, 5)));
    add(
        &mut store,
        &funnel,
        "Fleet telemetry rollout",
        "Norvik Logistics",
        48_000,
        Stage::PreFunnel,
    );
    add(
        &mut store,
        &funnel,
        "Data platform renewal",
        "Helia Foods",
        125_000,
        Stage::ProblemRecognized,
    );
    store.set_clock(Clock::Fixed(noon(2026, 2, 20)));
    add(
        &mut store,
        &funnel,
        "Support plan",
        "Brava Textiles",
        9_500,
        Stage::PreFunnel,
    );
    add(
        &mut store,
        &funnel,
        "Analytics suite",
        "Orla Health",
        87_000,
        Stage::ImpactDefined,
    );
    add(
        &mut store,
        &funnel,
        "Warehouse sensors",
        "Kestrel Ports",
        230_001,
        Stage::CommitsToInvest,
    );
    add(
        &mut store,
        &funnel,
        "Training programme",
        "Norvik Logistics",
        15_000,
        Stage::DecisionCriteria,
    );
    add(
        &mut store,
        &funnel,
        "Plant analytics",
        "Mireo Steel",
        310_000,
        Stage::EvaluatesAlternatives,
    );
    add(
        &mut store,
        &funnel,
        "Renewal 2026",
        "Helia Foods",
        64_000,
        Stage::Closing,
    );
    store.set_clock(Clock::Fixed(noon(2026, 3, 2)));
    store.set_target(&funnel, 2026, None, 1_000_000_00).unwrap();
    (store, funnel)
}

#[test]
fn empty_board_shows_the_first_run_hint() {
    let (mut store, funnel) = store();
    let tui = tui(&mut store, &funnel, Lang::En, (80, 24));
    insta::assert_snapshot!(render_text(&tui));
}

/// `funnel demo` data, generated for a fixed day with a fixed clock.
fn demo() -> (Store, Funnel) {
    let (mut store, funnel) = store();
    store.set_clock(Clock::Fixed(noon(2026, 11, 27)));
    let today = store.today();
    funnel::demo::generate(
        &mut store,
        &funnel,
        &funnel::demo::DemoOptions::new(60, today),
        None,
    )
    .unwrap();
    (store, funnel)
}

#[test]
fn demo_board_at_three_sizes() {
    let (mut store, funnel) = demo();
    for (w, h) in [(80, 24), (120, 40), (200, 60)] {
        let tui = tui(&mut store, &funnel, Lang::En, (w, h));
        insta::assert_snapshot!(format!("board_{w}x{h}"), render_text(&tui));
    }
}

#[test]
fn narrow_board_scrolls_to_follow_the_focus() {
    let (mut store, funnel) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::En, (60, 24));
    assert!(render_text(&tui).contains("6 more ›"));
    for _ in 0..5 {
        key(&mut tui, KeyCode::Char('l'));
    }
    let screen = render_text(&tui);
    assert!(screen.contains("‹ 4 · 2 more ›"), "{screen}");
    insta::assert_snapshot!(screen);
}

/// A notice answers the key before it: the next key replaces or clears it, so an old message
/// is never read as the answer to a new key.
#[test]
fn a_notice_lasts_until_the_next_key() {
    let (mut store, funnel) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    key(&mut tui, KeyCode::Char('H'));
    assert_eq!(notice(&tui), "No stage further that way");
    assert!(render_text(&tui).contains("No stage further that way"));
    key(&mut tui, KeyCode::Char('l'));
    assert_eq!(notice(&tui), "");
    assert!(!render_text(&tui).contains("No stage further that way"));
}

/// A key about the selected card says why it does nothing where there is none, or where the
/// card is already open.
#[test]
fn keys_about_a_card_say_why_they_do_nothing() {
    let (mut empty, funnel) = store();
    let mut board = tui(&mut empty, &funnel, Lang::En, (120, 40));
    for c in ['L', 'H', 'e', 'd', 'w', 'x', 'O'] {
        key(&mut board, KeyCode::Char(c));
        assert_eq!(notice(&board), "No card here: n adds one", "{c}");
        assert_eq!(board.view(), View::Board, "{c}");
    }
    key(&mut board, KeyCode::Enter);
    assert_eq!(notice(&board), "No card here: n adds one");
    assert!(board.detail().is_none());
    drop(board);

    let (mut cards, funnel) = fixture();
    let mut board = tui(&mut cards, &funnel, Lang::Fr, (120, 40));
    key(&mut board, KeyCode::Char('O'));
    let said = notice(&board);
    assert!(said.starts_with("Cette carte est déjà ouverte"), "{said}");
}

#[test]
fn too_small_terminal_says_so() {
    let (mut store, funnel) = fixture();
    let tui = tui(&mut store, &funnel, Lang::En, (30, 10));
    insta::assert_snapshot!(render_text(&tui));
}

#[test]
fn help_overlay_lists_the_key_table() {
    let (mut store, funnel) = fixture();
    // Tall enough for the board's keys in one column, each said in full.
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 54));
    key(&mut tui, KeyCode::Char('?'));
    let screen = render_text(&tui);
    for binding in Keymap::default().table(Table::Board) {
        assert!(
            screen.contains(binding.help(Lang::En)),
            "missing {}",
            binding.help(Lang::En)
        );
    }
    insta::assert_snapshot!(screen);
    key(&mut tui, KeyCode::Esc);
    assert!(!render_text(&tui).contains("Keys (Esc closes)"));
}

#[test]
fn card_detail_shows_evidence_checklist_people_and_history() {
    let (mut store, funnel) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    key(&mut tui, KeyCode::Char('l'));
    key(&mut tui, KeyCode::Enter);
    key(&mut tui, KeyCode::Char(' '));
    key(&mut tui, KeyCode::Char('a'));
    keys(&mut tui, "Since the 2024 merger");
    key(&mut tui, KeyCode::Enter);
    key(&mut tui, KeyCode::Char('p'));
    keys(&mut tui, "Léa Martin");
    key(&mut tui, KeyCode::Tab);
    keys(&mut tui, "Economic buyer");
    key(&mut tui, KeyCode::Tab);
    keys(&mut tui, "4");
    key(&mut tui, KeyCode::Tab);
    keys(&mut tui, "5");
    key(&mut tui, KeyCode::Enter);
    let screen = render_text(&tui);
    assert!(
        screen.contains("[x] How long has this problem been around?"),
        "{screen}"
    );
    assert!(screen.contains("→ Since the 2024 merger"));
    assert!(screen.contains("Léa Martin · Economic buyer"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn french_board() {
    let (mut store, funnel) = fixture();
    let tui = tui(&mut store, &funnel, Lang::Fr, (120, 40));
    let screen = render_text(&tui);
    assert!(screen.contains("Pré-entonnoir"));
    assert!(screen.contains("Objectif"));
    insta::assert_snapshot!(screen);
}

fn open_cards(store: &Store, funnel: &Funnel) -> Vec<(String, Stage, Status)> {
    let mut all: Vec<_> = store
        .opportunities(
            funnel,
            &CardFilter {
                closed_too: true,
                ..Default::default()
            },
        )
        .unwrap()
        .into_iter()
        .map(|o| (o.fields.title, o.stage, o.status))
        .collect();
    all.sort();
    all
}

#[test]
fn moving_without_evidence_asks_and_cancel_changes_nothing() {
    let (mut store, funnel) = fixture();
    let before = open_cards(&store, &funnel);
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    key(&mut tui, KeyCode::Char('L'));
    assert!(render_text(&tui).contains("f move anyway"));
    key(&mut tui, KeyCode::Esc);
    drop(tui);
    assert_eq!(open_cards(&store, &funnel), before);
}

#[test]
fn forced_move_is_recorded_as_unverified() {
    let (mut store, funnel) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    key(&mut tui, KeyCode::Char('L'));
    key(&mut tui, KeyCode::Char('f'));
    let id = tui.board.selected_card().unwrap().opportunity.id.clone();
    assert_eq!(
        tui.board.focus,
        Stage::ProblemRecognized.index(),
        "selection follows the card"
    );
    assert!(render_text(&tui).contains("Moved to Problem recognized (unverified) (u: undo)"));
    drop(tui);
    let opp = store.opportunity(&id).unwrap();
    assert_eq!(opp.fields.title, "Fleet telemetry rollout");
    assert_eq!(opp.stage, Stage::ProblemRecognized);
    let last = store.history(&id).unwrap().pop().unwrap();
    assert_eq!(
        (last.kind, last.evidence_confirmed),
        (EventKind::Moved, false)
    );
}

#[test]
fn confirming_evidence_then_moving_is_verified_and_undo_redo_restore_exactly() {
    let (mut store, funnel) = fixture();
    let before = open_cards(&store, &funnel);
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    let id = tui.board.selected_card().unwrap().opportunity.id.clone();
    let history_before = tui.app.store.history(&id).unwrap();
    key(&mut tui, KeyCode::Char('L'));
    key(&mut tui, KeyCode::Char('c'));
    keys(&mut tui, "Ops director named the problem");
    key(&mut tui, KeyCode::Enter);
    let moved = tui.app.store.opportunity(&id).unwrap();
    assert_eq!(moved.stage, Stage::ProblemRecognized);
    let evidence = tui.app.store.evidence(&id).unwrap();
    assert_eq!(evidence[0].note, "Ops director named the problem");
    assert!(
        tui.app
            .store
            .history(&id)
            .unwrap()
            .last()
            .unwrap()
            .evidence_confirmed
    );

    key(&mut tui, KeyCode::Char('u'));
    let undone = tui.app.store.opportunity(&id).unwrap();
    assert_eq!(
        (undone.stage, undone.stage_since),
        (Stage::PreFunnel, moved_from_since(&history_before))
    );
    assert_eq!(tui.app.store.history(&id).unwrap(), history_before);
    assert!(tui.app.store.evidence(&id).unwrap().is_empty());

    tui.handle_key(&KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
    let redone = tui.app.store.opportunity(&id).unwrap();
    assert_eq!(redone.stage, Stage::ProblemRecognized);
    assert_eq!(
        tui.app.store.history(&id).unwrap().len(),
        history_before.len() + 1
    );
    assert_eq!(tui.app.store.evidence(&id).unwrap().len(), 1);
    key(&mut tui, KeyCode::Char('u'));
    drop(tui);
    assert_eq!(open_cards(&store, &funnel), before);
}

fn notice(tui: &Tui) -> String {
    tui.app
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default()
}

fn ctrl_r(tui: &mut Tui) {
    tui.handle_key(&KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
}

/// Answers and evidence given in the detail are not recorded for undo: `u` after them used to
/// undo the move made before them (a card back in a stage, with the later stage's answers and
/// evidence left behind). Now they end what can be undone, and `u` says so.
#[test]
fn undo_after_answering_in_the_detail_leaves_the_earlier_move_and_says_why() {
    let (mut store, funnel) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    let id = tui.board.selected_card().unwrap().opportunity.id.clone();
    key(&mut tui, KeyCode::Char('L'));
    key(&mut tui, KeyCode::Char('c'));
    keys(&mut tui, "Ops director named the problem");
    key(&mut tui, KeyCode::Enter);
    assert_eq!(
        tui.app.store.opportunity(&id).unwrap().stage,
        Stage::ProblemRecognized
    );

    key(&mut tui, KeyCode::Enter);
    key(&mut tui, KeyCode::Char(' '));
    key(&mut tui, KeyCode::Char('a'));
    keys(&mut tui, "Since the merger");
    key(&mut tui, KeyCode::Enter);
    key(&mut tui, KeyCode::Char('v'));
    keys(&mut tui, "Cost put on it");
    key(&mut tui, KeyCode::Enter);
    key(&mut tui, KeyCode::Esc);
    key(&mut tui, KeyCode::Char('u'));
    assert_eq!(
        notice(&tui),
        "Nothing to undo: confirming evidence in the card detail cannot be undone"
    );
    ctrl_r(&mut tui);
    assert_eq!(
        notice(&tui),
        "Nothing to redo: confirming evidence in the card detail cannot be undone"
    );
    drop(tui);
    assert_eq!(
        store.opportunity(&id).unwrap().stage,
        Stage::ProblemRecognized
    );
    let answers = store.answers(&id).unwrap();
    assert_eq!(answers.len(), 1);
    assert_eq!(
        (
            answers[0].stage,
            answers[0].asked,
            answers[0].answer.as_str()
        ),
        (Stage::ProblemRecognized, true, "Since the merger")
    );
    let evidence: Vec<Stage> = store
        .evidence(&id)
        .unwrap()
        .iter()
        .map(|e| e.stage)
        .collect();
    assert_eq!(evidence, [Stage::PreFunnel, Stage::ProblemRecognized]);
}

/// Setting the target used to let `u` undo the card marked won before it.
#[test]
fn undo_after_setting_the_target_leaves_the_earlier_won_mark_and_says_why() {
    let (mut store, funnel) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    let won = tui.board.selected_card().unwrap().opportunity.id.clone();
    key(&mut tui, KeyCode::Char('w'));
    key(&mut tui, KeyCode::Enter);
    key(&mut tui, KeyCode::Char('t'));
    for _ in 0..20 {
        key(&mut tui, KeyCode::Backspace);
    }
    keys(&mut tui, "0");
    key(&mut tui, KeyCode::Enter);
    assert_eq!(tui.app.summary.target_cents, Some(0));
    key(&mut tui, KeyCode::Char('u'));
    assert_eq!(
        notice(&tui),
        "Nothing to undo: setting a target cannot be undone"
    );
    assert_eq!(tui.app.store.opportunity(&won).unwrap().status, Status::Won);
    assert_eq!(tui.app.summary.target_cents, Some(0));

    // A change after the barrier is undone as usual; the one before it still is not.
    let moved = tui.board.selected_card().unwrap().opportunity.id.clone();
    key(&mut tui, KeyCode::Char('L'));
    key(&mut tui, KeyCode::Char('f'));
    key(&mut tui, KeyCode::Char('u'));
    assert!(
        notice(&tui).starts_with("Undone: Moved to"),
        "{}",
        notice(&tui)
    );
    assert_eq!(
        tui.app.store.opportunity(&moved).unwrap().stage,
        Stage::PreFunnel
    );
    key(&mut tui, KeyCode::Char('u'));
    assert_eq!(
        notice(&tui),
        "Nothing to undo: setting a target cannot be undone"
    );
    drop(tui);
    assert_eq!(store.opportunity(&won).unwrap().status, Status::Won);
}

#[test]
fn undo_barrier_speaks_french() {
    let (mut store, funnel) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::Fr, (120, 40));
    key(&mut tui, KeyCode::Enter);
    key(&mut tui, KeyCode::Char('p'));
    keys(&mut tui, "Léa Martin");
    key(&mut tui, KeyCode::Enter);
    key(&mut tui, KeyCode::Char('u'));
    assert_eq!(
        notice(&tui),
        "Rien à annuler : une modification du centre d'achat ne s'annule pas"
    );
}

/// A change made elsewhere (another window, the CLI) refuses the undo: the board says so in its
/// own language, and `Annulé` takes the French space before its colon.
#[test]
fn undo_after_a_change_elsewhere_says_so_in_french() {
    let (mut store, funnel) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::Fr, (120, 40));
    key(&mut tui, KeyCode::Char('L'));
    key(&mut tui, KeyCode::Char('f'));
    key(&mut tui, KeyCode::Char('u'));
    assert!(
        notice(&tui).starts_with("Annulé : Déplacée vers"),
        "{}",
        notice(&tui)
    );
    key(&mut tui, KeyCode::Char('L'));
    key(&mut tui, KeyCode::Char('f'));
    let id = tui.board.selected_card().unwrap().opportunity.id.clone();
    tui.app
        .store
        .mark_won(&id, None, noon(2026, 3, 2).date())
        .unwrap();
    key(&mut tui, KeyCode::Char('u'));
    assert_eq!(
        notice(&tui),
        "cette carte a été modifiée ailleurs (autre fenêtre ou commande) ; rechargée, réessayez"
    );
    assert!(tui.app.notice.as_ref().unwrap().error);
    assert_eq!(tui.app.store.opportunity(&id).unwrap().status, Status::Won);
}

/// `u` and Ctrl-r in the card detail work as on the board, and the detail follows.
#[test]
fn undo_and_redo_work_in_the_card_detail() {
    let (mut store, funnel) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    let id = tui.board.selected_card().unwrap().opportunity.id.clone();
    key(&mut tui, KeyCode::Enter);
    key(&mut tui, KeyCode::Char('L'));
    key(&mut tui, KeyCode::Char('f'));
    assert_eq!(
        tui.detail().unwrap().opportunity.stage,
        Stage::ProblemRecognized
    );
    key(&mut tui, KeyCode::Char('u'));
    assert_eq!(
        notice(&tui),
        "Undone: Moved to Problem recognized (unverified)"
    );
    assert_eq!(tui.view(), View::Detail);
    assert_eq!(tui.detail().unwrap().opportunity.stage, Stage::PreFunnel);
    assert_eq!(
        tui.app.store.opportunity(&id).unwrap().stage,
        Stage::PreFunnel
    );
    ctrl_r(&mut tui);
    assert_eq!(
        notice(&tui),
        "Redone: Moved to Problem recognized (unverified)"
    );
    assert_eq!(
        tui.detail().unwrap().opportunity.stage,
        Stage::ProblemRecognized
    );

    // Marking a question asked ends what can be undone, in the detail too.
    key(&mut tui, KeyCode::Char(' '));
    key(&mut tui, KeyCode::Char('u'));
    assert_eq!(
        notice(&tui),
        "Nothing to undo: marking a question asked or not cannot be undone"
    );
    assert_eq!(
        tui.app.store.opportunity(&id).unwrap().stage,
        Stage::ProblemRecognized
    );
}

fn moved_from_since(history: &[funnel::domain::StageEvent]) -> NaiveDate {
    history.last().unwrap().at.date()
}

#[test]
fn won_and_lost_leave_the_board_and_update_the_footer() {
    let (mut store, funnel) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    // Closing column: "Renewal 2026", 64,000; then "Plant analytics" is lost.
    for _ in 0..7 {
        key(&mut tui, KeyCode::Char('l'));
    }
    key(&mut tui, KeyCode::Char('w'));
    key(&mut tui, KeyCode::Enter);
    assert_eq!(tui.app.summary.sales_to_date_cents, 64_000_00);
    assert_eq!(tui.app.summary.gap_cents, Some(936_000_00));
    assert_eq!(tui.board.columns[Stage::Closing.index()].count, 0);
    key(&mut tui, KeyCode::Char('h'));
    key(&mut tui, KeyCode::Char('h'));
    key(&mut tui, KeyCode::Char('x'));
    key(&mut tui, KeyCode::Enter);
    assert!(render_text(&tui).contains("A lost card needs a reason"));
    keys(&mut tui, "Chose a competitor");
    key(&mut tui, KeyCode::Enter);
    assert_eq!(
        tui.board.columns[Stage::EvaluatesAlternatives.index()].count,
        0
    );
    assert_eq!(tui.app.summary.lost_count, 1);
    // Closed cards come back with the toggle, marked.
    key(&mut tui, KeyCode::Char('c'));
    assert!(render_text(&tui).contains("LOST"));
    drop(tui);
    let lost = store
        .opportunities(
            &funnel,
            &CardFilter {
                status: Some(Status::Lost),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(lost[0].lost_reason, "Chose a competitor");
}

#[test]
fn filter_narrows_every_column_and_escape_clears_it() {
    let (mut store, funnel) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    key(&mut tui, KeyCode::Char('/'));
    keys(&mut tui, "norvik");
    let counts: Vec<i64> = tui.board.columns.iter().map(|c| c.count).collect();
    assert_eq!(counts, [1, 0, 0, 0, 1, 0, 0, 0]);
    key(&mut tui, KeyCode::Enter);
    key(&mut tui, KeyCode::Esc);
    assert_eq!(tui.board.columns.iter().map(|c| c.count).sum::<i64>(), 8);
}

#[test]
fn new_card_form_validates_before_saving() {
    let (mut store, funnel) = store();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    key(&mut tui, KeyCode::Char('n'));
    keys(&mut tui, "Pilot");
    key(&mut tui, KeyCode::Tab);
    key(&mut tui, KeyCode::Tab);
    keys(&mut tui, "12k");
    key(&mut tui, KeyCode::Enter);
    let screen = render_text(&tui);
    assert!(screen.contains("✗ not a number"), "{screen}");
    assert_eq!(
        tui.board.columns[0].count, 0,
        "nothing saved while a field is bad"
    );
    for _ in 0..3 {
        key(&mut tui, KeyCode::Backspace);
    }
    keys(&mut tui, "12 000");
    key(&mut tui, KeyCode::Enter);
    assert_eq!(tui.board.columns[0].count, 1);
    assert_eq!(tui.app.summary.open_count, 1);
}

/// Amount errors in the card form and the target prompt are in French on a French board.
#[test]
fn bad_amounts_are_explained_in_french() {
    let (mut store, funnel) = store();
    let mut tui = tui(&mut store, &funnel, Lang::Fr, (120, 40));
    key(&mut tui, KeyCode::Char('n'));
    keys(&mut tui, "Pilote");
    key(&mut tui, KeyCode::Tab);
    key(&mut tui, KeyCode::Tab);
    keys(&mut tui, "1.234,50");
    key(&mut tui, KeyCode::Enter);
    let screen = render_text(&tui);
    assert!(
        screen.contains("✗ montant ambigu « 1.234,50 » : écrivez 1234,50"),
        "{screen}"
    );
    assert_eq!(tui.board.columns[0].count, 0);
    key(&mut tui, KeyCode::Esc);

    key(&mut tui, KeyCode::Char('t'));
    keys(&mut tui, "-5");
    key(&mut tui, KeyCode::Enter);
    assert_eq!(notice(&tui), "montant négatif refusé");
    for _ in 0..2 {
        key(&mut tui, KeyCode::Backspace);
    }
    keys(&mut tui, "abc");
    key(&mut tui, KeyCode::Enter);
    assert_eq!(notice(&tui), "pas un nombre : « abc »");
    assert_eq!(tui.app.summary.target_cents, None);
}

/// French counts agree with their number: `1 ouverte · 0 viable`, not `1 ouvertes · 0 viables`.
#[test]
fn french_footer_counts_agree() {
    let (mut store, funnel) = store();
    add(
        &mut store,
        &funnel,
        "Pilote",
        "Helia Foods",
        1000,
        Stage::PreFunnel,
    );
    let fr = tui(&mut store, &funnel, Lang::Fr, (120, 40));
    let screen = render_text(&fr);
    assert!(
        screen.contains("│ 1 ouverte · 0 viable en 2026"),
        "{screen}"
    );
    drop(fr);
    add(
        &mut store,
        &funnel,
        "Essai",
        "Orla Health",
        2000,
        Stage::Closing,
    );
    let fr = tui(&mut store, &funnel, Lang::Fr, (120, 40));
    assert!(render_text(&fr).contains("│ 2 ouvertes · 1 viable en 2026"));
    drop(fr);
    let en = tui(&mut store, &funnel, Lang::En, (120, 40));
    assert!(render_text(&en).contains("│ 2 open · 1 viable in 2026"));
}

/// Short labels in the French footer are French: `Requis`, not the English `Req.`.
#[test]
fn french_footer_short_labels() {
    let (mut store, funnel) = demo();
    let fr = tui(&mut store, &funnel, Lang::Fr, (120, 40));
    let screen = render_text(&fr);
    let footer = screen.lines().find(|l| l.contains("RTV")).unwrap();
    assert!(footer.contains("│ Requis 1,64"), "{footer}");
    assert!(funnel::domain::text::width(footer) <= 120, "{footer}");
}

#[test]
fn escape_sequences_in_titles_never_reach_the_screen() {
    let (mut store, funnel) = store();
    add(
        &mut store,
        &funnel,
        "\x1b[31mRed\x1b[0m \x1b]52;c;SGk=\x07deal\x1bc",
        "\u{202E}Evil\tCorp",
        1000,
        Stage::PreFunnel,
    );
    add(
        &mut store,
        &funnel,
        "漢字テスト漢字テスト漢字テスト",
        "👍🏽 Emoji Ltd",
        999,
        Stage::PreFunnel,
    );
    let tui = tui(&mut store, &funnel, Lang::En, (80, 24));
    let screen = render_text(&tui);
    assert!(
        !screen.contains('\x1b') && !screen.contains("[31m") && !screen.contains("52;"),
        "{screen}"
    );
    assert!(screen.contains("Red deal"));
    assert!(screen.contains("Evil Corp"));
    // Wide characters keep the column borders aligned.
    let line = screen.lines().find(|l| l.contains("漢字")).unwrap();
    assert_eq!(funnel::domain::text::width(line), 80, "{line}");
}

#[test]
fn target_is_set_from_the_board() {
    let (mut store, funnel) = store();
    let mut tui = tui(&mut store, &funnel, Lang::En, (100, 30));
    assert!(render_text(&tui).contains("no target — t sets it"));
    key(&mut tui, KeyCode::Char('t'));
    keys(&mut tui, "250 000");
    key(&mut tui, KeyCode::Enter);
    assert_eq!(tui.app.summary.target_cents, Some(250_000_00));
    assert!(render_text(&tui).contains("Target €250k"));
}

#[test]
fn help_fits_a_small_terminal_in_two_columns() {
    let (mut store, funnel) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::Fr, (80, 24));
    key(&mut tui, KeyCode::Char('?'));
    let screen = render_text(&tui);
    assert!(
        screen.contains("quitter") && screen.contains("étape précédente"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn dashboard_on_demo_data_in_english() {
    let (mut store, funnel) = demo();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    key(&mut tui, KeyCode::Char('D'));
    assert_eq!(tui.view(), View::Dashboard);
    let screen = render_text(&tui);
    assert!(screen.contains("Win rate by owner"), "{screen}");
    assert!(screen.contains("Stale cards"), "{screen}");
    insta::assert_snapshot!(screen);
    key(&mut tui, KeyCode::Esc);
    assert_eq!(tui.view(), View::Board);
    assert!(tui.dashboard().is_none());
}

#[test]
fn dashboard_in_french_at_80x24() {
    let (mut store, funnel) = demo();
    let mut tui = tui(&mut store, &funnel, Lang::Fr, (80, 24));
    key(&mut tui, KeyCode::Char('D'));
    let screen = render_text(&tui);
    assert!(screen.contains("Taux de réussite par vendeur"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn dashboard_at_200x60_and_on_an_empty_database() {
    let (mut store, funnel) = demo();
    let mut big = tui(&mut store, &funnel, Lang::En, (200, 60));
    key(&mut big, KeyCode::Char('D'));
    assert!(render_text(&big).contains("Stage funnel"));
    drop(big);
    let (mut store, funnel) = self::store();
    for size in [(80, 24), (120, 40), (40, 12), (200, 60)] {
        let mut empty = tui(&mut store, &funnel, Lang::En, size);
        key(&mut empty, KeyCode::Char('D'));
        let screen = render_text(&empty);
        if size.0 >= 80 {
            assert!(screen.contains("No stale card"), "{screen}");
        }
        for k in "jkg?".chars() {
            key(&mut empty, KeyCode::Char(k));
        }
        key(&mut empty, KeyCode::Esc);
        key(&mut empty, KeyCode::Enter);
        render_text(&empty);
    }
}

#[test]
fn dashboard_grouping_key_cycles_owner_team_region_territory() {
    use funnel::domain::insight::GroupBy;
    let (mut store, funnel) = demo();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    key(&mut tui, KeyCode::Char('D'));
    let by = |tui: &Tui| tui.dashboard().unwrap().group_by;
    assert_eq!(by(&tui), GroupBy::Owner);
    let owners = tui.dashboard().unwrap().groups.clone();
    for (expected, title) in [
        (GroupBy::Team, "Win rate by team"),
        (GroupBy::Region, "Win rate by region"),
        (GroupBy::Territory, "Win rate by territory"),
        (GroupBy::Owner, "Win rate by owner"),
    ] {
        key(&mut tui, KeyCode::Char('g'));
        assert_eq!(by(&tui), expected);
        assert!(render_text(&tui).contains(title));
    }
    assert_eq!(tui.dashboard().unwrap().groups, owners);
    key(&mut tui, KeyCode::Tab);
    assert_eq!(by(&tui), GroupBy::Team);
}

#[test]
fn enter_on_a_stale_card_focuses_it_on_the_board() {
    let (mut store, funnel) = demo();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    key(&mut tui, KeyCode::Char('D'));
    let stale = tui.dashboard().unwrap().stale.clone();
    assert!(stale.len() > 3);
    key(&mut tui, KeyCode::Char('j'));
    key(&mut tui, KeyCode::Char('j'));
    key(&mut tui, KeyCode::Char('j'));
    key(&mut tui, KeyCode::Char('k'));
    assert_eq!(tui.dashboard().unwrap().selected, 2);
    let wanted = stale[2].clone();
    key(&mut tui, KeyCode::Enter);
    assert_eq!(tui.view(), View::Board);
    assert!(tui.dashboard().is_none());
    assert_eq!(tui.board.focus, wanted.stage.index());
    let selected = tui.board.selected_card().expect("a card is selected");
    assert_eq!(selected.opportunity.id, wanted.id);
    assert!(render_text(&tui).contains("Stale card"));
}

#[test]
fn dashboard_trend_draws_sparklines_from_the_daily_snapshots() {
    use funnel::domain::insight::Snapshot;
    let (mut store, funnel) = demo();
    let today = store.today();
    for back in 1..=20u64 {
        let day = today.checked_sub_days(chrono::Days::new(back)).unwrap();
        let step = i128::from(20 - back as i32);
        store
            .save_snapshot(
                &funnel,
                2026,
                &Snapshot {
                    day,
                    rtv_cents: 80_000_000 + step * 2_000_000,
                    sales_to_date_cents: 30_000_000,
                    target_cents: Some(95_000_000),
                    gap_cents: Some(65_000_000),
                    factor: Some(1.2 + step as f64 * 0.05),
                    probability: Some(0.8),
                },
            )
            .unwrap();
    }
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    key(&mut tui, KeyCode::Char('D'));
    // The demo replays its last 90 days; the 20 written here replace some of them.
    assert!(tui.dashboard().unwrap().snapshots.len() >= 21);
    let screen = render_text(&tui);
    assert!(!screen.contains("too few"), "{screen}");
    assert!(screen.contains("Factor 2.06"), "{screen}");
    assert!(screen.contains('▁') && screen.contains('█'), "{screen}");
}
#[test]
fn dashboard_help_lists_its_own_keys_and_closes_back_to_it() {
    let (mut store, funnel) = demo();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    key(&mut tui, KeyCode::Char('D'));
    key(&mut tui, KeyCode::Char('?'));
    let screen = render_text(&tui);
    for binding in Keymap::default().table(Table::Dashboard) {
        assert!(screen.contains(binding.help(Lang::En)), "{screen}");
    }
    assert!(screen.contains("required factor"), "{screen}");
    key(&mut tui, KeyCode::Esc);
    assert_eq!(tui.view(), View::Dashboard);
    assert!(render_text(&tui).contains("Stale cards"));
}

mod one_to_one {
    use super::*;
    use funnel::domain::insight::GroupBy;
    use funnel::insight;

    const SELLER: &str = "Ana Silva";

    fn press(tui: &mut Tui, code: KeyCode) {
        key(tui, code);
    }

    fn type_text(tui: &mut Tui, text: &str) {
        for c in text.chars() {
            press(tui, KeyCode::Char(c));
        }
    }

    /// Text typed in a prompt replaces its prefill.
    fn clear(tui: &mut Tui) {
        for _ in 0..60 {
            press(tui, KeyCode::Backspace);
        }
    }

    #[test]
    fn one_to_one_screen_from_the_board() {
        let (mut store, funnel) = demo();
        let start = noon(2026, 11, 27);
        {
            let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
            press(&mut tui, KeyCode::Char('M'));
            let owners = match tui.overlays.last() {
                Some(Overlay::Picker(picker)) => picker.owners.clone(),
                other => panic!("{other:?}"),
            };
            let down = owners.iter().position(|o| o == SELLER).unwrap();
            for _ in 0..down {
                press(&mut tui, KeyCode::Down);
            }
            press(&mut tui, KeyCode::Enter);
            assert_eq!(tui.app.filter.owner.as_deref(), Some(SELLER));
            press(&mut tui, KeyCode::Tab);
            press(&mut tui, KeyCode::Char('c'));
            type_text(&mut tui, "Ask who signs");
            press(&mut tui, KeyCode::Enter);
            press(&mut tui, KeyCode::Char('m'));
            type_text(&mut tui, "Strong quarter, thin early stages");
            press(&mut tui, KeyCode::Enter);
            press(&mut tui, KeyCode::Char('a'));
            type_text(&mut tui, "Book two discovery calls");
            press(&mut tui, KeyCode::Enter);
            press(&mut tui, KeyCode::Enter);
            clear(&mut tui);
            type_text(&mut tui, "2026-12-04");
            press(&mut tui, KeyCode::Enter);
            press(&mut tui, KeyCode::Char('s'));
            press(&mut tui, KeyCode::Enter);
            tui.app
                .store
                .set_clock(Clock::Fixed(start + chrono::Duration::minutes(12)));
            insta::assert_snapshot!("one_to_one_120x40", render_text(&tui));
            // Marked at the hour.
            tui.app
                .store
                .set_clock(Clock::Fixed(start + chrono::Duration::minutes(61)));
            assert!(render_text(&tui).contains("⚑ 61:00 — past the hour"));
            press(&mut tui, KeyCode::Esc);
            assert_eq!(tui.app.filter.owner, None);
            assert!(tui.one_to_one().is_none());
        }
        let meetings = store.meetings(&funnel, SELLER).unwrap();
        assert_eq!(meetings.len(), 1);
        let m = store.meeting(&meetings[0].id).unwrap();
        assert_eq!(m.notes, "Strong quarter, thin early stages");
        assert!(!m.skill.is_empty());
        assert_eq!(m.card_notes.len(), 1);
        assert_eq!(m.items[0].owner, SELLER);
        assert_eq!(m.items[0].due, NaiveDate::from_ymd_opt(2026, 12, 4));
    }

    #[test]
    fn the_card_walk_goes_through_the_sellers_open_cards_in_board_order_and_round() {
        let (mut store, funnel) = demo();
        let filter = CardFilter {
            owner: Some(SELLER.into()),
            ..Default::default()
        };
        let mut order: Vec<_> = (store.opportunities(&funnel, &filter).unwrap().into_iter())
            .filter(|o| o.status == Status::Open)
            .map(|o| (o.stage, std::cmp::Reverse(o.fields.value_cents), o.id))
            .collect();
        order.sort();
        let order: Vec<String> = order.into_iter().map(|(.., id)| id).collect();
        let (first, last) = (order[0].clone(), order[order.len() - 1].clone());
        let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
        tui.start_one_to_one(SELLER).unwrap();
        // The walk starts on the changes since the previous meeting: `w` walks every card.
        assert!(tui.one_to_one().unwrap().walk_changes);
        press(&mut tui, KeyCode::Char('w'));
        let walked = |tui: &Tui| {
            let o = tui.one_to_one().unwrap();
            (
                o.walk.unwrap(),
                o.walked.as_ref().unwrap().opportunity.id.clone(),
            )
        };
        assert_eq!(tui.one_to_one().unwrap().cards, order.len());
        let mut seen = vec![walked(&tui)];
        for _ in 1..order.len() {
            press(&mut tui, KeyCode::Tab);
            seen.push(walked(&tui));
        }
        let expected: Vec<_> = order.iter().cloned().enumerate().collect();
        assert_eq!(seen, expected);
        press(&mut tui, KeyCode::Tab);
        assert_eq!(walked(&tui), (0, first), "round to the first card");
        press(&mut tui, KeyCode::BackTab);
        assert_eq!(
            walked(&tui),
            (order.len() - 1, last),
            "back round to the last"
        );
        // A card won meanwhile leaves the walk; the next step goes on from where it was.
        let before = order[order.len() - 2].clone();
        press(&mut tui, KeyCode::BackTab);
        assert_eq!(walked(&tui).1, before);
        let today = tui.app.store.today();
        tui.app.store.mark_won(&before, None, today).unwrap();
        press(&mut tui, KeyCode::BackTab);
        assert_eq!(walked(&tui).1, order[order.len() - 3]);
        assert_eq!(tui.one_to_one().unwrap().cards, order.len() - 1);
    }

    #[test]
    fn french_one_to_one_screen() {
        let (mut store, funnel) = demo();
        let mut tui = tui(&mut store, &funnel, Lang::Fr, (120, 40));
        tui.start_one_to_one(SELLER).unwrap();
        let screen = render_text(&tui);
        assert!(screen.contains("Entretien · Ana Silva"), "{screen}");
        assert!(screen.contains("plus faible"), "{screen}");
    }

    #[test]
    fn panel_figures_equal_the_report_by_owner() {
        let (mut store, funnel) = demo();
        let period = funnel::domain::Period::containing(store.today(), funnel.fiscal_start);
        let groups = insight::groups(&store, &funnel, period, GroupBy::Owner).unwrap();
        let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
        for row in &groups {
            tui.start_one_to_one(&row.name).unwrap();
            let s = &tui.app.summary;
            assert_eq!(s.rtv_cents, row.rtv_cents, "{}", row.name);
            assert_eq!(s.sales_to_date_cents, row.won_cents, "{}", row.name);
            assert_eq!(s.target_cents, row.target_cents, "{}", row.name);
            assert_eq!(s.gap_cents, row.gap_cents, "{}", row.name);
            assert_eq!(s.win_rate, row.win_rate, "{}", row.name);
            // Factor, probability and conversion: the owner's insight, as `report` computes it.
            let expected = insight::compute(
                tui.app.store,
                &tui.app.funnel,
                s.clone(),
                Some(&row.name),
                tui.app.default_factor,
            )
            .unwrap();
            assert_eq!(tui.app.insight.as_ref(), Some(&expected), "{}", row.name);
            press(&mut tui, KeyCode::Esc);
        }
    }

    #[test]
    fn the_panel_scrolls_to_the_selected_action_item_at_80x24() {
        let (mut store, funnel) = demo();
        let items = ["Call the CFO", "Update the forecast", "Book a demo"];
        {
            let mut tui = tui(&mut store, &funnel, Lang::En, (80, 24));
            tui.start_one_to_one(SELLER).unwrap();
            for text in items {
                press(&mut tui, KeyCode::Char('a'));
                type_text(&mut tui, text);
                press(&mut tui, KeyCode::Enter);
                press(&mut tui, KeyCode::Enter);
                clear(&mut tui);
                press(&mut tui, KeyCode::Enter);
                let screen = render_text(&tui);
                assert!(screen.contains(&format!(" {text} — Ana Silva")), "{screen}");
            }
            press(&mut tui, KeyCode::Esc);
        }
        store.set_clock(Clock::Fixed(noon(2026, 12, 11)));
        let mut tui = tui(&mut store, &funnel, Lang::En, (80, 24));
        tui.start_one_to_one(SELLER).unwrap();
        for (n, text) in items.iter().enumerate() {
            if n > 0 {
                press(&mut tui, KeyCode::Char('i'));
            }
            assert_eq!(tui.one_to_one().unwrap().session.item, n);
            let screen = render_text(&tui);
            assert!(
                screen.contains(&format!("↻☐ {text} — Ana Silva")),
                "carried item {n}, selected, is drawn:\n{screen}"
            );
            assert!(screen.contains("Note: —"), "{screen}");
            assert!(
                screen.contains("Change 1/"),
                "the walk on the changes: {screen}"
            );
            assert!(
                screen.contains("↑ "),
                "the figures above are counted:\n{screen}"
            );
        }
    }

    #[test]
    fn open_items_carry_to_the_next_one_to_one() {
        let (mut store, funnel) = demo();
        {
            let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
            tui.start_one_to_one(SELLER).unwrap();
            for text in ["Call the CFO", "Update the forecast"] {
                press(&mut tui, KeyCode::Char('a'));
                type_text(&mut tui, text);
                press(&mut tui, KeyCode::Enter);
                press(&mut tui, KeyCode::Enter);
                clear(&mut tui);
                press(&mut tui, KeyCode::Enter);
            }
            // The second one is done.
            press(&mut tui, KeyCode::Char('i'));
            press(&mut tui, KeyCode::Char(' '));
            press(&mut tui, KeyCode::Esc);
        }
        store.set_clock(Clock::Fixed(noon(2026, 12, 11)));
        let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
        tui.start_one_to_one(SELLER).unwrap();
        let o = tui.one_to_one().unwrap();
        let carried: Vec<_> = o
            .session
            .meeting
            .carried
            .iter()
            .map(|i| i.text.as_str())
            .collect();
        assert_eq!(carried, ["Call the CFO"]);
        assert!(render_text(&tui).contains("↻☐ Call the CFO — Ana Silva"));
    }
}

/// In the interactive board the slower figures come from a worker: a move redraws at once with
/// the previous probability marked "…", and the worker's figures are those computed in place.
#[test]
fn slower_figures_arrive_from_the_worker_without_holding_a_key() {
    use funnel::tui::worker;
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("board.db")).unwrap();
    store.set_clock(Clock::Fixed(noon(2026, 11, 27)));
    store.set_actor("test");
    let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
    let options = funnel::demo::DemoOptions::new(60, store.today());
    funnel::demo::generate(&mut store, &funnel, &options, None).unwrap();
    let worker = worker::start_figures(&store).expect("a file store gets a worker");
    let config = Config::default();
    let mut tui =
        Tui::with_figures(&mut store, funnel, Lang::En, &config, (160, 40), true).unwrap();
    tui.app.color = false;
    assert!(tui.app.insight.is_none() && tui.app.figures_pending());

    let wait = |tui: &mut Tui| {
        worker.pump(tui);
        assert!(worker.wait(tui, Duration::from_secs(30)), "no figures came");
        assert!(!tui.app.figures_pending() && !tui.app.figures_outdated());
    };
    let computed_in_place = |tui: &Tui| {
        funnel::insight::compute(
            tui.app.store,
            &tui.app.funnel,
            tui.app.summary.clone(),
            None,
            tui.app.default_factor,
        )
        .unwrap()
    };
    wait(&mut tui);
    assert_eq!(tui.app.insight, Some(computed_in_place(&tui)));
    assert!(render_text(&tui).contains("Probability 9"));

    // A new target: the GAP changes now, the probability of reaching it a little later.
    key(&mut tui, KeyCode::Char('t'));
    for _ in 0.."950000.00".len() {
        key(&mut tui, KeyCode::Backspace);
    }
    keys(&mut tui, "2000000");
    key(&mut tui, KeyCode::Enter);
    assert!(tui.app.figures_pending() && tui.app.figures_outdated());
    let screen = render_text(&tui);
    assert!(screen.contains('…'), "{screen}");
    wait(&mut tui);
    assert_eq!(tui.app.insight, Some(computed_in_place(&tui)));
    assert!(!render_text(&tui).contains("%…"));

    // The worker has also copied the board's commits into the file (read here with the WAL
    // ignored): the board's thread leaves that to it.
    let uri = format!("file:{}?immutable=1", dir.path().join("board.db").display());
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI;
    let file = rusqlite::Connection::open_with_flags(uri, flags).unwrap();
    let target: i64 = file
        .query_row(
            "SELECT amount_cents FROM targets WHERE deleted_at IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(target, 2_000_000_00);
}

/// The first line scrolled past the screen reads a few cards on; the keys after it scroll
/// through them without reading. A page scrolled past reads two pages at once, and going back
/// up finds a page kept behind the screen.
#[test]
fn scrolling_reads_a_few_cards_a_line_and_two_pages_a_page() {
    let (mut store, funnel) = store();
    for n in 0..60 {
        add(
            &mut store,
            &funnel,
            &format!("Card {n}"),
            "Acme",
            1_000 + n,
            Stage::PreFunnel,
        );
    }
    let mut tui = tui(&mut store, &funnel, Lang::En, (80, 60));
    let page = tui.board.page_size();
    let step = funnel::tui::screens::board::LINE_AHEAD;
    assert!(page > step, "a page scrolls past more than a few cards");
    // The cards read, as a range of the column.
    let loaded = |tui: &Tui| {
        let column = &tui.board.columns[0];
        (column.first, column.first + column.loaded.len())
    };
    assert_eq!(loaded(&tui), (0, page), "a refresh reads the screen alone");
    for _ in 0..page {
        key(&mut tui, KeyCode::Char('j'));
    }
    assert_eq!(tui.board.columns[0].offset, 1);
    assert_eq!(loaded(&tui), (0, page + step));
    for _ in 0..step - 1 {
        key(&mut tui, KeyCode::Char('j'));
        assert_eq!(loaded(&tui), (0, page + step));
    }
    key(&mut tui, KeyCode::Char('j'));
    let behind = tui.board.columns[0].offset.saturating_sub(page);
    assert_eq!(
        loaded(&tui),
        (behind, page + 2 * step),
        "a page kept behind"
    );
    // A page down goes past the cards read by more than a few: two pages more.
    key(&mut tui, KeyCode::PageDown);
    let (offset, read) = (tui.board.columns[0].offset, loaded(&tui).1);
    assert!(
        offset + page > page + 2 * step,
        "the screen went past the cards read"
    );
    assert_eq!(read, page + 2 * step + 2 * page);
    assert_eq!(loaded(&tui), (offset - page, read), "a page kept behind");
    // Up the screen and the page kept behind without reading, then a few cards more.
    let selected = tui.board.columns[0].selected;
    for _ in 0..selected - (offset - page) {
        key(&mut tui, KeyCode::Char('k'));
        assert_eq!(loaded(&tui), (offset - page, read));
    }
    key(&mut tui, KeyCode::Char('k'));
    assert_eq!(loaded(&tui).0, offset - page - step, "read up a few");
}

/// Scrolling reads ahead of the screen; whatever the keys, the screen always shows exactly the
/// page a fresh read gives (the cards' progress too), and the cards read around it are the
/// column's.
#[test]
fn scrolling_keeps_the_page_a_fresh_read_gives() {
    let (mut store, funnel) = store();
    for n in 0..90 {
        add(
            &mut store,
            &funnel,
            &format!("Card {n}"),
            "Acme",
            // Equal values too: the order among them is the cards' ids.
            1_000 + n * 7 % 13 * 100,
            Stage::PreFunnel,
        );
    }
    // A page of a few cards (a line and a page read alike) and a taller one.
    for size in [(80, 24), (80, 60)] {
        let mut tui = tui(&mut store, &funnel, Lang::En, size);
        let page = tui.board.page_size();
        assert!(
            page * 6 < 90,
            "the column must scroll past what is read ahead"
        );
        let mut seed = 7u32;
        for _ in 0..600 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let code = match seed >> 16 & 15 {
                0..=6 => KeyCode::Char('j'),
                7..=11 => KeyCode::Char('k'),
                12 => KeyCode::PageDown,
                13 => KeyCode::PageUp,
                _ => KeyCode::Char(if seed & 1 == 0 { 'G' } else { 'g' }),
            };
            key(&mut tui, code);
            let column = &tui.board.columns[0];
            let count = usize::try_from(column.count).unwrap();
            let fresh = |(offset, limit)| {
                tui.app
                    .store
                    .column_page(
                        &tui.app.funnel,
                        Stage::PreFunnel,
                        &tui.app.filter,
                        (offset, limit, count),
                    )
                    .unwrap()
            };
            let ids = |cards: &[funnel::store::Card]| -> Vec<String> {
                cards.iter().map(|c| c.opportunity.id.clone()).collect()
            };
            // The cards on screen whole, their progress included.
            assert_eq!(
                column.on_screen(page),
                fresh((column.offset, page)),
                "after {code:?}"
            );
            assert_eq!(
                ids(&column.loaded),
                ids(&fresh((column.first, column.loaded.len()))),
                "after {code:?}"
            );
            assert!((column.offset..column.offset + page).contains(&column.selected));
            assert!(column.loaded.len() <= 4 * page, "{}", column.loaded.len());
        }
    }
}

/// Every column shows the cards, checklist counts and evidence marks a fresh read of its page
/// gives: none is missing its progress or shows another's.
fn assert_screen_is_fresh(tui: &Tui, after: &str) {
    let page = tui.board.page_size();
    for (i, column) in tui.board.columns.iter().enumerate() {
        let count = usize::try_from(column.count).unwrap();
        let fresh = tui
            .app
            .store
            .column_page(
                &tui.app.funnel,
                Stage::ALL[i],
                &tui.app.filter,
                (column.offset, page, count),
            )
            .unwrap();
        assert!(fresh.iter().all(|c| c.progress.is_some()));
        assert_eq!(column.on_screen(page), fresh, "column {i} after {after}");
    }
}

/// Cards read ahead of the screen get their checklist count and evidence mark as they come on
/// screen: scrolling, a card moving out of the column (the one below comes into view), a card
/// moving in, answering a question, confirming evidence, undo and a filter.
#[test]
fn cards_coming_on_screen_show_their_own_progress() {
    let (mut store, funnel) = store();
    // At 80x24 a page is 4 cards: 8 keys down select card 8 and read on to card 11.
    let moving = 8;
    let mut ids = Vec::new();
    for n in 0..16 {
        let id = add(
            &mut store,
            &funnel,
            &format!("Card {n}"),
            "Acme",
            10_000 - n as i64 * 100,
            Stage::PreFunnel,
        );
        let on = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        for question in 0..n % 3 {
            let answer = funnel::domain::Answer {
                stage: Stage::PreFunnel,
                question,
                asked: true,
                answer: String::new(),
            };
            store.set_answer(&id, &answer).unwrap();
        }
        if n % 4 == 3 {
            store
                .confirm_evidence(&id, Stage::PreFunnel, on, "")
                .unwrap();
        }
        // Evidence of the next stage already there: it shows once the card moves in.
        if n == moving {
            let next = Stage::ProblemRecognized;
            store.confirm_evidence(&id, next, on, "").unwrap();
        }
        ids.push(id);
    }
    let mut tui = tui(&mut store, &funnel, Lang::En, (80, 24));
    let page = tui.board.page_size();
    assert_eq!(page, 4);
    for n in 0..moving {
        key(&mut tui, KeyCode::Char('j'));
        assert_screen_is_fresh(&tui, &format!("j {n}"));
    }
    // Cards are read ahead below the screen, without their progress.
    let column = &tui.board.columns[0];
    let below = &column.loaded[column.offset + page - column.first..];
    assert!(!below.is_empty() && below.iter().all(|c| c.progress.is_none()));

    // Card 8 moves on (forced: its stage's evidence is missing); card 9, read ahead, comes up.
    assert_eq!(
        tui.board.selected_card().unwrap().opportunity.id,
        ids[moving]
    );
    key(&mut tui, KeyCode::Char('L'));
    key(&mut tui, KeyCode::Char('f'));
    assert_eq!(tui.board.focus, 1);
    assert_screen_is_fresh(&tui, "a move");
    let moved = tui.board.selected_card().unwrap();
    assert_eq!(moved.opportunity.id, ids[moving]);
    let progress = |asked, evidence| Some(funnel::store::Progress { asked, evidence });
    assert_eq!(moved.progress, progress(0, true));

    // Card 9, now where card 8 was, has nothing: in its detail, two questions asked and the
    // stage's evidence confirmed.
    key(&mut tui, KeyCode::Char('h'));
    let card = tui.board.selected_card().unwrap();
    assert_eq!(card.opportunity.id, ids[moving + 1]);
    assert_eq!(card.progress, progress(0, false));
    key(&mut tui, KeyCode::Enter);
    key(&mut tui, KeyCode::Char(' '));
    key(&mut tui, KeyCode::Down);
    key(&mut tui, KeyCode::Char(' '));
    key(&mut tui, KeyCode::Char('v'));
    keys(&mut tui, "Signed");
    key(&mut tui, KeyCode::Enter);
    key(&mut tui, KeyCode::Esc);
    assert_screen_is_fresh(&tui, "answering and confirming");
    let card = tui.board.selected_card().unwrap();
    assert_eq!(card.opportunity.id, ids[moving + 1]);
    assert_eq!(card.progress, progress(2, true));

    // Card 9 moves on with its evidence; undo brings it back, progress and all.
    key(&mut tui, KeyCode::Char('L'));
    assert_eq!(tui.board.focus, 1);
    key(&mut tui, KeyCode::Char('u'));
    key(&mut tui, KeyCode::Char('h'));
    assert_screen_is_fresh(&tui, "undo");
    let card = tui.board.selected_card().unwrap();
    assert_eq!(card.opportunity.id, ids[moving + 1]);
    assert_eq!(card.progress, progress(2, true));
    key(&mut tui, KeyCode::Char('/'));
    keys(&mut tui, "Card 1");
    key(&mut tui, KeyCode::Enter);
    assert_screen_is_fresh(&tui, "a filter");
}

/// What a panel or form acts on is drawn: lists too long for their room scroll to the selection
/// and count what is left out, as the board's columns do.
mod follow_selection {
    use super::*;
    use funnel::domain::Person;

    /// The fixture's card in "Problem recognized", opened, with `people` in its buying centre.
    fn detail_with_people<'a>(
        store: &'a mut Store,
        funnel: &Funnel,
        lang: Lang,
        size: (u16, u16),
        people: usize,
    ) -> Tui<'a> {
        let id = store
            .opportunities(funnel, &CardFilter::default())
            .unwrap()
            .into_iter()
            .find(|o| o.stage == Stage::ProblemRecognized)
            .unwrap()
            .id;
        for n in 1..=people {
            let person = Person {
                name: format!("Person {n:02}"),
                role: "Technical buyer".into(),
                influence: 3,
                authority: 2,
                motivations: "Wants fewer night shifts and a dashboard the board reads".into(),
                ..Default::default()
            };
            store.save_person(&id, &person).unwrap();
        }
        let mut tui = tui(store, funnel, lang, size);
        key(&mut tui, KeyCode::Char('l'));
        key(&mut tui, KeyCode::Enter);
        tui
    }

    fn questions(tui: &Tui) -> usize {
        tui.app
            .catalog
            .info(Stage::ProblemRecognized)
            .questions
            .len()
    }

    /// The screen line holding `text`.
    fn line_with<'s>(screen: &'s str, text: &str) -> &'s str {
        screen
            .lines()
            .find(|l| l.contains(text))
            .unwrap_or_else(|| panic!("{text:?} not drawn:\n{screen}"))
    }

    #[test]
    fn the_buying_centre_scrolls_to_the_selected_person() {
        for (size, people) in [((120, 40), 3), ((120, 40), 12), ((200, 60), 20)] {
            let (mut store, funnel) = fixture();
            let mut tui = detail_with_people(&mut store, &funnel, Lang::En, size, people);
            for _ in 0..questions(&tui) {
                key(&mut tui, KeyCode::Char('j'));
            }
            for n in 1..=people {
                let screen = render_text(&tui);
                assert!(
                    line_with(&screen, &format!("Person {n:02} ")).contains("›Person"),
                    "{size:?}: person {n} selected and drawn:\n{screen}"
                );
                let hidden_below = people - n;
                if n == 1 && hidden_below > 0 && !screen.contains(&format!("Person {people:02} ")) {
                    assert!(screen.contains(" more "), "{size:?}:\n{screen}");
                }
                key(&mut tui, KeyCode::Char('j'));
            }
            let screen = render_text(&tui);
            if !screen.contains("Person 01 ") {
                assert!(
                    screen.contains("↑ "),
                    "{size:?}: people above counted:\n{screen}"
                );
            }
        }
    }

    #[test]
    fn a_long_buying_centre_counts_who_is_not_drawn_in_french() {
        let (mut store, funnel) = fixture();
        let mut tui = detail_with_people(&mut store, &funnel, Lang::Fr, (120, 40), 12);
        let screen = render_text(&tui);
        let below = line_with(&screen, "de plus");
        assert!(below.contains("↓ "), "{screen}");
        assert!(!screen.contains("Person 12 "), "{screen}");
        for _ in 0..questions(&tui) + 11 {
            key(&mut tui, KeyCode::Char('j'));
        }
        let screen = render_text(&tui);
        assert!(line_with(&screen, "Person 12 ").contains("›Person 12"));
        assert!(
            line_with(&screen, "Centre d'achat").contains("↑ "),
            "{screen}"
        );
        assert!(!screen.contains("de plus"), "{screen}");
    }

    #[test]
    fn the_checklist_scrolls_to_the_selected_question_at_80x24() {
        let (mut store, funnel) = fixture();
        let mut tui = detail_with_people(&mut store, &funnel, Lang::En, (80, 24), 0);
        let all = tui
            .app
            .catalog
            .info(Stage::ProblemRecognized)
            .questions
            .clone();
        for _ in 0..all.len() - 1 {
            key(&mut tui, KeyCode::Char('j'));
        }
        key(&mut tui, KeyCode::Char(' '));
        let last = &all[all.len() - 1];
        let start: String = last.chars().take(20).collect();
        let screen = render_text(&tui);
        assert!(
            line_with(&screen, &start).contains(&format!("›[x] {start}")),
            "the last question, ticked, is drawn selected:\n{screen}"
        );
        assert!(
            line_with(&screen, "Problem recognized ─").contains("↑ "),
            "{screen}"
        );
        // Back at the top, what is below is counted.
        for _ in 1..all.len() {
            key(&mut tui, KeyCode::Char('k'));
        }
        let screen = render_text(&tui);
        assert!(
            line_with(&screen, &all[0][..20]).contains("›[ ]"),
            "{screen}"
        );
        assert!(screen.contains(" more "), "{screen}");
    }

    /// The screen's text inside the borders, its wrapped lines joined by single spaces.
    fn popup_text(screen: &str) -> String {
        screen
            .lines()
            .map(|line| line.trim_matches(|c| "│┌┐└┘ ".contains(c)))
            .flat_map(str::split_whitespace)
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn a_refused_form_shows_the_whole_error_of_its_first_bad_field_at_80x24() {
        // A long error, and an amount pasted so long that the field is taller than the form.
        let pasted = "9".repeat(1500);
        for (lang, typed) in [Lang::En, Lang::Fr]
            .into_iter()
            .flat_map(|lang| [(lang, "1.234,5,6"), (lang, pasted.as_str())])
        {
            let error = funnel::domain::money::parse_cents_lenient(typed)
                .unwrap_err()
                .message(lang);
            let (mut store, funnel) = store();
            let mut tui = tui(&mut store, &funnel, lang, (80, 24));
            key(&mut tui, KeyCode::Char('n'));
            keys(&mut tui, "Pilot");
            key(&mut tui, KeyCode::Tab);
            key(&mut tui, KeyCode::Tab);
            keys(&mut tui, "1000");
            // The last amount (the problem's cost): its error is the one furthest down.
            for _ in 0..4 {
                key(&mut tui, KeyCode::BackTab);
            }
            keys(&mut tui, typed);
            // Back to the top before saving: the form scrolls down to the bad field.
            for _ in 0..3 {
                key(&mut tui, KeyCode::Tab);
            }
            key(&mut tui, KeyCode::Enter);
            let screen = render_text(&tui);
            assert!(
                popup_text(&screen).contains(&format!("✗ {error}")),
                "{lang:?}: {error}\n{screen}"
            );
            assert_eq!(tui.board.columns[0].count, 0);
        }
    }

    #[test]
    fn the_new_card_form_scrolls_to_the_focused_field_and_its_error_at_40x12() {
        for (lang, more, error) in [(Lang::En, "more", "✗ not a"), (Lang::Fr, "de plus", "✗")] {
            let (mut store, funnel) = store();
            let mut tui = tui(&mut store, &funnel, lang, (40, 12));
            key(&mut tui, KeyCode::Char('n'));
            let screen = render_text(&tui);
            assert!(screen.contains(&format!(" {more} ")), "{screen}");
            keys(&mut tui, "Pilot");
            key(&mut tui, KeyCode::Tab);
            key(&mut tui, KeyCode::Tab);
            keys(&mut tui, "1000");
            for _ in 0..10 {
                key(&mut tui, KeyCode::Tab);
            }
            keys(&mut tui, "12k");
            let screen = render_text(&tui);
            assert!(
                line_with(&screen, "Budget").contains("12k"),
                "{lang:?}: the field typed in is drawn:\n{screen}"
            );
            assert!(screen.contains("↑ "), "{screen}");
            key(&mut tui, KeyCode::Enter);
            let screen = render_text(&tui);
            assert!(line_with(&screen, "Budget").contains("12k"), "{screen}");
            assert!(screen.contains(error), "{lang:?}: its error too:\n{screen}");
            assert_eq!(tui.board.columns[0].count, 0);
        }
    }
}

/// The last line of the screen: the key hints.
fn hints(screen: &str) -> &str {
    screen.lines().last().unwrap()
}

/// A stage move with its evidence unconfirmed, from the focused column's selected card.
fn force_move(tui: &mut Tui) {
    key(tui, KeyCode::Char('L'));
    key(tui, KeyCode::Char('f'));
}

/// History lines keep their date, arrow and unverified mark; stage names that do not fit are
/// shortened, then cut with '…', never at the panel's edge.
#[test]
fn history_lines_shorten_stage_names_to_fit_the_panel() {
    let (mut store, funnel) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    for _ in 0..4 {
        key(&mut tui, KeyCode::Char('l'));
    }
    force_move(&mut tui);
    key(&mut tui, KeyCode::Enter);
    let screen = render_text(&tui);
    assert!(
        screen.contains("│2026-03-02  Criteria → Evaluation  · test  ! unverified"),
        "{screen}"
    );
    let (mut store, funnel) = fixture();
    let mut tui = self::tui(&mut store, &funnel, Lang::En, (80, 24));
    force_move(&mut tui);
    key(&mut tui, KeyCode::Enter);
    let screen = render_text(&tui);
    assert!(
        screen.contains("│2026-01-05  created in Pre-funnel"),
        "{screen}"
    );
    assert!(
        screen.contains("│2026-03-02  Pre-fu… → Probl…  ! unverified│"),
        "{screen}"
    );
}

/// Each line of the history says who made the move: whoever the file's changes were by then.
#[test]
fn the_history_says_who_made_each_move() {
    let (mut store, funnel) = fixture();
    store.set_actor("Ana");
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    force_move(&mut tui);
    key(&mut tui, KeyCode::Enter);
    let screen = render_text(&tui);
    let line_with = |text: &str| {
        screen
            .lines()
            .find(|l| l.contains(text))
            .unwrap_or_default()
    };
    let created = line_with("2026-01-05  created in Pre-funnel");
    assert!(
        created.contains("created in Pre-funnel  · test"),
        "{screen}"
    );
    let moved = line_with("2026-03-02");
    assert!(moved.contains(" → "), "{screen}");
    assert!(moved.contains("  · Ana  ! unverified"), "{screen}");
}

/// A notice quotes a long title cut with '…', so its closing quote and undo hint still show.
#[test]
fn a_notice_cuts_a_long_title_and_keeps_its_own_words() {
    let (mut store, funnel) = store();
    let mut tui = tui(&mut store, &funnel, Lang::En, (80, 24));
    key(&mut tui, KeyCode::Char('n'));
    keys(
        &mut tui,
        "Très long titre lorem ipsum dolor sit amet consectetur adipiscing elit",
    );
    key(&mut tui, KeyCode::Tab);
    key(&mut tui, KeyCode::Tab);
    keys(&mut tui, "1000");
    key(&mut tui, KeyCode::Enter);
    let status = render_text(&tui).lines().nth(22).unwrap().to_owned();
    assert_eq!(
        status,
        " Added \"Très long titre lorem ipsum dolor sit a…\" (u: undo)"
    );
    key(&mut tui, KeyCode::Char('u'));
    assert!(
        render_text(&tui).contains(" Undone: Added \"Très long titre lorem ipsum dolor sit a…\""),
    );
}

/// Hints that do not fit are left out whole, from the end; help and the way back stay.
#[test]
fn key_hints_that_do_not_fit_are_left_out_whole() {
    let (mut store, funnel) = demo();
    let mut tui = tui(&mut store, &funnel, Lang::En, (80, 24));
    assert_eq!(
        hints(&render_text(&tui)),
        " ? help  L move  Enter detail  n new  e edit  w won  x lost  u undo  A agenda"
    );
    tui.start_one_to_one("Ana Silva").unwrap();
    assert_eq!(
        hints(&render_text(&tui)),
        " ? help  Tab next card  c card note  m note  a action  Space done  Esc end"
    );
    drop(tui);
    let mut tui = self::tui(&mut store, &funnel, Lang::Fr, (120, 40));
    assert!(
        hints(&render_text(&tui)).ends_with(" A agenda  N étape  / filtrer"),
        "{}",
        render_text(&tui)
    );
    tui.start_one_to_one("Ana Silva").unwrap();
    assert!(hints(&render_text(&tui)).ends_with(" Esc terminer"));
}

/// The screen and the terminal cursor's position (none when the frame does not show it: it
/// stays in the corner where a fresh terminal has it).
fn screen_and_cursor(tui: &Tui) -> (ratatui::buffer::Buffer, Option<ratatui::layout::Position>) {
    let backend = ratatui::backend::TestBackend::new(tui.app.width, tui.app.height);
    let mut terminal = ratatui::Terminal::new(backend).unwrap();
    let buffer = terminal
        .draw(|frame| tui.draw(frame))
        .unwrap()
        .buffer
        .clone();
    let cursor = terminal.get_cursor_position().unwrap();
    (buffer, (cursor != Default::default()).then_some(cursor))
}

/// A note longer than the prompt box scrolls so the row with the cursor is always in view.
#[test]
fn a_long_note_scrolls_to_keep_the_cursor_in_view() {
    let (mut store, funnel) = demo();
    for size in [(80, 24), (120, 40)] {
        let mut tui = tui(&mut store, &funnel, Lang::En, size);
        tui.start_one_to_one("Ana Silva").unwrap();
        key(&mut tui, KeyCode::Char('m'));
        let words: String = (0..300).map(|i| format!("w{i:03} ")).collect();
        tui.update(Action::Paste(format!("START {words}")));
        keys(&mut tui, "THE END");
        let (buffer, cursor) = screen_and_cursor(&tui);
        let screen = funnel::tui::ui::buffer_text(&buffer);
        assert!(screen.contains("THE END"), "{size:?}\n{screen}");
        let cursor = cursor.expect("the cursor is shown");
        assert_eq!(buffer[(cursor.x - 1, cursor.y)].symbol(), "D", "{size:?}");
        assert!(
            screen.contains("│Enter ok   Esc cancel"),
            "the hints stay:\n{screen}"
        );
        key(&mut tui, KeyCode::Home);
        let (buffer, cursor) = screen_and_cursor(&tui);
        let screen = funnel::tui::ui::buffer_text(&buffer);
        assert!(screen.contains("> START w000"), "{size:?}\n{screen}");
        // At 80x24 the note is taller than the box: its end scrolled away.
        assert_eq!(
            screen.contains("THE END"),
            size == (120, 40),
            "{size:?}\n{screen}"
        );
        let cursor = cursor.expect("the cursor is shown");
        assert_eq!(buffer[(cursor.x, cursor.y)].symbol(), "S", "{size:?}");
    }
}

/// Shows one seller as `o` does: the picker, down to `name`, Enter.
fn show_seller(tui: &mut Tui, name: &str) {
    key(tui, KeyCode::Char('o'));
    let Some(Overlay::Picker(Picker {
        owners, selected, ..
    })) = tui.overlays.last()
    else {
        panic!("the seller picker is open");
    };
    let wanted = owners
        .iter()
        .position(|o| o == name)
        .expect("a demo seller");
    for _ in *selected..wanted {
        key(tui, KeyCode::Char('j'));
    }
    key(tui, KeyCode::Enter);
    assert_eq!(tui.app.filter.owner.as_deref(), Some(name));
}

#[test]
fn the_trend_of_a_sellers_dashboard_says_it_is_the_whole_funnels() {
    let (mut store, funnel) = demo();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    show_seller(&mut tui, "Julia Weber");
    key(&mut tui, KeyCode::Char('D'));
    let screen = render_text(&tui);
    assert!(
        screen.contains("Trend of the whole funnel, last 34 days"),
        "{screen}"
    );
    key(&mut tui, KeyCode::Esc);
    key(&mut tui, KeyCode::Esc);
    assert_eq!(tui.app.filter.owner, None);
    // A text filter: the title bar says the dashboard ignores it, and the trend whose it is.
    key(&mut tui, KeyCode::Char('/'));
    keys(&mut tui, "data");
    key(&mut tui, KeyCode::Enter);
    assert!(!render_text(&tui).contains("ignored"));
    key(&mut tui, KeyCode::Char('D'));
    let screen = render_text(&tui);
    assert!(
        screen
            .lines()
            .next()
            .unwrap()
            .contains("/data (ignored here)"),
        "{screen}"
    );
    assert!(screen.contains("Trend of the whole funnel"), "{screen}");
    let mut fr = self::tui(&mut store, &funnel, Lang::Fr, (80, 24));
    show_seller(&mut fr, "Julia Weber");
    key(&mut fr, KeyCode::Char('D'));
    let screen = render_text(&fr);
    assert!(screen.contains("Tout l'entonnoir, 18 jours"), "{screen}");
}

#[test]
fn french_dashboard_at_120x40_keeps_every_column_and_whole_box_texts() {
    let (mut store, funnel) = demo();
    let mut tui = tui(&mut store, &funnel, Lang::Fr, (120, 40));
    key(&mut tui, KeyCode::Char('D'));
    let screen = render_text(&tui);
    let header = screen
        .lines()
        .find(|l| l.contains("Vendeur"))
        .expect("the win-rate table");
    for column in ["Gagn.", "Perd.", "Taux", "Ventes", "RTV", "Objectif", "GAP"] {
        assert!(header.contains(column), "{column}: {screen}");
    }
    assert!(screen.contains("Lucas Martin "), "{screen}");
    for text in [
        "│req. 1,64 ",
        "pour l'objectif",
        "Cartes en retard (11) — jours / prévus ─",
        "Tendance, 34 derniers jours",
    ] {
        assert!(screen.contains(text), "{text}: {screen}");
    }
    assert!(!screen.contains("au-des"), "{screen}");
}

/// Mouse, paste and resize are actions through the one update path. A click selects the card
/// drawn under it, found in the areas the last frame drew (not in offsets worked out apart), so
/// it follows the board wherever it is drawn.
#[test]
fn a_click_selects_the_card_the_last_frame_drew_under_it() {
    let (mut store, funnel) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    let screen = render_text(&tui);
    // The second card of the first column: its title's row and column on screen.
    let (row, line) = screen
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("Support plan"))
        .expect("the card is drawn");
    // Screen columns, not bytes: the borders are several bytes wide.
    let column_of = |line: &str, text: &str| {
        funnel::domain::text::width(&line[..line.find(text).unwrap()]) as u16
    };
    let x = column_of(line, "Support plan");
    tui.update(Action::Click { x, y: row as u16 });
    assert_eq!(tui.board.focus, 0);
    assert_eq!(
        tui.board.selected_card().unwrap().opportunity.fields.title,
        "Support plan"
    );
    // A click on another column's header focuses it and keeps its selection.
    let second = column_of(render_text(&tui).lines().nth(1).unwrap(), "Problem");
    tui.update(Action::Click { x: second, y: 1 });
    assert_eq!(tui.board.focus, 1);
    assert_eq!(tui.board.columns[1].selected, 0);
    // The wheel scrolls the column under the pointer.
    tui.update(Action::Scroll {
        x,
        y: row as u16,
        down: false,
    });
    assert_eq!(tui.board.focus, 0);
    assert_eq!(tui.board.columns[0].selected, 0);
    // Outside any column (the footer): nothing changes.
    tui.update(Action::Click { x: 0, y: 39 });
    assert_eq!(tui.board.focus, 0);
}

/// What was typed or pasted stays with the overlay on top; closing an overlay goes back to the
/// screen under it, not to the board.
#[test]
fn overlays_stack_above_the_screen_that_opened_them() {
    let (mut store, funnel) = fixture();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    key(&mut tui, KeyCode::Enter);
    assert_eq!(tui.view(), View::Detail);
    key(&mut tui, KeyCode::Char('?'));
    assert_eq!(tui.view(), View::Overlay(Table::Help));
    assert!(render_text(&tui).contains("type the customer's answer"));
    key(&mut tui, KeyCode::Esc);
    assert_eq!(tui.view(), View::Detail);
    key(&mut tui, KeyCode::Char('a'));
    tui.update(Action::Paste("Budget\nsigned".into()));
    assert!(render_text(&tui).contains("Budget signed"));
    key(&mut tui, KeyCode::Enter);
    assert_eq!(tui.view(), View::Detail);
    assert_eq!(tui.detail().unwrap().answers[0].answer, "Budget signed");
    key(&mut tui, KeyCode::Esc);
    assert_eq!(tui.view(), View::Board);
    // A resize is an action too: the board reads the pages the new size shows.
    tui.update(Action::Resize {
        width: 60,
        height: 20,
    });
    assert_eq!((tui.board.width, tui.board.height), (60, 20));
    assert_eq!(tui.board.visible_columns(), 2);
}

/// A key remapped in `config.toml` drives the board, the old key no longer does, and the hint
/// bar and the help show the new key, in its table only.
#[test]
fn a_key_remapped_in_the_config_moves_the_card_and_shows_in_hints_and_help() {
    let config = Config::parse(
        "[keys.board]\nmove_forward = \"m\"\n\n[keys.evidence]\nforce_move = \"!\"\n",
        Lang::En,
    )
    .unwrap();
    let (mut store, funnel) = fixture();
    let before = open_cards(&store, &funnel);
    let mut tui = Tui::new(&mut store, funnel.clone(), Lang::En, &config, (120, 40)).unwrap();
    tui.app.color = false;
    let id = tui.board.selected_card().unwrap().opportunity.id.clone();
    assert!(
        hints(&render_text(&tui)).starts_with(" ? help  m move  Enter detail"),
        "{}",
        render_text(&tui)
    );

    // The old keys do nothing.
    key(&mut tui, KeyCode::Char('L'));
    tui.handle_key(&KeyEvent::new(KeyCode::Right, KeyModifiers::SHIFT));
    assert!(!render_text(&tui).contains("move anyway"));
    // The new one asks for the evidence, whose prompt has its own new key.
    key(&mut tui, KeyCode::Char('m'));
    let screen = render_text(&tui);
    assert!(
        screen.contains("! move anyway") && !screen.contains("f move anyway"),
        "{screen}"
    );
    key(&mut tui, KeyCode::Char('f'));
    assert_eq!(tui.board.focus, Stage::PreFunnel.index());
    key(&mut tui, KeyCode::Char('!'));
    assert_eq!(tui.board.focus, Stage::ProblemRecognized.index());

    key(&mut tui, KeyCode::Char('?'));
    let help = render_text(&tui);
    let line = help
        .lines()
        .find(|l| l.contains("move the card to the next stage"))
        .unwrap();
    let keys_column = line.split("move the card").next().unwrap().trim_end();
    assert!(keys_column.ends_with("│m"), "{line}");
    assert!(help.contains("H/S-←") && !help.contains("L/S-→"), "{help}");
    key(&mut tui, KeyCode::Esc);
    // The card detail keeps its own `L`.
    key(&mut tui, KeyCode::Enter);
    assert!(tui.detail().is_some());
    key(&mut tui, KeyCode::Char('?'));
    assert!(render_text(&tui).contains("L/S-→"));
    drop(tui);

    assert_eq!(
        store.opportunity(&id).unwrap().stage,
        Stage::ProblemRecognized
    );
    assert_eq!(open_cards(&store, &funnel).len(), before.len());
}

#[test]
fn a_passed_target_shows_by_how_much_wherever_the_gap_is_shown() {
    use funnel::domain::insight::GroupBy;
    use funnel::domain::money::format_compact;
    let (mut store, funnel) = demo();
    let period = funnel::domain::Period::containing(store.today(), funnel.fiscal_start);
    let groups = funnel::insight::groups(&store, &funnel, period, GroupBy::Owner).unwrap();
    let row = groups
        .iter()
        .find(|g| g.gap_cents.is_some_and(|gap| gap < 0))
        .expect("a demo seller past the target");
    let gap = row.gap_cents.unwrap();
    for lang in [Lang::En, Lang::Fr] {
        let passed = format_compact(gap, "EUR", lang);
        assert!(passed.starts_with('-'), "{passed}");
        let mut tui = tui(&mut store, &funnel, lang, (120, 40));
        tui.start_one_to_one(&row.name).unwrap();
        let screen = render_text(&tui);
        // The one-to-one's panel and the footer.
        assert_eq!(screen.matches(&passed).count(), 2, "{passed}\n{screen}");
        key(&mut tui, KeyCode::Esc);
        show_seller(&mut tui, &row.name);
        key(&mut tui, KeyCode::Char('D'));
        let screen = render_text(&tui);
        // The dashboard's tile, the seller's row of the table and the footer.
        assert_eq!(screen.matches(&passed).count(), 3, "{passed}\n{screen}");
    }
}

#[test]
fn a_filter_that_empties_the_focused_column_focuses_the_first_match() {
    let (mut store, funnel) = demo();
    let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
    assert_eq!(tui.board.focus, 0);
    key(&mut tui, KeyCode::Char('/'));
    keys(&mut tui, "Executive dashboards");
    key(&mut tui, KeyCode::Enter);
    let counts: Vec<i64> = tui.board.columns.iter().map(|c| c.count).collect();
    assert_eq!(counts[0], 0, "{counts:?}");
    let first = counts.iter().position(|&n| n > 0).expect("a match");
    assert_eq!(tui.board.focus, first);
    let card = tui
        .board
        .selected_card()
        .expect("the first match is selected");
    assert!(
        card.opportunity
            .fields
            .title
            .contains("Executive dashboards"),
        "{card:?}"
    );
    // A column that still has matches keeps the focus.
    key(&mut tui, KeyCode::Char('/'));
    for _ in 0.."Executive dashboards".len() {
        key(&mut tui, KeyCode::Backspace);
    }
    key(&mut tui, KeyCode::Enter);
    assert_eq!(tui.board.focus, first);
}

/// A decision date before the card was created is kept, and the notice says to check it.
#[test]
fn a_decision_date_before_the_card_was_created_is_saved_with_a_warning() {
    for (lang, said) in [
        (
            Lang::En,
            "Added \"Pilot\", but check the dates: decision date before the opportunity was created",
        ),
        (
            Lang::Fr,
            "Ajoutée \"Pilot\", mais vérifiez les dates : date de décision antérieure à la \
             création de l'opportunité",
        ),
    ] {
        let (mut store, funnel) = store();
        let mut tui = tui(&mut store, &funnel, lang, (120, 40));
        key(&mut tui, KeyCode::Char('n'));
        keys(&mut tui, "Pilot");
        key(&mut tui, KeyCode::Tab);
        key(&mut tui, KeyCode::Tab);
        keys(&mut tui, "1000");
        for _ in 0..9 {
            key(&mut tui, KeyCode::Tab);
        }
        keys(&mut tui, "2026-01-15");
        key(&mut tui, KeyCode::Enter);
        assert_eq!(notice(&tui), said);
        let card = tui.board.selected_card().expect("the new card");
        assert_eq!(
            card.opportunity.fields.decision_date,
            NaiveDate::from_ymd_opt(2026, 1, 15)
        );
    }
}

#[test]
fn an_overdue_next_step_is_marked_on_the_card() {
    // Today is 2026-03-02 (see `store`).
    let third_line = |due: NaiveDate| {
        let (mut store, funnel) = store();
        let id = add(
            &mut store,
            &funnel,
            "Dated step",
            "Acme",
            1200,
            Stage::PreFunnel,
        );
        let card = store.opportunity(&id).unwrap();
        let fields = OpportunityFields {
            next_step: "Call the CFO".into(),
            next_step_due: Some(due),
            ..card.fields
        };
        store.update_fields(&id, card.version, fields).unwrap();
        let tui = tui(&mut store, &funnel, Lang::En, (120, 40));
        let screen = render_text(&tui);
        let lines: Vec<&str> = screen.lines().collect();
        let title = lines.iter().position(|l| l.contains("Dated step")).unwrap();
        lines[title + 2].to_owned()
    };
    let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
    let overdue = third_line(day(1));
    assert!(overdue.contains("· !"), "{overdue}");
    let today = third_line(day(2));
    assert!(today.contains("· •") && !today.contains('!'), "{today}");
    let later = third_line(day(3));
    assert!(!later.contains('!') && !later.contains('•'), "{later}");
}

/// A notice or a panel that names a key names the one bound to it, remapped or not.
#[test]
fn texts_that_name_a_key_name_the_remapped_one() {
    let config = Config::parse(
        "[keys.board]\nnew_card = \"a\"\nundo = \"z\"\nset_target = \"T\"\n",
        Lang::En,
    )
    .unwrap();
    let (mut store, funnel) = store();
    let mut tui = Tui::new(&mut store, funnel, Lang::En, &config, (120, 40)).unwrap();
    tui.app.color = false;
    assert!(render_text(&tui).contains("no target — T sets it"));
    key(&mut tui, KeyCode::Char('e'));
    assert_eq!(notice(&tui), "No card here: a adds one");
    key(&mut tui, KeyCode::Char('a'));
    keys(&mut tui, "Deal");
    key(&mut tui, KeyCode::Tab);
    key(&mut tui, KeyCode::Tab);
    keys(&mut tui, "1000");
    key(&mut tui, KeyCode::Enter);
    assert_eq!(notice(&tui), "Added \"Deal\" (z: undo)");
}

/// The seller's day: the agenda, the next step prompt and the activity form, driven from the
/// board and from the agenda as a seller does each morning.
mod day {
    use super::*;
    use chrono::NaiveTime;
    use funnel::domain::{ActivityKind, Flag};

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn id_of(store: &Store, funnel: &Funnel, title: &str) -> String {
        store
            .opportunities(funnel, &CardFilter::default())
            .unwrap()
            .into_iter()
            .find(|o| o.fields.title == title)
            .unwrap()
            .id
    }

    /// The fixture (today is 2026-03-02) with dated next steps: one overdue, one due today at
    /// 14:30, one next week; a call logged on another; the rest have none.
    fn fixture() -> (Store, Funnel) {
        let (mut store, funnel) = super::fixture();
        let steps = [
            (
                "Warehouse sensors",
                "Send the revised quote",
                day(2, 26),
                None,
            ),
            (
                "Plant analytics",
                "Workshop with the plant manager",
                day(3, 2),
                NaiveTime::from_hms_opt(14, 30, 0),
            ),
            ("Analytics suite", "Call the CFO", day(3, 9), None),
        ];
        for (title, step, due, at) in steps {
            let id = id_of(&store, &funnel, title);
            store.set_next_step(&id, None, step, Some(due), at).unwrap();
        }
        (store, funnel)
    }

    fn with_user<'a>(store: &'a mut Store, funnel: &Funnel, lang: Lang, user: &str) -> Tui<'a> {
        let config = Config::parse(&format!("user = \"{user}\"\n"), Lang::En).unwrap();
        let mut tui = Tui::new(store, funnel.clone(), lang, &config, (120, 40)).unwrap();
        tui.app.color = false;
        tui
    }

    fn agenda_titles(tui: &Tui) -> Vec<String> {
        tui.agenda()
            .unwrap()
            .agenda
            .lines
            .iter()
            .map(|l| l.card.fields.title.clone())
            .collect()
    }

    #[test]
    fn the_agenda_at_two_sizes_in_english_and_french() {
        for lang in [Lang::En, Lang::Fr] {
            let (mut store, funnel) = fixture();
            for (w, h) in [(80, 24), (200, 60)] {
                let mut tui = tui(&mut store, &funnel, lang, (w, h));
                key(&mut tui, KeyCode::Char('A'));
                assert_eq!(tui.view(), View::Agenda);
                let screen = render_text(&tui);
                let name = format!("agenda_{lang:?}_{w}x{h}").to_lowercase();
                insta::assert_snapshot!(name, screen);
            }
        }
    }

    #[test]
    fn the_agenda_lists_the_most_urgent_first_and_counts_each_flag() {
        let (mut store, funnel) = fixture();
        let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
        let counts = tui.app.flag_counts;
        assert_eq!(counts.get(Flag::Overdue), 1);
        assert_eq!(counts.get(Flag::DueToday), 1);
        let title_bar = render_text(&tui).lines().next().unwrap().to_owned();
        assert!(title_bar.contains("! 1 overdue · • 1 today"), "{title_bar}");
        key(&mut tui, KeyCode::Char('A'));
        let titles = agenda_titles(&tui);
        assert_eq!(titles[0], "Warehouse sensors");
        assert_eq!(titles[1], "Plant analytics");
        assert!(!titles.contains(&"Analytics suite".to_owned()) || titles.len() > 2);
        let screen = render_text(&tui);
        assert!(screen.contains("Overdue (1)"), "{screen}");
        assert!(screen.contains("4d late"), "{screen}");
        assert!(screen.contains("today 14:30"), "{screen}");
        key(&mut tui, KeyCode::Esc);
        assert_eq!(tui.view(), View::Board);
    }

    #[test]
    fn done_from_the_agenda_logs_it_and_asks_for_the_next_step() {
        let (mut store, funnel) = fixture();
        let id = id_of(&store, &funnel, "Warehouse sensors");
        let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
        key(&mut tui, KeyCode::Char('A'));
        key(&mut tui, KeyCode::Char(' '));
        assert_eq!(tui.view(), View::Overlay(Table::Entry));
        let screen = render_text(&tui);
        assert!(
            screen.contains("Done: Send the revised quote. What comes next?"),
            "{screen}"
        );
        keys(&mut tui, "Site visit");
        key(&mut tui, KeyCode::Tab);
        keys(&mut tui, "demain 9h");
        key(&mut tui, KeyCode::Enter);
        assert_eq!(tui.view(), View::Agenda);
        assert!(notice(&tui).starts_with("Next step of \"Warehouse sensors\": 2026-03-03 09:00"));
        let card = tui.app.store.opportunity(&id).unwrap();
        assert_eq!(card.fields.next_step, "Site visit");
        assert_eq!(card.fields.next_step_due, Some(day(3, 3)));
        assert_eq!(card.fields.next_step_at, NaiveTime::from_hms_opt(9, 0, 0));
        let logged = tui.app.store.activities(&id).unwrap();
        assert_eq!(logged.len(), 1);
        assert_eq!(logged[0].kind, ActivityKind::StepDone);
        assert_eq!(logged[0].summary, "Send the revised quote");
        // No longer overdue: off the list or under another flag, and counted so.
        assert_eq!(tui.app.flag_counts.get(Flag::Overdue), 0);
        assert_ne!(
            agenda_titles(&tui).first().map(String::as_str),
            Some("Warehouse sensors")
        );
        // The selection is back where the seller acted, on the line that took its place,
        // not wherever the card went while it had no next step.
        assert_eq!(tui.agenda().unwrap().selected, 0);
    }

    #[test]
    fn the_card_detail_sets_marks_done_and_logs_like_the_board() {
        let (mut store, funnel) = fixture();
        let id = id_of(&store, &funnel, "Warehouse sensors");
        let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
        key(&mut tui, KeyCode::Char('A'));
        key(&mut tui, KeyCode::Enter);
        assert_eq!(tui.view(), View::Detail);
        // Done: logged, then the following step is asked for and set.
        key(&mut tui, KeyCode::Char('x'));
        assert_eq!(tui.view(), View::Overlay(Table::Entry));
        keys(&mut tui, "Site visit");
        key(&mut tui, KeyCode::Tab);
        keys(&mut tui, "+1w");
        key(&mut tui, KeyCode::Enter);
        assert_eq!(tui.view(), View::Detail);
        let card = tui.app.store.opportunity(&id).unwrap();
        assert_eq!(card.fields.next_step, "Site visit");
        assert_eq!(card.fields.next_step_due, Some(day(3, 9)));
        // A call logged from the detail is on its timeline at once.
        key(&mut tui, KeyCode::Char('i'));
        key(&mut tui, KeyCode::Tab);
        key(&mut tui, KeyCode::Tab);
        keys(&mut tui, "Jo Park");
        key(&mut tui, KeyCode::Tab);
        keys(&mut tui, "Quote accepted");
        key(&mut tui, KeyCode::Enter);
        assert_eq!(tui.view(), View::Detail);
        let screen = render_text(&tui);
        assert!(
            screen.contains("call with Jo Park: Quote accepted"),
            "{screen}"
        );
        // And N reschedules.
        key(&mut tui, KeyCode::Char('N'));
        tui.handle_key(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        keys(&mut tui, "15/03");
        key(&mut tui, KeyCode::Enter);
        let card = tui.app.store.opportunity(&id).unwrap();
        assert_eq!(card.fields.next_step_due, Some(day(3, 15)));
        let kinds: Vec<ActivityKind> = (tui.app.store.activities(&id).unwrap().iter())
            .map(|a| a.kind)
            .collect();
        assert_eq!(kinds, [ActivityKind::Call, ActivityKind::StepDone]);
    }

    #[test]
    fn esc_after_done_leaves_the_card_without_a_next_step() {
        let (mut store, funnel) = fixture();
        let id = id_of(&store, &funnel, "Warehouse sensors");
        let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
        key(&mut tui, KeyCode::Char('A'));
        key(&mut tui, KeyCode::Char(' '));
        key(&mut tui, KeyCode::Esc);
        assert_eq!(tui.view(), View::Agenda);
        let card = tui.app.store.opportunity(&id).unwrap();
        assert_eq!(card.fields.next_step_due, None);
        assert_eq!(tui.app.flag_counts.get(Flag::Overdue), 0);
        // It is listed again, now for having none, and the selection followed it.
        let agenda = tui.agenda().unwrap();
        let line = &agenda.agenda.lines[agenda.selected];
        assert_eq!(line.card.id, id);
        assert!(line.flags.contains(Flag::NoNextStep));
    }

    #[test]
    fn a_call_is_logged_from_the_agenda_with_a_person_of_the_buying_centre() {
        let (mut store, funnel) = fixture();
        let id = id_of(&store, &funnel, "Plant analytics");
        let person = funnel::domain::Person {
            name: "Léa Martin".into(),
            ..Default::default()
        };
        store.save_person(&id, &person).unwrap();
        let mut tui = tui(&mut store, &funnel, Lang::Fr, (120, 40));
        key(&mut tui, KeyCode::Char('A'));
        key(&mut tui, KeyCode::Char('j'));
        assert_eq!(tui.agenda().unwrap().selected_card().unwrap().id, id);
        key(&mut tui, KeyCode::Char('i'));
        let screen = render_text(&tui);
        assert!(screen.contains("Noter une activité"), "{screen}");
        assert!(screen.contains("‹ appel ›"), "{screen}");
        key(&mut tui, KeyCode::Tab);
        key(&mut tui, KeyCode::Up);
        key(&mut tui, KeyCode::Tab);
        key(&mut tui, KeyCode::Down);
        key(&mut tui, KeyCode::Tab);
        keys(&mut tui, "Budget validé");
        key(&mut tui, KeyCode::Enter);
        assert_eq!(tui.view(), View::Agenda);
        assert_eq!(notice(&tui), "Noté : appel sur \"Plant analytics\"");
        let logged = tui.app.store.activities(&id).unwrap();
        assert_eq!(logged.len(), 1);
        assert_eq!(logged[0].kind, ActivityKind::Call);
        assert_eq!(logged[0].on, day(3, 1));
        assert_eq!(logged[0].with, "Léa Martin");
        assert_eq!(logged[0].summary, "Budget validé");
        // The selection stayed on the card.
        assert_eq!(tui.agenda().unwrap().selected_card().unwrap().id, id);
    }

    #[test]
    fn a_bad_when_is_refused_in_the_users_language_and_undo_restores_the_step() {
        let (mut store, funnel) = fixture();
        let id = id_of(&store, &funnel, "Analytics suite");
        let mut tui = tui(&mut store, &funnel, Lang::Fr, (120, 40));
        let card = tui.app.store.opportunity(&id).unwrap();
        tui.board.select_card(&mut tui.app, &card).unwrap();
        tui.refresh().unwrap();
        key(&mut tui, KeyCode::Char('N'));
        let screen = render_text(&tui);
        assert!(screen.contains("Call the CFO"), "{screen}");
        assert!(screen.contains("2026-03-09"), "{screen}");
        tui.handle_key(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        keys(&mut tui, "31/02");
        key(&mut tui, KeyCode::Enter);
        assert_eq!(tui.view(), View::Overlay(Table::Entry));
        assert!(render_text(&tui).contains("ce jour n'existe pas"));
        tui.handle_key(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        keys(&mut tui, "+2s");
        key(&mut tui, KeyCode::Enter);
        assert_eq!(tui.view(), View::Board);
        let moved = tui.app.store.opportunity(&id).unwrap();
        assert_eq!(moved.fields.next_step_due, Some(day(3, 16)));
        key(&mut tui, KeyCode::Char('u'));
        assert!(notice(&tui).starts_with("Annulé"), "{}", notice(&tui));
        let back = tui.app.store.opportunity(&id).unwrap();
        assert_eq!(back.fields.next_step, "Call the CFO");
        assert_eq!(back.fields.next_step_due, Some(day(3, 9)));
    }

    #[test]
    fn the_agenda_starts_on_the_users_cards_and_toggles_to_everyones() {
        let (mut store, funnel) = fixture();
        let mut tui = with_user(&mut store, &funnel, Lang::En, "Ana Silva");
        key(&mut tui, KeyCode::Char('A'));
        let mine = tui.agenda().unwrap().agenda.lines.clone();
        assert!(!mine.is_empty());
        assert!(mine.iter().all(|l| l.card.fields.owner == "Ana Silva"));
        assert!(render_text(&tui).contains("Agenda — Ana Silva's cards"));
        key(&mut tui, KeyCode::Char('m'));
        let all = &tui.agenda().unwrap().agenda.lines;
        assert!(all.iter().any(|l| l.card.fields.owner == "Marc Dubois"));
        assert!(render_text(&tui).contains("everyone's cards"));
    }

    #[test]
    fn a_line_opens_its_detail_and_goes_to_its_card_on_the_board() {
        let (mut store, funnel) = fixture();
        let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
        key(&mut tui, KeyCode::Char('A'));
        key(&mut tui, KeyCode::Char('j'));
        let id = tui.agenda().unwrap().selected_card().unwrap().id.clone();
        key(&mut tui, KeyCode::Enter);
        assert_eq!(tui.view(), View::Detail);
        assert_eq!(tui.detail().unwrap().opportunity.id, id);
        key(&mut tui, KeyCode::Esc);
        assert_eq!(tui.view(), View::Agenda);
        key(&mut tui, KeyCode::Char('b'));
        assert_eq!(tui.view(), View::Board);
        assert_eq!(tui.board.selected_card().unwrap().opportunity.id, id);
        assert_eq!(notice(&tui), "On the board: \"Plant analytics\"");
    }

    #[test]
    fn the_agenda_help_lists_its_keys_and_the_board_help_the_days() {
        let (mut store, funnel) = fixture();
        let mut tui = tui(&mut store, &funnel, Lang::En, (120, 40));
        key(&mut tui, KeyCode::Char('?'));
        let screen = render_text(&tui);
        assert!(
            screen.contains("set or reschedule the card's next step"),
            "{screen}"
        );
        key(&mut tui, KeyCode::Esc);
        key(&mut tui, KeyCode::Char('A'));
        key(&mut tui, KeyCode::Char('?'));
        let screen = render_text(&tui);
        for binding in Keymap::default().table(Table::Agenda) {
            assert!(screen.contains(binding.help(Lang::En)), "{screen}");
        }
    }
}

/// On the demo's many flagged cards, the agenda scrolls to keep its selection in view at
/// 80x24, and `m` says how to see one's own cards when no user is configured.
#[test]
fn the_agenda_scrolls_to_its_selection_and_m_needs_a_user() {
    let (mut store, funnel) = demo();
    let mut tui = tui(&mut store, &funnel, Lang::En, (80, 24));
    key(&mut tui, KeyCode::Char('A'));
    let first = render_text(&tui);
    assert!(first.contains("more"), "{first}");
    key(&mut tui, KeyCode::Char('G'));
    let agenda = tui.agenda().unwrap();
    let last = agenda
        .agenda
        .lines
        .last()
        .unwrap()
        .card
        .fields
        .title
        .clone();
    assert_eq!(agenda.selected, agenda.agenda.lines.len() - 1);
    let screen = render_text(&tui);
    assert!(screen.contains("↑"), "{screen}");
    let shown: String = last.chars().take(12).collect();
    assert!(screen.contains(&shown), "{screen}");
    key(&mut tui, KeyCode::Char('m'));
    assert_eq!(
        notice(&tui),
        "Set user in config.toml to see your own cards alone"
    );
}
