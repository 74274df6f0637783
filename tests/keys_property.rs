//! A storm of keys: random sequences drawn from every key table of the board, plus random
//! characters, Esc, Enter, Tab and terminal resizes down to 1x1, drive `Tui` over an in-memory
//! store. Nothing may panic (every step is also drawn); afterwards no card is lost or
//! duplicated, `check` finds the totals and history sound, and undoing everything (`u` until
//! "Nothing to undo") brings every opportunity back to its first state, or to its state at the
//! last barrier (a change undo does not record, such as an answer or a target: nothing older
//! can be undone). Over a column of a hundred cards, every column also shows after each step
//! what a fresh read of the store gives, the cards it read ahead included.
//!
//! 64 cases of up to 200 steps by default; more with `PROPTEST_CASES=5000 cargo test --release
//! --test keys_property`.

use chrono::{NaiveDate, NaiveDateTime};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use funnel::config::Config;
use funnel::domain::{Lang, Opportunity, OpportunityFields, Stage};
use funnel::store::{CardFilter, Clock, Funnel, NewOpportunity, Store};
use funnel::tui::action::Action;
use funnel::tui::keymap::{Keymap, Table};
use funnel::tui::{Tui, View, render_text};
use proptest::prelude::*;

fn noon(y: i32, m: u32, d: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
}

/// Six cards over the journey, one with its stage's evidence confirmed, and a target.
fn fixture() -> (Store, Funnel) {
    let mut store = Store::open_in_memory().unwrap();
    store.set_clock(Clock::Fixed(noon(2026, 3, 2)));
    let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
    let cards = [
        ("Fleet telemetry", 48_000, Stage::PreFunnel, "ana"),
        ("Data platform", 125_000, Stage::ProblemRecognized, "bob"),
        ("Support plan", 9_500, Stage::PreFunnel, "ana"),
        ("Warehouse sensors", 230_001, Stage::CommitsToInvest, "bob"),
        (
            "Plant analytics",
            310_000,
            Stage::EvaluatesAlternatives,
            "ana",
        ),
        ("Renewal", 64_000, Stage::Closing, ""),
    ];
    for (title, value, stage, owner) in cards {
        let fields = OpportunityFields {
            title: title.into(),
            value_cents: value * 100,
            owner: owner.into(),
            expected_close: NaiveDate::from_ymd_opt(2026, 9, 30),
            ..Default::default()
        };
        let opp = store
            .add_opportunity(
                &funnel,
                NewOpportunity {
                    fields,
                    stage: Some(stage),
                },
            )
            .unwrap();
        if stage == Stage::ProblemRecognized {
            let today = store.today();
            store
                .confirm_evidence(&opp.id, stage, today, "signed")
                .unwrap();
        }
    }
    store.set_target(&funnel, 2026, None, 1_000_000_00).unwrap();
    (store, funnel)
}

/// One step of a storm.
#[derive(Debug, Clone)]
enum Step {
    Key(KeyEvent),
    Resize(u16, u16),
}

/// Every key any table binds, and the ones that edit text.
fn known_keys() -> Vec<KeyEvent> {
    let tables = [
        Table::Board,
        Table::Help,
        Table::Evidence,
        Table::Text,
        Table::Confirm,
        Table::Form,
        Table::Picker,
        Table::Detail,
        Table::Agenda,
        Table::Entry,
    ];
    let keymap = Keymap::default();
    let mut keys: Vec<KeyEvent> = tables
        .iter()
        .flat_map(|t| keymap.table(*t))
        .flat_map(|b| b.keys.iter())
        .map(|k| KeyEvent::new(k.code, k.mods))
        .collect();
    for code in [
        KeyCode::Esc,
        KeyCode::Enter,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Home,
        KeyCode::End,
    ] {
        keys.push(KeyEvent::new(code, KeyModifiers::NONE));
    }
    keys
}

