//! What imports and exports say, in English and French.

use std::fmt::Display;

use super::{COLUMNS, ExportError, Reason};
use crate::domain::{Lang, Status};
use crate::i18n::figures;

crate::texts! {
    unsupported_file_type(path: impl Display) = {
        en: "{path}: unsupported file type (use a .csv or .json file)",
        fr: "{path} : type de fichier non pris en charge (utilisez un fichier .csv ou .json)",
    };
    cannot_read(path: impl Display, reason: &str) = {
        en: "cannot read {path}: {reason}",
        fr: "impossible de lire {path} : {reason}",
    };
    empty_file = {
        en: "empty file: expected a header row",
        fr: "fichier vide : une ligne d'en-tête est attendue",
    };
    syntax(column: usize, message: &str) = {
        en: "column {column}: {message}",
        fr: "colonne {column} : {message}",
    };
    unclosed_quote = {
        en: "quote opened here is never closed",
        fr: "le guillemet ouvert ici n'est jamais fermé",
    };
    invalid_utf8 = {
        en: "invalid UTF-8 (save the file as UTF-8)",
        fr: "UTF-8 invalide (enregistrez le fichier en UTF-8)",
    };
    not_an_export = {
        en: "expected \"funnel\": not a funnel export",
        fr: "« funnel » attendu : ce n'est pas un export de funnel",
    };
    unreadable_version(found: u32, supported: u32) = {
        en: "version {found} is not readable here (only up to {supported})",
        fr: "la version {found} n'est pas lisible ici (seulement jusqu'à la {supported})",
    };
    not_the_currency(given: &str, expected: &str) = {
        en: "{given} is not the funnel's currency ({expected})",
        fr: "{given} n'est pas la devise de l'entonnoir ({expected})",
    };
    other_fiscal_start(file: u32, funnel: u32) = {
        en: "the file's fiscal year starts in month {file}, the funnel's in month {funnel}",
        fr: "l'exercice du fichier commence au mois {file}, celui de l'entonnoir au mois {funnel}",
    };
    /// How to import a file into a funnel made like its own, after why it cannot go here.
    make_one(why: &str, currency: &str, fiscal_start: u32) = {
        en: "{why}; import it into a funnel made with `funnel funnels add NAME --currency \
             {currency} --fiscal-start {fiscal_start}` (then `funnel --funnel NAME import …`)",
        fr: "{why} ; importez-le dans un entonnoir créé avec `funnel funnels add NOM --currency \
             {currency} --fiscal-start {fiscal_start}` (puis `funnel --funnel NOM import …`)",
    };
    unnamed_column(n: usize) = {
        en: "column {n} has no name",
        fr: "la colonne {n} n'a pas de nom",
    };
    unknown_column(columns: &str) = {
        en: "unknown column (the columns are {columns})",
        fr: "colonne inconnue (les colonnes sont {columns})",
    };
    duplicate_column = { en: "duplicate column", fr: "colonne en double" };
    missing_column = { en: "required column is missing", fr: "colonne obligatoire absente" };
    field_count(expected: u64, found: u64) = {
        en: "expected {expected} fields like the header, found {found}",
        fr: "{expected} champs attendus comme dans l'en-tête, {found} trouvés",
    };
    required = { en: "required", fr: "obligatoire" };
    not_a_date(text: &str) = {
        en: "not a date: \"{text}\" (write YYYY-MM-DD)",
        fr: "pas une date : « {text} » (écrivez AAAA-MM-JJ)",
    };
    not_a_time(text: &str) = {
        en: "not a time of day: \"{text}\" (write HH:MM, 00:00 to 23:59)",
        fr: "pas une heure : « {text} » (écrivez HH:MM, de 00:00 à 23:59)",
    };
    no_such_date(text: &str) = {
        en: "no such date: {text}",
        fr: "cette date n'existe pas : {text}",
    };
    not_a_timestamp(text: &str) = {
        en: "not a timestamp: \"{text}\" (write UTC like 2026-03-05T14:30:00.000Z)",
        fr: "pas un horodatage : « {text} » (écrivez-le en UTC comme 2026-03-05T14:30:00.000Z)",
    };
    not_a_uuid(text: &str) = {
        en: "not a UUID: \"{text}\"",
        fr: "pas un UUID : « {text} »",
    };
    unknown_stage(text: &str) = {
        en: "unknown stage \"{text}\" (a key such as commits_to_invest, or a stage name in \
             English or French)",
        fr: "étape inconnue « {text} » (une clé comme commits_to_invest, ou un nom d'étape en \
             anglais ou en français)",
    };
    duplicate_id_line(line: usize) = {
        en: "duplicate id (also on line {line})",
        fr: "identifiant en double (aussi à la ligne {line})",
    };
    duplicate_id_entry(index: usize) = {
        en: "duplicate id (also opportunities[{index}])",
        fr: "identifiant en double (aussi opportunities[{index}])",
    };
    other_funnel = {
        en: "this id belongs to an opportunity of another funnel",
        fr: "cet identifiant est celui d'une opportunité d'un autre entonnoir",
    };
    closed_while_open = {
        en: "only won or lost opportunities have a closed date",
        fr: "seules les opportunités gagnées ou perdues ont une date de clôture",
    };
    needs_closed_date(status: &str) = {
        en: "a {status} opportunity needs a closed date",
        fr: "une opportunité {status} doit avoir une date de clôture",
    };
    lost_needs_reason = {
        en: "a lost opportunity needs a reason",
        fr: "une opportunité perdue doit avoir une raison",
    };
    reason_while_not_lost = {
        en: "only lost opportunities have a lost reason",
        fr: "seules les opportunités perdues ont une raison de perte",
    };
    not_a_year(year: i32) = {
        en: "{year} is not a year",
        fr: "{year} n'est pas une année",
    };
    score_out_of_range(score: u8) = {
        en: "{score} is out of range (0 to 5)",
        fr: "{score} est hors limites (de 0 à 5)",
    };
    no_such_question(stage: &str, last: usize) = {
        en: "stage {stage} has questions 0 to {last}",
        fr: "l'étape {stage} a les questions 0 à {last}",
    };
    history_ends(last: &str, stage: &str) = {
        en: "ends in stage {last} but the opportunity is in stage {stage}",
        fr: "se termine à l'étape {last} mais l'opportunité est à l'étape {stage}",
    };
    cannot_write_export(reason: impl Display) = {
        en: "cannot write the export: {reason}",
        fr: "impossible d'écrire l'export : {reason}",
    };
}

