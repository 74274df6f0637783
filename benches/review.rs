//! The review at scale: what changed for one seller since their previous meeting (the one
//! the demo keeps two weeks back), for one seller over the last 30 days, and for a team
//! since its meeting with its lead, on demo funnels of 1k, 100k or 1M cards (goal: one
//! seller's in 100 ms at 1M).
//!
//! Sizes come from `FUNNEL_BENCH_SIZES` (comma-separated, default `1000`), e.g.
//! `FUNNEL_BENCH_SIZES=1000000 cargo bench --bench review`. Each database is generated once
//! into `target/bench-data/review-N.db` and reused: the demo's cards with their pushed close
//! dates, forced moves and previous meetings.

use chrono::Days;
use criterion::{Criterion, criterion_group, criterion_main};
use funnel::domain::review::ReviewScope;
use funnel::domain::upkeep::DEFAULT_INACTIVE_DAYS;
use funnel::insight::changes;

mod common;
use common::{sizes, today};

fn bench(c: &mut Criterion) {
    let seller = ReviewScope::Owner("Marc Dubois".into());
    let team = ReviewScope::Team("Enterprise".into());
    let month_ago = Some(today() - Days::new(30));
    for size in sizes() {
        let (store, funnel) = common::demo("review", size);
        let review = |scope: &ReviewScope, since| {
            changes::review(&store, &funnel, scope, since, DEFAULT_INACTIVE_DAYS).unwrap()
        };
        let first = review(&seller, None);
        assert!(size < 1000 || first.counts.pushed > 0, "{:?}", first.counts);
        c.bench_function(&format!("changes_of_a_seller/{size}"), |b| {
            b.iter(|| review(&seller, None))
        });
        c.bench_function(&format!("changes_of_a_seller_30_days/{size}"), |b| {
            b.iter(|| review(&seller, month_ago))
        });
        c.bench_function(&format!("changes_of_a_team/{size}"), |b| {
            b.iter(|| review(&team, None))
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
