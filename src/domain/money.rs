//! Money as integer minor units (cents): `i64` for one amount, capped at [`MAX_CENTS`] so the
//! running sums the store keeps in SQLite's `i64` hold, and `i128` for sums computed here.
//! Never floats, so totals are exact. Parses what people type or import, refusing anything
//! ambiguous rather than guessing, and formats amounts for English and French screens, narrow
//! cards and machine export.

/// Which character separates the decimals when parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalSeparator {
    Dot,
    Comma,
}

impl DecimalSeparator {
    fn char(self) -> char {
        match self {
            Self::Dot => '.',
            Self::Comma => ',',
        }
    }
}

/// Why an amount was rejected. `Display` is the English message (the CLI's); screens in
/// another language use [`MoneyError::message`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoneyError {
    Empty,
    NotANumber(String),
    TooManyDecimals(String),
    /// `hint` shows an unambiguous way to write it.
    Ambiguous {
        text: String,
        hint: AmountHint,
    },
    TooLarge,
    Negative,
}

/// How to write an ambiguous amount. A `None` separator is the decimal one of the language the
/// message is shown in (lenient parsing has no separator of its own to suggest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountHint {
    /// Read as thousands groups: "write 1234 or 1234.00".
    Whole { units: String, sep: Option<char> },
    /// Read with decimals after the last separator: "write 1234,5".
    Decimals(String),
    /// No guess: "write digits with '.' before the decimals, e.g. 1234.50".
    Digits { sep: Option<char> },
}

impl MoneyError {
    /// The message in the given language.
    pub fn message(&self, lang: Lang) -> String {
        let fr = lang == Lang::Fr;
        match self {
            Self::Empty if fr => "montant vide".to_owned(),
            Self::Empty => "empty amount".to_owned(),
            Self::NotANumber(text) if fr => format!("pas un nombre : « {text} »"),
            Self::NotANumber(text) => format!("not a number: \"{text}\""),
            Self::TooManyDecimals(text) if fr => {
                format!("trop de décimales (2 au plus) : « {text} »")
            }
            Self::TooManyDecimals(text) => format!("too many decimals (at most 2): \"{text}\""),
            Self::Ambiguous { text, hint } if fr => {
                format!("montant ambigu « {text} » : {}", hint.message(lang))
            }
            Self::Ambiguous { text, hint } => {
                format!("ambiguous amount \"{text}\": {}", hint.message(lang))
            }
            Self::TooLarge => {
                let max = format_money(i128::from(MAX_CENTS), "", lang);
                if fr {
                    format!("montant trop grand ({max} au plus)")
                } else {
                    format!("amount too large (at most {max})")
                }
            }
            Self::Negative if fr => "montant négatif refusé".to_owned(),
            Self::Negative => "negative amount not allowed".to_owned(),
        }
    }
}

impl std::fmt::Display for MoneyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for MoneyError {}

impl AmountHint {
    fn message(&self, lang: Lang) -> String {
        let sep = |sep: &Option<char>| sep.unwrap_or(lang.decimal_sep());
        match (self, lang) {
            (Self::Whole { units, sep: s }, Lang::En) => {
                format!("write {units} or {units}{}00", sep(s))
            }
            (Self::Whole { units, sep: s }, Lang::Fr) => {
                format!("écrivez {units} ou {units}{}00", sep(s))
            }
            (Self::Decimals(amount), Lang::En) => format!("write {amount}"),
            (Self::Decimals(amount), Lang::Fr) => format!("écrivez {amount}"),
            (Self::Digits { sep: s }, Lang::En) => {
                let s = sep(s);
                format!("write digits with '{s}' before the decimals, e.g. 1234{s}50")
            }
            (Self::Digits { sep: s }, Lang::Fr) => {
                let s = sep(s);
                format!("écrivez les chiffres avec « {s} » avant les décimales, par ex. 1234{s}50")
            }
        }
    }
}

/// The largest amount, 1,000,000,000,000.00 units: 92,233 cards at it still sum within an i64.
pub const MAX_CENTS: i64 = 100_000_000_000_000;

/// An amount in cents as it may be stored: not negative and at most [`MAX_CENTS`]. The parsers
/// end with it; amounts that come as numbers (JSON, rows pulled from a hub, the store's own
/// checks of what any caller writes) go through it directly.
pub fn check_cents(cents: i64) -> Result<i64, MoneyError> {
    match cents {
        ..0 => Err(MoneyError::Negative),
        0..=MAX_CENTS => Ok(cents),
        _ => Err(MoneyError::TooLarge),
    }
}

