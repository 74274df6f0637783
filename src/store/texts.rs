//! What the store says: why it refuses a change ([`Refusal`]), what `check` finds wrong with a
//! file ([`Problem`]), and every error's message, in English and French. The refusals and
//! problems are values, so the store decides what went wrong and the caller's language how it
//! is said.

use std::fmt::Display;
use std::path::PathBuf;

use super::{Damage, StoreError};
use crate::domain::money::{MoneyError, NotACurrency};
use crate::domain::text::TooLong;
use crate::domain::{DateConflict, Lang, Stage, Status};
use crate::i18n::figures;

/// Why the store refuses a change (or a row from a file or a hub): [`StoreError::Invalid`].
#[derive(Debug)]
pub enum Refusal {
    // A card's fields.
    /// A text field longer than the store keeps.
    TooLong {
        field: &'static str,
        too_long: TooLong,
    },
    NoTitle,
    /// An amount out of bounds, and the field (or "target") it was given for.
    Amount {
        field: &'static str,
        error: MoneyError,
    },
    /// A card of an import, by its id, and why it is refused.
    Card {
        id: String,
        refusal: Box<Refusal>,
    },
    // Moving and closing cards.
    /// Moving a card that is won or lost.
    Closed(Status),
    /// Moving a card to the stage it is in.
    AlreadyIn(Stage),
    /// Closing a closed card, or reopening an open one: the status it already has.
    Already(Status),
    LostNeedsReason,
    // Next steps and activities.
    /// Setting the next step of a card that is won or lost.
    NextStepOnClosed(Status),
    /// Marking done the next step of a card that has none.
    NoNextStep,
    NoSuchActivity(String),
    /// Dates that cannot both be right (a kind the store refuses).
    Dates(DateConflict),
    // The buying centre and one-to-ones.
    NoPersonName,
    /// An influence or authority score above 5.
    ScoreOutOfRange,
    NoSeller,
    /// A one-to-one with someone who has no card in the funnel; the sellers there are.
    NoSuchSeller {
        name: String,
        sellers: Vec<String>,
    },
    /// A team one-to-one without a team.
    NoTeam,
    /// A team one-to-one over a team with no card in the funnel; the teams there are.
    NoSuchTeam {
        name: String,
        teams: Vec<String>,
    },
    NoSuchMeeting(String),
    NoActionText,
    NoSuchActionItem(String),
    // Funnels and backups.
    NoFunnelName,
    /// A fiscal year starting in a month that is not 1 to 12.
    FiscalStart(u32),
    Currency(NotACurrency),
    BackupExists(PathBuf),
    // Rows written in bulk or pulled from a hub.
    /// An array or object in a column of a pulled row.
    Nested {
        column: String,
    },
    /// A pulled row's amount out of bounds (`None`: not a whole number of cents).
    PulledAmount {
        table: String,
        id: String,
        column: &'static str,
        error: Option<MoneyError>,
    },
    /// A row the JSON reader cannot read (its own words).
    Json(serde_json::Error),
    /// A bulk load left a row referring to a row that does not exist.
    MissingParent {
        table: String,
        parent: String,
    },
    /// A card with records given to the path that counts new cards apart.
    CountedAsWritten(String),
    /// The cards' table is not defined as the store defines it.
    UnexpectedSchema(String),
    /// A walk over the cards stopped by its caller, whose own error is the one reported.
    Interrupted,
}

