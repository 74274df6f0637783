//! The words of the funnel's figures, shared by the report and the board: headline labels,
//! counted words, table headers, and the judgement of the factor.

use crate::domain::Lang;
use crate::domain::insight::{GroupBy, GroupFigures, Judgement};

crate::texts! {
    pub funnel = { en: "Funnel", fr: "Entonnoir" };
    pub period = { en: "Period", fr: "Période" };
    pub target = { en: "Target", fr: "Objectif" };
    pub no_target = { en: "no target", fr: "pas d'objectif" };
    pub how_to_set_target = {
        en: "set one with: funnel target set PERIOD AMOUNT",
        fr: "à fixer avec : funnel target set PÉRIODE MONTANT",
    };
    pub sales_to_date = { en: "Sales to date", fr: "Ventes à date" };
    pub gap = { en: "GAP", fr: "GAP" };
    pub rtv = { en: "RTV", fr: "RTV" };
    pub factor = { en: "Factor", fr: "Facteur" };
    pub target_reached = { en: "target reached", fr: "objectif atteint" };
    pub win_rate = { en: "Win rate", fr: "Taux de réussite" };
    /// Counted words, plural; the `_one` forms go with a count of one (see [`super::count`]).
    pub open = { en: "open", fr: "ouvertes" };
    pub open_one = { en: "open", fr: "ouverte" };
    pub viable = { en: "viable", fr: "viables" };
    pub viable_one = { en: "viable", fr: "viable" };
    pub won = { en: "won", fr: "gagnées" };
    pub won_one = { en: "won", fr: "gagnée" };
    pub lost = { en: "lost", fr: "perdues" };
    pub lost_one = { en: "lost", fr: "perdue" };
    pub stage = { en: "Stage", fr: "Étape" };
    pub count = { en: "Cards", fr: "Cartes" };
    pub value = { en: "Value", fr: "Valeur" };
    /// A figure that cannot be computed.
    pub none = { en: "—", fr: "—" };
    pub viable_legend = {
        en: "viable stage: counts in RTV",
        fr: "étape viable : compte dans la RTV",
    };
    pub probability = { en: "Probability of target", fr: "Probabilité d'atteindre l'objectif" };
    pub required_factor = { en: "Required factor", fr: "Facteur requis" };
    pub probability_short = { en: "Probability", fr: "Probabilité" };
    pub from_history = { en: "from the history", fr: "d'après l'historique" };
    pub default_no_history = {
        en: "default: no won viable opportunity yet",
        fr: "par défaut : aucune opportunité viable gagnée",
    };
    pub below = { en: "below", fr: "en dessous" };
    pub near = { en: "near", fr: "proche" };
    pub above = { en: "above", fr: "au-dessus" };
    pub concentration = { en: "Top-3 accounts", fr: "3 premiers comptes" };
    pub of_rtv = { en: "of RTV", fr: "de la RTV" };
    pub depends_on_few = {
        en: "the funnel depends on a few customers",
        fr: "l'entonnoir dépend de quelques clients",
    };
    pub top_accounts = { en: "Top accounts (RTV)", fr: "Premiers comptes (RTV)" };
    pub to_next = { en: "→ next", fr: "→ suivante" };
    pub to_won = { en: "→ won", fr: "→ gagnée" };
    pub median_days = { en: "Median days", fr: "Jours (médiane)" };
    pub purchase_lead_time = {
        en: "Purchase lead time (median, created → won)",
        fr: "Cycle d'achat (médiane, création → gain)",
    };
    pub days = { en: "days", fr: "jours" };
    pub owner = { en: "Owner", fr: "Vendeur" };
    pub team = { en: "Team", fr: "Équipe" };
    pub region = { en: "Region", fr: "Région" };
    pub territory = { en: "Territory", fr: "Territoire" };
    pub won_value = { en: "Won value", fr: "Ventes" };
    pub won_col = { en: "Won", fr: "Gagn." };
    pub lost_col = { en: "Lost", fr: "Perd." };
    /// A group without a name (cards with no owner, team…).
    pub unnamed = { en: "(none)", fr: "(aucun)" };
}

/// A group's label (owner, team, region, territory).
pub fn group_label(by: GroupBy, lang: Lang) -> &'static str {
    match by {
        GroupBy::Owner => owner(lang),
        GroupBy::Team => team(lang),
        GroupBy::Region => region(lang),
        GroupBy::Territory => territory(lang),
    }
}

/// The factor's judgement against the required one, with its symbol.
pub fn judgement(j: Judgement, lang: Lang) -> String {
    let word = match j {
        Judgement::Below => below(lang),
        Judgement::Near => near(lang),
        Judgement::Above => above(lang),
    };
    format!("{} {word}", j.symbol())
}

/// The cells of one group's row in a win-rate table (report and dashboard): name, won, lost,
/// win rate, won value, RTV, target, GAP, with the caller's number formats.
pub fn group_cells(
    g: &GroupFigures,
    lang: Lang,
    percent: impl Fn(f64) -> String,
    money: impl Fn(i128) -> String,
) -> Vec<String> {
    let dash = || none(lang).to_owned();
    vec![
        if g.name.is_empty() {
            unnamed(lang).to_owned()
        } else {
            crate::domain::text::clean_line(&g.name)
        },
        g.won_count.to_string(),
        g.lost_count.to_string(),
        g.win_rate.map_or_else(dash, percent),
        money(g.won_cents),
        money(g.rtv_cents),
        g.target_cents.map_or_else(dash, &money),
        // Signed, as the funnel's own GAP: below zero, the target is passed by that much.
        g.gap_cents.map_or_else(dash, &money),
    ]
}