/// Thousands separators people type or paste: ASCII space, NO-BREAK SPACE (what
/// spreadsheets produce for French) and NARROW NO-BREAK SPACE (what CLDR uses for French).
const GROUP_SPACES: [char; 3] = [' ', '\u{A0}', '\u{202F}'];

/// Parses an amount written in currency units into cents.
///
/// Accepts `digits[<sep>d[d]]` with an optional leading `+` and thousands spaces
/// between digits of the integer part: "1 234.5" with [`DecimalSeparator::Dot`] is
/// 123450. The other separator anywhere is refused as ambiguous ("1,234" could be a
/// thousand or a decimal); currency symbols and codes are not numbers.
pub fn parse_cents(text: &str, sep: DecimalSeparator) -> Result<i64, MoneyError> {
    let amount = Amount::scan(text)?;
    let foreign = match sep {
        DecimalSeparator::Dot => ',',
        DecimalSeparator::Comma => '.',
    };
    if amount.body.contains(foreign) {
        return Err(amount.ambiguous(Some(sep.char())));
    }
    amount.cents(sep.char())
}

/// Parses with either separator when unambiguous: "1234.5" and "1234,5" both work, "1 234,50" works; "1,234" or "1.234" (exactly three digits after the only separator) is ambiguous → error; a value with both '.' and ',' is an error.
pub fn parse_cents_lenient(text: &str) -> Result<i64, MoneyError> {
    let amount = Amount::scan(text)?;
    let sep = match (amount.body.contains('.'), amount.body.contains(',')) {
        (true, true) => return Err(amount.ambiguous(None)),
        (false, true) => ',',
        _ => '.',
    };
    // A repeated separator is no decimal mark ("1,234,567"), and a single one followed by
    // exactly three digits may be a thousands separator as well.
    let after_first = amount.body.split_once(sep).map(|(_, after)| after);
    let three_digits = after_first.is_some_and(|a| a.len() == 3 && is_digits(a));
    if amount.body.matches(sep).count() > 1 || three_digits {
        return Err(amount.ambiguous(None));
    }
    amount.cents(sep)
}

/// A trimmed amount split from its sign, with only digits, separators and well-placed
/// spaces left in `body`.
struct Amount<'a> {
    text: &'a str,
    body: &'a str,
    negative: bool,
}

impl<'a> Amount<'a> {
    fn scan(text: &'a str) -> Result<Self, MoneyError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(MoneyError::Empty);
        }
        // U+2212 MINUS SIGN comes with amounts pasted from documents.
        let (negative, body) = match text.strip_prefix(['-', '\u{2212}']) {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let chars: Vec<char> = body.chars().collect();
        let is_digit_at = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
        let well_formed = !chars.is_empty()
            && chars.iter().enumerate().all(|(i, c)| match c {
                '0'..='9' | '.' | ',' => true,
                c if GROUP_SPACES.contains(c) => i > 0 && is_digit_at(i - 1) && is_digit_at(i + 1),
                _ => false,
            });
        if !well_formed {
            return Err(MoneyError::NotANumber(text.to_owned()));
        }
        Ok(Self {
            text,
            body,
            negative,
        })
    }

    /// Reads the body with `sep` as the only possible separator.
    fn cents(&self, sep: char) -> Result<i64, MoneyError> {
        let not_a_number = || MoneyError::NotANumber(self.text.to_owned());
        let (int, frac) = match self.body.split_once(sep) {
            Some((int, frac)) => (int, Some(frac)),
            None => (self.body, None),
        };
        // Spaces are only allowed in the integer part, and "12." or ".5" look like typos.
        if int.is_empty() || frac.is_some_and(|f| f.is_empty() || !is_digits(f)) {
            return Err(not_a_number());
        }
        let frac = frac.unwrap_or("");
        if frac.len() > 2 {
            return Err(MoneyError::TooManyDecimals(self.text.to_owned()));
        }
        if self.negative {
            return Err(MoneyError::Negative);
        }
        let padded = frac.bytes().chain(std::iter::repeat(b'0')).take(2);
        int.bytes()
            .filter(u8::is_ascii_digit)
            .chain(padded)
            .try_fold(0i64, |acc, digit| {
                acc.checked_mul(10)?.checked_add(i64::from(digit - b'0'))
            })
            .ok_or(MoneyError::TooLarge)
            .and_then(check_cents)
    }