/// Why a row pulled from the hub is kept aside rather than applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flaw {
    /// Not a JSON object (the parser's reason).
    Shape(String),
    /// The payload's `column` is not, as a string, what the hub's column of that name says
    /// (what the hub's access rules checked).
    Mismatch { column: String },
    /// An array or object in `column`, which no column holds.
    Nested { column: String },
    /// A stamp not in the form clients write.
    BadStamp,
    /// A stamp this many minutes ahead of the hub's clock (more than the bound).
    Ahead { minutes: i64 },
    /// A record of a card kept aside.
    CardAside,
    /// An amount that is not one a user could enter (see `sync::apply`).
    Amount { column: String },
    /// An activity's `column` is not one clients write (see `sync::hub`): a kind they know, a
    /// day of a real year, a minute of the day, a text of a field's length at most.
    Activity { column: String },
    /// A card history's or a meeting's, card note's or action item's `column` (of `table`) is
    /// not one clients write (see `sync::hub`).
    Field { table: String, column: String },
    /// A card history row this file holds already, sent again changed: history is written once.
    Rewritten,
    /// Refused by this file's schema (an unknown stage, a missing parent…), in SQLite's words.
    Refused(String),
}

impl From<Refusal> for StoreError {
    fn from(refusal: Refusal) -> Self {
        StoreError::Invalid(Box::new(refusal))
    }
}

/// What [`Store::check`](super::Store::check) finds wrong with a database, one problem each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A line of SQLite's integrity check (its own words).
    Integrity(String),
    /// The app's invariants wait until the file is repaired.
    NotCheckedUntilRepaired,
    /// A row of SQLite's foreign key check: the table, rowid, parent and constraint.
    ForeignKey(String),
    UnknownStage {
        id: String,
        stage: i64,
    },
    UnknownStatus {
        id: String,
        status: i64,
    },
    /// A card in one stage whose newest history event ends in another.
    HistoryEnds {
        id: String,
        stage: i64,
        last: i64,
    },
    /// A running total that differs from a recount of the funnel's cards.
    Totals {
        funnel: String,
        period: Option<i32>,
        status: Status,
        stage: Stage,
        owner: String,
        /// Cards and cents, as kept and as recounted.
        kept: (i64, i128),
        recount: (i64, i128),
    },
    /// The totals wait until the cards with an unknown stage or status are fixed.
    TotalsNotRecounted,
    /// A breakdown table, and how many of its rows differ from a recount of the cards.
    Breakdown {
        table: &'static str,
        rows: i64,
    },
    /// A history sum table, and how many of its rows differ from a recount of the history.
    HistorySum {
        table: &'static str,
        rows: i64,
    },
}

