//! Reading amounts as people type or import them, in currency units with either decimal
//! separator and thousands spaces, into cents. Anything ambiguous ("1,234": a thousand, or one
//! and a bit?) is refused with a hint rather than guessed.

use super::{AmountHint, MoneyError, check_cents};

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

#[cfg(test)]
mod tests {
    use super::DecimalSeparator::{Comma, Dot};
    use super::*;

    fn ambiguous(text: &str, hint: AmountHint) -> Result<i64, MoneyError> {
        Err(MoneyError::Ambiguous {
            text: text.to_owned(),
            hint,
        })
    }

    /// "write 1234 or 1234.00" (`None`: with the separator of the message's language).
    fn whole(units: &str, sep: Option<char>) -> AmountHint {
        AmountHint::Whole {
            units: units.to_owned(),
            sep,
        }
    }

    /// "write 1234,5".
    fn decimals(amount: &str) -> AmountHint {
        AmountHint::Decimals(amount.to_owned())
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
        // The refusal quotes the trimmed text.
        assert_eq!(parse_cents(" abc ", Dot), Err(nan("abc")));
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
    }

    #[test]
    fn rejects_the_other_separator_as_ambiguous() {
        let (dot, comma) = (Some('.'), Some(','));
        assert_eq!(
            parse_cents("1,234", Dot),
            ambiguous("1,234", whole("1234", dot))
        );
        assert_eq!(
            parse_cents("1.234", Comma),
            ambiguous("1.234", whole("1234", comma))
        );
        assert_eq!(
            parse_cents("12,5", Dot),
            ambiguous("12,5", decimals("12.5"))
        );
        assert_eq!(
            parse_cents("1.234,56", Dot),
            ambiguous("1.234,56", decimals("1234.56"))
        );
        assert_eq!(
            parse_cents("1,234.56", Comma),
            ambiguous("1,234.56", decimals("1234,56"))
        );
        assert_eq!(
            parse_cents("1.234.567", Comma),
            ambiguous("1.234.567", whole("1234567", comma))
        );
        for text in ["1,2345", "12,", ",5", "1,2,3"] {
            let generic = AmountHint::Digits { sep: dot };
            assert_eq!(parse_cents(text, Dot), ambiguous(text, generic));
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
        assert_eq!(parse_cents(" ", Dot), Err(MoneyError::Empty));
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
        // Lenient parsing has no separator of its own to suggest for whole amounts.
        assert_eq!(
            parse_cents_lenient("1,234"),
            ambiguous("1,234", whole("1234", None))
        );
        assert_eq!(
            parse_cents_lenient("1.234"),
            ambiguous("1.234", whole("1234", None))
        );
        assert_eq!(
            parse_cents_lenient("1,234.50"),
            ambiguous("1,234.50", decimals("1234.50"))
        );
        assert_eq!(
            parse_cents_lenient("1.234,5"),
            ambiguous("1.234,5", decimals("1234,5"))
        );
        assert_eq!(
            parse_cents_lenient("1,234,567"),
            ambiguous("1,234,567", whole("1234567", None))
        );
        assert_eq!(
            parse_cents_lenient("1.2.3"),
            ambiguous("1.2.3", AmountHint::Digits { sep: None })
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
}