    /// The ambiguity error, with a hint guessing what was meant: thousands groups
    /// ("1,234" → 1234) or a decimal part after the last separator ("1.234,5" → 1234,5).
    /// `sep` is the separator to suggest; `None` (lenient parsing) keeps the user's own
    /// for decimals and otherwise leaves it to the message's language.
    fn ambiguous(&self, sep: Option<char>) -> MoneyError {
        let compact: String = self
            .body
            .chars()
            .filter(|c| !GROUP_SPACES.contains(c))
            .collect();
        let groups: Vec<&str> = compact.split(['.', ',']).collect();
        // `split` always yields at least one group.
        let (init, last) = groups.split_at(groups.len() - 1);
        let last = last[0];
        let lead_ok = (1..=3).contains(&groups[0].len());
        let thousands = lead_ok && groups[1..].iter().all(|g| g.len() == 3);
        // Digits before a last separator read as the decimal one.
        let int_ok = match init {
            [] => false,
            [first] => !first.is_empty(),
            [_, middle @ ..] => lead_ok && middle.iter().all(|g| g.len() == 3),
        };
        let decimals = int_ok && (1..=2).contains(&last.len());
        let hint = if thousands {
            AmountHint::Whole {
                units: groups.concat(),
                sep,
            }
        } else if decimals {
            let user_sep = compact.chars().rfind(|c| !c.is_ascii_digit());
            let sep = sep.or(user_sep).unwrap_or('.');
            AmountHint::Decimals(format!("{}{sep}{last}", init.concat()))
        } else {
            AmountHint::Digits { sep }
        };
        MoneyError::Ambiguous {
            text: self.text.to_owned(),
            hint,
        }
    }
}

fn is_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// Display language for amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Fr,
}

impl Lang {
    fn group_sep(self) -> char {
        match self {
            Self::En => ',',
            Self::Fr => ' ',
        }
    }

    fn decimal_sep(self) -> char {
        match self {
            Self::En => '.',
            Self::Fr => ',',
        }
    }
}

/// Full amount: English `€1,234,567` / `€1,234,567.50` / `-€12`; French `1 234 567 €` / `1 234 567,50 €` / `-12 €` (plain ASCII spaces as thousands separators and before the symbol).
/// Decimals shown only when the cents are not zero. Symbols: EUR €, USD $, GBP £, JPY ¥ (prefix in English, suffix in French); any other ISO code: English `1,234 CHF`, French `1 234 CHF`.
/// An empty currency gives the bare number.
pub fn format_money(cents: i128, currency: &str, lang: Lang) -> String {
    let abs = cents.unsigned_abs();
    let mut number = group(abs / 100, lang);
    if !abs.is_multiple_of(100) {
        number = format!("{number}{}{:02}", lang.decimal_sep(), abs % 100);
    }
    decorate(cents < 0, &number, currency, lang)
}

/// Scales for [`format_compact`]: units per step, English and French suffixes
/// (French "Md" is milliard, 10^9).
const SCALES: [(u128, &str, &str); 3] = [
    (1_000, "k", "k"),
    (1_000_000, "M", "M"),
    (1_000_000_000, "B", "Md"),
];

/// Compact form for narrow cards. Rule, rounding half away from zero at each step:
/// - below 10,000 units: the full amount without decimals (`€9,999`, `9 999 €`);
/// - otherwise the smallest of k, M, B (French k, M, Md) whose rounded count is below
///   1000, with one decimal while that count is below 100 and the decimal is not 0:
///   `12.5k`, `10k`, `340k`, `1.2M`, `3.4B` / `12,5 k`, `340 k`, `1,2 M`, `3,4 Md`.
///
/// So the number and suffix take at most 7 columns (`99,9 Md`) plus the sign and the
/// currency, for any amount below 999.5 billion units; larger ones keep B/Md with a
/// grouped count (`1,234B`, `1 234 Md`).
pub fn format_compact(cents: i128, currency: &str, lang: Lang) -> String {
    let abs = cents.unsigned_abs();
    let units = div_round(abs, 100);
    if units < 10_000 {
        // A few negative cents round to 0, which has no sign.
        return decorate(cents < 0 && units != 0, &group(units, lang), currency, lang);
    }
    let (unit, en, fr) = SCALES
        .into_iter()
        .find(|&(unit, ..)| div_round(abs, unit * 100) < 1000)
        .unwrap_or(SCALES[SCALES.len() - 1]);
    // Rounded from the exact cents, not from `units`, to avoid rounding twice.
    let tenths = div_round(abs, unit * 10);
    let count = if tenths >= 1000 {
        group(div_round(abs, unit * 100), lang)
    } else if tenths.is_multiple_of(10) {
        (tenths / 10).to_string()
    } else {
        format!("{}{}{}", tenths / 10, lang.decimal_sep(), tenths % 10)
    };
    let number = match lang {
        Lang::En => format!("{count}{en}"),
        Lang::Fr => format!("{count} {fr}"),
    };
    decorate(cents < 0, &number, currency, lang)
}

