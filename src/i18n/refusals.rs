//! What the domain's refusals say. The domain sits below this layer and has no words: an
//! amount, a currency code, a field's length or a key it refuses is a value, said here, on the
//! one layer below every layer that shows one (the store and the config, imports, the board,
//! the command line). `Display` is the English, for logs and tests.

use std::fmt;

use crate::domain::money::{AmountHint, MAX_CENTS, MoneyError, NotACurrency, format_money};
use crate::domain::text::{MAX_FIELD_CHARS, TooLong};
use crate::domain::when::WhenError;
use crate::domain::{DateConflict, Lang, UnknownKey};

crate::texts! {
    empty_amount = { en: "empty amount", fr: "montant vide" };
    not_a_number(text: &str) = {
        en: "not a number: \"{text}\"",
        fr: "pas un nombre : « {text} »",
    };
    too_many_decimals(text: &str) = {
        en: "too many decimals (at most 2): \"{text}\"",
        fr: "trop de décimales (2 au plus) : « {text} »",
    };
    ambiguous(text: &str, hint: &str) = {
        en: "ambiguous amount \"{text}\": {hint}",
        fr: "montant ambigu « {text} » : {hint}",
    };
    too_large(max: &str) = {
        en: "amount too large (at most {max})",
        fr: "montant trop grand ({max} au plus)",
    };
    negative = { en: "negative amount not allowed", fr: "montant négatif refusé" };
    write_whole(units: &str, sep: char) = {
        en: "write {units} or {units}{sep}00",
        fr: "écrivez {units} ou {units}{sep}00",
    };
    write_decimals(amount: &str) = { en: "write {amount}", fr: "écrivez {amount}" };
    write_digits(sep: char) = {
        en: "write digits with '{sep}' before the decimals, e.g. 1234{sep}50",
        fr: "écrivez les chiffres avec « {sep} » avant les décimales, par ex. 1234{sep}50",
    };
    not_a_currency(code: &str) = {
        en: "currency must be a three-letter ISO code such as EUR, not \"{code}\"",
        fr: "la devise doit être un code ISO de trois lettres comme EUR, pas « {code} »",
    };
    too_long(chars: usize, max: usize) = {
        en: "too long: {chars} characters (at most {max})",
        fr: "trop long : {chars} caractères ({max} au plus)",
    };
    unknown_stage(key: &str) = {
        en: "unknown stage \"{key}\"",
        fr: "étape inconnue « {key} »",
    };
    unknown_status(key: &str) = {
        en: "unknown status \"{key}\" (open, won or lost)",
        fr: "statut inconnu « {key} » (open, won ou lost)",
    };
    unknown_event_kind(key: &str) = {
        en: "unknown event kind \"{key}\"",
        fr: "type d'événement inconnu « {key} »",
    };
    unknown_activity_kind(key: &str) = {
        en: "unknown activity kind \"{key}\" (expected call, meeting, email, note or done)",
        fr: "type d'activité inconnu « {key} » (attendu : call/appel, meeting/réunion, email/courriel, note ou done/fait)",
    };
    unknown_flag(key: &str) = {
        en: "unknown flag \"{key}\" (expected overdue, due_today, close_passed, no_next_step, over_stage or inactive)",
        fr: "signal inconnu « {key} » (attendu : overdue, due_today, close_passed, no_next_step, over_stage ou inactive)",
    };
    when_empty = { en: "a date is needed", fr: "il faut une date" };
    when_not_understood = {
        en: "not a date (tomorrow, +3d, +1w, monday, 15/01, 2027-01-15, then 14h or 9:30)",
        fr: "date non reconnue (demain, +3j, +1s, lundi, 15/01, 2027-01-15, puis 14h ou 9:30)",
    };
    when_no_such_date = { en: "that day does not exist", fr: "ce jour n'existe pas" };
    when_no_such_time = { en: "that time of day does not exist", fr: "cette heure n'existe pas" };
    closed_before_created = {
        en: "closing date before the opportunity was created",
        fr: "date de clôture antérieure à la création de l'opportunité",
    };
    closed_after_today = {
        en: "closing date after today: a win or a loss is recorded when it happens",
        fr: "date de clôture après aujourd'hui : un gain ou une perte s'enregistre quand il a lieu",
    };
    decided_before_created = {
        en: "decision date before the opportunity was created",
        fr: "date de décision antérieure à la création de l'opportunité",
    };
}

impl MoneyError {
    /// The refusal in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Self::Empty => empty_amount(lang).to_owned(),
            Self::NotANumber(text) => not_a_number(lang, text),
            Self::TooManyDecimals(text) => too_many_decimals(lang, text),
            Self::Ambiguous { text, hint } => ambiguous(lang, text, &hint.say(lang)),
            Self::TooLarge => too_large(lang, &format_money(i128::from(MAX_CENTS), "", lang)),
            Self::Negative => negative(lang).to_owned(),
        }
    }
}

impl AmountHint {
    fn say(&self, lang: Lang) -> String {
        let sep = |sep: &Option<char>| sep.unwrap_or(lang.decimal_sep());
        match self {
            Self::Whole { units, sep: s } => write_whole(lang, units, sep(s)),
            Self::Decimals(amount) => write_decimals(lang, amount),
            Self::Digits { sep: s } => write_digits(lang, sep(s)),
        }
    }
}