impl Reason {
    /// The reason in `lang`. The CSV and JSON readers' own words and the system's stay in
    /// English.
    pub fn say(&self, lang: Lang) -> String {
        let l = lang;
        match self {
            Reason::UnsupportedFileType { path } => unsupported_file_type(l, path.display()),
            Reason::CannotRead { path, reason } => cannot_read(l, path.display(), reason),
            Reason::EmptyFile => empty_file(l).to_owned(),
            Reason::Unreadable(reason) => reason.clone(),
            Reason::Syntax { column, message } => syntax(l, *column, message),
            Reason::UnclosedQuote => unclosed_quote(l).to_owned(),
            Reason::InvalidUtf8 => invalid_utf8(l).to_owned(),
            Reason::NotAnExport => not_an_export(l).to_owned(),
            Reason::UnreadableVersion { found, supported } => {
                unreadable_version(l, *found, *supported)
            }
            Reason::FileCurrency {
                given,
                expected,
                fiscal_start,
            } => {
                let why = not_the_currency(l, given, expected);
                make_one(l, &why, &given.trim().to_uppercase(), *fiscal_start)
            }
            Reason::FileFiscalStart {
                file,
                funnel,
                currency,
            } => {
                let why = other_fiscal_start(l, *file, *funnel);
                make_one(l, &why, &currency.trim().to_uppercase(), *file)
            }
            Reason::UnnamedColumn(n) => unnamed_column(l, *n),
            Reason::UnknownColumn => unknown_column(l, &COLUMNS.join(", ")),
            Reason::DuplicateColumn => duplicate_column(l).to_owned(),
            Reason::MissingColumn => missing_column(l).to_owned(),
            Reason::FieldCount { expected, found } => field_count(l, *expected, *found),
            Reason::Required => required(l).to_owned(),
            Reason::Amount(e) => e.message(l),
            Reason::NotADate(text) => not_a_date(l, text),
            Reason::NotATime(text) => not_a_time(l, text),
            Reason::NoSuchDate(text) => no_such_date(l, text),
            Reason::NotATimestamp(text) => not_a_timestamp(l, text),
            Reason::NotAUuid(text) => not_a_uuid(l, text),
            Reason::NotTheCurrency { given, expected } => not_the_currency(l, given, expected),
            Reason::UnknownStage(text) => unknown_stage(l, text),
            Reason::Unknown(key) => key.say(l),
            Reason::DuplicateIdLine(line) => duplicate_id_line(l, *line),
            Reason::DuplicateIdEntry(index) => duplicate_id_entry(l, *index),
            Reason::OtherFunnel => other_funnel(l).to_owned(),
            Reason::TooLong(too_long) => too_long.say(l),
            Reason::ClosedWhileOpen => closed_while_open(l).to_owned(),
            Reason::NeedsClosedDate(status) => {
                let status = match status {
                    Status::Open => figures::open_one(l),
                    Status::Won => figures::won_one(l),
                    Status::Lost => figures::lost_one(l),
                };
                needs_closed_date(l, status)
            }
            Reason::Dates(conflict) => conflict.say(l).to_owned(),
            Reason::LostNeedsReason => lost_needs_reason(l).to_owned(),
            Reason::ReasonWhileNotLost => reason_while_not_lost(l).to_owned(),
            Reason::NotAYear(year) => not_a_year(l, *year),
            Reason::ScoreOutOfRange(score) => score_out_of_range(l, *score),
            Reason::NoSuchQuestion { stage, last } => no_such_question(l, stage.key(), *last),
            Reason::HistoryEnds { last, stage } => history_ends(l, last.key(), stage.key()),
        }
    }
}

impl ExportError {
    /// The message in `lang` (the system's reason stays in its own words).
    pub fn say(&self, lang: Lang) -> String {
        match self {
            ExportError::Store(e) => e.say(lang),
            ExportError::Write(e) => cannot_write_export(lang, e),
        }
    }
}