/// Plain machine form for CSV/JSON export: "1234.50" (always two decimals, dot, no separators), negative with '-'.
pub fn format_plain(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// `n / d` rounded half away from zero (`n` is a magnitude).
fn div_round(n: u128, d: u128) -> u128 {
    n / d + u128::from(n % d >= d - d / 2)
}

/// Whole units with the language's thousands separator.
fn group(units: u128, lang: Lang) -> String {
    let digits = units.to_string();
    let mut out = String::with_capacity(digits.len() * 4 / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(lang.group_sep());
        }
        out.push(digit);
    }
    out
}

/// Adds the sign and the currency symbol or code around a formatted number.
fn decorate(negative: bool, number: &str, currency: &str, lang: Lang) -> String {
    let sign = if negative { "-" } else { "" };
    let symbol = match currency {
        "EUR" => Some("€"),
        "USD" => Some("$"),
        "GBP" => Some("£"),
        "JPY" => Some("¥"),
        _ => None,
    };
    match (lang, symbol) {
        _ if currency.is_empty() => format!("{sign}{number}"),
        (Lang::En, Some(symbol)) => format!("{sign}{symbol}{number}"),
        (Lang::En, None) => format!("{sign}{number} {currency}"),
        (Lang::Fr, symbol) => format!("{sign}{number} {}", symbol.unwrap_or(currency)),
    }
}

#[cfg(test)]
mod tests {
    use super::DecimalSeparator::{Comma, Dot};
    use super::*;

    /// The English message of an ambiguous amount.
    fn ambiguous(text: &str, hint: &str) -> Result<i64, String> {
        Err(format!("ambiguous amount \"{text}\": {hint}"))
    }

    fn message(result: Result<i64, MoneyError>) -> Result<i64, String> {
        result.map_err(|e| e.to_string())
    }

    fn nan(text: &str) -> MoneyError {
        MoneyError::NotANumber(text.to_owned())
    }

    #[test]
    fn parses_dot_amounts() {
        assert_eq!(parse_cents("0", Dot), Ok(0));
        assert_eq!(parse_cents("12", Dot), Ok(1200));
        assert_eq!(parse_cents("12.5", Dot), Ok(1250));
        assert_eq!(parse_cents("12.05", Dot), Ok(1205));
        assert_eq!(parse_cents("0.01", Dot), Ok(1));
        assert_eq!(parse_cents("+7", Dot), Ok(700));
        assert_eq!(parse_cents("  42.10\t\n", Dot), Ok(4210));
        assert_eq!(parse_cents("007", Dot), Ok(700));
        assert_eq!(parse_cents("1 234 567.89", Dot), Ok(123_456_789));
    }

    #[test]
    fn parses_comma_amounts() {
        assert_eq!(parse_cents("12,5", Comma), Ok(1250));
        assert_eq!(parse_cents("1 234,50", Comma), Ok(123_450));
        assert_eq!(parse_cents("1234", Comma), Ok(123_400));
    }

    #[test]
    fn accepts_no_break_spaces_as_thousands() {
        assert_eq!(parse_cents("1\u{A0}234,50", Comma), Ok(123_450));
        assert_eq!(
            parse_cents("1\u{202F}234\u{202F}567", Comma),
            Ok(123_456_700)
        );
        assert_eq!(parse_cents("12\u{A0}34.5", Dot), Ok(123_450));
        // Surrounding no-break spaces are trimmed like any whitespace.
        assert_eq!(parse_cents("\u{A0}5\u{202F}", Dot), Ok(500));
    }

