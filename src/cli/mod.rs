//! The command line: parses arguments, opens the store, and calls the library.
//!
//! Thin by design: each command is a few calls into [`crate::store`], [`crate::interchange`] or
//! [`crate::tui`], the same code the board uses. Output meant for scripts (ids, `--json`) goes to
//! stdout; messages go to stderr. Exit codes: 0 done, 1 refused or bad input (nothing written),
//! 2 the database or config cannot be used (left untouched).

pub mod args;
mod commands;
mod progress;
mod report;
mod team;
mod whole_file;

use chrono::NaiveDate;
use clap::Parser;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::config::{self, Config};
use crate::domain::{Lang, money};
use crate::store::{Funnel, Store, StoreError};
use crate::tui;
use crate::tui::keymap::Keymap;
use args::{Cli, Command};

/// An error for the user, with the process exit code.
#[derive(Debug)]
pub struct CliError {
    pub code: u8,
    pub message: String,
}

impl CliError {
    pub fn input(message: impl Into<String>) -> CliError {
        CliError {
            code: 1,
            message: message.into(),
        }
    }

    pub fn setup(message: impl Into<String>) -> CliError {
        CliError {
            code: 2,
            message: message.into(),
        }
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> CliError {
        CliError {
            code: exit_code(&e),
            message: e.to_string(),
        }
    }
}

/// 2 when the database cannot be used (or not written), 1 for a refused change.
pub fn exit_code(e: &StoreError) -> u8 {
    match e {
        StoreError::NotFunnelDatabase { .. }
        | StoreError::Damaged { .. }
        | StoreError::TooNew { .. }
        | StoreError::Create { .. }
        | StoreError::ReadOnly
        | StoreError::ReadOnlyOutdated { .. }
        | StoreError::Migration(_) => 2,
        _ => 1,
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> CliError {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return CliError::output_closed();
        }
        CliError::input(e.to_string())
    }
}

impl CliError {
    /// Whoever read the output stopped reading (`funnel list | head`): as other Unix tools,
    /// stop quietly and successfully.
    pub fn output_closed() -> CliError {
        CliError {
            code: 0,
            message: String::new(),
        }
    }
}

pub type CliResult<T = ()> = Result<T, CliError>;

/// What every command works with.
pub struct Context {
    pub store: Store,
    pub funnel: Funnel,
    pub lang: Lang,
    pub config: Config,
    pub mouse: bool,
}

impl Context {
    /// What the board needs of the context.
    fn board(&mut self) -> tui::Setup<'_> {
        tui::Setup {
            store: &mut self.store,
            funnel: &self.funnel,
            lang: self.lang,
            config: &self.config,
            mouse: self.mouse,
        }
    }
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version go to stdout and succeed; a mistyped command line is bad input
        // (exit 1: 2 says the database or config cannot be used).
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(u8::from(e.use_stderr()));
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if !e.message.is_empty() {
                eprintln!("funnel: {}", e.message);
            }
            ExitCode::from(e.code)
        }
    }
}

pub fn run(cli: Cli) -> CliResult {
    if let Some(Command::Completions { shell }) = &cli.command {
        let mut cmd = <Cli as clap::CommandFactory>::command();
        // Into memory first: the generator panics when it cannot write.
        let mut script = Vec::new();
        clap_complete::generate(*shell, &mut cmd, "funnel", &mut script);
        std::io::stdout().write_all(&script)?;
        return Ok(());
    }
    let config_path = cli.config.clone().or_else(config::default_config_path);
    let config = config_path
        .as_deref()
        .map_or(Ok(Config::default()), |p| {
            Config::load(p, cli.config.is_some())
        })
        .map_err(CliError::setup)?;
    // A bad `[keys]` entry stops every command before anything is opened, as any bad setting.
    if let (Some(path), Err(refusal)) = (&config_path, Keymap::with_remaps(&config.keys)) {
        return Err(CliError::setup(format!("{}:{refusal}", path.display())));
    }
    let lang = cli
        .lang
        .map(|l| match l {
            args::LangArg::En => Lang::En,
            args::LangArg::Fr => Lang::Fr,
        })
        .or(config.language.map(Lang::from))
        .unwrap_or_else(config::lang_from_env);
    let db = db_path(cli.db)?;
    let mut store = Store::open(&db)?;
    store.set_busy_timeout(std::time::Duration::from_millis(cli.busy_timeout))?;
    // These look at the file as it is: no funnel is created for them.
    match &cli.command {
        Some(Command::Backup { path, force }) => return backup(&store, path, *force),
        Some(Command::Check) => return check(&store, &db),
        _ => {}
    }
    let funnel = store.resolve_funnel(
        cli.funnel.as_deref(),
        config.currency.as_deref().unwrap_or("EUR"),
        config.fiscal_start.unwrap_or(1),
    )?;
    let mouse = cli.mouse || config.mouse;
    let mut ctx = Context {
        store,
        funnel,
        lang,
        config,
        mouse,
    };
    commands::run(&mut ctx, cli.command)
}

fn backup(store: &Store, path: &std::path::Path, force: bool) -> CliResult {
    whole_file::refuse_database_file(path, store.path().as_deref())?;
    store.backup(path, force)?;
    eprintln!("backed up to {}", path.display());
    Ok(())
}

/// Prints each problem on stdout (one a line, for scripts); exit 1 when there is any.
fn check(store: &Store, db: &std::path::Path) -> CliResult {
    let problems = store.check()?;
    let mut out = std::io::stdout().lock();
    for problem in &problems {
        writeln!(out, "{problem}")?;
    }
    if problems.is_empty() {
        eprintln!("{}: ok", db.display());
        Ok(())
    } else {
        Err(CliError::input(format!(
            "{}: {} problem(s) found",
            db.display(),
            problems.len()
        )))
    }
}

fn db_path(given: Option<PathBuf>) -> CliResult<PathBuf> {
    if let Some(path) = given {
        return Ok(path);
    }
    let path = config::default_db_path()
        .ok_or_else(|| CliError::setup("no home directory: give the database with --db PATH"))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::setup(format!("cannot create {}: {e}", dir.display())))?;
    }
    Ok(path)
}

/// Parses a `YYYY-MM-DD` date given on the command line.
pub fn parse_date_arg(text: &str) -> CliResult<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| CliError::input(format!("not a date (YYYY-MM-DD): \"{text}\"")))
}

/// Parses an amount in currency units given on the command line (either decimal separator).
pub fn parse_amount_arg(text: &str) -> CliResult<i64> {
    money::parse_cents_lenient(text).map_err(|e| CliError::input(format!("amount: {e}")))
}
