//! The command line, declared with clap. These names are a contract: scripts and tests call them.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "funnel",
    version,
    about = "A sales funnel organised by the customer's buying journey",
    long_about = "A keyboard-first sales funnel organised by the customer's buying journey: \
        cards move only on the customer's evidence, and RTV, GAP and the funnel factor say \
        whether the period's target can still be reached. Without a command, opens the board."
)]
pub struct Cli {
    /// Database file (default: $FUNNEL_DB, else funnel.db in the data directory).
    #[arg(long, global = true, env = "FUNNEL_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Funnel to work on (default: "main", or the first one).
    #[arg(long, global = true, value_name = "NAME")]
    pub funnel: Option<String>,
    /// Language of the interface (default: config.toml, else the locale).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,
    /// Config file (default: config.toml in the config directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// How long a change waits for another funnel's write to finish before giving up.
    #[arg(
        long,
        global = true,
        env = "FUNNEL_BUSY_TIMEOUT_MS",
        value_name = "MS",
        default_value_t = crate::store::DEFAULT_BUSY_TIMEOUT.as_millis() as u64
    )]
    pub busy_timeout: u64,
    /// Capture the mouse in the board (click selects, wheel scrolls).
    #[arg(long, global = true)]
    pub mouse: bool,
    /// The day taken as today (tests and scripts replaying a day); default: the system's.
    #[arg(
        long,
        global = true,
        env = "FUNNEL_TODAY",
        value_name = "YYYY-MM-DD",
        hide = true
    )]
    pub today: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    En,
    Fr,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum GroupArg {
    Owner,
    Team,
    Region,
    Territory,
}