crate::texts! {
    not_funnel_database(path: impl Display) = {
        en: "{path}: not a funnel database (left untouched)",
        fr: "{path} : ce n'est pas une base funnel (laissée intacte)",
    };
    damaged(path: impl Display, reason: &str) = {
        en: "{path}: a funnel database, but damaged ({reason}); left untouched: restore a backup \
             (`funnel backup` makes them)",
        fr: "{path} : une base funnel, mais endommagée ({reason}) ; laissée intacte : restaurez \
             une sauvegarde (`funnel backup` en fait)",
    };
    truncated(len: u64, expected: u64) = {
        en: "{len} bytes of the {expected} it should hold",
        fr: "{len} octets sur les {expected} qu'elle devrait contenir",
    };
    unreadable = { en: "its pages cannot be read", fr: "ses pages sont illisibles" };
    too_new(path: impl Display, found: usize, supported: usize) = {
        en: "{path}: made by a newer version of funnel (schema {found}, this one knows \
             {supported}); left untouched",
        fr: "{path} : créée par une version plus récente de funnel (schéma {found}, celle-ci \
             connaît le {supported}) ; laissée intacte",
    };
    cannot_create(path: impl Display, reason: impl Display) = {
        en: "cannot create {path}: {reason}",
        fr: "impossible de créer {path} : {reason}",
    };
    not_found(id: &str) = {
        en: "no opportunity matches \"{id}\"",
        fr: "aucune opportunité ne correspond à « {id} »",
    };
    ambiguous(id: &str) = {
        en: "\"{id}\" matches several opportunities: give more characters of the id",
        fr: "« {id} » correspond à plusieurs opportunités : donnez plus de caractères de \
             l'identifiant",
    };
    no_such_funnel(name: &str) = {
        en: "no funnel named \"{name}\"",
        fr: "aucun entonnoir nommé « {name} »",
    };
    funnel_exists(name: &str) = {
        en: "a funnel named \"{name}\" already exists",
        fr: "un entonnoir nommé « {name} » existe déjà",
    };
    conflict = {
        en: "this card was changed elsewhere (another window or command); reloaded, try again",
        fr: "cette carte a été modifiée ailleurs (autre fenêtre ou commande) ; rechargée, \
             réessayez",
    };
    busy = {
        en: "the database is busy (another funnel is writing); try again in a moment",
        fr: "la base est occupée (un autre funnel écrit) ; réessayez dans un instant",
    };
    read_only = {
        en: "the database is read-only: nothing was changed",
        fr: "la base est en lecture seule : rien n'a été modifié",
    };
    read_only_outdated(path: impl Display) = {
        en: "{path}: read-only, and made by an older version of funnel: make it writable once \
             to upgrade it",
        fr: "{path} : en lecture seule, et créée par une version plus ancienne de funnel : \
             rendez-la modifiable une fois pour la mettre à jour",
    };
    full = {
        en: "the disk is full (or the database reached its size limit): nothing was saved",
        fr: "le disque est plein (ou la base a atteint sa taille limite) : rien n'a été \
             enregistré",
    };
    database_error(reason: impl Display) = {
        en: "database error: {reason}",
        fr: "erreur de la base : {reason}",
    };
    migration_failed(reason: impl Display) = {
        en: "schema migration failed: {reason}",
        fr: "la mise à jour du schéma a échoué : {reason}",
    };

    // Refusals.
    of_field(field: &str, reason: &str) = { en: "{field}: {reason}", fr: "{field} : {reason}" };
    no_title = {
        en: "an opportunity needs a title",
        fr: "une opportunité doit avoir un titre",
    };
    closed(status: &str) = {
        en: "this opportunity is {status}: reopen it before moving it",
        fr: "cette opportunité est {status} : rouvrez-la avant de la déplacer",
    };
    already_in(stage: &str) = {
        en: "already in stage {stage}",
        fr: "déjà à l'étape {stage}",
    };
    already(status: &str) = {
        en: "this opportunity is already {status}",
        fr: "cette opportunité est déjà {status}",
    };
    lost_needs_reason = {
        en: "a lost opportunity needs a reason",
        fr: "une opportunité perdue doit avoir une raison",
    };
    no_person_name = { en: "a person needs a name", fr: "une personne doit avoir un nom" };
    score_out_of_range = {
        en: "influence and authority go from 0 to 5",
        fr: "l'influence et l'autorité vont de 0 à 5",
    };
    no_seller = {
        en: "a one-to-one needs a seller",
        fr: "un entretien individuel se tient avec un vendeur",
    };
    no_such_seller(name: &str, sellers: &str) = {
        en: "no seller named \"{name}\" in this funnel (sellers: {sellers})",
        fr: "aucun vendeur nommé « {name} » dans cet entonnoir (vendeurs : {sellers})",
    };
    no_sellers_yet = { en: "none yet", fr: "aucun pour l'instant" };
    no_team = {
        en: "a team one-to-one needs a team",
        fr: "un entretien d'équipe se tient sur une équipe",
    };
    no_such_team(name: &str, teams: &str) = {
        en: "no seller has cards in team \"{name}\" (teams: {teams})",
        fr: "aucun vendeur n'a de cartes dans l'équipe « {name} » (équipes : {teams})",
    };
    next_step_on_closed(status: &str) = {
        en: "this opportunity is {status}: reopen it to plan its next step",
        fr: "cette opportunité est {status} : rouvrez-la pour prévoir sa prochaine étape",
    };
    no_next_step = {
        en: "this opportunity has no next step to mark done",
        fr: "cette opportunité n'a pas de prochaine étape à marquer faite",
    };
    no_such_activity(id: &str) = {
        en: "no logged activity has the id \"{id}\"",
        fr: "aucune activité enregistrée n'a l'identifiant « {id} »",
    };
    no_such_meeting(id: &str) = {
        en: "no meeting matches \"{id}\"",
        fr: "aucun entretien ne correspond à « {id} »",
    };
    no_action_text = {
        en: "an action item needs a text",
        fr: "une action doit avoir un texte",
    };
    no_such_action_item(id: &str) = {
        en: "no action item matches \"{id}\"",
        fr: "aucune action ne correspond à « {id} »",
    };
    no_funnel_name = { en: "a funnel needs a name", fr: "un entonnoir doit avoir un nom" };
    fiscal_start(month: u32) = {
        en: "fiscal-year start must be a month from 1 to 12, not {month}",
        fr: "le début de l'exercice doit être un mois de 1 à 12, pas {month}",
    };
    backup_exists(path: impl Display) = {
        en: "{path} already exists (--force replaces it)",
        fr: "{path} existe déjà (--force le remplace)",
    };
    nested(column: &str) = {
        en: "hub sent a nested value in {column}",
        fr: "le hub a envoyé une valeur imbriquée dans {column}",
    };
    pulled(table: &str, id: &str, column: &str, reason: &str) = {
        en: "{table} {id}: {column}: {reason}",
        fr: "{table} {id} : {column} : {reason}",
    };
    not_cents = { en: "not an amount in cents", fr: "pas un montant en centimes" };
    missing_parent(table: &str, parent: &str) = {
        en: "a row of {table} refers to a missing row of {parent}",
        fr: "une ligne de {table} renvoie à une ligne absente de {parent}",
    };
    counted_as_written(id: &str) = {
        en: "{id}: a card with records is counted as it is written",
        fr: "{id} : une carte avec son historique est comptée à l'écriture",
    };
    unexpected_schema(sql: &str) = {
        en: "unexpected schema of opportunities: {sql}",
        fr: "schéma inattendu des opportunités : {sql}",
    };
    interrupted = { en: "interrupted", fr: "interrompu" };

    // What `check` finds.
    integrity(reason: &str) = { en: "integrity: {reason}", fr: "intégrité : {reason}" };
    not_checked_until_repaired = {
        en: "invariants: not checked until the file is repaired",
        fr: "invariants : non vérifiés tant que le fichier n'est pas réparé",
    };
    foreign_key(row: &str) = { en: "foreign key: {row}", fr: "clé étrangère : {row}" };
    unknown_stage(id: &str, stage: i64) = {
        en: "opportunity {id}: stage {stage} is not a known stage",
        fr: "opportunité {id} : l'étape {stage} n'est pas une étape connue",
    };
    unknown_status(id: &str, status: i64) = {
        en: "opportunity {id}: status {status} is not open, won or lost",
        fr: "opportunité {id} : le statut {status} n'est ni open, ni won, ni lost",
    };
    history_ends(id: &str, stage: i64, last: i64) = {
        en: "opportunity {id}: in stage {stage} but its history ends in stage {last}",
        fr: "opportunité {id} : à l'étape {stage} mais son historique se termine à l'étape {last}",
    };
    totals_of(funnel: &str, period: &str, status: Status, stage: &str, owner: &str) = {
        en: "totals of funnel \"{funnel}\", period {period}, {status}, stage {stage}, owner \
             \"{owner}\"",
        fr: "totaux de l'entonnoir « {funnel} », période {period}, {status}, étape {stage}, \
             vendeur « {owner} »",
    };
    totals_differ(which: &str, kept_cards: i64, kept_cents: i128, cards: i64, cents: i128) = {
        en: "{which}: kept {kept_cards} cards / {kept_cents} cents, recount {cards} / {cents}",
        fr: "{which} : gardés {kept_cards} cartes / {kept_cents} centimes, recompte {cards} / \
             {cents}",
    };
    undated = { en: "undated", fr: "sans date" };
    totals_not_recounted = {
        en: "totals: not recounted until the cards above are fixed",
        fr: "totaux : non recomptés tant que les cartes ci-dessus ne sont pas corrigées",
    };
    differ_from_cards(table: &str, rows: i64) = {
        en: "{table}: {rows} rows differ from a recount of the cards",
        fr: "{table} : {rows} lignes diffèrent d'un recompte des cartes",
    };
    differ_from_history(table: &str, rows: i64) = {
        en: "{table}: {rows} rows differ from a recount of the history",
        fr: "{table} : {rows} lignes diffèrent d'un recompte de l'historique",
    };
}

