//! Team commands: `hub init|member`, `sync` and `conflicts`, thin calls into [`crate::sync`].
//!
//! A refused push exits 1 (the changes stay queued); an unreachable or unset hub exits 2.

use std::io::Write;

use super::args::{ConflictsCommand, HubCommand, KeepArg};
use super::progress::Meter;
use super::{CliError, CliResult, Context, Reason, texts};
use crate::domain::Lang;
use crate::store::Keep;
use crate::sync::{self, SyncError, hub};

impl From<SyncError> for CliError {
    fn from(e: SyncError) -> CliError {
        match e {
            SyncError::Store(e) => e.into(),
            e => CliError {
                code: 2,
                reason: Reason::Sync(e),
            },
        }
    }
}

fn configured_url(ctx: &Context) -> CliResult<String> {
    sync::hub_url(&ctx.config).ok_or_else(|| CliError::setup(texts::no_hub(ctx.lang)))
}

pub fn hub(ctx: &Context, command: HubCommand) -> CliResult {
    match command {
        HubCommand::Init { url } => {
            let mut client = sync::connect(&url)?;
            let (old, new) = hub::init(&mut client).map_err(SyncError::from)?;
            if old == new {
                eprintln!("{}", texts::hub_up_to_date(ctx.lang, new));
            } else {
                eprintln!("{}", texts::hub_upgraded(ctx.lang, old, new));
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
            let kind = match kind {
                hub::Kind::Seller => texts::seller(ctx.lang),
                hub::Kind::Lead => texts::lead(ctx.lang),
                hub::Kind::Director => texts::director(ctx.lang),
            };
            eprintln!(
                "{}",
                texts::member_set(ctx.lang, &role, kind, &owner, &team)
            );
        }
    }
    Ok(())
}

pub fn sync(ctx: &mut Context) -> CliResult {
    let url = configured_url(ctx)?;
    let mut client = sync::connect(&url)?;
    let lang = ctx.lang;
    let mut meter = Meter::on_terminal(lang, texts::sync(lang), texts::rows(lang), None);
    let mut show = |p| {
        let Some(meter) = meter.as_mut() else { return };
        match p {
            sync::Progress::Pushed(n) => meter.count(n, texts::pushed(lang)),
            sync::Progress::Received(n) => meter.count(n, texts::received(lang)),
            sync::Progress::Finishing => meter.finishing(texts::received(lang)),
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
    if let Some(warning) = clock_warning(lang, report.clock_offset_ms) {
        eprintln!("{warning}");
    }
    let conflicts = match report.conflicts {
        0 => String::new(),
        n => texts::conflicts_kept(lang, n),
    };
    let aside = match report.kept_aside {
        0 => String::new(),
        n => texts::kept_aside(lang, n),
    };
    eprintln!(
        "{}{conflicts}{aside}",
        texts::synced(lang, report.pushed, report.pulled)
    );
    if report.refused.is_empty() {
        return Ok(());
    }
    for (table, id, reason) in &report.refused {
        eprintln!("{}", texts::refused_by_hub(lang, table, id, reason));
    }
    let refused = texts::changes_refused(lang, report.refused.len());
    Err(CliError::input(refused))
}

/// What the user is told when this machine's clock is further off the hub's than a stamp may
/// be ahead of it (`offset`: milliseconds ahead, negative behind).
fn clock_warning(lang: Lang, offset: i64) -> Option<String> {
    if offset.abs() <= hub::AHEAD_LIMIT_MS {
        return None;
    }
    let (secs, mins) = (offset.abs() / 1000, offset.abs() / 60_000);
    let by = if mins >= 60 {
        texts::days_hours(lang, mins / (24 * 60), mins / 60 % 24)
    } else {
        texts::minutes_seconds(lang, mins, secs % 60)
    };
    Some(match offset > 0 {
        true => texts::clock_ahead(lang, &by),
        false => texts::clock_behind(lang, &by),
    })
}

pub fn conflicts(ctx: &mut Context, command: Option<ConflictsCommand>) -> CliResult {
    let lang = ctx.lang;
    match command.unwrap_or(ConflictsCommand::List) {
        ConflictsCommand::List => {
            for c in ctx.store.conflicts()? {
                let changed: Vec<String> = c
                    .differences()
                    .into_iter()
                    .map(|(k, mine, theirs)| texts::difference(lang, &k, mine, theirs))
                    .collect();
                let winner = match c.winner {
                    Keep::Mine => texts::mine(lang),
                    Keep::Theirs => texts::theirs(lang),
                };
                writeln!(
                    std::io::stdout(),
                    "{}\t{}\t{}\t{}",
                    c.id,
                    c.title,
                    texts::kept(lang, winner),
                    changed.join("; ")
                )?;
            }
            for row in ctx.store.kept_aside()? {
                let reason = row.flaw.say(lang);
                let line = texts::aside(lang, row.table, &row.id, &reason);
                writeln!(std::io::stdout(), "{line}")?;
            }
        }
        ConflictsCommand::Resolve { id, keep } => {
            let keep = match keep {
                KeepArg::Mine => Keep::Mine,
                KeepArg::Theirs => Keep::Theirs,
            };
            let c = ctx.store.resolve_conflict(&id, keep)?;
            eprintln!("{}", texts::resolved(lang, &c.title));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_off_the_hubs_is_told_by_how_much() {
        let two_years = 730 * 24 * 3600 * 1000 + 3 * 3600 * 1000;
        let said = clock_warning(Lang::En, two_years).unwrap();
        assert!(
            said.contains("is 730 days 3 h ahead of the hub's"),
            "{said}"
        );
        let said = clock_warning(Lang::Fr, -(6 * 60_000 + 5_000)).unwrap();
        assert!(said.contains("a 6 min 5 s de retard"), "{said}");
        assert_eq!(clock_warning(Lang::En, 4 * 60_000), None);
    }
}
