//! What the board says, in English and French: every message of the screens, the overlays and
//! the key tables, declared with [`texts!`](crate::texts), one module per part of the board.
//! A message without arguments is a `const fn(Lang) -> &'static str`, so drawing a frame
//! allocates nothing to say it; one with arguments puts them where each language wants them.
//! The funnel's figures (RTV, GAP, factor…) keep the words the report uses (`i18n::figures`).

pub mod keys;
