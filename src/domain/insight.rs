//! Forward-looking indicators: win rates by group, stage conversion, lead times, the required
//! funnel factor, the probability of reaching the target, concentration and daily snapshots.
//!
//! Pure functions of small aggregated rows: the store groups in SQL (a few rows per stage, value
//! or day, never one per opportunity) and these functions do the arithmetic, so each figure is
//! tested here on fixtures computed by hand.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::{Stage, Status};

/// What win rates are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    Owner,
    Team,
    Region,
    Territory,
}

impl GroupBy {
    pub const ALL: [GroupBy; 4] = [
        GroupBy::Owner,
        GroupBy::Team,
        GroupBy::Region,
        GroupBy::Territory,
    ];

    pub fn key(self) -> &'static str {
        match self {
            GroupBy::Owner => "owner",
            GroupBy::Team => "team",
            GroupBy::Region => "region",
            GroupBy::Territory => "territory",
        }
    }

    /// The next grouping, in order (the dashboard's key cycles through them).
    pub fn next(self) -> GroupBy {
        GroupBy::ALL[(self as usize + 1) % GroupBy::ALL.len()]
    }
}

/// Count and value of the period's opportunities of one group, status and viability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRow {
    pub name: String,
    pub status: Status,
    pub viable: bool,
    pub count: i64,
    pub value_cents: i128,
}

/// One line of the win rates by group.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupFigures {
    pub name: String,
    pub won_count: i64,
    pub lost_count: i64,
    /// Won / (won + lost) by count; `None` when nothing closed.
    pub win_rate: Option<f64>,
    pub won_cents: i128,
    pub rtv_cents: i128,
    pub target_cents: Option<i128>,
    pub gap_cents: Option<i128>,
}

impl GroupFigures {
    fn empty(name: &str) -> GroupFigures {
        GroupFigures {
            name: name.to_owned(),
            won_count: 0,
            lost_count: 0,
            win_rate: None,
            won_cents: 0,
            rtv_cents: 0,
            target_cents: None,
            gap_cents: None,
        }
    }
}

/// Win rates and values per group, by name; `targets` by group name (sellers' targets).
pub fn group_figures(rows: &[GroupRow], targets: &BTreeMap<String, i128>) -> Vec<GroupFigures> {
    let mut groups = BTreeMap::<&str, GroupFigures>::new();
    for row in rows {
        let g = groups
            .entry(&row.name)
            .or_insert_with(|| GroupFigures::empty(&row.name));
        match row.status {
            Status::Won => {
                g.won_count += row.count;
                g.won_cents += row.value_cents;
            }
            Status::Lost => g.lost_count += row.count,
            Status::Open if row.viable => g.rtv_cents += row.value_cents,
            Status::Open => {}
        }
    }
    // A seller with a target and nothing in the period still has a line (all to sell).
    for name in targets.keys() {
        groups
            .entry(name)
            .or_insert_with(|| GroupFigures::empty(name));
    }
    groups
        .into_values()
        .map(|mut g| {
            let closed = g.won_count + g.lost_count;
            g.win_rate = (closed > 0).then(|| g.won_count as f64 / closed as f64);
            g.target_cents = targets.get(&g.name).copied();
            g.gap_cents = g.target_cents.map(|t| t - g.won_cents);
            g
        })
        .collect()
}

/// How many opportunities took a path through the stages: the stage they were created in, the
/// furthest stage they reached and their status now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct JourneyRow {
    pub first: Stage,
    pub last: Stage,
    pub status: Status,
    pub count: i64,
}

/// `hits` out of `of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ratio {
    pub hits: i64,
    pub of: i64,
}

impl Ratio {
    pub fn rate(self) -> Option<f64> {
        (self.of > 0).then(|| self.hits as f64 / self.of as f64)
    }
}

/// Stage conversion from the history. Only decided opportunities count: one still open in
/// stage i has not yet said whether it reaches i+1, and counting it as "not reached" would
/// understate every young funnel. Cards created beyond a stage never entered it. A won card
/// counts as having reached every stage (the customer committed).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Conversion {
    /// Stage i → i+1: of those that entered i and left it (forward or closed), how many reached
    /// i+1.
    pub next: [Ratio; Stage::COUNT - 1],
    /// Stage i → won: of the closed ones that entered i, how many were won.
    pub won: [Ratio; Stage::COUNT],
    /// Closed opportunities that reached a viable stage, and how many of them were won.
    pub viable_won: Ratio,
}

impl Conversion {
    /// The stage → won rates, with `fallback` for stages without closed history.
    pub fn win_probabilities(&self, fallback: f64) -> [f64; Stage::COUNT] {
        self.won.map(|r| r.rate().unwrap_or(fallback))
    }