impl NotACurrency {
    /// The refusal in `lang`.
    pub fn say(&self, lang: Lang) -> String {
        not_a_currency(lang, &self.0)
    }
}

impl TooLong {
    /// The refusal in `lang`.
    pub fn say(&self, lang: Lang) -> String {
        too_long(lang, self.chars, MAX_FIELD_CHARS)
    }
}

impl UnknownKey {
    /// The refusal in `lang`.
    pub fn say(&self, lang: Lang) -> String {
        match self {
            Self::Stage(key) => unknown_stage(lang, key),
            Self::Status(key) => unknown_status(lang, key),
            Self::EventKind(key) => unknown_event_kind(lang, key),
            Self::ActivityKind(key) => unknown_activity_kind(lang, key),
            Self::Flag(key) => unknown_flag(lang, key),
        }
    }
}

impl WhenError {
    /// Why the quick date was not read, in `lang`.
    pub fn say(self, lang: Lang) -> &'static str {
        match self {
            Self::Empty => when_empty(lang),
            Self::NotUnderstood => when_not_understood(lang),
            Self::NoSuchDate => when_no_such_date(lang),
            Self::NoSuchTime => when_no_such_time(lang),
        }
    }
}

impl DateConflict {
    /// The conflict in `lang`.
    pub fn say(self, lang: Lang) -> &'static str {
        match self {
            Self::ClosedBeforeCreated => closed_before_created(lang),
            Self::ClosedAfterToday => closed_after_today(lang),
            Self::DecidedBeforeCreated => decided_before_created(lang),
        }
    }
}

/// `Display` (the English) and `Error` for refusals said by a method of theirs.
macro_rules! in_english {
    ($($refusal:ty => $say:ident),* $(,)?) => {$(
        impl fmt::Display for $refusal {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.$say(Lang::En))
            }
        }

        impl std::error::Error for $refusal {}
    )*};
}

in_english! {
    MoneyError => message,
    NotACurrency => say,
    TooLong => say,
    UnknownKey => say,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::DecimalSeparator::Dot;
    use crate::domain::money::{normalize_currency, parse_cents, parse_cents_lenient};
    use crate::domain::{EventKind, Stage, Status, text};

    #[test]
    fn amounts_are_refused_in_both_languages() {
        let said = |text: &str| {
            let e = parse_cents_lenient(text).unwrap_err();
            (e.to_string(), e.message(Lang::Fr))
        };
        let pairs = [
            (" ", "empty amount", "montant vide"),
            (" abc ", "not a number: \"abc\"", "pas un nombre : « abc »"),
            (
                "1,2345",
                "too many decimals (at most 2): \"1,2345\"",
                "trop de décimales (2 au plus) : « 1,2345 »",
            ),
            (
                "-5",
                "negative amount not allowed",
                "montant négatif refusé",
            ),
            (
                "1000000000000,01",
                "amount too large (at most 1,000,000,000,000)",
                "montant trop grand (1 000 000 000 000 au plus)",
            ),
            (
                "1.234,50",
                "ambiguous amount \"1.234,50\": write 1234,50",
                "montant ambigu « 1.234,50 » : écrivez 1234,50",
            ),
            // Lenient parsing suggests the decimal separator of the language it is said in.
            (
                "1.234",
                "ambiguous amount \"1.234\": write 1234 or 1234.00",
                "montant ambigu « 1.234 » : écrivez 1234 ou 1234,00",
            ),
            (
                "1.2.3",
                "ambiguous amount \"1.2.3\": write digits with '.' before the decimals, e.g. \
                 1234.50",
                "montant ambigu « 1.2.3 » : écrivez les chiffres avec « , » avant les \
                 décimales, par ex. 1234,50",
            ),
        ];
        for (text, en, fr) in pairs {
            assert_eq!(said(text), (en.to_owned(), fr.to_owned()), "{text:?}");
        }
        // Strict parsing suggests its own separator, whatever the language.
        let e = parse_cents("1,234", Dot).unwrap_err();
        assert_eq!(
            e.message(Lang::Fr),
            "montant ambigu « 1,234 » : écrivez 1234 ou 1234.00"
        );
    }

    #[test]
    fn other_refusals_of_the_domain_in_both_languages() {
        let e = normalize_currency("euro").unwrap_err();
        assert_eq!(
            e.to_string(),
            "currency must be a three-letter ISO code such as EUR, not \"EURO\""
        );
        assert_eq!(
            e.say(Lang::Fr),
            "la devise doit être un code ISO de trois lettres comme EUR, pas « EURO »"
        );
        let e = text::too_long(&"x".repeat(MAX_FIELD_CHARS + 1)).unwrap();
        assert_eq!(e.to_string(), "too long: 10001 characters (at most 10000)");
        assert_eq!(
            e.say(Lang::Fr),
            "trop long : 10001 caractères (10000 au plus)"
        );
        let e = " Maybe ".parse::<Status>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown status \"maybe\" (open, won or lost)"
        );
        assert_eq!(
            e.say(Lang::Fr),
            "statut inconnu « maybe » (open, won ou lost)"
        );
        let e = "nowhere".parse::<Stage>().unwrap_err();
        assert_eq!(e.say(Lang::Fr), "étape inconnue « nowhere »");
        let e = "merged".parse::<EventKind>().unwrap_err();
        assert_eq!(e.to_string(), "unknown event kind \"merged\"");
        assert_eq!(e.say(Lang::Fr), "type d'événement inconnu « merged »");
    }
}