impl StoreError {
    /// The message in `lang`. The reasons that come from SQLite and the system stay in their
    /// own words.
    pub fn say(&self, lang: Lang) -> String {
        match self {
            StoreError::NotFunnelDatabase { path } => not_funnel_database(lang, path.display()),
            StoreError::Damaged { path, reason } => {
                let reason = match *reason {
                    Damage::Truncated { len, expected } => truncated(lang, len, expected),
                    Damage::Unreadable => unreadable(lang).to_owned(),
                };
                damaged(lang, path.display(), &reason)
            }
            StoreError::TooNew {
                path,
                found,
                supported,
            } => too_new(lang, path.display(), *found, *supported),
            StoreError::Create { path, source } => cannot_create(lang, path.display(), source),
            StoreError::NotFound(id) => not_found(lang, id),
            StoreError::Ambiguous(id) => ambiguous(lang, id),
            StoreError::NoSuchFunnel(name) => no_such_funnel(lang, name),
            StoreError::FunnelExists(name) => funnel_exists(lang, name),
            StoreError::Conflict => conflict(lang).to_owned(),
            StoreError::Invalid(refusal) => refusal.say(lang),
            StoreError::Busy => busy(lang).to_owned(),
            StoreError::ReadOnly => read_only(lang).to_owned(),
            StoreError::ReadOnlyOutdated { path } => read_only_outdated(lang, path.display()),
            StoreError::Full => full(lang).to_owned(),
            StoreError::Sqlite(e) => database_error(lang, e),
            StoreError::Migration(e) => migration_failed(lang, migration_failure(e)),
        }
    }
}