    #[test]
    fn rejects_misplaced_spaces() {
        for text in ["1  234", "1 .5", "1. 5", "1.2 3", "+ 5", "- 5", "1 \u{A0}2"] {
            assert_eq!(parse_cents(text, Dot), Err(nan(text)), "{text:?}");
        }
    }

    #[test]
    fn rejects_empty() {
        assert_eq!(parse_cents("", Dot), Err(MoneyError::Empty));
        assert_eq!(parse_cents(" \t\u{A0}", Comma), Err(MoneyError::Empty));
        assert_eq!(parse_cents_lenient("  "), Err(MoneyError::Empty));
    }

    #[test]
    fn rejects_non_numbers() {
        for text in [
            "abc", "€12", "12€", "12 €", "$5", "EUR 12", "12 EUR", "12USD", "1e3", "0x10", "+",
            "-", "+-1", "12.", ".5", "1.2.3", "½", "١٢", "12.a",
        ] {
            assert_eq!(parse_cents(text, Dot), Err(nan(text)), "{text:?}");
        }
        assert_eq!(parse_cents("12,", Comma), Err(nan("12,")));
        assert_eq!(parse_cents(",5", Comma), Err(nan(",5")));
        // The message quotes the trimmed text.
        assert_eq!(
            parse_cents(" abc ", Dot).unwrap_err().to_string(),
            "not a number: \"abc\""
        );
    }

    #[test]
    fn rejects_too_many_decimals() {
        assert_eq!(
            parse_cents("1.234", Dot),
            Err(MoneyError::TooManyDecimals("1.234".into()))
        );
        assert_eq!(
            parse_cents("1,234", Comma),
            Err(MoneyError::TooManyDecimals("1,234".into()))
        );
        assert_eq!(
            parse_cents("1.234", Dot).unwrap_err().to_string(),
            "too many decimals (at most 2): \"1.234\""
        );
    }

    #[test]
    fn rejects_the_other_separator_as_ambiguous() {
        let err = parse_cents("1,234", Dot).unwrap_err();
        assert_eq!(
            err.to_string(),
            "ambiguous amount \"1,234\": write 1234 or 1234.00"
        );
        assert_eq!(
            message(parse_cents("1.234", Comma)),
            ambiguous("1.234", "write 1234 or 1234,00")
        );
        assert_eq!(
            message(parse_cents("12,5", Dot)),
            ambiguous("12,5", "write 12.5")
        );
        assert_eq!(
            message(parse_cents("1.234,56", Dot)),
            ambiguous("1.234,56", "write 1234.56")
        );
        assert_eq!(
            message(parse_cents("1,234.56", Comma)),
            ambiguous("1,234.56", "write 1234,56")
        );
        assert_eq!(
            message(parse_cents("1.234.567", Comma)),
            ambiguous("1.234.567", "write 1234567 or 1234567,00")
        );
        let generic = "write digits with '.' before the decimals, e.g. 1234.50";
        for text in ["1,2345", "12,", ",5", "1,2,3"] {
            assert_eq!(message(parse_cents(text, Dot)), ambiguous(text, generic));
        }
    }

    #[test]
    fn rejects_negative_amounts() {
        for text in ["-12", "-0", "-1.5", "\u{2212}12", " -3 "] {
            assert_eq!(
                parse_cents(text, Dot),
                Err(MoneyError::Negative),
                "{text:?}"
            );
        }
        assert_eq!(parse_cents_lenient("-1,5"), Err(MoneyError::Negative));
        // A malformed negative reports what is wrong with the number first.
        assert_eq!(parse_cents("-abc", Dot), Err(nan("-abc")));
        assert_eq!(
            parse_cents("-1", Dot).unwrap_err().to_string(),
            "negative amount not allowed"
        );
    }

    #[test]
    fn rejects_overflow_without_panicking() {
        let big = format!("1{}", "0".repeat(30));
        assert_eq!(parse_cents(&big, Dot), Err(MoneyError::TooLarge));
        assert_eq!(parse_cents_lenient(&big), Err(MoneyError::TooLarge));
        for text in [
            "92233720368547758.07",
            "92233720368547758.08",
            "92233720368547759",
        ] {
            assert_eq!(parse_cents(text, Dot), Err(MoneyError::TooLarge), "{text}");
        }
        // Leading zeros don't count towards the size.
        let zeros = format!("{}1", "0".repeat(100));
        assert_eq!(parse_cents(&zeros, Dot), Ok(100));
        assert_eq!(MoneyError::Empty.to_string(), "empty amount");
    }

