//! What the command line says, in English and French. Its scripts' output (ids, `--json`, the
//! tab-separated lists' keys) is not translated; messages on stderr and errors are.

use std::fmt::Display;

use crate::domain::Lang;
use crate::domain::upkeep::Flag;
use crate::store::ChangedField;

/// An upkeep flag in a few words, within a line.
pub fn flag(lang: Lang, flag: Flag) -> String {
    crate::i18n::day::flag_name(lang, flag).to_lowercase()
}

/// A field whose changes a card's timeline shows.
pub fn changed_field(lang: Lang, field: ChangedField) -> &'static str {
    match field {
        ChangedField::Title => field_title(lang),
        ChangedField::Value => crate::i18n::figures::value(lang),
        ChangedField::ExpectedClose => field_expected_close(lang),
        ChangedField::Owner => field_owner(lang),
        ChangedField::NextStep => field_next_step(lang),
        ChangedField::NextStepDue => field_next_step_due(lang),
        ChangedField::NextStepAt => field_next_step_at(lang),
    }
}

pub use crate::i18n::day::activity_kind;

crate::texts! {
    // Errors of the command line itself.
    pub no_home = {
        en: "no home directory: give the database with --db PATH",
        fr: "pas de dossier personnel : indiquez la base avec --db CHEMIN",
    };
    pub cannot_create(path: impl Display, reason: impl Display) = {
        en: "cannot create {path}: {reason}",
        fr: "impossible de créer {path} : {reason}",
    };
    pub not_a_date(text: &str) = {
        en: "not a date (YYYY-MM-DD): \"{text}\"",
        fr: "pas une date (AAAA-MM-JJ) : « {text} »",
    };
    pub amount(reason: &str) = { en: "amount: {reason}", fr: "montant : {reason}" };
    pub not_a_day(option: &str, text: &str, reason: &str) = {
        en: "--{option} \"{text}\": {reason}",
        fr: "--{option} « {text} » : {reason}",
    };
    pub check_the_dates(conflict: &str) = {
        en: "saved, but check the dates: {conflict}",
        fr: "enregistré, mais vérifiez les dates : {conflict}",
    };
    pub unknown_stage(text: &str, keys: &str) = {
        en: "unknown stage \"{text}\" (one of {keys})",
        fr: "étape inconnue « {text} » (l'une de {keys})",
    };
    pub board_needs_print = {
        en: "`funnel board` needs --print; run `funnel` alone for the interactive board",
        fr: "`funnel board` demande --print ; lancez `funnel` seul pour le tableau interactif",
    };

    // Whole files: backups and exports.
    pub backed_up(path: impl Display) = {
        en: "backed up to {path}",
        fr: "sauvegarde faite dans {path}",
    };
    pub cannot_write(path: impl Display, reason: impl Display) = {
        en: "cannot write {path}: {reason}",
        fr: "impossible d'écrire {path} : {reason}",
    };
    pub is_the_database(path: impl Display, file: impl Display) = {
        en: "cannot write {path}: it is the database file {file}",
        fr: "impossible d'écrire {path} : c'est le fichier de la base {file}",
    };

    // `funnel check`.
    pub check_ok(db: impl Display) = { en: "{db}: ok", fr: "{db} : ok" };
    pub problems_found(db: impl Display, n: usize) = {
        en: "{db}: {n} problem(s) found",
        fr: "{db} : {n} problème(s) trouvé(s)",
    };
    pub copied_before_repair(copy: impl Display) = {
        en: "copied to {copy} before repairing",
        fr: "copie dans {copy} avant la réparation",
    };
    pub repaired(problem: &str) = { en: "repaired: {problem}", fr: "réparé : {problem}" };
    pub not_repaired(problem: &str) = {
        en: "not repaired: {problem}",
        fr: "non réparé : {problem}",
    };
    pub all_repaired(db: impl Display, n: usize) = {
        en: "{db}: {n} problem(s) repaired, none left",
        fr: "{db} : {n} problème(s) réparé(s), plus aucun",
    };
    pub some_left(db: impl Display, n: usize, left: usize) = {
        en: "{db}: {n} problem(s) repaired, {left} not (a recount cannot repair them)",
        fr: "{db} : {n} problème(s) réparé(s), {left} non (un recomptage ne peut pas les réparer)",
    };

    // Cards and targets.
    pub target_set(amount: &str, period: impl Display, owner: &str) = {
        en: "target {amount} for {period}{owner}",
        fr: "objectif de {amount} pour {period}{owner}",
    };
    pub evidence_confirmed(stage: &str) = {
        en: "evidence confirmed: {stage}",
        fr: "preuve confirmée : {stage}",
    };
    pub moved_to(stage: &str) = { en: "moved to {stage}", fr: "déplacée vers {stage}" };
    pub evidence_missing(stages: &str, id: &str) = {
        en: "evidence not confirmed for: {stages}. Confirm it with `funnel evidence {id}` or move \
             with --force (recorded as unverified)",
        fr: "preuve non confirmée pour : {stages}. Confirmez-la avec `funnel evidence {id}` ou \
             déplacez avec --force (enregistré comme non vérifié)",
    };
    pub reopened(stage: &str) = {
        en: "reopened in {stage}",
        fr: "rouverte dans {stage}",
    };
    pub deleted(title: &str) = { en: "deleted: {title}", fr: "supprimée : {title}" };
    pub edited(title: &str) = { en: "saved: {title}", fr: "enregistrée : {title}" };
    pub nothing_to_edit = {
        en: "nothing to change: give at least one field (--title, --value, --due…)",
        fr: "rien à changer : indiquez au moins un champ (--title, --value, --due…)",
    };
    pub funnel_added(name: &str, currency: &str, month: u32) = {
        en: "funnel \"{name}\" added ({currency}, fiscal year from month {month})",
        fr: "entonnoir « {name} » ajouté ({currency}, exercice à partir du mois {month})",
    };

    // Imports and the demo.
    pub importing(name: &str) = { en: "importing {name}", fr: "import de {name}" };
    pub nothing_imported(path: impl Display, problems: &str) = {
        en: "{path}: nothing imported\n{problems}",
        fr: "{path} : rien n'a été importé\n{problems}",
    };
    pub imported(added: &str, updated: &str) = {
        en: "imported: {added}, {updated}",
        fr: "importé : {added}, {updated}",
    };
    pub would_import(added: &str, updated: &str) = {
        en: "would import: {added}, {updated}",
        fr: "importerait : {added}, {updated}",
    };
    /// Counted words of an import's summary (with [`crate::i18n::count`]).
    pub added_one = { en: "added", fr: "ajoutée" };
    pub added = { en: "added", fr: "ajoutées" };
    pub updated_one = { en: "updated", fr: "mise à jour" };
    pub updated = { en: "updated", fr: "mises à jour" };
    pub demo_not_empty(existing: i64) = {
        en: "this funnel already has {existing} opportunities; use --force to add the demo data \
             anyway",
        fr: "cet entonnoir a déjà {existing} opportunités ; --force y ajoute quand même les \
             données de démo",
    };
    pub demo_data = { en: "demo data", fr: "données de démo" };
    pub demo_added(added: usize, funnel: &str) = {
        en: "demo data: {added} opportunities added to \"{funnel}\"",
        fr: "données de démo : {added} opportunités ajoutées à « {funnel} »",
    };

    // The progress line of long commands: "4,096 of 20,000 cards written".
    pub labelled(label: &str, progress: &str) = {
        en: "{label}: {progress}",
        fr: "{label} : {progress}",
    };
    pub rows = { en: "rows", fr: "lignes" };
    pub cards = { en: "cards", fr: "cartes" };
    pub written = { en: "written", fr: "écrites" };
    pub pushed = { en: "pushed", fr: "envoyées" };
    pub received = { en: "received", fr: "reçues" };
    pub counted(n: &str, unit: &str, done: &str) = {
        en: "{n} {unit} {done}",
        fr: "{n} {unit} {done}",
    };
    pub counted_of(n: &str, all: &str, unit: &str, done: &str) = {
        en: "{n} of {all} {unit} {done}",
        fr: "{n} sur {all} {unit} {done}",
    };
    pub finishing(unit: &str, done: &str) = {
        en: "all {unit} {done}, finishing…",
        fr: "toutes les {unit} {done}, finalisation…",
    };

    // The team hub.
    pub no_hub = {
        en: "no hub configured: set [sync] url in config.toml or $FUNNEL_SYNC_URL",
        fr: "aucun hub configuré : renseignez [sync] url dans config.toml ou $FUNNEL_SYNC_URL",
    };
    pub hub_up_to_date(version: usize) = {
        en: "hub schema is up to date (version {version})",
        fr: "le schéma du hub est à jour (version {version})",
    };
    pub hub_upgraded(old: usize, new: usize) = {
        en: "hub schema upgraded from version {old} to {new}",
        fr: "schéma du hub mis à jour de la version {old} à la {new}",
    };
    pub member_set(role: &str, kind: &str, owner: &str, team: &str) = {
        en: "{role}: {kind} {owner} (team \"{team}\")",
        fr: "{role} : {kind} {owner} (équipe « {team} »)",
    };
    pub seller = { en: "Seller", fr: "vendeur" };
    pub lead = { en: "Lead", fr: "responsable d'équipe" };
    pub director = { en: "Director", fr: "directeur" };
    pub sync = { en: "sync", fr: "synchro" };
    pub synced(pushed: usize, pulled: usize) = {
        en: "pushed {pushed}, pulled {pulled}",
        fr: "envoyées : {pushed}, reçues : {pulled}",
    };
    pub conflicts_kept(n: usize) = {
        en: ", {n} conflicts kept (see `funnel conflicts`)",
        fr: ", {n} conflits gardés (voir `funnel conflicts`)",
    };
    pub clock_ahead(by: &str) = {
        en: "this machine's clock is {by} ahead of the hub's: changes stamped more than 5 minutes \
             ahead are refused by the hub; set the clock right (they are tried again on every sync)",
        fr: "l'horloge de cette machine a {by} d'avance sur celle du hub : les modifications \
             horodatées plus de 5 minutes en avance sont refusées par le hub ; remettez l'horloge \
             à l'heure (elles seront retentées à chaque synchro)",
    };
    pub clock_behind(by: &str) = {
        en: "this machine's clock is {by} behind the hub's: set the clock right",
        fr: "l'horloge de cette machine a {by} de retard sur celle du hub : remettez l'horloge à \
             l'heure",
    };
    pub days_hours(days: i64, hours: i64) = {
        en: "{days} days {hours} h",
        fr: "{days} jours {hours} h",
    };
    pub minutes_seconds(minutes: i64, seconds: i64) = {
        en: "{minutes} min {seconds} s",
        fr: "{minutes} min {seconds} s",
    };
    pub kept_aside(n: usize) = {
        en: ", {n} pulled rows kept aside (see `funnel conflicts`)",
        fr: ", {n} lignes reçues mises de côté (voir `funnel conflicts`)",
    };
    pub aside(table: &str, id: &str, reason: &str) = {
        en: "kept aside\t{table} {id}\t{reason} (tried again on every sync)",
        fr: "mise de côté\t{table} {id}\t{reason} (retentée à chaque synchro)",
    };
    pub refused_by_hub(table: &str, id: &str, reason: &str) = {
        en: "refused by the hub: {table} {id}: {reason}",
        fr: "refusé par le hub : {table} {id} : {reason}",
    };
    pub changes_refused(n: usize) = {
        en: "{n} changes refused by the hub; they stay here and are tried again on every sync",
        fr: "{n} modifications refusées par le hub ; elles restent ici et seront retentées à \
             chaque synchro",
    };
    pub mine = { en: "mine", fr: "ma version" };
    pub theirs = { en: "theirs", fr: "leur version" };
    pub kept(winner: &str) = { en: "{winner} kept", fr: "{winner} gardée" };
    pub difference(field: &str, mine: impl Display, theirs: impl Display) = {
        en: "{field}: mine {mine}, theirs {theirs}",
        fr: "{field} : la mienne {mine}, la leur {theirs}",
    };
    pub resolved(title: &str) = {
        en: "resolved: {title} (pushed on the next sync)",
        fr: "résolu : {title} (envoyé à la prochaine synchro)",
    };

    // The seller's day: next steps, activities, the agenda.
    pub field_id = { en: "Id", fr: "Id" };
    field_title = { en: "Title", fr: "Titre" };
    field_next_step_due = { en: "Next step due", fr: "Échéance de l'étape" };
    field_next_step_at = { en: "Next step time", fr: "Heure de l'étape" };
    pub field_status = { en: "Status", fr: "Statut" };
    pub field_account = { en: "Account", fr: "Compte" };
    pub field_owner = { en: "Owner", fr: "Responsable" };
    pub field_team = { en: "Team", fr: "Équipe" };
    pub field_region = { en: "Region", fr: "Région" };
    pub field_territory = { en: "Territory", fr: "Territoire" };
    pub field_product = { en: "Product", fr: "Produit" };
    pub field_expected_close = { en: "Expected close", fr: "Clôture prévue" };
    pub field_next_step = { en: "Next step", fr: "Prochaine étape" };
    pub in_stage_for(stage: &str, days: i64) = {
        en: "{stage} ({days} d in it)",
        fr: "{stage} (depuis {days} j)",
    };
    pub people = { en: "Buying centre", fr: "Centre d'achat" };
    pub evidence = { en: "Evidence", fr: "Preuves" };
    pub unknown_kind(text: &str) = {
        en: "unknown kind of activity \"{text}\" (call, meeting, email or note)",
        fr: "type d'activité inconnu « {text} » (appel, réunion, courriel ou note)",
    };
    pub logged(kind: &str, day: &str) = {
        en: "{kind} logged on {day}",
        fr: "{kind} noté le {day}",
    };
    pub next_step_set(step: &str, when: &str) = {
        en: "next step: {step}, due {when}",
        fr: "prochaine étape : {step}, pour le {when}",
    };
    pub next_step_undated(step: &str) = {
        en: "next step: {step}, without a date: the card stays flagged until it has one \
             (--due tomorrow, +1w, 15/01…)",
        fr: "prochaine étape : {step}, sans date : la carte reste signalée tant qu'elle n'en a \
             pas (--due demain, +1s, 15/01…)",
    };
    pub step_done(step: &str) = { en: "done: {step}", fr: "fait : {step}" };
    pub no_next_step_now(id: &str) = {
        en: "this card has no next step now: set one with `funnel next {id} \"…\" --due …`",
        fr: "cette carte n'a plus de prochaine étape : fixez-en une avec `funnel next {id} \
             \"…\" --due …`",
    };
    pub status_open = { en: "open", fr: "ouverte" };
    pub agenda_title(date: &str, whose: &str) = {
        en: "Today {date} — {whose}",
        fr: "Aujourd'hui {date} — {whose}",
    };
    pub everyone = { en: "everyone's cards", fr: "les cartes de tous" };
    pub agenda_clear = {
        en: "nothing needs you: every open card has a dated next step and recent activity",
        fr: "rien ne vous attend : chaque carte ouverte a une prochaine étape datée et une \
             activité récente",
    };
    pub agenda_more = {
        en: "more flagged cards are not shown: raise --limit",
        fr: "d'autres cartes signalées ne sont pas affichées : augmentez --limit",
    };
    pub upkeep_header(days: u32) = {
        en: "Upkeep: open cards with a dated next step not overdue and activity within {days} days",
        fr: "Suivi : cartes ouvertes avec une prochaine étape datée non dépassée et une activité \
             depuis moins de {days} jours",
    };
    pub seller_col = { en: "Seller", fr: "Vendeur" };
    pub kept_up = { en: "Kept up", fr: "À jour" };
    pub share = { en: "Share", fr: "Part" };
    pub field_flags = { en: "Needs", fr: "À faire" };
    pub timeline = { en: "Timeline", fr: "Historique" };
    pub activity_with(kind: &str, with: &str, said: &str) = {
        en: "{kind} with {with}: {said}",
        fr: "{kind} avec {with} : {said}",
    };
    pub created_in(stage: &str) = { en: "created in {stage}", fr: "créée dans {stage}" };
    pub moved_with_evidence(from: &str, to: &str) = {
        en: "moved {from} → {to}, evidence confirmed",
        fr: "déplacée {from} → {to}, preuve confirmée",
    };
    pub moved_unverified(from: &str, to: &str) = {
        en: "moved {from} → {to}, unverified",
        fr: "déplacée {from} → {to}, non vérifié",
    };
    pub won_in(stage: &str) = { en: "won in {stage}", fr: "gagnée dans {stage}" };
    pub lost_in(stage: &str) = { en: "lost in {stage}", fr: "perdue dans {stage}" };
    pub changed(field: &str, old: &str, new: &str) = {
        en: "{field}: {old} → {new}",
        fr: "{field} : {old} → {new}",
    };
}