impl Problem {
    /// A kept sum that differs from the cards: counting it again repairs it.
    pub fn is_recountable(&self) -> bool {
        matches!(
            self,
            Problem::Totals { .. } | Problem::Breakdown { .. } | Problem::HistorySum { .. }
        )
    }
}

impl Refusal {
    /// The refusal in `lang`.
    pub fn say(&self, lang: Lang) -> String {
        let l = lang;
        match self {
            Refusal::TooLong { field, too_long } => of_field(l, field, &too_long.say(l)),
            Refusal::NoTitle => no_title(l).to_owned(),
            Refusal::Amount { field, error } => of_field(l, field, &error.message(l)),
            Refusal::Card { id, refusal } => of_field(l, id, &refusal.say(l)),
            Refusal::Closed(status) => closed(l, status_word(*status, l)),
            Refusal::AlreadyIn(stage) => already_in(l, stage.key()),
            Refusal::Already(status) => already(l, status_word(*status, l)),
            Refusal::LostNeedsReason => lost_needs_reason(l).to_owned(),
            Refusal::Dates(conflict) => conflict.say(l).to_owned(),
            Refusal::NoPersonName => no_person_name(l).to_owned(),
            Refusal::ScoreOutOfRange => score_out_of_range(l).to_owned(),
            Refusal::NoSeller => no_seller(l).to_owned(),
            Refusal::NoSuchSeller { name, sellers } if sellers.is_empty() => {
                no_such_seller(l, name, no_sellers_yet(l))
            }
            Refusal::NoSuchSeller { name, sellers } => no_such_seller(l, name, &sellers.join(", ")),
            Refusal::NoTeam => no_team(l).to_owned(),
            Refusal::NoSuchTeam { name, teams } if teams.is_empty() => {
                no_such_team(l, name, no_sellers_yet(l))
            }
            Refusal::NoSuchTeam { name, teams } => no_such_team(l, name, &teams.join(", ")),
            Refusal::NextStepOnClosed(status) => next_step_on_closed(l, status_word(*status, l)),
            Refusal::NoNextStep => no_next_step(l).to_owned(),
            Refusal::NoSuchActivity(id) => no_such_activity(l, id),
            Refusal::NoSuchMeeting(id) => no_such_meeting(l, id),
            Refusal::NoActionText => no_action_text(l).to_owned(),
            Refusal::NoSuchActionItem(id) => no_such_action_item(l, id),
            Refusal::NoFunnelName => no_funnel_name(l).to_owned(),
            Refusal::FiscalStart(month) => fiscal_start(l, *month),
            Refusal::Currency(e) => e.say(l),
            Refusal::BackupExists(path) => backup_exists(l, path.display()),
            Refusal::Nested { column } => nested(l, column),
            Refusal::PulledAmount {
                table,
                id,
                column,
                error,
            } => {
                let reason = error
                    .as_ref()
                    .map_or(not_cents(l).to_owned(), |e| e.message(l));
                pulled(l, table, id, column, &reason)
            }
            Refusal::Json(e) => e.to_string(),
            Refusal::MissingParent { table, parent } => missing_parent(l, table, parent),
            Refusal::CountedAsWritten(id) => counted_as_written(l, id),
            Refusal::UnexpectedSchema(sql) => unexpected_schema(l, sql),
            Refusal::Interrupted => interrupted(l).to_owned(),
        }
    }
}

