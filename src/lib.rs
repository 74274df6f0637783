//! `funnel`: a keyboard-first sales funnel organised by the customer's buying journey.
//!
//! Layers, each in its own module: [`domain`] (pure types and indicator math), [`store`]
//! (SQLite), [`insight`] (the indicators every screen shows: store queries fed to the domain's
//! math), [`interchange`] (CSV/JSON), [`config`] (paths and config.toml), [`cli`] (commands),
//! [`tui`] (the board), [`sync`] (team sync through a PostgreSQL hub) and [`demo`]
//! (deterministic sample data). The CLI and the board call the
//! same library code.

pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod insight;
pub mod interchange;
pub mod store;
pub mod sync;
pub mod tui;
