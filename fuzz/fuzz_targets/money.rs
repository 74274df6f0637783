//! Any text as an amount: parsed or refused, never a panic; what parses is within bounds (not
//! negative, at most the cap), and written back plainly it parses to the same cents.
#![no_main]

use funnel::domain::money::{
    DecimalSeparator, check_cents, format_plain, parse_cents, parse_cents_lenient,
};

libfuzzer_sys::fuzz_target!(|text: &str| {
    for parsed in [
        parse_cents(text, DecimalSeparator::Dot),
        parse_cents(text, DecimalSeparator::Comma),
        parse_cents_lenient(text),
    ] {
        if let Ok(cents) = parsed {
            assert_eq!(check_cents(cents), Ok(cents), "{text:?}");
            assert_eq!(
                parse_cents_lenient(&format_plain(cents)),
                Ok(cents),
                "{text:?}"
            );
        }
    }
});