/// A status as said of one opportunity: "won", "gagnée".
fn status_word(status: Status, lang: Lang) -> &'static str {
    match status {
        Status::Open => figures::open_one(lang),
        Status::Won => figures::won_one(lang),
        Status::Lost => figures::lost_one(lang),
    }
}

impl Problem {
    /// The problem in `lang` (SQLite's own reports stay in its words; keys, ids and table
    /// names are as they are in the file).
    pub fn say(&self, lang: Lang) -> String {
        let l = lang;
        match self {
            Problem::Integrity(reason) => integrity(l, reason),
            Problem::NotCheckedUntilRepaired => not_checked_until_repaired(l).to_owned(),
            Problem::ForeignKey(row) => foreign_key(l, row),
            Problem::UnknownStage { id, stage } => unknown_stage(l, id, *stage),
            Problem::UnknownStatus { id, status } => unknown_status(l, id, *status),
            Problem::HistoryEnds { id, stage, last } => history_ends(l, id, *stage, *last),
            Problem::Totals {
                funnel,
                period,
                status,
                stage,
                owner,
                kept,
                recount,
            } => {
                let period = period.map_or(undated(l).to_owned(), |p| p.to_string());
                let which = totals_of(l, funnel, &period, *status, stage.key(), owner);
                let ((kept_cards, kept_cents), (cards, cents)) = (*kept, *recount);
                totals_differ(l, &which, kept_cards, kept_cents, cards, cents)
            }
            Problem::TotalsNotRecounted => totals_not_recounted(l).to_owned(),
            Problem::Breakdown { table, rows } => differ_from_cards(l, table, *rows),
            Problem::HistorySum { table, rows } => differ_from_history(l, table, *rows),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.say(Lang::En))
    }
}

/// Why a schema step failed, without the step's SQL (hundreds of lines nobody can act on).
fn migration_failure(e: &rusqlite_migration::Error) -> String {
    match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => err.to_string(),
        other => other.to_string(),
    }
}

