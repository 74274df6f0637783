//! The command line: parses arguments, opens the store, and calls the library.
//!
//! Thin by design: each command is a few calls into [`crate::store`], [`crate::interchange`] or
//! [`crate::tui`], the same code the board uses. Output meant for scripts (ids, `--json`) goes to
//! stdout; messages go to stderr. Exit codes: 0 done, 1 refused or bad input (nothing written),
//! 2 the database or config cannot be used (left untouched).

mod agenda;
pub mod args;
mod changes;
mod commands;
mod day;
mod meetings;
mod progress;
mod report;
mod team;
mod texts;
mod whole_file;

use chrono::{NaiveDate, NaiveTime};
use clap::Parser;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::config::{self, Config};
use crate::domain::{Catalog, Lang, Stage, money, when};
use crate::interchange::ExportError;
use crate::store::{self, Clock, Funnel, Store, StoreError};
use crate::sync::SyncError;
use crate::tui;
use crate::tui::keymap::Keymap;
use args::{Cli, Command};

/// An error for the user, with the process exit code.
#[derive(Debug)]
pub struct CliError {
    pub code: u8,
    reason: Reason,
}

/// What a [`CliError`] says: a message already written in the user's language, or a lower
/// layer's error, said in it when printed.
#[derive(Debug)]
enum Reason {
    Said(String),
    Store(StoreError),
    Sync(SyncError),
}

impl CliError {
    pub fn input(message: impl Into<String>) -> CliError {
        CliError {
            code: 1,
            reason: Reason::Said(message.into()),
        }
    }

    pub fn setup(message: impl Into<String>) -> CliError {
        CliError {
            code: 2,
            reason: Reason::Said(message.into()),
        }
    }

    /// The message in `lang` (empty: nothing to say).
    pub fn say(&self, lang: Lang) -> String {
        match &self.reason {
            Reason::Said(message) => message.clone(),
            Reason::Store(e) => e.say(lang),
            Reason::Sync(e) => e.say(lang),
        }
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> CliError {
        CliError {
            code: exit_code(&e),
            reason: Reason::Store(e),
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
        CliError::input("").with_code(0)
    }

    fn with_code(self, code: u8) -> CliError {
        CliError { code, ..self }
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
    let fail = |e: CliError, lang| {
        let message = e.say(lang);
        if !message.is_empty() {
            eprintln!("funnel: {message}");
        }
        ExitCode::from(e.code)
    };
    let given = cli.lang.map(|l| match l {
        args::LangArg::En => Lang::En,
        args::LangArg::Fr => Lang::Fr,
    });
    // A config that cannot be read is reported in the language asked for, else the locale's.
    let before_config = given.unwrap_or_else(config::lang_from_env);
    let config = match load_config(cli.config.as_deref(), before_config) {
        Ok(config) => config,
        Err(e) => return fail(e, before_config),
    };
    let lang = given
        .or(config.language.map(Lang::from))
        .unwrap_or(before_config);
    match run(cli, config, lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e, lang),
    }
}

fn load_config(path: Option<&std::path::Path>, lang: Lang) -> CliResult<Config> {
    let given = path.map(|p| (p.to_path_buf(), true));
    let Some((path, must_exist)) =
        given.or_else(|| config::default_config_path().map(|p| (p, false)))
    else {
        return Ok(Config::default());
    };
    let config = Config::load(&path, must_exist, lang).map_err(CliError::setup)?;
    // A bad `[keys]` entry stops every command before anything is opened, as any bad setting.
    if let Err(refusal) = Keymap::with_remaps(&config.keys) {
        return Err(CliError::setup(format!(
            "{}:{}",
            path.display(),
            refusal.say(lang)
        )));
    }
    Ok(config)
}

pub fn run(cli: Cli, config: Config, lang: Lang) -> CliResult {
    if let Some(Command::Completions { shell }) = &cli.command {
        let mut cmd = <Cli as clap::CommandFactory>::command();
        // Into memory first: the generator panics when it cannot write.
        let mut script = Vec::new();
        clap_complete::generate(*shell, &mut cmd, "funnel", &mut script);
        std::io::stdout().write_all(&script)?;
        return Ok(());
    }
    let db = db_path(cli.db, lang)?;
    let mut store = Store::open(&db)?;
    if let Some(day) = &cli.today {
        // The day is replaced, the time of day kept: changes made that day still follow one
        // another.
        let day = parse_date_arg(day, lang)?;
        store.set_clock(Clock::Fixed(day.and_time(store.now().time())));
    }
    store.set_busy_timeout(std::time::Duration::from_millis(cli.busy_timeout))?;
    if let Some(person) = person(&config, &store)? {
        store.set_actor(person);
    }
    // These look at the file as it is: no funnel is created for them.
    match &cli.command {
        Some(Command::Backup { path, force }) => return backup(&store, path, *force, lang),
        Some(Command::Check { repair: false }) => return check(&store, &db, lang),
        Some(Command::Check { repair: true }) => return repair(&mut store, &db, lang),
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

/// Who this file's changes are by: `user` in config.toml, else, with a hub, the member this
/// file last synced as. None: the store's default, the system's user name.
fn person(config: &Config, store: &Store) -> CliResult<Option<String>> {
    if let Some(user) = &config.user {
        return Ok(Some(user.trim().to_owned()));
    }
    if crate::sync::hub_url(config).is_none() {
        return Ok(None);
    }
    Ok(store.sync_value(Store::MEMBER)?)
}

fn backup(store: &Store, path: &std::path::Path, force: bool, lang: Lang) -> CliResult {
    whole_file::refuse_database_file(path, store.path().as_deref(), lang)?;
    store.backup(path, force)?;
    eprintln!("{}", texts::backed_up(lang, path.display()));
    Ok(())
}

/// Prints each problem on stdout, one a line; exit 1 when there is any.
fn check(store: &Store, db: &std::path::Path, lang: Lang) -> CliResult {
    let problems = store.check()?;
    let mut out = std::io::stdout().lock();
    for problem in &problems {
        writeln!(out, "{}", problem.say(lang))?;
    }
    if problems.is_empty() {
        eprintln!("{}", texts::check_ok(lang, db.display()));
        Ok(())
    } else {
        let found = texts::problems_found(lang, db.display(), problems.len());
        Err(CliError::input(found))
    }
}

/// `check --repair`: what a recount repaired (after the copy), then what is left, as `check`
/// lists it (exit 1 while anything is left).
fn repair(store: &mut Store, db: &std::path::Path, lang: Lang) -> CliResult {
    let done = store.repair()?;
    if let Some(copy) = &done.backup {
        eprintln!("{}", texts::copied_before_repair(lang, copy.display()));
    }
    let mut out = std::io::stdout().lock();
    for problem in &done.repaired {
        writeln!(out, "{}", texts::repaired(lang, &problem.say(lang)))?;
    }
    for problem in &done.left {
        writeln!(out, "{}", texts::not_repaired(lang, &problem.say(lang)))?;
    }
    match (done.repaired.len(), done.left.len()) {
        (0, 0) => {
            eprintln!("{}", texts::check_ok(lang, db.display()));
            Ok(())
        }
        (n, 0) => {
            eprintln!("{}", texts::all_repaired(lang, db.display(), n));
            Ok(())
        }
        (n, left) => Err(CliError::input(texts::some_left(
            lang,
            db.display(),
            n,
            left,
        ))),
    }
}

fn db_path(given: Option<PathBuf>, lang: Lang) -> CliResult<PathBuf> {
    if let Some(path) = given {
        return Ok(path);
    }
    let path = config::default_db_path().ok_or_else(|| CliError::setup(texts::no_home(lang)))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::setup(texts::cannot_create(lang, dir.display(), e)))?;
    }
    Ok(path)
}

/// Parses a `YYYY-MM-DD` date given on the command line.
pub fn parse_date_arg(text: &str, lang: Lang) -> CliResult<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| CliError::input(texts::not_a_date(lang, text)))
}

