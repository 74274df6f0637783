// Amounts in cents are written as units_cents: 300_00 is 300.00.
use super::*;
use Stage::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn win_rates_by_group_with_counts_values_and_targets() {
    let row = |name: &str, status, viable, count, value| GroupRow {
        name: name.into(),
        status,
        viable,
        count,
        value_cents: value,
    };
    let rows = [
        row("ana", Status::Won, true, 2, 300_00),
        row("ana", Status::Lost, true, 1, 50_00),
        row("ana", Status::Open, true, 2, 500_00),
        row("ana", Status::Open, false, 1, 100_00),
        row("bob", Status::Lost, false, 2, 80_00),
        row("bob", Status::Open, true, 1, 200_00),
    ];
    let targets = BTreeMap::from([("ana".to_owned(), 1000_00), ("cleo".to_owned(), 400_00)]);
    let g = group_figures(&rows, &targets);
    assert_eq!(g.len(), 3);
    // ana: 2 won, 1 lost → 2/3; RTV counts only the viable open 500; GAP = 1000 − 300 = 700.
    assert_eq!((g[0].won_count, g[0].lost_count), (2, 1));
    assert!(close(g[0].win_rate.unwrap(), 2.0 / 3.0));
    assert_eq!((g[0].won_cents, g[0].rtv_cents), (300_00, 500_00));
    assert_eq!(
        (g[0].target_cents, g[0].gap_cents),
        (Some(1000_00), Some(700_00))
    );
    // bob: nothing won out of 2 → 0; no target, so no GAP.
    assert_eq!(g[1].win_rate, Some(0.0));
    assert_eq!((g[1].rtv_cents, g[1].gap_cents), (200_00, None));
    // cleo: a target and nothing else: all of it to sell.
    assert_eq!(g[2].name, "cleo");
    assert_eq!((g[2].win_rate, g[2].gap_cents), (None, Some(400_00)));
}

/// A: 2 created in pre-funnel, lost in impact_defined; B: 1 from pre-funnel, won (counts as
/// reaching closing); C: 1 from problem_recognized, open in decision_criteria; D: 1 created in
/// commits_to_invest, lost in vendor_selected; E: 3 open, still in pre-funnel (undecided).
fn journeys() -> Vec<JourneyRow> {
    let j = |first, last, status, count| JourneyRow {
        first,
        last,
        status,
        count,
    };
    vec![
        j(PreFunnel, ImpactDefined, Status::Lost, 2),
        j(PreFunnel, CommitsToInvest, Status::Won, 1),
        j(ProblemRecognized, DecisionCriteria, Status::Open, 1),
        j(CommitsToInvest, VendorSelected, Status::Lost, 1),
        j(PreFunnel, PreFunnel, Status::Open, 3),
    ]
}

#[test]
fn stage_conversion_from_hand_counted_journeys() {
    let c = conversion(&journeys());
    let r = |hits, of| Ratio { hits, of };
    // pre→problem: A, B decided and through (E undecided) = 3/3; problem→impact: A, B, C = 4/4;
    // impact→commits: A stopped, B and C through = 2/4; commits→criteria: B, C, D = 3/3;
    // criteria→alternatives: B, D (C still there) = 2/2; alternatives→selected: B, D = 2/2;
    // selected→closing: B through, D lost there = 1/2.
    assert_eq!(
        c.next,
        [
            r(3, 3),
            r(4, 4),
            r(2, 4),
            r(3, 3),
            r(2, 2),
            r(2, 2),
            r(1, 2)
        ]
    );
    // → won, closed only: stages 0–2 saw A (2 lost) and B (won) = 1/3; 3–6 saw B and D = 1/2;
    // closing saw B alone = 1/1.
    assert_eq!(
        c.won,
        [
            r(1, 3),
            r(1, 3),
            r(1, 3),
            r(1, 2),
            r(1, 2),
            r(1, 2),
            r(1, 2),
            r(1, 1)
        ]
    );
    // Viable and closed: B (won) and D (lost); A never became viable.
    assert_eq!(c.viable_won, r(1, 2));
    let p = c.win_probabilities(0.25);
    assert!(close(p[0], 1.0 / 3.0) && close(p[7], 1.0));
    assert!(close(conversion(&[]).win_probabilities(0.25)[3], 0.25));
}

#[test]
fn required_factor_is_one_over_the_viable_win_rate_or_the_default() {
    let c = conversion(&journeys());
    assert_eq!(
        required_factor(&c, 3.0),
        RequiredFactor {
            value: 2.0,
            from_history: true
        }
    );
    let lost_only = [JourneyRow {
        first: CommitsToInvest,
        last: Closing,
        status: Status::Lost,
        count: 4,
    }];
    let r = required_factor(&conversion(&lost_only), 3.0);
    assert_eq!((r.value, r.from_history), (3.0, false));
    // Near is within 10% of 2.0: [1.8, 2.2].
    assert_eq!(Judgement::of(1.5, 2.0), Judgement::Below);
    assert_eq!(Judgement::of(2.1, 2.0), Judgement::Near);
    assert_eq!(Judgement::of(2.3, 2.0), Judgement::Above);
}

#[test]
fn weakest_stage_alone_and_against_the_team() {
    let seller = conversion(&journeys());
    // Alone: impact→commits (1/2) is the first of the two worst steps.
    assert_eq!(seller.weakest(None), Some(ImpactDefined));
    // A team that converts impact→commits as badly but vendor_selected→closing always: the
    // seller's shortfall is there.
    let mut team = seller.clone();
    team.next[6] = Ratio { hits: 5, of: 5 };
    assert_eq!(seller.weakest(Some(&team)), Some(VendorSelected));
    assert_eq!(Conversion::default().weakest(None), None);
}