crate::texts! {
    aside_shape(reason: &str) = {
        en: "not a row as a JSON object: {reason}",
        fr: "pas une ligne en objet JSON : {reason}",
    };
    aside_mismatch(column: &str) = {
        en: "its data says another {column} than the hub's access rules checked",
        fr: "ses données indiquent un autre {column} que celui vérifié par les règles d'accès du hub",
    };
    aside_nested(column: &str) = {
        en: "an array or object in {column}",
        fr: "un tableau ou un objet dans {column}",
    };
    aside_bad_stamp = {
        en: "its stamp is not in the form clients write",
        fr: "son horodatage n'a pas la forme qu'écrivent les clients",
    };
    aside_ahead(minutes: i64) = {
        en: "stamped {minutes} minutes ahead of the hub's clock (a clock set wrong, or forged)",
        fr: "horodatée {minutes} minutes en avance sur l'horloge du hub (une horloge déréglée, \
             ou falsifiée)",
    };
    aside_card_aside = {
        en: "its card is kept aside",
        fr: "sa fiche est mise de côté",
    };
    aside_amount(column: &str) = {
        en: "{column} is not an amount one could enter (a whole number of cents within the cap)",
        fr: "{column} n'est pas un montant saisissable (un nombre entier de centimes sous le \
             plafond)",
    };
    aside_activity(column: &str) = {
        en: "the activity's {column} is not one funnel writes (a known kind, a day from 1900 to \
             2999, a minute of the day, a text of at most 10,000 characters)",
        fr: "le champ {column} de l'activité n'est pas de ceux qu'écrit funnel (un type connu, un \
             jour de 1900 à 2999, une minute de la journée, un texte d'au plus 10 000 caractères)",
    };
    aside_field(table: &str, column: &str) = {
        en: "{column} of this {table} row is not one funnel writes (a known value, a day from \
             1900 to 2999, a stamp, a text of at most 10,000 characters)",
        fr: "le champ {column} de cette ligne de {table} n'est pas de ceux qu'écrit funnel (une \
             valeur connue, un jour de 1900 à 2999, un horodatage, un texte d'au plus 10 000 \
             caractères)",
    };
    aside_rewritten = {
        en: "a change already in the card's history comes back altered: history is written once",
        fr: "un changement déjà dans l'historique de la fiche revient modifié : l'historique \
             s'écrit une seule fois",
    };
    aside_refused(reason: &str) = {
        en: "refused by this file: {reason}",
        fr: "refusée par ce fichier : {reason}",
    };
}

impl Flaw {
    /// Why, in `lang` (the parser's and SQLite's reasons in their own words).
    pub fn say(&self, lang: Lang) -> String {
        match self {
            Flaw::Shape(reason) => aside_shape(lang, reason),
            Flaw::Mismatch { column } => aside_mismatch(lang, column),
            Flaw::Nested { column } => aside_nested(lang, column),
            Flaw::BadStamp => aside_bad_stamp(lang).to_owned(),
            Flaw::Ahead { minutes } => aside_ahead(lang, *minutes),
            Flaw::CardAside => aside_card_aside(lang).to_owned(),
            Flaw::Amount { column } => aside_amount(lang, column),
            Flaw::Activity { column } => aside_activity(lang, column),
            Flaw::Field { table, column } => aside_field(lang, table, column),
            Flaw::Rewritten => aside_rewritten(lang).to_owned(),
            Flaw::Refused(reason) => aside_refused(lang, reason),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_speak_both_languages_and_display_stays_english() {
        let e = StoreError::NotFound("zzz".into());
        assert_eq!(e.to_string(), "no opportunity matches \"zzz\"");
        assert_eq!(
            e.say(Lang::Fr),
            "aucune opportunité ne correspond à « zzz »"
        );
        let e = StoreError::Damaged {
            path: "f.db".into(),
            reason: Damage::Truncated {
                len: 10,
                expected: 4096,
            },
        };
        assert!(
            e.to_string()
                .contains("(10 bytes of the 4096 it should hold)"),
            "{e}"
        );
        let fr = e.say(Lang::Fr);
        assert!(
            fr.starts_with("f.db : une base funnel, mais endommagée (10 octets"),
            "{fr}"
        );
    }
}