/// Reads a date the user typed for `option`: `YYYY-MM-DD` or a quick date (`demain`, `+1w`,
/// `15/01`), seen from the store's today.
pub fn parse_day_arg(store: &Store, option: &str, text: &str, lang: Lang) -> CliResult<NaiveDate> {
    when::parse_date(store.today(), text)
        .map_err(|e| CliError::input(texts::not_a_day(lang, option, text, e.say(lang))))
}

/// [`parse_day_arg`] with an optional time after the date (`demain 14h`, `2027-01-15 9:30`).
pub fn parse_when_arg(
    store: &Store,
    option: &str,
    text: &str,
    lang: Lang,
) -> CliResult<(NaiveDate, Option<NaiveTime>)> {
    when::parse_date_time(store.today(), text)
        .map_err(|e| CliError::input(texts::not_a_day(lang, option, text, e.say(lang))))
}

/// A due date and its time, if any, as the command line writes them.
pub fn when_text(day: NaiveDate, at: Option<NaiveTime>) -> String {
    match at {
        Some(at) => format!("{} {}", store::date_text(day), time_text(at)),
        None => store::date_text(day),
    }
}

pub fn time_text(at: NaiveTime) -> String {
    at.format("%H:%M").to_string()
}

/// The expected days in each stage: config.toml's, else the catalog's.
pub fn expected_days(lang: Lang, config: &Config) -> [u32; Stage::COUNT] {
    let catalog = Catalog::get(lang);
    Stage::ALL.map(|s| config.expected_days(s, catalog.info(s).expected_days))
}

/// Writes what `export` makes to the file `output`, whole or not at all, else to standard
/// output (where a reader that stops early ends the command quietly).
pub fn write_output(
    ctx: &Context,
    output: Option<&std::path::Path>,
    export: impl FnOnce(&mut dyn Write) -> Result<(), ExportError>,
) -> CliResult {
    if let Some(path) = output {
        return whole_file::write(path, ctx.store.path().as_deref(), ctx.lang, export);
    }
    let mut out = std::io::BufWriter::with_capacity(whole_file::BUFFER, std::io::stdout().lock());
    match export(&mut out) {
        Err(ExportError::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            Err(CliError::output_closed())
        }
        done => done.map_err(|e| CliError::input(e.say(ctx.lang))),
    }?;
    out.flush()?;
    Ok(())
}

/// Parses an amount in currency units given on the command line (either decimal separator).
pub fn parse_amount_arg(text: &str, lang: Lang) -> CliResult<i64> {
    money::parse_cents_lenient(text)
        .map_err(|e| CliError::input(texts::amount(lang, &e.message(lang))))
}
