//! The interface's words in English and French.
//!
//! One struct with a field per message, and one value per language: a message added in one
//! language and forgotten in the other does not compile. Stage texts live in the catalog.

use crate::domain::Lang;

pub struct Texts {
    pub funnel: &'static str,
    pub period: &'static str,
    pub target: &'static str,
    pub no_target: &'static str,
    pub how_to_set_target: &'static str,
    pub sales_to_date: &'static str,
    pub gap: &'static str,
    pub rtv: &'static str,
    pub factor: &'static str,
    pub target_reached: &'static str,
    pub win_rate: &'static str,
    /// Counted words, plural; the `_one` forms go with a count of one (see [`count`]).
    pub open: &'static str,
    pub open_one: &'static str,
    pub viable: &'static str,
    pub viable_one: &'static str,
    pub won: &'static str,
    pub won_one: &'static str,
    pub lost: &'static str,
    pub lost_one: &'static str,
    pub stage: &'static str,
    pub count: &'static str,
    pub value: &'static str,
    pub none: &'static str,
    pub viable_legend: &'static str,
    pub probability: &'static str,
    pub required_factor: &'static str,
    pub probability_short: &'static str,
    pub from_history: &'static str,
    pub default_no_history: &'static str,
    pub below: &'static str,
    pub near: &'static str,
    pub above: &'static str,
    pub concentration: &'static str,
    pub of_rtv: &'static str,
    pub depends_on_few: &'static str,
    pub top_accounts: &'static str,
    pub to_next: &'static str,
    pub to_won: &'static str,
    pub median_days: &'static str,
    pub purchase_lead_time: &'static str,
    pub days: &'static str,
    pub owner: &'static str,
    pub team: &'static str,
    pub region: &'static str,
    pub territory: &'static str,
    pub won_value: &'static str,
    pub won_col: &'static str,
    pub lost_col: &'static str,
    pub unnamed: &'static str,
}

pub const EN: Texts = Texts {
    funnel: "Funnel",
    period: "Period",
    target: "Target",
    no_target: "no target",
    how_to_set_target: "set one with: funnel target set PERIOD AMOUNT",
    sales_to_date: "Sales to date",
    gap: "GAP",
    rtv: "RTV",
    factor: "Factor",
    target_reached: "target reached",
    win_rate: "Win rate",
    open: "open",
    open_one: "open",
    viable: "viable",
    viable_one: "viable",
    won: "won",
    won_one: "won",
    lost: "lost",
    lost_one: "lost",
    stage: "Stage",
    count: "Cards",
    value: "Value",
    none: "—",
    viable_legend: "viable stage: counts in RTV",
    probability: "Probability of target",
    required_factor: "Required factor",
    probability_short: "Probability",
    from_history: "from the history",
    default_no_history: "default: no won viable opportunity yet",
    below: "below",
    near: "near",
    above: "above",
    concentration: "Top-3 accounts",
    of_rtv: "of RTV",
    depends_on_few: "the funnel depends on a few customers",
    top_accounts: "Top accounts (RTV)",
    to_next: "→ next",
    to_won: "→ won",
    median_days: "Median days",
    purchase_lead_time: "Purchase lead time (median, created → won)",
    days: "days",
    owner: "Owner",
    team: "Team",
    region: "Region",
    territory: "Territory",
    won_value: "Won value",
    won_col: "Won",
    lost_col: "Lost",
    unnamed: "(none)",
};

