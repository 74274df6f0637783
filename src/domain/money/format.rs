//! Writing amounts: in full with the language's separators and the currency's symbol, compact
//! for narrow cards, and plain for machine export.

use crate::domain::Lang;

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
    use super::*;

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
}
