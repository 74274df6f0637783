//! `funnel`: a keyboard-first sales funnel organised by the customer's buying journey.
//!
//! Layers, each in its own module: [`domain`] (pure types and indicator math), [`store`]
//! (SQLite), [`interchange`] (CSV/JSON), [`config`] (paths and config.toml), [`cli`] (commands)
//! and [`tui`] (the board). The CLI and the board call the same library code.

pub mod cli;
pub mod config;
pub mod domain;
pub mod i18n;
pub mod interchange;
pub mod store;
pub mod tui;