    /// The stage whose step to the next converts worst, compared with `team` when given (the
    /// largest shortfall), else in absolute terms: the first hint for the skill to coach.
    pub fn weakest(&self, team: Option<&Conversion>) -> Option<Stage> {
        (0..Stage::COUNT - 1)
            .filter_map(|i| {
                let own = self.next[i].rate()?;
                let base = team.and_then(|t| t.next[i].rate()).unwrap_or(1.0);
                Some((i, base - own))
            })
            .fold(None, |best: Option<(usize, f64)>, (i, gap)| match best {
                Some((_, g)) if g >= gap => best,
                _ => Some((i, gap)),
            })
            .map(|(i, _)| Stage::ALL[i])
    }
}

pub fn conversion(rows: &[JourneyRow]) -> Conversion {
    let mut c = Conversion::default();
    for row in rows {
        let last = if row.status == Status::Won {
            Stage::Closing
        } else {
            row.last
        };
        let closed = row.status != Status::Open;
        for stage in Stage::ALL
            .into_iter()
            .filter(|s| *s >= row.first && *s <= last)
        {
            let i = stage.index();
            if i + 1 < Stage::COUNT && (last > stage || closed) {
                c.next[i].of += row.count;
                if last > stage {
                    c.next[i].hits += row.count;
                }
            }
            if closed {
                c.won[i].of += row.count;
                if row.status == Status::Won {
                    c.won[i].hits += row.count;
                }
            }
        }
        if closed && last.is_viable() {
            c.viable_won.of += row.count;
            if row.status == Status::Won {
                c.viable_won.hits += row.count;
            }
        }
    }
    c
}

/// The factor a funnel needs: 1 / the historical win rate of viable opportunities (a funnel
/// that closes one viable euro in three needs about 3), or `default` without a win to go by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RequiredFactor {
    pub value: f64,
    pub from_history: bool,
}

pub fn required_factor(conversion: &Conversion, default: f64) -> RequiredFactor {
    let r = conversion.viable_won;
    if r.hits > 0 {
        RequiredFactor {
            value: r.of as f64 / r.hits as f64,
            from_history: true,
        }
    } else {
        RequiredFactor {
            value: default,
            from_history: false,
        }
    }
}

/// The funnel factor against the required one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judgement {
    Below,
    Near,
    Above,
}

impl Judgement {
    /// Within 10% of the required factor is "near": the history it comes from is not more
    /// precise than that.
    pub fn of(factor: f64, required: f64) -> Judgement {
        if factor < required * 0.9 {
            Judgement::Below
        } else if factor > required * 1.1 {
            Judgement::Above
        } else {
            Judgement::Near
        }
    }

    /// A symbol, so the judgement never rests on colour alone.
    pub fn symbol(self) -> &'static str {
        match self {
            Judgement::Below => "▼",
            Judgement::Near => "≈",
            Judgement::Above => "▲",
        }
    }
}

/// Days spent, and how many times (a histogram the store builds with GROUP BY).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaysCount {
    pub days: i64,
    pub count: i64,
}

/// The median of a histogram (the mean of the two middle values for an even total).
pub fn median_days(histogram: &[DaysCount]) -> Option<f64> {
    let mut sorted = histogram.to_vec();
    sorted.sort_by_key(|d| d.days);
    let total: i64 = sorted.iter().map(|d| d.count).sum();
    if total <= 0 {
        return None;
    }
    // 0-based ranks of the two middle values (the same one for an odd total).
    let (low, high) = ((total - 1) / 2, total / 2);
    let at = |rank: i64| {
        let mut seen = 0;
        sorted.iter().find_map(|d| {
            seen += d.count;
            (seen > rank).then_some(d.days)
        })
    };
    Some((at(low)? + at(high)?) as f64 / 2.0)
}

/// Median days in each stage, and median purchase lead time (created → won).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LeadTimes {
    pub stages: [Option<f64>; Stage::COUNT],
    pub purchase: Option<f64>,
}

pub fn lead_times(stages: &[(Stage, DaysCount)], purchase: &[DaysCount]) -> LeadTimes {
    let mut per_stage: [Vec<DaysCount>; Stage::COUNT] = Default::default();
    for (stage, d) in stages {
        per_stage[stage.index()].push(*d);
    }
    LeadTimes {
        stages: per_stage.map(|h| median_days(&h)),
        purchase: median_days(purchase),
    }
}

/// Open opportunities of one stage and value (the store groups equal values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenValue {
    pub stage: Stage,
    pub value_cents: i64,
    pub count: i64,
}

/// The distribution is kept in at most this many cells (memory and time stay bounded).
const MAX_CELLS: i128 = 20_000;