    #[test]
    fn amounts_stop_at_the_cap() {
        assert_eq!(MAX_CENTS, 100_000_000_000_000);
        for text in ["1000000000000", "1 000 000 000 000.00", "+1000000000000.0"] {
            assert_eq!(parse_cents(text, Dot), Ok(MAX_CENTS), "{text}");
            assert_eq!(parse_cents_lenient(text), Ok(MAX_CENTS), "{text}");
        }
        assert_eq!(parse_cents("1000000000000,00", Comma), Ok(MAX_CENTS));
        for text in ["1000000000000.01", "1000000000001", "9999999999999.99"] {
            assert_eq!(parse_cents(text, Dot), Err(MoneyError::TooLarge), "{text}");
            assert_eq!(
                parse_cents_lenient(text),
                Err(MoneyError::TooLarge),
                "{text}"
            );
        }
        assert_eq!(
            parse_cents("1000000000000,01", Comma),
            Err(MoneyError::TooLarge)
        );
        assert_eq!(
            MoneyError::TooLarge.to_string(),
            "amount too large (at most 1,000,000,000,000)"
        );
        // Amounts that come as numbers are held to the same bounds.
        assert_eq!(check_cents(0), Ok(0));
        assert_eq!(check_cents(MAX_CENTS), Ok(MAX_CENTS));
        assert_eq!(check_cents(MAX_CENTS + 1), Err(MoneyError::TooLarge));
        assert_eq!(check_cents(i64::MAX), Err(MoneyError::TooLarge));
        assert_eq!(check_cents(-1), Err(MoneyError::Negative));
        // As many cards at the cap as an i64 sum holds.
        assert_eq!(i64::MAX / MAX_CENTS, 92_233);
    }

    #[test]
    fn lenient_accepts_either_separator() {
        assert_eq!(parse_cents_lenient("1234.5"), Ok(123_450));
        assert_eq!(parse_cents_lenient("1234,5"), Ok(123_450));
        assert_eq!(parse_cents_lenient("1 234,50"), Ok(123_450));
        assert_eq!(parse_cents_lenient("1\u{202F}234.50"), Ok(123_450));
        assert_eq!(parse_cents_lenient("1234"), Ok(123_400));
        assert_eq!(parse_cents_lenient("+0,07"), Ok(7));
        assert_eq!(parse_cents_lenient("1 234"), Ok(123_400));
    }

    #[test]
    fn lenient_rejects_ambiguity() {
        assert_eq!(
            message(parse_cents_lenient("1,234")),
            ambiguous("1,234", "write 1234 or 1234.00")
        );
        assert_eq!(
            message(parse_cents_lenient("1.234")),
            ambiguous("1.234", "write 1234 or 1234.00")
        );
        assert_eq!(
            message(parse_cents_lenient("1,234.50")),
            ambiguous("1,234.50", "write 1234.50")
        );
        assert_eq!(
            message(parse_cents_lenient("1.234,5")),
            ambiguous("1.234,5", "write 1234,5")
        );
        assert_eq!(
            message(parse_cents_lenient("1,234,567")),
            ambiguous("1,234,567", "write 1234567 or 1234567.00")
        );
        assert_eq!(
            message(parse_cents_lenient("1.2.3")),
            ambiguous(
                "1.2.3",
                "write digits with '.' before the decimals, e.g. 1234.50"
            )
        );
    }

    #[test]
    fn messages_in_french() {
        let fr = |result: Result<i64, MoneyError>| result.unwrap_err().message(Lang::Fr);
        assert_eq!(fr(parse_cents_lenient(" ")), "montant vide");
        assert_eq!(fr(parse_cents_lenient(" abc ")), "pas un nombre : « abc »");
        assert_eq!(
            fr(parse_cents_lenient("1,2345")),
            "trop de décimales (2 au plus) : « 1,2345 »"
        );
        assert_eq!(fr(parse_cents_lenient("-5")), "montant négatif refusé");
        assert_eq!(
            fr(parse_cents_lenient("1000000000000,01")),
            "montant trop grand (1 000 000 000 000 au plus)"
        );
        assert_eq!(
            fr(parse_cents_lenient("1.234,50")),
            "montant ambigu « 1.234,50 » : écrivez 1234,50"
        );
        // Lenient parsing suggests the comma of the French screen, strict parsing its own.
        assert_eq!(
            fr(parse_cents_lenient("1.234")),
            "montant ambigu « 1.234 » : écrivez 1234 ou 1234,00"
        );
        assert_eq!(
            fr(parse_cents("1,234", Dot)),
            "montant ambigu « 1,234 » : écrivez 1234 ou 1234.00"
        );
        assert_eq!(
            fr(parse_cents_lenient("1.2.3")),
            "montant ambigu « 1.2.3 » : écrivez les chiffres avec « , » avant les décimales, \
             par ex. 1234,50"
        );
    }

