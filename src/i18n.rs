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
    pub open: &'static str,
    pub viable: &'static str,
    pub won: &'static str,
    pub lost: &'static str,
    pub stage: &'static str,
    pub count: &'static str,
    pub value: &'static str,
    pub none: &'static str,
    pub viable_legend: &'static str,
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
    viable: "viable",
    won: "won",
    lost: "lost",
    stage: "Stage",
    count: "Cards",
    value: "Value",
    none: "—",
    viable_legend: "viable stage: counts in RTV",
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
    viable: "viables",
    won: "gagnées",
    lost: "perdues",
    stage: "Étape",
    count: "Cartes",
    value: "Valeur",
    none: "—",
    viable_legend: "étape viable : compte dans la RTV",
};

pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
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