/// The probability that `sales_to_date` plus the value of the open opportunities that close
/// reaches `target`, each closing independently with its stage's probability.
///
/// How, deterministic (no sampling) and within a percentage point:
/// - When many comparable opportunities make the total close to normal, the normal law is used:
///   the Berry–Esseen bound (constant 0.56 for independent terms) computed from the data proves
///   its error below half a point before it is used. 100,000 opportunities land here: a few
///   sums over the grouped rows.
/// - Otherwise (few opportunities, or a few big ones that dominate) an exact dynamic programme
///   over the amount sold, with amounts rounded to a unit small enough that the rounding noise
///   is 1/50 of the total's spread (at most 20,000 cells; everything at or beyond the GAP in one
///   "reached" cell). The expected rounding is added back to the threshold, and equal (stage,
///   units) go in one binomial step. Checked against an exact cent-level programme in the tests.
pub fn probability_of_target(
    sales_to_date: i128,
    target: i128,
    open: &[OpenValue],
    win: &[f64; Stage::COUNT],
) -> f64 {
    let need = target - sales_to_date;
    if need <= 0 {
        return 1.0;
    }
    let terms: Vec<(f64, f64, f64)> = open
        .iter()
        .map(|o| {
            let p = win[o.stage.index()].clamp(0.0, 1.0);
            (p, o.value_cents.max(0) as f64, o.count.max(0) as f64)
        })
        .filter(|(p, v, c)| *p > 0.0 && *v > 0.0 && *c > 0.0)
        .collect();
    let mean: f64 = terms.iter().map(|(p, v, c)| c * p * v).sum();
    let variance: f64 = terms
        .iter()
        .map(|(p, v, c)| c * p * (1.0 - p) * v * v)
        .sum();
    let sd = variance.sqrt();
    if sd == 0.0 {
        return if mean >= need as f64 { 1.0 } else { 0.0 };
    }
    // E|X − EX|³ of v·Bernoulli(p) is v³·p·q·(p² + q²).
    let third: f64 = terms
        .iter()
        .map(|(p, v, c)| c * p * (1.0 - p) * (p * p + (1.0 - p) * (1.0 - p)) * v.powi(3))
        .sum();
    if 0.56 * third / sd.powi(3) <= 0.005 {
        return normal_upper_tail((need as f64 - mean) / sd);
    }
    let bernoullis: f64 = terms.iter().map(|(p, _, c)| c * p * (1.0 - p)).sum();
    // Each rounding moves an amount by at most unit/2: their noise, (unit/2)·√Σpq, is kept to
    // 1/50 of the total's spread.
    let fine = (sd / (25.0 * bernoullis.sqrt())).floor() as i128;
    let unit = fine
        .min((need + 1_999) / 2_000)
        .max((need + MAX_CELLS - 1) / MAX_CELLS)
        .max(1);
    dynamic_programme(need, unit, open, win)
}

/// P(N(0,1) ≥ z), from erfc (Abramowitz & Stegun 7.1.26, absolute error below 1.5e-7).
fn normal_upper_tail(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erfc = poly * (-x * x).exp();
    if z >= 0.0 {
        erfc / 2.0
    } else {
        1.0 - erfc / 2.0
    }
}