    #[test]
    fn lenient_reports_other_errors() {
        assert_eq!(
            parse_cents_lenient("1,2345"),
            Err(MoneyError::TooManyDecimals("1,2345".into()))
        );
        assert_eq!(parse_cents_lenient("12,"), Err(nan("12,")));
        assert_eq!(parse_cents_lenient("€12"), Err(nan("€12")));
        assert_eq!(parse_cents_lenient("abc"), Err(nan("abc")));
    }

    #[test]
    fn formats_english() {
        let en = |cents, cur| format_money(cents, cur, Lang::En);
        assert_eq!(en(123_456_700, "EUR"), "€1,234,567");
        assert_eq!(en(123_456_750, "EUR"), "€1,234,567.50");
        assert_eq!(en(-1200, "EUR"), "-€12");
        assert_eq!(en(0, "EUR"), "€0");
        assert_eq!(en(5, "USD"), "$0.05");
        assert_eq!(en(-5, "USD"), "-$0.05");
        assert_eq!(en(99_900, "GBP"), "£999");
        assert_eq!(en(100_000, "JPY"), "¥1,000");
        assert_eq!(en(123_400, "CHF"), "1,234 CHF");
        assert_eq!(en(-123_456, "CHF"), "-1,234.56 CHF");
        assert_eq!(en(123_400, ""), "1,234");
    }

    #[test]
    fn formats_french() {
        let fr = |cents, cur| format_money(cents, cur, Lang::Fr);
        assert_eq!(fr(123_456_700, "EUR"), "1 234 567 €");
        assert_eq!(fr(123_456_750, "EUR"), "1 234 567,50 €");
        assert_eq!(fr(-1200, "EUR"), "-12 €");
        assert_eq!(fr(0, "EUR"), "0 €");
        assert_eq!(fr(5, "USD"), "0,05 $");
        assert_eq!(fr(100_000, "GBP"), "1 000 £");
        assert_eq!(fr(100_000, "JPY"), "1 000 ¥");
        assert_eq!(fr(123_400, "CHF"), "1 234 CHF");
        assert_eq!(fr(123_400, ""), "1 234");
    }

    #[test]
    fn formats_extremes() {
        let max = i128::from(i64::MAX);
        assert_eq!(
            format_money(max, "EUR", Lang::En),
            "€92,233,720,368,547,758.07"
        );
        assert_eq!(
            format_money(max, "EUR", Lang::Fr),
            "92 233 720 368 547 758,07 €"
        );
        assert_eq!(
            format_money(i128::from(i64::MIN), "USD", Lang::En),
            "-$92,233,720,368,547,758.08"
        );
        // Sums past i64 and even i128::MIN format without overflow.
        assert_eq!(
            format_money(i128::MIN, "", Lang::En),
            "-1,701,411,834,604,692,317,316,873,037,158,841,057.28"
        );
    }

    #[test]
    fn compact_keeps_small_amounts_whole() {
        let en = |cents| format_compact(cents, "EUR", Lang::En);
        assert_eq!(en(0), "€0");
        assert_eq!(en(1_234), "€12");
        assert_eq!(en(1_250), "€13", "half rounds away from zero");
        assert_eq!(en(1_249), "€12");
        assert_eq!(en(-1_250), "-€13");
        assert_eq!(en(-1_249), "-€12");
        assert_eq!(en(-40), "€0", "no sign on a rounded zero");
        assert_eq!(en(-50), "-€1");
        assert_eq!(en(999_949), "€9,999");
        assert_eq!(format_compact(999_949, "EUR", Lang::Fr), "9 999 €");
        assert_eq!(format_compact(123_456, "CHF", Lang::En), "1,235 CHF");
    }