pub const FR: Texts = Texts {
    funnel: "Entonnoir",
    period: "Période",
    target: "Objectif",
    no_target: "pas d'objectif",
    how_to_set_target: "à fixer avec : funnel target set PÉRIODE MONTANT",
    sales_to_date: "Ventes à date",
    gap: "GAP",
    rtv: "RTV",
    factor: "Facteur",
    target_reached: "objectif atteint",
    win_rate: "Taux de réussite",
    open: "ouvertes",
    open_one: "ouverte",
    viable: "viables",
    viable_one: "viable",
    won: "gagnées",
    won_one: "gagnée",
    lost: "perdues",
    lost_one: "perdue",
    stage: "Étape",
    count: "Cartes",
    value: "Valeur",
    none: "—",
    viable_legend: "étape viable : compte dans la RTV",
    probability: "Probabilité d'atteindre l'objectif",
    required_factor: "Facteur requis",
    probability_short: "Probabilité",
    from_history: "d'après l'historique",
    default_no_history: "par défaut : aucune opportunité viable gagnée",
    below: "en dessous",
    near: "proche",
    above: "au-dessus",
    concentration: "3 premiers comptes",
    of_rtv: "de la RTV",
    depends_on_few: "l'entonnoir dépend de quelques clients",
    top_accounts: "Premiers comptes (RTV)",
    to_next: "→ suivante",
    to_won: "→ gagnée",
    median_days: "Jours (médiane)",
    purchase_lead_time: "Cycle d'achat (médiane, création → gain)",
    days: "jours",
    owner: "Vendeur",
    team: "Équipe",
    region: "Région",
    territory: "Territoire",
    won_value: "Ventes",
    won_col: "Gagn.",
    lost_col: "Perd.",
    unnamed: "(aucun)",
};

pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}

/// A count and its word in agreement: `1 ouverte`, `0 viable`, `2 gagnées` (French takes the
/// singular below 2, English only for 1).
pub fn count(n: i64, one: &str, many: &str, lang: Lang) -> String {
    let singular = match lang {
        Lang::En => n == 1,
        Lang::Fr => n.abs() < 2,
    };
    format!("{n} {}", if singular { one } else { many })
}

/// Median days: `12` / `12.5` (`12,5`).
pub fn days(value: f64, lang: Lang) -> String {
    let text = if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    };
    match lang {
        Lang::En => text,
        Lang::Fr => text.replace('.', ","),
    }
}

/// A group's label (owner, team, region, territory).
pub fn group_label(by: crate::domain::insight::GroupBy, lang: Lang) -> &'static str {
    use crate::domain::insight::GroupBy;
    let t = texts(lang);
    match by {
        GroupBy::Owner => t.owner,
        GroupBy::Team => t.team,
        GroupBy::Region => t.region,
        GroupBy::Territory => t.territory,
    }
}

/// The factor's judgement against the required one, with its symbol.
pub fn judgement(j: crate::domain::insight::Judgement, lang: Lang) -> String {
    use crate::domain::insight::Judgement;
    let t = texts(lang);
    let word = match j {
        Judgement::Below => t.below,
        Judgement::Near => t.near,
        Judgement::Above => t.above,
    };
    format!("{} {word}", j.symbol())
}

/// A ratio as a percentage for the language: `66.7%` / `66,7 %`.
pub fn percent(ratio: f64, lang: Lang) -> String {
    let text = format!("{:.1}", ratio * 100.0);
    match lang {
        Lang::En => format!("{text}%"),
        Lang::Fr => format!("{} %", text.replace('.', ",")),
    }
}

/// The funnel factor: `0.92` / `0,92`.
pub fn factor(value: f64, lang: Lang) -> String {
    let text = format!("{value:.2}");
    match lang {
        Lang::En => text,
        Lang::Fr => text.replace('.', ","),
    }
}

/// The cells of one group's row in a win-rate table (report and dashboard): name, won, lost,
/// win rate, won value, RTV, target, GAP, with the caller's number formats.
pub fn group_cells(
    g: &crate::domain::insight::GroupFigures,
    lang: Lang,
    percent: impl Fn(f64) -> String,
    money: impl Fn(i128) -> String,
) -> Vec<String> {
    let t = texts(lang);
    let none = || t.none.to_owned();
    vec![
        if g.name.is_empty() {
            t.unnamed.to_owned()
        } else {
            crate::domain::text::clean_line(&g.name)
        },
        g.won_count.to_string(),
        g.lost_count.to_string(),
        g.win_rate.map_or_else(none, percent),
        money(g.won_cents),
        money(g.rtv_cents),
        g.target_cents.map_or_else(none, &money),
        // Signed, as the funnel's own GAP: below zero, the target is passed by that much.
        g.gap_cents.map_or_else(none, &money),
    ]
}
