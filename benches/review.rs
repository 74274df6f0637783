//! The review at scale: what changed for one seller since their previous meeting (the one
//! the demo keeps two weeks back), for one seller over the last 30 days, and for a team
//! since its meeting with its lead, on demo funnels of 1k, 100k or 1M cards (goal: one
//! seller's in 100 ms at 1M). The demo's six sellers hold a sixth of the funnel each (at 1M,
//! some 50,000 of a seller's cards change in two weeks); a seller with a book of 2,000 cards,
//! written into the funnel through the store, shows what a review costs in a large funnel
//! for a seller of ordinary size: it reads the seller's changes, not the funnel.
//!
//! Sizes come from `FUNNEL_BENCH_SIZES` (comma-separated, default `1000`), e.g.
//! `FUNNEL_BENCH_SIZES=1000000 cargo bench --bench review`. Each database is generated once
//! into `target/bench-data/review-N.db` and reused: the demo's cards with their pushed close
//! dates, forced moves and previous meetings.

use chrono::Days;
use criterion::{Criterion, criterion_group, criterion_main};
use funnel::domain::review::ReviewScope;
use funnel::domain::upkeep::DEFAULT_INACTIVE_DAYS;
use funnel::domain::{OpportunityFields, Stage};
use funnel::insight::changes;
use funnel::store::{Clock, Funnel, NewOpportunity, Store};

mod common;
use common::{sizes, today};

/// The seller of ordinary size, and the funnel setting saying their book is written.
const NINA: &str = "Nina Lang";
const SEEDED: &str = "bench.review";

/// Nina's 2,000 cards, created over the last 40 days; one in five has its close date pushed
/// twice since, one in seven was forced two stages on.
fn seed_a_book(store: &mut Store, funnel: &Funnel) {
    let noon = |back: u64| (today() - Days::new(back)).and_hms_opt(12, 0, 0).unwrap();
    for i in 0..2_000u64 {
        store.set_clock(Clock::Fixed(noon(40 - i % 40)));
        let new = NewOpportunity {
            fields: OpportunityFields {
                title: format!("Deal {i}"),
                value_cents: 1_000_00 * (1 + (i % 97) as i64),
                owner: NINA.into(),
                team: "Enterprise".into(),
                expected_close: Some(today() + Days::new(30 + i % 60)),
                ..OpportunityFields::default()
            },
            stage: Some(Stage::ProblemRecognized),
        };
        let card = store.add_opportunity(funnel, new).unwrap();
        if i % 5 == 0 {
            for push in 1..=2 {
                store.set_clock(Clock::Fixed(noon(20 - 5 * push)));
                let card = store.opportunity(&card.id).unwrap();
                let mut fields = card.fields.clone();
                fields.expected_close = fields.expected_close.map(|d| d + Days::new(14));
                store.update_fields(&card.id, card.version, fields).unwrap();
            }
        }
        if i % 7 == 0 {
            store.set_clock(Clock::Fixed(noon(3)));
            (store.move_stage(&card.id, None, Stage::CommitsToInvest, true)).unwrap();
        }
    }
    store.set_clock(Clock::Fixed(today().and_hms_opt(12, 0, 0).unwrap()));
}

fn bench(c: &mut Criterion) {
    let seller = ReviewScope::Owner("Marc Dubois".into());
    let team = ReviewScope::Team("Enterprise".into());
    let month_ago = Some(today() - Days::new(30));
    for size in sizes() {
        let (mut store, funnel) = common::demo("review", size);
        if store.funnel_setting(&funnel, SEEDED).unwrap().is_none() {
            seed_a_book(&mut store, &funnel);
            store.set_funnel_setting(&funnel, SEEDED, "1").unwrap();
        }
        let nina = ReviewScope::Owner(NINA.into());
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
        c.bench_function(&format!("changes_of_a_seller_of_2000_cards/{size}"), |b| {
            b.iter(|| review(&nina, month_ago))
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
