//! Team commands: `hub init|member`, `sync` and `conflicts`, thin calls into [`crate::sync`].
//!
//! A refused push exits 1 (the changes stay queued); an unreachable or unset hub exits 2.

use std::io::Write;

use super::args::{ConflictsCommand, HubCommand, KeepArg};
use super::progress::Meter;
use super::{CliError, CliResult, Context};
use crate::store::Keep;
use crate::sync::{self, SyncError, hub};

impl From<SyncError> for CliError {
    fn from(e: SyncError) -> CliError {
        match e {
            SyncError::Store(e) => e.into(),
            e => CliError::setup(e.to_string()),
        }
    }
}

fn configured_url(ctx: &Context) -> CliResult<String> {
    sync::hub_url(&ctx.config).ok_or_else(|| {
        CliError::setup("no hub configured: set [sync] url in config.toml or $FUNNEL_SYNC_URL")
    })
}

pub fn hub(ctx: &Context, command: HubCommand) -> CliResult {
    match command {
        HubCommand::Init { url } => {
            let mut client = sync::connect(&url)?;
            let (old, new) = hub::init(&mut client).map_err(SyncError::from)?;
            if old == new {
                eprintln!("hub schema is up to date (version {new})");
            } else {
                eprintln!("hub schema upgraded from version {old} to {new}");
            }
        }
        HubCommand::Member {
            role,
            owner,
            team,
            kind,
            url,
        } => {
            let url = url.map_or_else(|| configured_url(ctx), Ok)?;
            let mut client = sync::connect(&url)?;
            hub::set_member(&mut client, &role, &owner, &team, kind).map_err(SyncError::from)?;
            eprintln!("{role}: {kind:?} {owner} (team \"{team}\")");
        }
    }
    Ok(())
}

pub fn sync(ctx: &mut Context) -> CliResult {
    let url = configured_url(ctx)?;
    let mut client = sync::connect(&url)?;
    let mut meter = Meter::on_terminal("sync", "rows", None);
    let mut show = |p| {
        let Some(meter) = meter.as_mut() else { return };
        match p {
            sync::Progress::Pushed(n) => meter.count(n, "pushed"),
            sync::Progress::Received(n) => meter.count(n, "received"),
            sync::Progress::Finishing => meter.finishing("received"),
        }
    };
    let report = sync::sync(
        &mut ctx.store,
        &mut client,
        Default::default(),
        Some(&mut show),
    );
    drop(meter);
    let report = report?;
    eprintln!(
        "pushed {}, pulled {}{}",
        report.pushed,
        report.pulled,
        match report.conflicts {
            0 => String::new(),
            n => format!(", {n} conflicts kept (see `funnel conflicts`)"),
        }
    );
    if report.refused.is_empty() {
        return Ok(());
    }
    for (table, id, reason) in &report.refused {
        eprintln!("refused by the hub: {table} {id}: {reason}");
    }
    Err(CliError::input(format!(
        "{} changes refused by the hub; they stay here and are tried again on every sync",
        report.refused.len()
    )))
}

pub fn conflicts(ctx: &mut Context, command: Option<ConflictsCommand>) -> CliResult {
    match command.unwrap_or(ConflictsCommand::List) {
        ConflictsCommand::List => {
            for c in ctx.store.conflicts()? {
                let changed: Vec<String> = c
                    .differences()
                    .into_iter()
                    .map(|(k, mine, theirs)| format!("{k}: mine {mine}, theirs {theirs}"))
                    .collect();
                let winner = match c.winner {
                    Keep::Mine => "mine",
                    Keep::Theirs => "theirs",
                };
                writeln!(
                    std::io::stdout(),
                    "{}\t{}\t{winner} kept\t{}",
                    c.id,
                    c.title,
                    changed.join("; ")
                )?;
            }
        }
        ConflictsCommand::Resolve { id, keep } => {
            let keep = match keep {
                KeepArg::Mine => Keep::Mine,
                KeepArg::Theirs => Keep::Theirs,
            };
            let c = ctx.store.resolve_conflict(&id, keep)?;
            eprintln!("resolved: {} (pushed on the next sync)", c.title);
        }
    }
    Ok(())
}
