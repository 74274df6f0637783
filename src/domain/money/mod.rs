//! Money as integer minor units (cents): `i64` for one amount, capped at [`MAX_CENTS`] so the
//! running sums the store keeps in SQLite's `i64` hold, and `i128` for sums computed here.
//! Never floats, so totals are exact.
//!
//! This module holds the bounds of an amount, why one is refused, and what a currency code
//! looks like. Parsing ([`parse_cents`], [`parse_cents_lenient`]) reads what people type or
//! import, refusing anything ambiguous rather than guessing; formatting ([`format_money`],
//! [`format_compact`], [`format_plain`]) writes amounts for English and French screens, narrow
//! cards and machine export.

mod format;
mod parse;

pub use format::{format_compact, format_money, format_plain};
pub use parse::{DecimalSeparator, parse_cents, parse_cents_lenient};

/// Why an amount was rejected. A value without words, as every refusal of the domain: `i18n`
/// says it in English or French ([`MoneyError::message`]; `Display` is the English).
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

/// A currency code that is not three letters (upper-cased as given), said by `i18n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotACurrency(pub String);

/// Checks an ISO 4217-shaped code (three ASCII letters) and upper-cases it.
pub fn normalize_currency(code: &str) -> Result<String, NotACurrency> {
    let code = code.trim().to_ascii_uppercase();
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(code)
    } else {
        Err(NotACurrency(code))
    }
}

#[cfg(test)]
mod tests {
    use super::DecimalSeparator::{Comma, Dot};
    use super::*;

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

    #[test]
    fn currency_codes_are_three_letters() {
        assert_eq!(normalize_currency(" usd "), Ok("USD".to_owned()));
        assert_eq!(normalize_currency("Eur"), Ok("EUR".to_owned()));
        for code in ["", "EU", "EURO", "E1R", "€", "ÉUR"] {
            assert!(normalize_currency(code).is_err(), "{code:?}");
        }
        assert_eq!(
            normalize_currency("euro"),
            Err(NotACurrency("EURO".to_owned()))
        );
    }
}