impl From<GroupArg> for crate::domain::insight::GroupBy {
    fn from(g: GroupArg) -> Self {
        use crate::domain::insight::GroupBy;
        match g {
            GroupArg::Owner => GroupBy::Owner,
            GroupArg::Team => GroupBy::Team,
            GroupArg::Region => GroupBy::Region,
            GroupArg::Territory => GroupBy::Territory,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    /// The dated next steps of open cards, as an iCalendar file.
    Ics,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import opportunities from a .csv or .json file (all or nothing).
    Import {
        path: PathBuf,
        /// Check the file and say what would change, without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Export every opportunity (CSV: one row each; JSON: everything, lossless; ICS: the dated
    /// next steps of open cards, for a calendar).
    Export {
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        /// Write to this file instead of standard output.
        #[arg(long, short, value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// RTV, sales to date, target, GAP, funnel factor, win rate, probability of the target,
    /// conversion, lead times and concentration for a period, and each seller's upkeep.
    Report {
        /// Period (the year it starts in); default: the current one.
        #[arg(long, value_name = "YYYY")]
        period: Option<i32>,
        #[arg(long)]
        json: bool,
        /// Add win rates, values and GAP per group.
        #[arg(long, value_enum)]
        by: Option<GroupArg>,
    },
    /// Sales targets.
    #[command(subcommand)]
    Target(TargetCommand),
    /// List or add funnels.
    Funnels {
        #[command(subcommand)]
        command: Option<FunnelsCommand>,
    },
    /// Add an opportunity; prints its id.
    Add(AddArgs),
    /// List opportunities.
    List(ListArgs),
    /// One opportunity whole: its fields, next step, upkeep flags, people, evidence and timeline.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Change the fields given of an opportunity (the others stay as they are).
    Edit(EditArgs),
    /// Set an opportunity's next step, with the day it is due (and a time, if any).
    Next {
        id: String,
        /// What is to be done next.
        text: String,
        /// When: a date or a quick date, with an optional time (tomorrow 14h, +1w, 15/01,
        /// 2027-01-15 9:30, demain, lundi prochain).
        #[arg(long, value_name = "WHEN")]
        due: Option<String>,
    },
    /// Log a call, meeting, email or note on an opportunity; prints the activity's id.
    Log(LogArgs),
    /// Mark the next step of an opportunity done (it is logged), and set the following one.
    Done {
        id: String,
        /// The following next step.
        #[arg(long, value_name = "TEXT")]
        next: Option<String>,
        /// When the following step is due (with --next).
        #[arg(long, value_name = "WHEN", requires = "next")]
        due: Option<String>,
    },
    /// Put a won or lost opportunity back on the board, in the stage it closed in.
    Reopen { id: String },
    /// Delete an opportunity (hidden everywhere; kept for sync).
    Delete { id: String },
    /// What needs you today: open cards with an overdue, due or missing next step, a passed
    /// close date, too long in their stage or without activity, most urgent first.
    #[command(visible_alias = "agenda")]
    Today(TodayArgs),
    /// What changed on a seller's or a team's cards since a day (default: their previous
    /// meeting, else 30 days ago): new, won, lost, value, close dates pushed, stage moves
    /// (back, unverified), handed over, gone stale; and their overdue action items.
    Changes(ChangesArgs),
    /// Move an opportunity to another stage (forward needs the evidence of the stages left).
    Move {
        id: String,
        stage: String,
        /// Move without confirmed evidence (recorded as an unverified move).
        #[arg(long)]
        force: bool,
    },
    /// Confirm the evidence of the opportunity's current stage.
    Evidence {
        id: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Mark an opportunity won.
    Won {
        id: String,
        /// Closing date (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// Mark an opportunity lost, with the reason.
    Lost {
        id: String,
        #[arg(long)]
        reason: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// Fill the database with realistic sample data.
    Demo {
        /// Add to a funnel that already has opportunities.
        #[arg(long)]
        force: bool,
        /// Number of opportunities.
        #[arg(long, default_value_t = crate::demo::DemoOptions::DEFAULT_SIZE)]
        size: usize,
        /// Seed of the generator: the same seed gives the same data.
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Print the board once as plain text (same drawing as the interactive board).
    Board {
        /// Required: print and exit (the interactive board is `funnel` alone).
        #[arg(long)]
        print: bool,
        #[arg(long, default_value_t = 120)]
        width: u16,
        #[arg(long, default_value_t = 40)]
        height: u16,
        #[arg(long, value_name = "YYYY")]
        period: Option<i32>,
    },
    /// Open the board in a one-to-one with a seller (figures, meeting clock, notes, action plan).
    OneToOne {
        /// The seller, as written on their cards.
        owner: String,
    },
    /// The one-to-ones held with a seller or over a team, newest first: day, kind, with whom,
    /// action items done and open, the skill chosen.
    Meetings {
        /// A seller's one-to-ones (default: config.toml's `user`).
        #[arg(long, value_name = "NAME", conflicts_with = "team")]
        owner: Option<String>,
        /// A team's one-to-ones with its lead.
        #[arg(long, value_name = "NAME")]
        team: Option<String>,
        /// At most this many, newest first.
        #[arg(long, value_name = "N", default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Copy the database to PATH (a consistent snapshot, safe while the board is open).
    Backup {
        path: PathBuf,
        /// Replace PATH if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Check the database: SQLite's integrity check and the funnel's own invariants.
    Check {
        /// Count the running totals, breakdowns and history sums again from the cards, after a
        /// copy of the file next to it; say what was repaired and what was not.
        #[arg(long)]
        repair: bool,
    },
    /// Set up the team hub (PostgreSQL) and say who is who on it.
    #[command(subcommand)]
    Hub(HubCommand),
    /// Push local changes to the team hub and pull the team's ([sync] url or $FUNNEL_SYNC_URL).
    Sync,
    /// Cards changed here and on the hub since the last sync: the newer won, the other is kept.
    Conflicts {
        #[command(subcommand)]
        command: Option<ConflictsCommand>,
    },
    /// Shell completions.
    Completions { shell: clap_complete::Shell },
}

#[derive(Debug, Subcommand)]
pub enum HubCommand {
    /// Create or upgrade the hub schema and its access rules (run as the database's owner).
    Init {
        /// PostgreSQL URL, e.g. postgresql://admin@hub.example/sales?sslmode=require
        url: String,
    },
    /// Map a PostgreSQL role to an owner name, a team and what they may do.
    Member {
        role: String,
        /// The owner name written on this person's cards.
        #[arg(long)]
        owner: String,
        #[arg(long, default_value = "")]
        team: String,
        #[arg(long, value_enum)]
        kind: crate::sync::hub::Kind,
        /// The hub (default: the configured one).
        #[arg(long)]
        url: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConflictsCommand {
    /// List the conflicts (the default).
    List,
    /// Keep one version of a conflicted card; it is pushed on the next sync.
    Resolve {
        /// Conflict id (or its first characters).
        id: String,
        #[arg(long, value_enum)]
        keep: KeepArg,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KeepArg {
    Mine,
    Theirs,
}

#[derive(Debug, Subcommand)]
pub enum TargetCommand {
    /// Set the target of a period (AMOUNT in currency units, e.g. 1200000.50).
    Set {
        /// The fiscal year, by the calendar year it starts in.
        #[arg(value_name = "PERIOD", value_parser = clap::value_parser!(i32).range(1900..=9999))]
        period: i32,
        amount: String,
        /// A seller's individual target (leave it out for the funnel's).
        #[arg(long, value_name = "NAME", value_parser = clap::builder::NonEmptyStringValueParser::new())]
        owner: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum FunnelsCommand {
    List,
    Add {
        name: String,
        #[arg(long, default_value = "EUR")]
        currency: String,
        #[arg(long, default_value_t = 1, value_name = "MONTH")]
        fiscal_start: u32,
    },
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long)]
    pub json: bool,
    #[arg(long, value_name = "KEY")]
    pub stage: Option<String>,
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    #[arg(long, value_name = "open|won|lost")]
    pub status: Option<String>,
    /// Only open cards whose next step is overdue.
    #[arg(long)]
    pub overdue: bool,
    /// Only open cards without a dated next step.
    #[arg(long)]
    pub no_next_step: bool,
    /// Only cards whose next step is due before this day (a date or a quick date).
    #[arg(long, value_name = "WHEN")]
    pub due_before: Option<String>,
    /// Only cards expected to close before this day (a date or a quick date).
    #[arg(long, value_name = "WHEN")]
    pub closing_before: Option<String>,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    pub id: String,
    /// call, meeting, email or note (or appel, réunion, courriel).
    #[arg(long)]
    pub kind: String,
    /// What happened, in a few words.
    #[arg(long)]
    pub note: String,
    /// Who was met or called.
    #[arg(long, value_name = "NAME")]
    pub with: Option<String>,
    /// When it happened (default: today); quick dates and a time are taken.
    #[arg(long, value_name = "WHEN")]
    pub date: Option<String>,
}

/// Who a card is for and whose it is: the fields `add` and `edit` share.
#[derive(Debug, Args)]
pub struct CardGroups {
    /// The customer's company.
    #[arg(long)]
    pub account: Option<String>,
    /// The seller who owns the card.
    #[arg(long)]
    pub owner: Option<String>,
    /// The owner's sales team.
    #[arg(long)]
    pub team: Option<String>,
    #[arg(long)]
    pub region: Option<String>,
    #[arg(long)]
    pub territory: Option<String>,
    /// What is sold.
    #[arg(long)]
    pub product: Option<String>,
}

impl CardGroups {
    /// Writes the fields given over `fields`; whether any was given.
    pub fn write_into(self, fields: &mut crate::domain::OpportunityFields) -> bool {
        let mut given = false;
        for (field, value) in [
            (&mut fields.account, self.account),
            (&mut fields.owner, self.owner),
            (&mut fields.team, self.team),
            (&mut fields.region, self.region),
            (&mut fields.territory, self.territory),
            (&mut fields.product, self.product),
        ] {
            if let Some(value) = value {
                *field = value;
                given = true;
            }
        }
        given
    }
}

#[derive(Debug, Args)]
pub struct EditArgs {
    pub id: String,
    #[arg(long)]
    pub title: Option<String>,
    /// In currency units, e.g. 25000 or 25000.50.
    #[arg(long)]
    pub value: Option<String>,
    #[command(flatten)]
    pub groups: CardGroups,
    /// A date or a quick date; empty to clear it.
    #[arg(long, value_name = "WHEN")]
    pub expected_close: Option<String>,
    #[arg(long, value_name = "TEXT")]
    pub next_step: Option<String>,
    /// When the next step is due: a date or a quick date with an optional time; empty to clear.
    #[arg(long, value_name = "WHEN")]
    pub due: Option<String>,
}

#[derive(Debug, Args)]
pub struct TodayArgs {
    /// Only this seller's cards (default: config.toml's `user`, else everyone's).
    #[arg(long, value_name = "NAME", conflicts_with = "all")]
    pub owner: Option<String>,
    /// Everyone's cards, even with a `user` configured.
    #[arg(long)]
    pub all: bool,
    #[arg(long)]
    pub json: bool,
    /// At most this many lines (the counts still cover every card).
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub limit: usize,
    /// Write the dated next steps as an iCalendar file instead (to stdout or --output).
    #[arg(long, conflicts_with = "json")]
    pub ics: bool,
    /// The file the calendar is written to (with --ics).
    #[arg(long, short, value_name = "PATH", requires = "ics")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ChangesArgs {
    /// From this day: a date or a quick date (2026-04-01, -30d, -2w, -1m); default: the
    /// previous meeting with the seller (or the team's lead), else 30 days ago.
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true)]
    pub since: Option<String>,
    /// This seller's cards (default: config.toml's `user`).
    #[arg(long, value_name = "NAME", conflicts_with = "team")]
    pub owner: Option<String>,
    /// This team's cards (every seller's, while the card was the team's).
    #[arg(long, value_name = "NAME")]
    pub team: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    #[arg(long)]
    pub title: String,
    /// In currency units, e.g. 25000 or 25000.50.
    #[arg(long)]
    pub value: String,
    #[command(flatten)]
    pub groups: CardGroups,
    /// Stage key or name (default: pre_funnel).
    #[arg(long)]
    pub stage: Option<String>,
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub expected_close: Option<String>,
    #[arg(long)]
    pub next_step: Option<String>,
}
