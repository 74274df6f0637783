//! The indicators through the library as the screens get them: history made with a fixed
//! clock driving real moves, then `insight::compute` checked against hand-computed figures.

use chrono::{NaiveDate, NaiveDateTime};
use funnel::domain::{OpportunityFields, Period, Stage};
use funnel::insight;
use funnel::store::{Clock, NewOpportunity, Store};

fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

#[test]
fn conversion_lead_times_and_probability_from_real_moves() {
    let mut store = Store::open_in_memory().unwrap();
    store.set_clock(Clock::Fixed(at(2026, 1, 1)));
    let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
    let add = |store: &mut Store, title: &str, cents: i64, stage| {
        let fields = OpportunityFields {
            title: title.into(),
            account: title.into(),
            value_cents: cents,
            owner: "ana".into(),
            expected_close: NaiveDate::from_ymd_opt(2026, 11, 30),
            ..Default::default()
        };
        store
            .add_opportunity(
                &funnel,
                NewOpportunity {
                    fields,
                    stage: Some(stage),
                },
            )
            .unwrap()
            .id
    };
    // Three cards enter impact_defined on 01-01; two reach commits_to_invest after 4 and 8 days;
    // one of those is won on 02-01 (31 days after creation), the other lost; the third is lost
    // in impact_defined on 01-21 (20 days).
    let ids: Vec<String> = ["A", "B", "C"]
        .iter()
        .map(|t| add(&mut store, t, 100_00, Stage::ImpactDefined))
        .collect();
    store.set_clock(Clock::Fixed(at(2026, 1, 5)));
    store
        .move_stage(&ids[0], None, Stage::CommitsToInvest, true)
        .unwrap();
    store.set_clock(Clock::Fixed(at(2026, 1, 9)));
    store
        .move_stage(&ids[1], None, Stage::CommitsToInvest, true)
        .unwrap();
    store.set_clock(Clock::Fixed(at(2026, 1, 21)));
    store
        .mark_lost(&ids[2], None, "no budget", store.today())
        .unwrap();
    store
        .mark_lost(&ids[1], None, "rival", store.today())
        .unwrap();
    store.set_clock(Clock::Fixed(at(2026, 2, 1)));
    store.mark_won(&ids[0], None, store.today()).unwrap();
    // Open now: D (500, commits_to_invest, p = 1/2 from A won, B lost).
    add(&mut store, "D", 500_00, Stage::CommitsToInvest);
    store.set_target(&funnel, 2026, None, 400_00).unwrap();

    let period = Period::new(2026, 1);
    let summary = insight::summary(&store, &funnel, period, None).unwrap();
    let ins = insight::compute(&store, &funnel, summary, None, 3.0).unwrap();
    // impact→commits: A, B through, C lost there = 2/3; commits→won: A of A, B = 1/2.
    let c = &ins.conversion;
    assert_eq!((c.next[2].hits, c.next[2].of), (2, 3));
    assert_eq!((c.won[3].hits, c.won[3].of), (1, 2));
    // Viable and closed: A (won), B (lost) → factor 2.
    assert_eq!(ins.required.value, 2.0);
    assert!(ins.required.from_history);
    // Days in impact_defined: 4, 8, 20 → 8; in commits_to_invest: B 12 (01-09 → 01-21),
    // A 27 (01-05 → 02-01) → 19.5; purchase: A, 31 days.
    assert_eq!(
        ins.lead_times.stages[Stage::ImpactDefined.index()],
        Some(8.0)
    );
    assert_eq!(
        ins.lead_times.stages[Stage::CommitsToInvest.index()],
        Some(19.5)
    );
    assert_eq!(ins.lead_times.purchase, Some(31.0));
    // GAP 400 − 100 = 300: only D (500) can close it, with p = 1/2.
    assert!((ins.probability.unwrap() - 0.5).abs() < 1e-9);
    // RTV is D alone (500): one account holds all of it.
    assert!(ins.concentration.flagged);
    // Factor 500 / 300 ≈ 1.67 against 2: within 10%? 1.67 < 1.8 → below.
    assert_eq!(
        ins.judgement(),
        Some(funnel::domain::insight::Judgement::Below)
    );
    insight::record_snapshot(&mut store, &funnel, &ins).unwrap();
    let snaps = store.snapshots(&funnel, 2026, store.today()).unwrap();
    assert_eq!(snaps, [ins.snapshot(store.today())]);
}
