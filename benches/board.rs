//! The in-process rows of BENCHMARKS.md: a key press to an updated 200x60 frame (a forced move
//! forward, and selection moves), the cards a scrolled line reads inside a run of equal values,
//! and the report's figures, on demo funnels of 1k, 100k or 1M opportunities.
//!
//! Sizes come from `FUNNEL_BENCH_SIZES` (comma-separated, default `1000` so `cargo bench` stays
//! quick), e.g. `FUNNEL_BENCH_SIZES=1000,100000,1000000 cargo bench --bench board`. Each
//! database is generated once into `target/bench-data/` and reused; the move benchmark moves a
//! card forward and back again, so the data stays the same from run to run. Criterion reports
//! means and medians; the p50/p99 of every timed key are printed too, since the targets are
//! percentiles. As in the interactive board, the slower figures (probability, conversion) are
//! computed by the figures worker on another thread, pumped between keys, outside the timing.

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use funnel::config::Config;
use funnel::domain::{Lang, Period, Stage, indicators};
use funnel::store::{CardFilter, Funnel, Side, Store};
use funnel::tui::keymap::Table;
use funnel::tui::{Tui, View, worker};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

mod common;
use common::{sizes, today};

const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;

fn key(c: char) -> KeyEvent {
    let modifiers = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    KeyEvent::new(KeyCode::Char(c), modifiers)
}

/// Every timed key, to print percentiles after criterion's summary.
#[derive(Default)]
struct Samples(Vec<Duration>);

impl Samples {
    fn report(&mut self, name: &str) {
        // A benchmark left out by a name filter took no samples.
        if self.0.is_empty() {
            return;
        }
        self.0.sort_unstable();
        let at = |q: f64| self.0[((self.0.len() - 1) as f64 * q) as usize];
        eprintln!(
            "{name}: p50 {:?}  p99 {:?}  ({} samples)",
            at(0.5),
            at(0.99),
            self.0.len()
        );
    }
}

fn board(c: &mut Criterion) {
    for size in sizes() {
        let (mut store, funnel) = common::demo("demo", size);
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
        let config = Config::default();
        // As the interactive board runs: the slower figures on a worker, pumped between keys.
        let figures = worker::start_figures(&store).unwrap();
        let mut tui =
            Tui::with_figures(&mut store, funnel, Lang::En, &config, (WIDTH, HEIGHT), true)
                .unwrap();
        let mut frame = |tui: &Tui| {
            terminal.draw(|f| tui.draw(f)).unwrap();
        };
        frame(&tui);

        // The top card of the first column goes one stage forward (forced when its evidence
        // is missing), the frame is drawn; then, untimed, it goes back.
        let mut samples = Samples::default();
        c.bench_function(&format!("move_forward_to_frame/{size}"), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    tui.board.focus = 0;
                    let start = Instant::now();
                    tui.handle_key(&key('L'));
                    if tui.view() == View::Overlay(Table::Evidence) {
                        tui.handle_key(&key('f'));
                    }
                    frame(&tui);
                    let took = start.elapsed();
                    assert_eq!(tui.board.focus, 1, "{:?}", tui.app.notice);
                    tui.handle_key(&key('H'));
                    figures.pump(&mut tui);
                    total += took;
                    samples.0.push(took);
                }
                total
            })
        });
        samples.report(&format!("move_forward_to_frame/{size}"));

        // Down and up the first columns, and across: what browsing the board costs.
        let keys: Vec<char> = "jjjjjjjjjjjjjjjjjjjjlkkkkkkkkkkkkkkkkkkkkh"
            .chars()
            .collect();
        let mut samples = Samples::default();
        let mut next = 0;
        c.bench_function(&format!("select_to_frame/{size}"), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let k = key(keys[next % keys.len()]);
                    next += 1;
                    let start = Instant::now();
                    tui.handle_key(&k);
                    frame(&tui);
                    let took = start.elapsed();
                    total += took;
                    samples.0.push(took);
                    figures.pump(&mut tui);
                }
                total
            })
        });
        samples.report(&format!("select_to_frame/{size}"));

        // `funnel report`'s figures, in process: running totals, target, indicators.
        let funnel = tui.app.funnel.clone();
        let store = &*tui.app.store;
        read_ahead_among_equal_values(c, store, &funnel, size);
        let period = Period::containing(today(), funnel.fiscal_start);
        c.bench_function(&format!("report/{size}"), |b| {
            b.iter(|| {
                let rows = store.totals(&funnel).unwrap();
                let target = store.target(&funnel, period.year, None).unwrap();
                indicators::summarize(&rows, period, true, target.map(i128::from), None)
            })
        });
    }
}

/// What a line scrolled in the middle of the longest run of equal values at the bottom of the
/// first column reads: the 4 cards below (round amounts make runs of thousands at 1M).
fn read_ahead_among_equal_values(c: &mut Criterion, store: &Store, funnel: &Funnel, size: usize) {
    let filter = CardFilter::default();
    let stage = Stage::PreFunnel;
    let count = store.column_totals(funnel, &filter, &[stage]).unwrap()[0].0 as usize;
    let bottom = count.min(8_192);
    let cards =
        (store.column_page(funnel, stage, &filter, (count - bottom, bottom, count))).unwrap();
    let value = |i: usize| cards[i].opportunity.fields.value_cents;
    let (mut longest, mut start) = ((0, 0), 0);
    for i in 1..=cards.len() {
        if i == cards.len() || value(i) != value(start) {
            longest = longest.max((i - start, start));
            start = i;
        }
    }
    let (run, first) = longest;
    let card = &cards[first + run / 2].opportunity;
    eprintln!("read_ahead_among_equal_values/{size}: a run of {run} cards of one value");
    c.bench_function(&format!("read_ahead_among_equal_values/{size}"), |b| {
        b.iter(|| (store.column_beside(funnel, &filter, card, Side::Below, 4)).unwrap())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).warm_up_time(Duration::from_secs(1));
    targets = board
}
criterion_main!(benches);