fn dynamic_programme(need: i128, unit: i128, open: &[OpenValue], win: &[f64; Stage::COUNT]) -> f64 {
    let mut groups = BTreeMap::<(usize, i128), i64>::new();
    // Expected amount lost (or gained, if negative) by rounding, in cents.
    let mut rounding = 0.0;
    for o in open.iter().filter(|o| o.count > 0) {
        let p = win[o.stage.index()].clamp(0.0, 1.0);
        if p == 0.0 {
            continue;
        }
        let value = i128::from(o.value_cents.max(0));
        let units = (value + unit / 2) / unit;
        rounding += o.count as f64 * p * (value - units * unit) as f64;
        *groups.entry((o.stage.index(), units)).or_default() += o.count;
    }
    let threshold = ((need as f64 - rounding) / unit as f64).ceil();
    if threshold <= 0.0 {
        return 1.0;
    }
    // Cells 0..cap-1: units sold so far; cell `cap`: the target is reached.
    let cap = threshold.min(2.0 * MAX_CELLS as f64) as usize;
    let mut dist = vec![0.0; cap + 1];
    dist[0] = 1.0;
    let mut next = vec![0.0; cap + 1];
    // Cells above this one are still empty.
    let mut top: usize = 0;
    for ((stage, units), count) in groups {
        if units == 0 {
            continue;
        }
        let step = usize::try_from(units).unwrap_or(usize::MAX);
        let (first, pmf) = binomial(count, win[stage].clamp(0.0, 1.0));
        // tail[i]: the chance of at least first + i wins.
        let mut tail = pmf.clone();
        for i in (0..tail.len().saturating_sub(1)).rev() {
            tail[i] += tail[i + 1];
        }
        // What first + i wins add, in cells.
        let shift = |i: usize| (first + i).saturating_mul(step);
        // Cell `at` below the cap receives dist[j]·pmf[i] for every j + shift(i) = at. The sums
        // run by ascending j (descending i), always in that order so that a figure never
        // changes with the way it is computed; each i is one pass over contiguous cells.
        next.iter_mut().for_each(|x| *x = 0.0);
        for (i, &w) in pmf.iter().enumerate().rev() {
            let from = shift(i);
            let end = cap.min(top.saturating_add(from).saturating_add(1));
            if from < end {
                for (n, d) in next[from..end].iter_mut().zip(&dist) {
                    *n += d * w;
                }
            }
        }
        // From cell j, the target is reached with the fewest wins i for which j + shift(i)
        // reaches the cap: with i wins or more, so tail[i]. By ascending j again.
        let mut reached = dist[cap];
        for i in (0..pmf.len()).rev() {
            let low = cap.saturating_sub(shift(i));
            let high = if i == 0 {
                cap
            } else {
                cap.saturating_sub(shift(i - 1))
            };
            for &d in dist[low..high.max(low)].iter().filter(|d| **d > 0.0) {
                reached += d * tail[i];
            }
        }
        next[cap] = reached;
        top = top
            .saturating_add(shift(pmf.len() - 1))
            .min(cap.saturating_sub(1));
        std::mem::swap(&mut dist, &mut next);
    }
    dist[cap].clamp(0.0, 1.0)
}

/// The binomial(n, p) probabilities where they matter: (first k, P(k), P(k+1), …), computed
/// outwards from the mode by the ratio of successive terms (no factorials to overflow) and
/// normalised; terms below 1e-16 of the mode are dropped.
fn binomial(n: i64, p: f64) -> (usize, Vec<f64>) {
    let n = usize::try_from(n).unwrap_or(0);
    if p >= 1.0 {
        return (n, vec![1.0]);
    }
    let q = 1.0 - p;
    let mode = (((n + 1) as f64 * p).floor() as usize).min(n);
    let mut up = vec![1.0];
    let mut k = mode;
    while k < n {
        let v = up.last().copied().unwrap_or(0.0) * (n - k) as f64 / (k + 1) as f64 * p / q;
        if v < 1e-16 {
            break;
        }
        up.push(v);
        k += 1;
    }
    let mut down = Vec::new();
    let (mut k, mut v) = (mode, 1.0);
    while k > 0 {
        v *= k as f64 / (n - k + 1) as f64 * q / p;
        if v < 1e-16 {
            break;
        }
        down.push(v);
        k -= 1;
    }
    let first = mode - down.len();
    let mut pmf: Vec<f64> = down.into_iter().rev().chain(up).collect();
    let total: f64 = pmf.iter().sum();
    pmf.iter_mut().for_each(|x| *x /= total);
    (first, pmf)
}

/// How much of RTV the biggest accounts hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Concentration {
    /// The top-3 accounts' share of RTV; `None` without RTV.
    pub top3_share: Option<f64>,
    /// The top accounts and their viable value, biggest first.
    pub accounts: Vec<(String, i128)>,
    /// Above one half: the funnel depends on a few customers.
    pub flagged: bool,
}

pub fn concentration(mut top: Vec<(String, i128)>, rtv_cents: i128) -> Concentration {
    top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    top.truncate(3);
    let held: i128 = top.iter().map(|a| a.1).sum();
    let top3_share = (rtv_cents > 0).then(|| held as f64 / rtv_cents as f64);
    Concentration {
        flagged: top3_share.is_some_and(|s| s > 0.5),
        top3_share,
        accounts: top,
    }
}

/// The day's indicators of a funnel and period, kept to show their evolution.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub day: NaiveDate,
    pub rtv_cents: i128,
    pub sales_to_date_cents: i128,
    pub target_cents: Option<i128>,
    pub gap_cents: Option<i128>,
    pub factor: Option<f64>,
    pub probability: Option<f64>,
}

impl Snapshot {
    /// The day's figures of a summary, with the probability when it was worked out.
    pub fn of(day: NaiveDate, s: &super::indicators::Summary, probability: Option<f64>) -> Self {
        Snapshot {
            day,
            rtv_cents: s.rtv_cents,
            sales_to_date_cents: s.sales_to_date_cents,
            target_cents: s.target_cents,
            gap_cents: s.gap_cents,
            factor: s.factor,
            probability,
        }
    }
}

#[cfg(test)]
mod tests;
