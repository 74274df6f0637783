//! `funnel report`: the period's figures as JSON for scripts, or as aligned tables.

use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

use crate::domain::insight::{GroupBy, GroupFigures};
use crate::domain::money::format_money;
use crate::domain::upkeep::Upkeep;
use crate::domain::{Catalog, Lang, Period, Stage, text};
use crate::i18n::{self, figures};
use crate::insight::{self, Insight};
use crate::store::Funnel;

use super::{CliResult, Context, texts};

#[derive(Serialize)]
struct StageFigure {
    key: &'static str,
    count: i64,
    value_cents: i128,
}

#[derive(Serialize)]
struct AccountFigure<'a> {
    name: &'a str,
    rtv_cents: i128,
}

#[derive(Serialize)]
struct ConcentrationJson<'a> {
    top3_share: Option<f64>,
    accounts: Vec<AccountFigure<'a>>,
    flagged: bool,
}

#[derive(Serialize)]
struct ConversionFigure {
    from: &'static str,
    /// A stage key, or `"won"`.
    to: &'static str,
    rate: Option<f64>,
}

#[derive(Serialize)]
struct GroupJson<'a> {
    name: &'a str,
    won_count: i64,
    lost_count: i64,
    win_rate: Option<f64>,
    won_cents: i128,
    rtv_cents: i128,
    target_cents: Option<i128>,
    gap_cents: Option<i128>,
}

/// A seller's upkeep: of their open cards, how many have a dated next step that is not overdue
/// and a recent activity.
#[derive(Serialize)]
struct UpkeepJson<'a> {
    owner: &'a str,
    open: u64,
    kept: u64,
    /// Whole percent; none without an open card.
    percent: Option<u64>,
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
    probability_of_target: Option<f64>,
    required_factor: f64,
    concentration: ConcentrationJson<'a>,
    conversion: Vec<ConversionFigure>,
    /// Median days per stage key, and `purchase` (created → won).
    lead_time_days: BTreeMap<&'static str, Option<f64>>,
    upkeep: Vec<UpkeepJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    groups: Option<Vec<GroupJson<'a>>>,
}

/// Prints the report, and keeps today's snapshot of the period's figures (and, the first time
/// today, every seller's and team's).
pub fn print(ctx: &mut Context, period: Period, json: bool, by: Option<GroupBy>) -> CliResult {
    let (store, funnel) = (&mut ctx.store, &ctx.funnel);
    let summary = insight::summary(store, funnel, period, None)?;
    let ins = insight::compute(
        store,
        funnel,
        summary,
        None,
        ctx.config.default_required_factor(),
    )?;
    insight::record_snapshot(store, funnel, &ins)?;
    insight::snapshots::record_scoped(store, funnel, ctx.config.default_required_factor())?;
    let groups = by
        .map(|by| insight::groups(store, funnel, period, by))
        .transpose()?;
    let settings = ctx.config.upkeep(&funnel.name);
    let expected_days = super::expected_days(ctx.lang, &ctx.config);
    let upkeep = store.upkeep_by_owner(funnel, store.today(), &settings, &expected_days)?;
    let mut out = std::io::stdout().lock();
    if json {
        let mut doc = json_doc(&ins, funnel, groups.as_deref());
        doc.upkeep = upkeep
            .iter()
            .map(|(owner, u)| UpkeepJson {
                owner,
                open: u.open,
                kept: u.kept,
                percent: u.percent(),
            })
            .collect();
        let text = serde_json::to_string_pretty(&doc).expect("report serialises");
        writeln!(out, "{text}")?;
    } else {
        write!(out, "{}", readable(&ins, funnel, ctx.lang))?;
        if let (Some(by), Some(groups)) = (by, &groups) {
            write!(out, "\n{}", group_table(by, groups, funnel, ctx.lang))?;
        }
        if !upkeep.is_empty() {
            write!(
                out,
                "\n{}",
                upkeep_table(&upkeep, settings.inactive_days, ctx.lang)
            )?;
        }
    }
    Ok(())
}

