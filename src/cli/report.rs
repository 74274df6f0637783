//! `funnel report`: the period's figures as JSON for scripts, or as an aligned table.

use serde::Serialize;

use crate::domain::indicators::{self, Summary};
use crate::domain::money::format_money;
use crate::domain::{Catalog, Lang, Period, Stage, text};
use crate::i18n::{self, texts};
use crate::store::{Funnel, Store};

use super::CliResult;

#[derive(Serialize)]
struct StageFigure {
    key: &'static str,
    count: i64,
    value_cents: i128,
}

/// The `report --json` document (field names are a contract).
#[derive(Serialize)]
struct ReportJson<'a> {
    funnel: &'a str,
    period: i32,
    period_start: String,
    period_end: String,
    currency: &'a str,
    target_cents: Option<i128>,
    sales_to_date_cents: i128,
    gap_cents: Option<i128>,
    rtv_cents: i128,
    factor: Option<f64>,
    target_reached: bool,
    open_count: i64,
    viable_count: i64,
    won_count: i64,
    lost_count: i64,
    win_rate: Option<f64>,
    stages: Vec<StageFigure>,
}

/// The figures of a period, from the running totals.
pub fn summary(
    store: &Store,
    funnel: &Funnel,
    period: Period,
    owner: Option<&str>,
) -> crate::store::Result<Summary> {
    let today = store.today();
    let current = Period::containing(today, funnel.fiscal_start);
    let rows = store.totals(funnel)?;
    let target = store.target(funnel, period.year, owner)?.map(i128::from);
    Ok(indicators::summarize(
        &rows,
        period,
        period == current,
        target,
        owner,
    ))
}

pub fn print(store: &Store, funnel: &Funnel, period: Period, json: bool, lang: Lang) -> CliResult {
    let s = summary(store, funnel, period, None)?;
    if json {
        let doc = ReportJson {
            funnel: &funnel.name,
            period: period.year,
            period_start: period.start().to_string(),
            period_end: period.end().pred_opt().expect("a day before").to_string(),
            currency: &funnel.currency,
            target_cents: s.target_cents,
            sales_to_date_cents: s.sales_to_date_cents,
            gap_cents: s.gap_cents,
            rtv_cents: s.rtv_cents,
            factor: s.factor,
            target_reached: s.target_reached,
            open_count: s.open_count,
            viable_count: s.viable_count,
            won_count: s.won_count,
            lost_count: s.lost_count,
            win_rate: s.win_rate,
            stages: Stage::ALL
                .iter()
                .map(|st| StageFigure {
                    key: st.key(),
                    count: s.stages[st.index()].count,
                    value_cents: s.stages[st.index()].value_cents,
                })
                .collect(),
        };
        let text = serde_json::to_string_pretty(&doc).expect("report serialises");
        println!("{text}");
    } else {
        print!("{}", readable(&s, funnel, lang));
    }
    Ok(())
}

/// Two aligned tables: the headline figures, then the open opportunities per stage.
fn readable(s: &Summary, funnel: &Funnel, lang: Lang) -> String {
    let t = texts(lang);
    let money = |cents: i128| format_money(cents, &funnel.currency, lang);
    let target = match s.target_cents {
        Some(cents) => money(cents),
        None => format!("{} ({})", t.no_target, t.how_to_set_target),
    };
    let factor = if s.target_reached {
        t.target_reached.to_owned()
    } else {
        s.factor
            .map_or_else(|| t.none.to_owned(), |f| i18n::factor(f, lang))
    };
    let headline = [
        (t.funnel, text::clean_line(&funnel.name)),
        (t.period, s.period.to_string()),
        (t.target, target),
        (t.sales_to_date, money(s.sales_to_date_cents)),
        (t.gap, s.gap_cents.map_or_else(|| t.none.to_owned(), money)),
        (t.rtv, money(s.rtv_cents)),
        (t.factor, factor),
        (
            t.win_rate,
            s.win_rate.map_or_else(
                || t.none.to_owned(),
                |r| {
                    format!(
                        "{} ({} {}, {} {})",
                        i18n::percent(r, lang),
                        s.won_count,
                        t.won,
                        s.lost_count,
                        t.lost
                    )
                },
            ),
        ),
        (
            t.open,
            format!("{} ({} {})", s.open_count, s.viable_count, t.viable),
        ),
    ];
    let label_width = headline
        .iter()
        .map(|(l, _)| text::width(l))
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (label, value) in &headline {
        out.push_str(&format!("{}  {value}\n", text::pad(label, label_width)));
    }
    out.push('\n');
    let catalog = Catalog::get(lang);
    let rows: Vec<(String, String, String)> = Stage::ALL
        .iter()
        .map(|st| {
            let sum = s.stages[st.index()];
            let marker = if st.is_viable() { "*" } else { " " };
            (
                format!("{marker} {}", catalog.name(*st)),
                sum.count.to_string(),
                money(sum.value_cents),
            )
        })
        .collect();
    let w0 = rows
        .iter()
        .map(|r| text::width(&r.0))
        .max()
        .unwrap_or(0)
        .max(text::width(t.stage) + 2);
    let w1 = rows
        .iter()
        .map(|r| r.1.len())
        .max()
        .unwrap_or(0)
        .max(text::width(t.count));
    let w2 = rows
        .iter()
        .map(|r| text::width(&r.2))
        .max()
        .unwrap_or(0)
        .max(text::width(t.value));
    let right = |s: &str, w: usize| format!("{}{s}", " ".repeat(w.saturating_sub(text::width(s))));
    out.push_str(&format!(
        "{}  {}  {}\n",
        text::pad(&format!("  {}", t.stage), w0),
        right(t.count, w1),
        right(t.value, w2)
    ));
    for (name, count, value) in &rows {
        out.push_str(&format!(
            "{}  {}  {}\n",
            text::pad(name, w0),
            right(count, w1),
            right(value, w2)
        ));
    }
    out.push_str(&format!("* {}\n", texts(lang).viable_legend));
    out
}
