//! What the board says, in English and French: every message of the screens, the overlays and
//! the key tables, declared with [`texts!`](crate::texts), one module per part of the board.
//! A message without arguments is a `const fn(Lang) -> &'static str`, so drawing a frame
//! allocates nothing to say it; one with arguments puts them where each language wants them.
//! The funnel's figures (RTV, GAP, factor…) keep the words the report uses (`i18n::figures`).

mod agenda;
mod board;
mod dashboard;
mod detail;
pub mod keys;
mod one_to_one;
mod overlays;
mod remap;
mod review;
mod sync;

pub use agenda::*;
pub use board::*;
pub use dashboard::*;
pub use detail::*;
pub use one_to_one::*;
pub use overlays::*;
pub use remap::*;
pub use review::*;
pub use sync::*;

#[cfg(test)]
mod tests {
    use crate::domain::Lang;

    /// The messages' texts as written, `(name, en, fr)`, read from the sources: a fixed text
    /// the same in both languages is most likely one left untranslated.
    fn messages() -> Vec<(String, String, String)> {
        let sources = [
            include_str!("agenda.rs"),
            include_str!("board.rs"),
            include_str!("remap.rs"),
            include_str!("review.rs"),
            include_str!("dashboard.rs"),
            include_str!("detail.rs"),
            include_str!("keys.rs"),
            include_str!("one_to_one.rs"),
            include_str!("overlays.rs"),
            include_str!("sync.rs"),
        ];
        let mut found = Vec::new();
        for source in sources {
            let mut rest = source;
            while let Some(at) = rest.find("    pub ") {
                rest = &rest[at + 8..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let (Some(en), Some(fr)) = (literal(rest, "en: \""), literal(rest, "fr: \""))
                else {
                    continue;
                };
                found.push((name, en, fr));
            }
        }
        found
    }

    /// The string literal after `tag`, line continuations joined.
    fn literal(text: &str, tag: &str) -> Option<String> {
        let start = text.find(tag)? + tag.len();
        let mut out = String::new();
        let mut chars = text[start..].chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' => return Some(out),
                '\\' => match chars.next()? {
                    '\n' => while chars.next_if(|c| c.is_whitespace()).is_some() {},
                    escaped => out.push(escaped),
                },
                c => out.push(c),
            }
        }
        None
    }

    /// The texts the same in English and French on purpose: abbreviations, names, words both
    /// languages share.
    const SAME_IN_BOTH: &[&str] = &[
        "Budget",
        "Conversion",
        "Influence (0-5)",
        "Motivations",
        "action",
        "agenda",
        "note",
        "ok",
        "req.",
    ];

    #[test]
    fn every_fixed_text_is_translated() {
        let messages = messages();
        assert!(
            messages.len() > 300,
            "only {} messages read",
            messages.len()
        );
        let mut same: Vec<&str> = messages
            .iter()
            .filter(|(_, en, fr)| en == fr && !en.contains('{'))
            .map(|(_, en, _)| en.as_str())
            .collect();
        same.sort_unstable();
        same.dedup();
        assert_eq!(same, SAME_IN_BOTH);
    }

    #[test]
    fn the_sources_are_read_as_the_macro_reads_them() {
        let messages = messages();
        let read = |name: &str| {
            let (_, en, fr) = messages.iter().find(|m| m.0 == name)?;
            Some((en.as_str(), fr.as_str()))
        };
        let said = |message: fn(Lang) -> &'static str| Some((message(Lang::En), message(Lang::Fr)));
        assert_eq!(read("undo"), said(super::keys::undo));
        assert_eq!(read("board_legend"), said(super::board_legend));
    }
}