fn json_doc<'a>(
    ins: &'a Insight,
    funnel: &'a Funnel,
    groups: Option<&'a [GroupFigures]>,
) -> ReportJson<'a> {
    let s = &ins.summary;
    let period = s.period;
    let c = &ins.conversion;
    let conversion = Stage::ALL[..Stage::COUNT - 1]
        .iter()
        .zip(&Stage::ALL[1..])
        .map(|(from, to)| ConversionFigure {
            from: from.key(),
            to: to.key(),
            rate: c.next[from.index()].rate(),
        })
        .chain(Stage::ALL.iter().map(|from| ConversionFigure {
            from: from.key(),
            to: "won",
            rate: c.won[from.index()].rate(),
        }))
        .collect();
    let mut lead_time_days: BTreeMap<&'static str, Option<f64>> = Stage::ALL
        .iter()
        .map(|st| (st.key(), ins.lead_times.stages[st.index()]))
        .collect();
    lead_time_days.insert("purchase", ins.lead_times.purchase);
    ReportJson {
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
        probability_of_target: ins.probability,
        required_factor: ins.required.value,
        concentration: ConcentrationJson {
            top3_share: ins.concentration.top3_share,
            accounts: ins
                .concentration
                .accounts
                .iter()
                .map(|(name, rtv_cents)| AccountFigure {
                    name,
                    rtv_cents: *rtv_cents,
                })
                .collect(),
            flagged: ins.concentration.flagged,
        },
        conversion,
        lead_time_days,
        upkeep: Vec::new(),
        groups: groups.map(|groups| {
            groups
                .iter()
                .map(|g| GroupJson {
                    name: &g.name,
                    won_count: g.won_count,
                    lost_count: g.lost_count,
                    win_rate: g.win_rate,
                    won_cents: g.won_cents,
                    rtv_cents: g.rtv_cents,
                    target_cents: g.target_cents,
                    gap_cents: g.gap_cents,
                })
                .collect()
        }),
    }
}