    #[test]
    fn compact_scales_english() {
        let en = |cents| format_compact(cents, "EUR", Lang::En);
        assert_eq!(en(999_950), "€10k", "9,999.50 rounds up into the k range");
        assert_eq!(en(1_000_000), "€10k");
        assert_eq!(en(1_250_000), "€12.5k");
        assert_eq!(en(1_234_900), "€12.3k");
        assert_eq!(en(1_235_000), "€12.4k");
        assert_eq!(en(9_994_999), "€99.9k");
        assert_eq!(en(9_995_000), "€100k");
        assert_eq!(en(34_000_000), "€340k");
        assert_eq!(en(99_949_999), "€999k");
        assert_eq!(en(99_950_000), "€1M", "999.5k rounds into the next scale");
        assert_eq!(en(120_000_000), "€1.2M");
        assert_eq!(en(125_000_000), "€1.3M");
        assert_eq!(en(-125_000_000), "-€1.3M");
        assert_eq!(en(34_000_000_000), "€340M");
        assert_eq!(en(340_000_000_000), "€3.4B");
        assert_eq!(en(99_949_999_999_999), "€999B");
        assert_eq!(en(123_400_000_000_000), "€1,234B");
        assert_eq!(
            format_compact(i128::from(i64::MAX), "USD", Lang::En),
            "$92,233,720B"
        );
        assert_eq!(format_compact(1_250_000, "CHF", Lang::En), "12.5k CHF");
    }

    #[test]
    fn compact_scales_french() {
        let fr = |cents| format_compact(cents, "EUR", Lang::Fr);
        assert_eq!(fr(1_250_000), "12,5 k €");
        assert_eq!(fr(1_000_000), "10 k €");
        assert_eq!(fr(34_000_000), "340 k €");
        assert_eq!(fr(120_000_000), "1,2 M €");
        assert_eq!(fr(340_000_000_000), "3,4 Md €");
        assert_eq!(fr(-340_000_000_000), "-3,4 Md €");
        assert_eq!(fr(123_400_000_000_000), "1 234 Md €");
        assert_eq!(
            format_compact(i128::from(i64::MAX), "EUR", Lang::Fr),
            "92 233 720 Md €"
        );
        assert_eq!(format_compact(1_250_000, "CHF", Lang::Fr), "12,5 k CHF");
    }

    #[test]
    fn compact_fits_seven_columns() {
        // Number and suffix, without sign and currency, for a sweep below 999.5 billion
        // units, with probes just under and at each rounding boundary.
        let limit: i128 = 99_950_000_000_000;
        let mut cents: i128 = 1;
        while cents < limit {
            for lang in [Lang::En, Lang::Fr] {
                let probes = [cents, cents * 5 - 1, cents * 9_995 / 1_000, limit - 1];
                for probe in probes.into_iter().filter(|&p| p < limit) {
                    let text = format_compact(probe, "", lang);
                    assert!(text.chars().count() <= 7, "{probe} → {text:?}");
                }
            }
            cents = cents * 10 + 9;
        }
    }

    #[test]
    fn plain_format() {
        assert_eq!(format_plain(0), "0.00");
        assert_eq!(format_plain(5), "0.05");
        assert_eq!(format_plain(123_450), "1234.50");
        assert_eq!(format_plain(-5), "-0.05");
        assert_eq!(format_plain(-123_450), "-1234.50");
        assert_eq!(format_plain(i64::MAX), "92233720368547758.07");
        assert_eq!(format_plain(i64::MIN), "-92233720368547758.08");
    }

    #[test]
    fn plain_round_trips() {
        let mut values = vec![0, 1, 9, 10, 99, 100, 101, 123_450, MAX_CENTS, MAX_CENTS - 1];
        // A spread of magnitudes and digit patterns, up to the cap.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for shift in 0..63 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push((x >> (shift + 1)) as i64 % (MAX_CENTS + 1));
        }
        for cents in values {
            let plain = format_plain(cents);
            assert_eq!(parse_cents(&plain, Dot), Ok(cents), "{plain}");
            assert_eq!(parse_cents_lenient(&plain), Ok(cents), "{plain}");
            let comma = plain.replace('.', ",");
            assert_eq!(parse_cents(&comma, Comma), Ok(cents), "{comma}");
        }
    }
}
