//! The interface language. Screens, reports and messages come in English and French; a
//! language also decides how numbers are written.

/// English or French.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Fr,
}

impl Lang {
    /// The language of a locale such as `fr_FR.UTF-8` (the value of `LANG`): French for any
    /// French locale, else English.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.starts_with("fr") {
            Lang::Fr
        } else {
            Lang::En
        }
    }

    /// The thousands separator.
    pub(in crate::domain) fn group_sep(self) -> char {
        match self {
            Self::En => ',',
            Self::Fr => ' ',
        }
    }

    /// The decimal separator.
    pub fn decimal_sep(self) -> char {
        match self {
            Self::En => '.',
            Self::Fr => ',',
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_locales_are_french() {
        for locale in ["fr", "fr_FR.UTF-8", "fr_CA", "fr_BE@euro"] {
            assert_eq!(Lang::from_locale(locale), Lang::Fr, "{locale}");
        }
        for locale in ["C", "POSIX", "en_US.UTF-8", "de_DE", "C.UTF-8"] {
            assert_eq!(Lang::from_locale(locale), Lang::En, "{locale}");
        }
    }
}
