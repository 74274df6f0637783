//! The seller's day at scale: the agenda (its first 100 lines and every flag's count), one
//! seller's agenda, one seller's agenda of a rare flag, the flag counts alone (the title bar's,
//! read after each change), the upkeep per seller, and a board column by next step due, on demo
//! funnels of 1k, 100k or 1M cards.
//!
//! Sizes come from `FUNNEL_BENCH_SIZES` (comma-separated, default `1000`), e.g.
//! `FUNNEL_BENCH_SIZES=1000000 cargo bench --bench agenda`. Each database is generated once
//! into `target/bench-data/agenda-N.db` and reused: the demo's cards, then a dated next step
//! on one open card in ten (overdue, due today or later) and an activity on one in twenty,
//! written through the store as a seller would (the file remembers it is done in a funnel
//! setting).

use chrono::{Days, NaiveTime};
use criterion::{Criterion, criterion_group, criterion_main};
use funnel::domain::{ActivityKind, Flag, NewActivity, Stage, UpkeepSettings};
use funnel::store::{CardFilter, ColumnOrder, Funnel, Store};

mod common;
use common::{sizes, today};

/// Each stage's expected days, as the default catalog has them.
const EXPECTED: [u32; 8] = [14, 21, 30, 30, 30, 21, 21, 14];
/// The funnel setting saying the next steps and activities are written.
const SEEDED: &str = "bench.day";

/// The database of `size` cards with next steps and activities, made on first use.
fn open(size: usize) -> (Store, Funnel) {
    let (mut store, funnel) = common::demo("agenda", size);
    if store.funnel_setting(&funnel, SEEDED).unwrap().is_none() {
        seed_the_day(&mut store, &funnel);
        store.set_funnel_setting(&funnel, SEEDED, "1").unwrap();
    }
    (store, funnel)
}

fn seed_the_day(store: &mut Store, funnel: &Funnel) {
    let mut ids = Vec::new();
    let mut n = 0;
    store
        .for_each_opportunity(funnel, &CardFilter::default(), |o| {
            if n % 10 == 0 {
                ids.push(o.id);
            }
            n += 1;
            Ok(())
        })
        .unwrap();
    for (i, id) in ids.iter().enumerate() {
        // From 20 days ago to 20 days ahead: some overdue, some today, most later.
        let due = (today() - Days::new(20)) + Days::new((i % 41) as u64);
        let at = NaiveTime::from_hms_opt(9 + (i % 8) as u32, 0, 0);
        store
            .set_next_step(id, None, "Call the buyer", Some(due), at)
            .unwrap();
        if i % 2 == 0 {
            let call = NewActivity {
                kind: ActivityKind::Call,
                on: today() - Days::new((i % 30) as u64),
                at: None,
                with: "Buyer".into(),
                summary: "Went over the proposal".into(),
            };
            store.log_activity(id, &call).unwrap();
        }
    }
}

fn bench(c: &mut Criterion) {
    let settings = UpkeepSettings::default();
    for size in sizes() {
        let (store, funnel) = open(size);
        let owner = store.owners(&funnel).unwrap().into_iter().next();
        let owner = owner.as_deref();
        c.bench_function(&format!("agenda/{size}"), |b| {
            b.iter(|| {
                let agenda =
                    (store.agenda(&funnel, None, today(), &settings, &EXPECTED, 100)).unwrap();
                assert!(size < 1000 || agenda.lines.len() == 100);
                agenda
            })
        });
        c.bench_function(&format!("agenda_of_a_seller/{size}"), |b| {
            b.iter(|| (store.agenda(&funnel, owner, today(), &settings, &EXPECTED, 100)).unwrap())
        });
        // A flag few cards raise (due today: one card in 400), for a seller: from its dated
        // range rather than a walk over every card.
        let rare = UpkeepSettings {
            flags: [Flag::DueToday].into_iter().collect(),
            ..settings
        };
        c.bench_function(&format!("agenda_of_a_rare_flag/{size}"), |b| {
            b.iter(|| (store.agenda(&funnel, owner, today(), &rare, &EXPECTED, 100)).unwrap())
        });
        c.bench_function(&format!("flag_counts/{size}"), |b| {
            b.iter(|| (store.flag_counts(&funnel, None, today(), &settings, &EXPECTED)).unwrap())
        });
        c.bench_function(&format!("upkeep_by_owner/{size}"), |b| {
            b.iter(|| (store.upkeep_by_owner(&funnel, today(), &settings, &EXPECTED)).unwrap())
        });
        let by_due = CardFilter {
            order: ColumnOrder::NextStepDue,
            ..CardFilter::default()
        };
        let stage = Stage::ProblemRecognized;
        let count = store.column_totals(&funnel, &by_due, &[stage]).unwrap()[0].0 as usize;
        c.bench_function(&format!("column_by_next_step/{size}"), |b| {
            b.iter(|| (store.column_page(&funnel, stage, &by_due, (0, 60, count))).unwrap())
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
