//! The coaching figures at scale, on demo funnels of 1k, 100k or 1M cards: a team one-to-one's
//! figures with unchanged data (goal: ≤ 100 ms at 1M; the upkeep and unverified shares are
//! kept from the first opening) and after a change of a card (they are read again), a seller's
//! 90-day trend, and the once-a-day snapshots of every seller and team (each iteration a new
//! day, the history-wide figures kept).
//!
//! Sizes come from `FUNNEL_BENCH_SIZES` (comma-separated, default `1000`), e.g.
//! `FUNNEL_BENCH_SIZES=1000000 cargo bench --bench team_review`. Each database is generated
//! once into `target/bench-data/team_review-N.db` and reused.

use chrono::Days;
use criterion::{Criterion, criterion_group, criterion_main};
use funnel::config::DEFAULT_REQUIRED_FACTOR;
use funnel::domain::review::ReviewScope;
use funnel::domain::{Period, Stage, UpkeepSettings};
use funnel::insight::{snapshots, team};
use funnel::store::Clock;

mod common;
use common::{sizes, today};

/// Each stage's expected days, as the default catalog has them.
const EXPECTED: [u32; Stage::COUNT] = [14, 21, 30, 30, 30, 21, 21, 14];

fn bench(c: &mut Criterion) {
    let settings = UpkeepSettings::default();
    for size in sizes() {
        let (mut store, funnel) = common::demo("team_review", size);
        let period = Period::containing(today(), funnel.fiscal_start);
        let name = store.teams(&funnel).unwrap().into_iter().next().unwrap();
        // The first opening keeps what the next ones read.
        team::team_review(&store, &funnel, &name, period, &settings, &EXPECTED).unwrap();
        c.bench_function(&format!("team_review/{size}"), |b| {
            b.iter(|| {
                let review =
                    team::team_review(&store, &funnel, &name, period, &settings, &EXPECTED);
                assert!(!review.unwrap().sellers.is_empty());
            })
        });

        // After a change of a card: the upkeep and unverified shares are read again.
        let card = store
            .stale(&funnel, None, today(), &EXPECTED, 1)
            .unwrap()
            .remove(0);
        let mut n = 0;
        c.bench_function(&format!("team_review_after_a_change/{size}"), |b| {
            b.iter(|| {
                n += 1;
                let step = format!("Call the buyer ({n})");
                store
                    .set_next_step(&card.id, None, &step, None, None)
                    .unwrap();
                team::team_review(&store, &funnel, &name, period, &settings, &EXPECTED).unwrap()
            })
        });

        let seller = ReviewScope::Owner(store.owners(&funnel).unwrap().remove(0));
        snapshots::record_scoped(&mut store, &funnel, DEFAULT_REQUIRED_FACTOR).unwrap();
        c.bench_function(&format!("trend_of_a_seller/{size}"), |b| {
            b.iter(|| snapshots::trend(&store, &funnel, &seller, 90).unwrap())
        });

        let mut day = today();
        c.bench_function(&format!("scoped_snapshots_of_a_day/{size}"), |b| {
            b.iter(|| {
                day = day + Days::new(1);
                store.set_clock(Clock::Fixed(day.and_hms_opt(12, 0, 0).unwrap()));
                snapshots::record_scoped(&mut store, &funnel, DEFAULT_REQUIRED_FACTOR).unwrap();
            })
        });
        store.set_clock(Clock::Fixed(today().and_hms_opt(12, 0, 0).unwrap()));
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