#[test]
fn medians_of_histograms() {
    let d = |days, count| DaysCount { days, count };
    // 1, 1, 3, 10 → (1 + 3) / 2.
    assert_eq!(median_days(&[d(3, 1), d(1, 2), d(10, 1)]), Some(2.0));
    assert_eq!(median_days(&[d(5, 3)]), Some(5.0));
    assert_eq!(median_days(&[]), None);
    // impact_defined: 2, 4, 9 → 4; purchase: 30, 30, 60 → 30.
    let l = lead_times(
        &[
            (ImpactDefined, d(2, 1)),
            (ImpactDefined, d(9, 1)),
            (ImpactDefined, d(4, 1)),
        ],
        &[d(30, 2), d(60, 1)],
    );
    assert_eq!(l.stages[ImpactDefined.index()], Some(4.0));
    assert_eq!(l.stages[PreFunnel.index()], None);
    assert_eq!(l.purchase, Some(30.0));
}

fn probs(p: &[(Stage, f64)]) -> [f64; Stage::COUNT] {
    let mut out = [0.0; Stage::COUNT];
    for (s, v) in p {
        out[s.index()] = *v;
    }
    out
}

#[test]
fn probability_on_hand_computed_cases() {
    let o = |stage, value_cents, count| OpenValue {
        stage,
        value_cents,
        count,
    };
    let win = probs(&[(Closing, 0.5), (DecisionCriteria, 0.4)]);
    let open = [o(Closing, 60_00, 1), o(DecisionCriteria, 50_00, 1)];
    // Target 100 from nothing: both must close: 0.5 × 0.4 = 0.2.
    let p = probability_of_target(0, 100_00, &open, &win);
    assert!((p - 0.2).abs() < 1e-9, "{p}");
    // 50 already sold: either closing is enough: 1 − 0.5 × 0.6 = 0.7.
    let p = probability_of_target(50_00, 100_00, &open, &win);
    assert!((p - 0.7).abs() < 1e-9, "{p}");
    // Three equal 40s at 1/2, target 80: at least two of three: 3/8 + 1/8 = 1/2.
    let p = probability_of_target(0, 80_00, &[o(Closing, 40_00, 3)], &win);
    assert!((p - 0.5).abs() < 1e-9, "{p}");
    // Reached already; or nothing can close.
    assert_eq!(probability_of_target(100_00, 100_00, &[], &win), 1.0);
    assert_eq!(probability_of_target(0, 1, &[], &win), 0.0);
}

/// The exact distribution over cents (feasible for small amounts only).
fn exact(sales: i128, target: i128, open: &[OpenValue], win: &[f64; Stage::COUNT]) -> f64 {
    let need = usize::try_from(target - sales).unwrap();
    let mut dist = vec![0.0; need + 1];
    dist[0] = 1.0;
    for o in open {
        let p = win[o.stage.index()];
        for _ in 0..o.count {
            let mut next = vec![0.0; need + 1];
            for (j, d) in dist.iter().enumerate() {
                next[j] += d * (1.0 - p);
                next[(j + o.value_cents as usize).min(need)] += d * p;
            }
            dist = next;
        }
    }
    dist[need]
}

#[test]
fn probability_within_a_point_of_the_exact_distribution() {
    // A fixed pseudo-random funnel: 120 deals of 1 to 2,000.00 cents in every stage.
    let mut x: u64 = 7;
    let mut next = |n: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % n
    };
    let open: Vec<OpenValue> = (0..120)
        .map(|_| OpenValue {
            stage: Stage::ALL[next(8) as usize],
            value_cents: 1 + next(2_000) as i64,
            count: 1 + next(2) as i64,
        })
        .collect();
    let win = Stage::ALL.map(|s| 0.05 + 0.1 * s.index() as f64);
    for target in [20_000, 55_000, 90_000] {
        let (approx, truth) = (
            probability_of_target(0, target, &open, &win),
            exact(0, target, &open, &win),
        );
        assert!(
            (approx - truth).abs() < 0.01,
            "{target}: {approx} vs {truth}"
        );
    }
    // Many tiny deals, each smaller than a unit: the rounding correction keeps it right.
    let tiny = [OpenValue {
        stage: Closing,
        value_cents: 3,
        count: 3_000,
    }];
    let win = probs(&[(Closing, 0.3)]);
    for target in [2_650, 2_700, 2_760] {
        let (approx, truth) = (
            probability_of_target(0, target, &tiny, &win),
            exact(0, target, &tiny, &win),
        );
        assert!(
            (approx - truth).abs() < 0.01,
            "{target}: {approx} vs {truth}"
        );
    }
}

#[test]
fn concentration_of_the_top_three_accounts() {
    let top = vec![
        ("Dora".to_owned(), 50_00),
        ("Alba".to_owned(), 500_00),
        ("Cyra".to_owned(), 100_00),
        ("Bern".to_owned(), 300_00),
    ];
    // Alba + Bern + Cyra = 900 of 1,000 = 0.9 > 1/2.
    let c = concentration(top.clone(), 1000_00);
    assert_eq!(c.accounts[0], ("Alba".to_owned(), 500_00));
    assert_eq!(c.accounts.len(), 3);
    assert!(close(c.top3_share.unwrap(), 0.9) && c.flagged);
    // 900 of 2,000 = 0.45: not flagged.
    let c = concentration(top, 2000_00);
    assert!(close(c.top3_share.unwrap(), 0.45) && !c.flagged);
    assert_eq!(concentration(vec![], 0).top3_share, None);
}
