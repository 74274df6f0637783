//! The funnel's indicators, as pure functions of per-stage totals.
//!
//! The store keeps running totals per (period, status, stage, owner); the same totals can be
//! computed from a list of opportunities with [`aggregate`], which is how tests and the
//! consistency check feed these functions. Sums are `i128`, so no amount of data overflows them.

use super::{Opportunity, Period, Stage, Status, period};

/// One bucket of the running totals.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TotalRow {
    /// Period name, or `None` for an open opportunity with no expected close date (it counts in
    /// the current period).
    pub period: Option<i32>,
    pub status: Status,
    pub stage: Stage,
    pub owner: String,
    pub count: i64,
    pub value_cents: i128,
}

/// Count and value of one stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StageSum {
    pub count: i64,
    pub value_cents: i128,
}

/// Everything the footer and `report` show for one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub period: Period,
    pub target_cents: Option<i128>,
    pub sales_to_date_cents: i128,
    /// Target − sales to date; `None` without a target.
    pub gap_cents: Option<i128>,
    pub rtv_cents: i128,
    /// RTV / GAP while the gap is positive.
    pub factor: Option<f64>,
    pub target_reached: bool,
    pub open_count: i64,
    pub viable_count: i64,
    pub won_count: i64,
    pub lost_count: i64,
    pub won_value_cents: i128,
    pub lost_value_cents: i128,
    /// Won / (won + lost) by count; `None` when nothing closed in the period.
    pub win_rate: Option<f64>,
    /// Open opportunities of the period, per stage in order.
    pub stages: [StageSum; Stage::COUNT],
}

/// Whether a totals bucket belongs to the period (undated open ones belong to the current one).
fn in_period(row: &TotalRow, period: Period, is_current: bool) -> bool {
    match row.period {
        Some(year) => year == period.year,
        None => is_current,
    }
}

/// Computes the period's figures. `owner`: only that seller's rows (their individual view).
pub fn summarize(
    rows: &[TotalRow],
    period: Period,
    is_current: bool,
    target_cents: Option<i128>,
    owner: Option<&str>,
) -> Summary {
    let mut stages = [StageSum::default(); Stage::COUNT];
    let (mut won, mut lost) = (StageSum::default(), StageSum::default());
    for row in rows
        .iter()
        .filter(|r| in_period(r, period, is_current) && owner.is_none_or(|o| r.owner == o))
    {
        let sum = match row.status {
            Status::Open => &mut stages[row.stage.index()],
            Status::Won => &mut won,
            Status::Lost => &mut lost,
        };
        sum.count += row.count;
        sum.value_cents += row.value_cents;
    }
    let viable = stages
        .iter()
        .zip(Stage::ALL)
        .filter(|(_, stage)| stage.is_viable())
        .fold(StageSum::default(), |acc, (s, _)| StageSum {
            count: acc.count + s.count,
            value_cents: acc.value_cents + s.value_cents,
        });
    let gap_cents = target_cents.map(|t| t - won.value_cents);
    let target_reached = gap_cents.is_some_and(|g| g <= 0);
    let factor = gap_cents
        .filter(|g| *g > 0)
        .map(|g| viable.value_cents as f64 / g as f64);
    let closed = won.count + lost.count;
    Summary {
        period,
        target_cents,
        sales_to_date_cents: won.value_cents,
        gap_cents,
        rtv_cents: viable.value_cents,
        factor,
        target_reached,
        open_count: stages.iter().map(|s| s.count).sum(),
        viable_count: viable.count,
        won_count: won.count,
        lost_count: lost.count,
        won_value_cents: won.value_cents,
        lost_value_cents: lost.value_cents,
        win_rate: (closed > 0).then(|| won.count as f64 / closed as f64),
        stages,
    }
}

/// Groups opportunities into totals rows, as the store's running totals do.
pub fn aggregate<'a>(
    opportunities: impl IntoIterator<Item = &'a Opportunity>,
    fiscal_start: u32,
) -> Vec<TotalRow> {
    let mut map = std::collections::BTreeMap::<_, StageSum>::new();
    for opp in opportunities {
        let period = opp.period_date().map(|d| period::year_of(d, fiscal_start));
        let key = (period, opp.status, opp.stage, opp.fields.owner.clone());
        let sum = map.entry(key).or_default();
        sum.count += 1;
        sum.value_cents += i128::from(opp.fields.value_cents);
    }
    map.into_iter()
        .map(|((period, status, stage, owner), sum)| TotalRow {
            period,
            status,
            stage,
            owner,
            count: sum.count,
            value_cents: sum.value_cents,
        })
        .collect()
}

