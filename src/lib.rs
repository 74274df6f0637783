//! `funnel`: a keyboard-first sales funnel organised by the customer's buying journey.
//!
//! Layers, each in its own module: [`domain`] (pure types and indicator math), [`store`]
//! (SQLite), [`insight`] (the indicators every screen shows: store queries fed to the domain's
//! math), [`interchange`] (CSV/JSON), [`sync`] (team sync through a PostgreSQL hub), [`demo`]
//! (deterministic sample data), [`tui`] (the board) and [`cli`] (commands), with [`config`]
//! (paths and config.toml) and [`i18n`] as helpers over the domain alone. The CLI and the board
//! call the same library code.
//!
//! A layer uses only the layers below it, never one beside or above it:
//! `cli` → `tui` → (`sync`, `interchange`, `demo`) → `insight` → `store` → (`config`, `i18n`) →
//! `domain`. `tests/layers.rs` holds the map and fails on any import against it.

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