/// Rows under a header: the first column left-aligned, the others right-aligned (numbers), every
/// line padded to the same width.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| text::width(&r[i]))
                .chain([text::width(header[i])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[&str]| format!("{}\n", text::table_row(cells, &widths, 2));
    let mut out = line(header);
    for row in rows {
        out.push_str(&format!("{}\n", text::table_row(row, &widths, 2)));
    }
    out
}

/// Win rates and values per group.
fn group_table(by: GroupBy, groups: &[GroupFigures], funnel: &Funnel, lang: Lang) -> String {
    let money = |cents: i128| format_money(cents, &funnel.currency, lang);
    let rows: Vec<Vec<String>> = groups
        .iter()
        .map(|g| i18n::group_cells(g, lang, |r| i18n::percent(r, lang), money))
        .collect();
    table(
        &[
            i18n::group_label(by, lang),
            figures::won_col(lang),
            figures::lost_col(lang),
            figures::win_rate(lang),
            figures::won_value(lang),
            figures::rtv(lang),
            figures::target(lang),
            figures::gap(lang),
        ],
        &rows,
    )
}

/// Each seller's upkeep: open cards, those kept up, and the share.
fn upkeep_table(upkeep: &[(String, Upkeep)], inactive_days: u32, lang: Lang) -> String {
    let none = || figures::none(lang).to_owned();
    let rows: Vec<Vec<String>> = upkeep
        .iter()
        .map(|(owner, u)| {
            vec![
                text::clean_line(owner),
                u.open.to_string(),
                u.kept.to_string(),
                u.percent()
                    .map_or_else(none, |p| i18n::whole_percent(p as f64 / 100.0, lang)),
            ]
        })
        .collect();
    let header = texts::upkeep_header(lang, inactive_days);
    let mut out = format!("{header}\n");
    out.push_str(&table(
        &[
            texts::seller_col(lang),
            figures::open(lang),
            texts::kept_up(lang),
            texts::share(lang),
        ],
        &rows,
    ));
    out
}

/// The headline figures, the stages (open cards, conversion, median days), then the accounts
/// holding the most RTV.
fn readable(ins: &Insight, funnel: &Funnel, lang: Lang) -> String {
    let s = &ins.summary;
    let money = |cents: i128| format_money(cents, &funnel.currency, lang);
    let none = || figures::none(lang).to_owned();
    let target = match s.target_cents {
        Some(cents) => money(cents),
        None => format!(
            "{} ({})",
            figures::no_target(lang),
            figures::how_to_set_target(lang)
        ),
    };
    let factor = if s.target_reached {
        figures::target_reached(lang).to_owned()
    } else {
        match (s.factor, ins.judgement()) {
            (Some(f), Some(j)) => format!("{} {}", i18n::factor(f, lang), i18n::judgement(j, lang)),
            _ => none(),
        }
    };
    let required = format!(
        "{} ({})",
        i18n::factor(ins.required.value, lang),
        if ins.required.from_history {
            figures::from_history(lang)
        } else {
            figures::default_no_history(lang)
        }
    );
    let concentration = match ins.concentration.top3_share {
        Some(share) if ins.concentration.flagged => format!(
            "{} {} ! {}",
            i18n::percent(share, lang),
            figures::of_rtv(lang),
            figures::depends_on_few(lang)
        ),
        Some(share) => format!("{} {}", i18n::percent(share, lang), figures::of_rtv(lang)),
        None => none(),
    };
    let headline = [
        (figures::funnel(lang), text::clean_line(&funnel.name)),
        (figures::period(lang), s.period.to_string()),
        (figures::target(lang), target),
        (figures::sales_to_date(lang), money(s.sales_to_date_cents)),
        (figures::gap(lang), s.gap_cents.map_or_else(none, money)),
        (figures::rtv(lang), money(s.rtv_cents)),
        (figures::factor(lang), factor),
        (figures::required_factor(lang), required),
        (
            figures::probability(lang),
            ins.probability
                .map_or_else(none, |p| i18n::percent(p, lang)),
        ),
        (
            figures::win_rate(lang),
            s.win_rate.map_or_else(none, |r| {
                format!(
                    "{} ({}, {})",
                    i18n::percent(r, lang),
                    i18n::count(
                        s.won_count,
                        figures::won_one(lang),
                        figures::won(lang),
                        lang
                    ),
                    i18n::count(
                        s.lost_count,
                        figures::lost_one(lang),
                        figures::lost(lang),
                        lang
                    )
                )
            }),
        ),
        (
            figures::open(lang),
            format!(
                "{} ({})",
                s.open_count,
                i18n::count(
                    s.viable_count,
                    figures::viable_one(lang),
                    figures::viable(lang),
                    lang
                )
            ),
        ),
        (figures::concentration(lang), concentration),
        (
            figures::purchase_lead_time(lang),
            ins.lead_times.purchase.map_or_else(none, |d| {
                format!("{} {}", i18n::days(d, lang), figures::days(lang))
            }),
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
    let rate = |r: Option<f64>| r.map_or_else(none, |r| i18n::percent(r, lang));
    let rows: Vec<Vec<String>> = Stage::ALL
        .iter()
        .map(|st| {
            let sum = s.stages[st.index()];
            let marker = if st.is_viable() { "*" } else { " " };
            vec![
                format!("{marker} {}", catalog.name(*st)),
                sum.count.to_string(),
                money(sum.value_cents),
                ins.conversion
                    .next
                    .get(st.index())
                    .map_or_else(none, |r| rate(r.rate())),
                rate(ins.conversion.won[st.index()].rate()),
                ins.lead_times.stages[st.index()].map_or_else(none, |d| i18n::days(d, lang)),
            ]
        })
        .collect();
    let stage_header = format!("  {}", figures::stage(lang));
    out.push_str(&table(
        &[
            &stage_header,
            figures::count(lang),
            figures::value(lang),
            figures::to_next(lang),
            figures::to_won(lang),
            figures::median_days(lang),
        ],
        &rows,
    ));
    out.push_str(&format!("* {}\n", figures::viable_legend(lang)));
    if !ins.concentration.accounts.is_empty() {
        let rows: Vec<Vec<String>> = ins
            .concentration
            .accounts
            .iter()
            .map(|(name, cents)| vec![name.clone(), money(*cents)])
            .collect();
        out.push('\n');
        out.push_str(&table(
            &[figures::top_accounts(lang), figures::rtv(lang)],
            &rows,
        ));
    }
    out
}