#[cfg(test)]
// Amounts in cents are written as units_cents: 300_00 is 300.00.
mod tests {
    use super::*;
    use crate::domain::OpportunityFields;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn opp(value: i64, stage: Stage, status: Status, date: Option<NaiveDate>) -> Opportunity {
        Opportunity {
            id: format!("{value}"),
            funnel_id: "f".into(),
            fields: OpportunityFields {
                title: "t".into(),
                value_cents: value,
                owner: "ana".into(),
                expected_close: if status == Status::Open { date } else { None },
                ..Default::default()
            },
            stage,
            status,
            created: d(2026, 1, 1),
            stage_since: d(2026, 1, 1),
            closed: if status == Status::Open { None } else { date },
            lost_reason: String::new(),
            version: 1,
            updated_at: String::new(),
            updated_by: String::new(),
        }
    }

    /// Hand-computed fixture for period 2026 (calendar year), target 1,000.00:
    /// viable open in 2026: 300 + 200 + 50 (undated, current period) = 550; not viable 100 and
    /// open in 2027 (400) excluded; won in 2026: 250 + 150 = 400; won in 2025 excluded;
    /// lost in 2026: 1. GAP = 1000 − 400 = 600; factor = 550 / 600; win rate = 2 / 3.
    fn fixture() -> Vec<Opportunity> {
        use Stage::*;
        use Status::*;
        vec![
            opp(300_00, CommitsToInvest, Open, Some(d(2026, 6, 1))),
            opp(200_00, Closing, Open, Some(d(2026, 12, 31))),
            opp(50_00, VendorSelected, Open, None),
            opp(100_00, ImpactDefined, Open, Some(d(2026, 3, 1))),
            opp(400_00, DecisionCriteria, Open, Some(d(2027, 1, 1))),
            opp(250_00, Closing, Won, Some(d(2026, 2, 1))),
            opp(150_00, Closing, Won, Some(d(2026, 11, 1))),
            opp(999_00, Closing, Won, Some(d(2025, 12, 31))),
            opp(80_00, DecisionCriteria, Lost, Some(d(2026, 5, 5))),
        ]
    }

    #[test]
    fn hand_computed_period_figures() {
        let rows = aggregate(&fixture(), 1);
        let s = summarize(&rows, Period::new(2026, 1), true, Some(1000_00), None);
        assert_eq!(s.rtv_cents, 550_00);
        assert_eq!(s.sales_to_date_cents, 400_00);
        assert_eq!(s.gap_cents, Some(600_00));
        assert!((s.factor.unwrap() - 550.0 / 600.0).abs() < 1e-12);
        assert!(!s.target_reached);
        assert_eq!((s.won_count, s.lost_count), (2, 1));
        assert!((s.win_rate.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!((s.open_count, s.viable_count), (4, 3));
        assert_eq!(s.stages[Stage::ImpactDefined.index()].value_cents, 100_00);
    }

    #[test]
    fn undated_open_counts_only_in_the_current_period() {
        let rows = aggregate(&fixture(), 1);
        let next = summarize(&rows, Period::new(2027, 1), false, None, None);
        assert_eq!(next.rtv_cents, 400_00);
        assert_eq!(next.win_rate, None);
        assert_eq!(next.gap_cents, None);
        assert_eq!(next.factor, None);
        assert!(!next.target_reached);
    }

    #[test]
    fn target_reached_has_no_factor() {
        let rows = aggregate(&fixture(), 1);
        let s = summarize(&rows, Period::new(2026, 1), true, Some(400_00), None);
        assert_eq!(s.gap_cents, Some(0));
        assert!(s.target_reached);
        assert_eq!(s.factor, None);
    }

    #[test]
    fn fiscal_start_moves_opportunities_between_periods() {
        // With a fiscal year starting in April, 2026-03-01 belongs to period 2025.
        let rows = aggregate(&fixture(), 4);
        let s = summarize(&rows, Period::new(2025, 4), false, None, None);
        assert_eq!(s.stages[Stage::ImpactDefined.index()].count, 1);
        assert_eq!(s.won_count, 2); // 2025-12-31 and 2026-02-01
    }

    #[test]
    fn owner_filter_and_no_overflow() {
        let mut opps = vec![opp(i64::MAX, Stage::Closing, Status::Open, None); 3];
        opps[0].fields.owner = "bob".into();
        let rows = aggregate(&opps, 1);
        let all = summarize(&rows, Period::new(2026, 1), true, None, None);
        assert_eq!(all.rtv_cents, 3 * i128::from(i64::MAX));
        let bob = summarize(&rows, Period::new(2026, 1), true, None, Some("bob"));
        assert_eq!(bob.rtv_cents, i128::from(i64::MAX));
    }
}
