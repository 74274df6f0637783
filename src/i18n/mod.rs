//! Speaking English and French: the one way a message is written in both languages.
//!
//! Every message is declared once with [`texts!`](crate::texts), its English and French side
//! by side, and becomes a function of the language. A message missing one of its languages
//! does not compile, nor does a text that leaves out one of the message's arguments. Each
//! layer keeps its messages in its own module (`cli::texts`, `tui::texts`,
//! `interchange::texts`, the store's beside its error type), so nothing imports upward to say
//! something. Counts, percentages and decimals, whose form follows the language, are the
//! helpers below.
//!
//! Stage names, steps and questions are the catalogue's (`assets/stages.*.toml`), read by
//! `domain::Catalog`.

pub mod day;
pub mod figures;
mod refusals;
pub mod review;

pub use figures::{group_cells, group_label, judgement};

use crate::domain::Lang;

/// Declares messages in English and French, each becoming a function of the language.
///
/// A message without arguments becomes a `const fn(Lang) -> &'static str`: nothing is
/// allocated, so it can be called for every frame and stored in const tables (a key map's
/// `help: fn(Lang) -> &'static str`). A message with arguments becomes
/// `fn(Lang, args…) -> String`, formatted by `format!` with the arguments by name: each text
/// must use every argument, and may use no other.
///
/// ```
/// use funnel::domain::Lang;
///
/// funnel::texts! {
///     /// Footer label.
///     pub rtv = { en: "RTV", fr: "RTV" };
///     pub not_found(id: &str) = {
///         en: "no opportunity matches \"{id}\"",
///         fr: "aucune opportunité ne correspond à « {id} »",
///     };
/// }
///
/// const HELP: fn(Lang) -> &'static str = rtv;
/// assert_eq!(HELP(Lang::Fr), "RTV");
/// assert_eq!(not_found(Lang::Fr, "zzz"), "aucune opportunité ne correspond à « zzz »");
/// ```
///
/// A message missing its French (or its English) does not compile:
///
/// ```compile_fail
/// funnel::texts! {
///     pub rtv = { en: "RTV" };
/// }
/// ```
///
/// Nor does a translation that drops an argument:
///
/// ```compile_fail
/// funnel::texts! {
///     pub not_found(id: &str) = { en: "no opportunity matches \"{id}\"", fr: "introuvable" };
/// }
/// ```
#[macro_export]
macro_rules! texts {
    ($(
        $(#[$meta:meta])*
        $vis:vis $name:ident $(($($arg:ident: $ty:ty),+ $(,)?))? = {
            en: $en:literal,
            fr: $fr:literal $(,)?
        };
    )*) => {$(
        $crate::texts!(@one $(#[$meta])* $vis $name $(($($arg: $ty),+))? = $en, $fr);
    )*};
    (@one $(#[$meta:meta])* $vis:vis $name:ident = $en:literal, $fr:literal) => {
        $(#[$meta])*
        $vis const fn $name(lang: $crate::domain::Lang) -> &'static str {
            match lang {
                $crate::domain::Lang::En => $en,
                $crate::domain::Lang::Fr => $fr,
            }
        }
    };
    (@one $(#[$meta:meta])* $vis:vis $name:ident($($arg:ident: $ty:ty),+) = $en:literal, $fr:literal) => {
        $(#[$meta])*
        $vis fn $name(lang: $crate::domain::Lang, $($arg: $ty),+) -> ::std::string::String {
            match lang {
                $crate::domain::Lang::En => ::std::format!($en, $($arg = $arg),+),
                $crate::domain::Lang::Fr => ::std::format!($fr, $($arg = $arg),+),
            }
        }
    };
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
    decimal(text, lang)
}

/// A ratio as a percentage for the language: `66.7%` / `66,7 %`.
pub fn percent(ratio: f64, lang: Lang) -> String {
    percent_sign(decimal(format!("{:.1}", ratio * 100.0), lang), lang)
}

/// A ratio as a whole percentage, for narrow columns: `67%` / `67 %`.
pub fn whole_percent(ratio: f64, lang: Lang) -> String {
    percent_sign(format!("{:.0}", (ratio * 100.0).round()), lang)
}

/// A number followed by the percent sign, spaced as the language wants.
fn percent_sign(number: String, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{number}%"),
        Lang::Fr => format!("{number} %"),
    }
}

/// The funnel factor: `0.92` / `0,92`.
pub fn factor(value: f64, lang: Lang) -> String {
    decimal(format!("{value:.2}"), lang)
}

/// A whole number with its thousands grouped: `1,234,567` / `1 234 567`.
pub fn grouped(n: usize, lang: Lang) -> String {
    let separator = match lang {
        Lang::En => ',',
        Lang::Fr => ' ',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(d);
    }
    out
}

/// A number written with `.` before its decimals, with the language's decimal mark.
fn decimal(text: String, lang: Lang) -> String {
    match lang {
        Lang::En => text,
        Lang::Fr => text.replace('.', ","),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::texts! {
        plain = { en: "Won", fr: "Gagnées" };
        pub(crate) with_args(n: usize, name: &str,) = {
            en: "{n} cards of {name}",
            fr: "{n} cartes de {name}",
        };
    }

    /// A message without arguments is usable where only constants are.
    const TABLE: [fn(Lang) -> &'static str; 1] = [plain];

    #[test]
    fn a_message_is_a_function_of_the_language() {
        assert_eq!(TABLE[0](Lang::En), "Won");
        assert_eq!(plain(Lang::Fr), "Gagnées");
        assert_eq!(with_args(Lang::En, 3, "ann"), "3 cards of ann");
        assert_eq!(with_args(Lang::Fr, 3, "ann"), "3 cartes de ann");
    }

    #[test]
    fn numbers_take_the_languages_marks() {
        assert_eq!(count(1, "ouverte", "ouvertes", Lang::Fr), "1 ouverte");
        assert_eq!(count(0, "open", "open", Lang::En), "0 open");
        assert_eq!(count(0, "viable", "viables", Lang::Fr), "0 viable");
        assert_eq!(percent(2.0 / 3.0, Lang::En), "66.7%");
        assert_eq!(percent(2.0 / 3.0, Lang::Fr), "66,7 %");
        assert_eq!(whole_percent(2.0 / 3.0, Lang::En), "67%");
        assert_eq!(whole_percent(0.5, Lang::Fr), "50 %");
        assert_eq!(factor(0.916, Lang::Fr), "0,92");
        assert_eq!(days(12.0, Lang::Fr), "12");
        assert_eq!(days(12.5, Lang::Fr), "12,5");
        assert_eq!(grouped(0, Lang::En), "0");
        assert_eq!(grouped(999, Lang::En), "999");
        assert_eq!(grouped(1000, Lang::En), "1,000");
        assert_eq!(grouped(123_456_789, Lang::En), "123,456,789");
        assert_eq!(grouped(1_003_520, Lang::Fr), "1 003 520");
    }
}