fn step() -> impl Strategy<Value = Step> {
    let known = proptest::sample::select(known_keys()).prop_map(Step::Key);
    let typed = proptest::char::any().prop_map(|c| {
        let mods = if c.is_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        Step::Key(KeyEvent::new(KeyCode::Char(c), mods))
    });
    let digit = proptest::char::range('0', '9')
        .prop_map(|c| Step::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
    let resize = (1u16..=160, 1u16..=50).prop_map(|(w, h)| Step::Resize(w, h));
    prop_oneof![12 => known, 3 => typed, 2 => digit, 1 => resize]
}

fn all(store: &Store, funnel: &Funnel) -> Vec<Opportunity> {
    let filter = CardFilter {
        closed_too: true,
        ..CardFilter::default()
    };
    store.opportunities(funnel, &filter).unwrap()
}

/// What undo promises to bring back: everything but the bookkeeping of each write.
fn comparable(mut opps: Vec<Opportunity>) -> Vec<Opportunity> {
    for o in &mut opps {
        o.version = 0;
        o.updated_at.clear();
        o.updated_by.clear();
    }
    opps
}

fn press(tui: &mut Tui, code: KeyCode) {
    tui.handle_key(&KeyEvent::new(code, KeyModifiers::NONE));
}

/// Every column shows the page a fresh read gives (progress included), and the cards it read
/// ahead are the column's, with the fresh progress or none yet.
fn columns_match_a_fresh_read(tui: &Tui) -> Result<(), TestCaseError> {
    let page = tui.board.page_size();
    for (stage, column) in Stage::ALL.into_iter().zip(&tui.board.columns) {
        let count = usize::try_from(column.count).unwrap();
        let read = |offset, limit| {
            tui.app
                .store
                .column_page(
                    &tui.app.funnel,
                    stage,
                    &tui.app.filter,
                    (offset, limit, count),
                )
                .unwrap()
        };
        let screen = read(column.offset, page);
        prop_assert_eq!(column.on_screen(page), screen.as_slice());
        let fresh = read(column.first, column.loaded.len());
        prop_assert_eq!(column.loaded.len(), fresh.len());
        for (card, fresh) in column.loaded.iter().zip(&fresh) {
            prop_assert_eq!(&card.opportunity, &fresh.opportunity);
            prop_assert!(card.progress.is_none() || card.progress == fresh.progress);
        }
    }
    Ok(())
}

/// `fixture` with `more` cards in the first column besides, a few of equal value.
fn crowded_fixture(more: i64) -> (Store, Funnel) {
    let (mut store, funnel) = fixture();
    for n in 0..more {
        let fields = OpportunityFields {
            title: format!("Lead {n}"),
            value_cents: (1_000 + n * 7 % 23 * 250) * 100,
            owner: ["ana", "bob", ""][n as usize % 3].into(),
            ..Default::default()
        };
        let new = NewOpportunity {
            fields,
            stage: Some(Stage::PreFunnel),
        };
        store.add_opportunity(&funnel, new).unwrap();
    }
    (store, funnel)
}

fn storm(steps: &[Step], size: (u16, u16)) -> Result<(), TestCaseError> {
    storm_over(fixture(), steps, size, false)
}

fn storm_over(
    (mut store, funnel): (Store, Funnel),
    steps: &[Step],
    size: (u16, u16),
    check_columns: bool,
) -> Result<(), TestCaseError> {
    // The state undoing everything must come back to.
    let mut barrier = comparable(all(&store, &funnel));
    {
        let mut tui = Tui::new(
            &mut store,
            funnel.clone(),
            Lang::En,
            &Config::default(),
            size,
        )
        .unwrap();
        for (i, step) in steps.iter().enumerate() {
            let view = tui.view();
            match step {
                Step::Key(key) => tui.handle_key(key),
                Step::Resize(w, h) => tui.update(Action::Resize {
                    width: *w,
                    height: *h,
                }),
            }
            // Drawing costs most of the time in a debug build: draw every new screen (resize,
            // another mode) and every tenth step.
            if i % 10 == 0 || matches!(step, Step::Resize(..)) || tui.view() != view {
                render_text(&tui);
            }
            if check_columns {
                columns_match_a_fresh_read(&tui)?;
            }
            if tui.app.history.is_empty() {
                barrier = comparable(all(tui.app.store, &funnel));
            }
        }
        // Back to the board at a usable size, then undo until there is nothing left.
        tui.update(Action::Resize {
            width: 120,
            height: 40,
        });
        for _ in 0..20 {
            if tui.view() == View::Board {
                break;
            }
            press(&mut tui, KeyCode::Esc);
        }
        prop_assert_eq!(&tui.view(), &View::Board);
        let mut undone = 0;
        loop {
            press(&mut tui, KeyCode::Char('u'));
            let notice = tui
                .app
                .notice
                .clone()
                .unwrap_or_else(|| panic!("no notice"));
            if notice.text.starts_with("Nothing to undo") {
                break;
            }
            prop_assert!(!notice.error, "undo failed: {}", notice.text);
            undone += 1;
            prop_assert!(undone <= steps.len(), "undo never ends");
        }
    }
    let now = all(&store, &funnel);
    let mut ids: Vec<&str> = now.iter().map(|o| o.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    prop_assert_eq!(ids.len(), now.len(), "a card is duplicated");
    prop_assert_eq!(store.check().unwrap(), []);
    prop_assert_eq!(comparable(now), barrier);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_keys_never_panic_and_undo_restores_everything(
        steps in proptest::collection::vec(step(), 0..200),
        size in (1u16..=200, 1u16..=60),
    ) {
        storm(&steps, size)?;
    }

    /// The same storm over a column of a hundred cards, mostly keys that scroll and move cards:
    /// after every step, what the board read ahead while scrolling and kept across moves is
    /// still what a fresh read gives.
    #[test]
    fn random_keys_keep_every_column_as_a_fresh_read_gives(
        steps in proptest::collection::vec(prop_oneof![3 => board_key(), 1 => step()], 0..200),
        size in (1u16..=200, 1u16..=60),
    ) {
        storm_over(crowded_fixture(100), &steps, size, true)?;
    }
}

/// The keys that scroll a column, move a card (forcing it past missing evidence) or undo.
fn board_key() -> impl Strategy<Value = Step> {
    let codes = [
        KeyCode::Char('j'),
        KeyCode::Char('k'),
        KeyCode::Char('j'),
        KeyCode::Char('k'),
        KeyCode::PageDown,
        KeyCode::PageUp,
        KeyCode::Char('g'),
        KeyCode::Char('G'),
        KeyCode::Char('h'),
        KeyCode::Char('l'),
        KeyCode::Char('L'),
        KeyCode::Char('H'),
        KeyCode::Char('f'),
        KeyCode::Char('u'),
    ];
    proptest::sample::select(codes.to_vec())
        .prop_map(|code| Step::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// Found by the storm: edit a card, delete it, then undo both. Undoing the delete wrote the card
/// again, so undoing the edit was refused as "changed elsewhere" until the history followed the
/// versions it writes itself.
#[test]
fn undoing_a_delete_then_the_edit_before_it_restores_the_card() {
    let key = |c: char| Step::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    let enter = Step::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    let steps = [key('e'), key('x'), enter.clone(), key('d'), enter];
    storm(&steps, (120, 40)).unwrap();
}
