//! The dashboard's words (the figures' own are `i18n::figures`).

use std::fmt::Display;

// The tiles and the stage funnel.
crate::texts! {
    pub stale_card(title: &str) = { en: "Stale card {title}", fr: "Carte en retard {title}" };
    pub left_to_sell = { en: "left to sell", fr: "reste à vendre" };
    pub t_on_the_board = { en: "t on the board", fr: "t sur le tableau" };
    /// The required factor, short.
    pub req = { en: "req.", fr: "req." };
    pub of_the_target = { en: "of the target", fr: "pour l'objectif" };
    pub days_header = { en: "Days", fr: "Jours" };
    pub won_rate(rate: &str) = { en: "won {rate}", fr: "gain {rate}" };
    pub purchase_short(days: &str) = { en: "purchase {days}d", fr: "achat {days}j" };
    pub purchase(days: &str) = { en: "purchase {days} days", fr: "cycle d'achat {days} jours" };
    pub weakest_short(stage: &str) = { en: "!weakest: {stage}", fr: "!plus faible : {stage}" };
    pub weakest_step(stage: &str) = {
        en: "!weakest step: {stage}",
        fr: "!étape la plus faible : {stage}",
    };
    pub stage_funnel_short = { en: "Stage funnel", fr: "Entonnoir" };
    pub stage_funnel = {
        en: "Stage funnel (open cards, → next stage, median days)",
        fr: "Entonnoir (cartes ouvertes, → étape suivante, jours médians)",
    };
}

// Win rates, trend, concentration, stale cards.
crate::texts! {
    pub win_percent = { en: "Win %", fr: "Taux" };
    pub nothing_in_period = {
        en: "Nothing won, lost or viable in the period yet",
        fr: "Rien de gagné, perdu ni viable dans la période",
    };
    pub win_rate_by(group: &str) = {
        en: "Win rate by {group}",
        fr: "Taux de réussite par {group}",
    };
    pub few_snapshots(n: usize, since: &str) = {
        en: "{n} daily snapshot(s) since {since}: too few for a trend yet.",
        fr: "{n} relevé(s) quotidien(s) depuis le {since} : trop peu pour une tendance.",
    };
    pub trend_whole_funnel(days: u64) = {
        en: "Trend of the whole funnel, last {days} days",
        fr: "Tendance de tout l'entonnoir, {days} derniers jours",
    };
    pub whole_funnel_last(days: u64) = {
        en: "Whole funnel, last {days} days",
        fr: "Tout l'entonnoir, {days} derniers jours",
    };
    pub whole_funnel_days(days: u64) = {
        en: "Whole funnel, {days} days",
        fr: "Tout l'entonnoir, {days} jours",
    };
    pub trend_last(days: u64) = {
        en: "Trend, last {days} days",
        fr: "Tendance, {days} derniers jours",
    };
    pub no_rtv = { en: "No RTV: nothing to depend on", fr: "Pas de RTV" };
    pub no_stale_card = { en: "No stale card", fr: "Aucune carte en retard" };
    pub stale_cards(count: impl Display) = {
        en: "Stale cards ({count})",
        fr: "Cartes en retard ({count})",
    };
    pub stale_legend = { en: " — days in stage / expected", fr: " — jours / prévus" };
    pub enter_shows_on_board = {
        en: " Enter: show on the board ",
        fr: " Entrée : voir sur le tableau ",
    };
}

// The upkeep of each seller's open cards.
crate::texts! {
    pub upkeep_title = {
        en: "Upkeep by seller (open cards kept up)",
        fr: "Suivi par vendeur (cartes ouvertes à jour)",
    };
    pub no_open_card_at_all = { en: "No open card", fr: "Aucune carte ouverte" };
    /// `percent` of the `open` cards are kept up (`kept` of them).
    pub upkeep_cell(percent: u64, kept: u64, open: u64) = {
        en: "{percent}% {kept}/{open}",
        fr: "{percent} % {kept}/{open}",
    };
}
