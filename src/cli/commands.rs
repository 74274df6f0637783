//! One function per command, each a few calls into the library.

use std::io::Write;

use super::args::{AddArgs, Command, Format, FunnelsCommand, TargetCommand};
use super::progress::Meter;
use super::{
    CliError, CliResult, Context, agenda, changes, day, meetings, parse_amount_arg, parse_date_arg,
    report, team, texts,
};
use crate::domain::money::format_money;
use crate::domain::{Catalog, Lang, OpportunityFields, Period, Stage, Status, UnknownKey, text};
use crate::i18n::{self, figures};
use crate::store::{CardFilter, MoveOutcome, NewOpportunity, StoreError};
use crate::{insight, interchange};

pub fn run(ctx: &mut Context, command: Option<Command>) -> CliResult {
    let Some(command) = command else {
        let lang = ctx.lang;
        return crate::tui::run(&mut ctx.board()).map_err(|e| board_failed(e.as_ref(), lang));
    };
    match command {
        Command::Import { path, dry_run } => import(ctx, &path, dry_run),
        Command::Export { format, output } => export(ctx, format, output.as_deref()),
        Command::Report { period, json, by } => {
            let period = period_or_current(ctx, period);
            report::print(ctx, period, json, by.map(Into::into))
        }
        Command::Target(TargetCommand::Set {
            period,
            amount,
            owner,
        }) => {
            let cents = parse_amount_arg(&amount, ctx.lang)?;
            ctx.store
                .set_target(&ctx.funnel, period, owner.as_deref(), cents)?;
            let said = texts::target_set(
                ctx.lang,
                &format_money(cents.into(), &ctx.funnel.currency, ctx.lang),
                ctx.funnel.period(period),
                &owner.map(|o| format!(" ({o})")).unwrap_or_default(),
            );
            eprintln!("{said}");
            Ok(())
        }
        Command::Funnels { command } => funnels(ctx, command),
        Command::Add(args) => add(ctx, args),
        Command::List(args) => {
            let upkeep = day::ListUpkeep::new(ctx, &args)?;
            let filter = CardFilter {
                owner: args.owner,
                stage: (args.stage.as_deref())
                    .map(|s| parse_stage(s, ctx.lang))
                    .transpose()?,
                status: (args.status.as_deref())
                    .map(|s| parse_status(s, ctx.lang))
                    .transpose()?,
                closed_too: true,
                ..CardFilter::default()
            };
            list(ctx, &filter, &upkeep, args.json)
        }
        Command::Show { id, json } => day::show(ctx, &id, json),
        Command::Edit(args) => day::edit(ctx, args),
        Command::Reopen { id } => day::reopen(ctx, &id),
        Command::Delete { id } => day::delete(ctx, &id),
        Command::Next { id, text, due } => day::next(ctx, &id, &text, due.as_deref()),
        Command::Log(args) => day::log(ctx, args),
        Command::Done { id, next, due } => day::done(ctx, &id, next.as_deref(), due.as_deref()),
        Command::Today(args) => agenda::today(ctx, args),
        Command::Changes(args) => changes::changes(ctx, args),
        Command::Move { id, stage, force } => move_card(ctx, &id, &stage, force),
        Command::Evidence { id, note } => {
            let id = ctx.store.resolve_id(&id)?;
            let opp = ctx.store.opportunity(&id)?;
            let today = ctx.store.today();
            // Confirmed again without a note: the note given before stays.
            let note = match note {
                Some(note) => note,
                None => (ctx.store.evidence(&id)?.into_iter())
                    .find(|e| e.stage == opp.stage)
                    .map(|e| e.note)
                    .unwrap_or_default(),
            };
            ctx.store.confirm_evidence(&id, opp.stage, today, &note)?;
            let stage = Catalog::get(ctx.lang).name(opp.stage);
            eprintln!("{}", texts::evidence_confirmed(ctx.lang, stage));
            Ok(())
        }
        Command::Won { id, date } => {
            let id = ctx.store.resolve_id(&id)?;
            let date = date_or_today(ctx, date.as_deref())?;
            let won = ctx.store.mark_won(&id, None, date)?;
            say_dates_to_check(&won, ctx);
            Ok(())
        }
        Command::Lost { id, reason, date } => {
            let id = ctx.store.resolve_id(&id)?;
            let date = date_or_today(ctx, date.as_deref())?;
            let lost = ctx.store.mark_lost(&id, None, &reason, date)?;
            say_dates_to_check(&lost, ctx);
            Ok(())
        }
        Command::Demo { force, size, seed } => demo(ctx, force, size, seed),
        Command::Board {
            print,
            width,
            height,
            period,
        } => {
            if !print {
                return Err(CliError::input(texts::board_needs_print(ctx.lang)));
            }
            let period = period_or_current(ctx, period);
            let lang = ctx.lang;
            let text = crate::tui::print_board(&mut ctx.board(), width, height, period)
                .map_err(|e| CliError::input(e.say(lang)))?;
            std::io::stdout().write_all(text.as_bytes())?;
            Ok(())
        }
        Command::OneToOne { owner } => {
            // Refused before the board takes the terminal, with the store's exit code.
            insight::check_seller(&ctx.store, &ctx.funnel, &owner)?;
            let lang = ctx.lang;
            crate::tui::run_with(&mut ctx.board(), Some(&owner))
                .map_err(|e| board_failed(e.as_ref(), lang))
        }
        Command::Meetings {
            owner,
            team,
            limit,
            json,
        } => meetings::meetings(ctx, owner, team, limit, json),
        Command::Hub(command) => team::hub(ctx, command),
        Command::Sync => team::sync(ctx),
        Command::Conflicts { command } => team::conflicts(ctx, command),
        Command::Completions { .. } | Command::Backup { .. } | Command::Check { .. } => {
            unreachable!("handled before resolving the funnel")
        }
    }
}

/// Dates of a saved card that the store keeps but that disagree (see `DateConflict`).
fn say_dates_to_check(opp: &crate::domain::Opportunity, ctx: &Context) {
    for conflict in opp.date_conflicts(ctx.store.today()) {
        eprintln!(
            "{}",
            texts::check_the_dates(ctx.lang, conflict.say(ctx.lang))
        );
    }
}

fn period_or_current(ctx: &Context, year: Option<i32>) -> Period {
    year.map_or_else(
        || Period::containing(ctx.store.today(), ctx.funnel.fiscal_start),
        |y| ctx.funnel.period(y),
    )
}

fn date_or_today(ctx: &Context, date: Option<&str>) -> CliResult<chrono::NaiveDate> {
    Ok(match date {
        Some(text) => parse_date_arg(text, ctx.lang)?,
        None => ctx.store.today(),
    })
}

/// Why the board stopped, in `lang` when the store refused or failed (the board passes the
/// store's error on inside its own error type); exit 1 either way.
fn board_failed(e: &(dyn std::error::Error + Send + Sync + 'static), lang: Lang) -> CliError {
    let said = e.downcast_ref::<StoreError>();
    CliError::input(said.map_or_else(|| e.to_string(), |e| e.say(lang)))
}

fn parse_stage(text: &str, lang: Lang) -> CliResult<Stage> {
    Stage::parse_any(text).ok_or_else(|| {
        let keys = Stage::ALL.map(Stage::key).join(", ");
        CliError::input(texts::unknown_stage(lang, text, &keys))
    })
}

fn parse_status(text: &str, lang: Lang) -> CliResult<Status> {
    text.parse()
        .map_err(|e: UnknownKey| CliError::input(e.say(lang)))
}

fn import(ctx: &mut Context, path: &std::path::Path, dry_run: bool) -> CliResult {
    let today = ctx.store.today();
    let name = path
        .file_name()
        .unwrap_or(path.as_os_str())
        .to_string_lossy();
    let lang = ctx.lang;
    let mut meter =
        Meter::on_terminal(lang, texts::importing(lang, &name), texts::rows(lang), None);
    let mut show = |p| meter.as_mut().map_or((), |m| m.show(p));
    let stats = interchange::import_file(
        &mut ctx.store,
        &ctx.funnel,
        path,
        dry_run,
        today,
        Some(&mut show),
    )
    .map_err(|e| {
        // A file refused is bad input; a database that cannot take it is not.
        let code = e.store.as_ref().map_or(1, super::exit_code);
        CliError::input(texts::nothing_imported(lang, path.display(), &e.say(lang))).with_code(code)
    });
    drop(meter);
    let stats = stats?;
    let added = i18n::count(
        stats.added as i64,
        texts::added_one(lang),
        texts::added(lang),
        lang,
    );
    let updated = i18n::count(
        stats.updated as i64,
        texts::updated_one(lang),
        texts::updated(lang),
        lang,
    );
    let said = if dry_run {
        texts::would_import(lang, &added, &updated)
    } else {
        texts::imported(lang, &added, &updated)
    };
    eprintln!("{said}");
    Ok(())
}

fn export(ctx: &mut Context, format: Format, output: Option<&std::path::Path>) -> CliResult {
    let (store, funnel) = (&ctx.store, &ctx.funnel);
    super::write_output(ctx, output, |out| match format {
        Format::Csv => interchange::export_csv(store, funnel, out),
        Format::Json => interchange::export_json(store, funnel, out),
        Format::Ics => {
            let open = CardFilter::default();
            interchange::export_ics(store, funnel, &open, ctx.lang, store.now(), out)
        }
    })
}

fn funnels(ctx: &mut Context, command: Option<FunnelsCommand>) -> CliResult {
    match command.unwrap_or(FunnelsCommand::List) {
        FunnelsCommand::List => {
            let mut out = std::io::stdout().lock();
            for f in ctx.store.funnels()? {
                writeln!(
                    out,
                    "{}\t{}\t{}",
                    text::clean_line(&f.name),
                    f.currency,
                    f.fiscal_start
                )?;
            }
        }
        FunnelsCommand::Add {
            name,
            currency,
            fiscal_start,
        } => {
            let f = ctx.store.add_funnel(&name, &currency, fiscal_start)?;
            let said = texts::funnel_added(ctx.lang, &f.name, &f.currency, f.fiscal_start);
            eprintln!("{said}");
        }
    }
    Ok(())
}

fn add(ctx: &mut Context, args: AddArgs) -> CliResult {
    let mut fields = OpportunityFields {
        title: args.title,
        value_cents: parse_amount_arg(&args.value, ctx.lang)?,
        expected_close: args
            .expected_close
            .as_deref()
            .map(|d| parse_date_arg(d, ctx.lang))
            .transpose()?,
        next_step: args.next_step.unwrap_or_default(),
        ..OpportunityFields::default()
    };
    args.groups.write_into(&mut fields);
    let stage = (args.stage.as_deref())
        .map(|s| parse_stage(s, ctx.lang))
        .transpose()?;
    let opp = ctx
        .store
        .add_opportunity(&ctx.funnel, NewOpportunity { fields, stage })?;
    writeln!(std::io::stdout(), "{}", opp.id)?;
    Ok(())
}

fn list(ctx: &Context, filter: &CardFilter, upkeep: &day::ListUpkeep, json: bool) -> CliResult {
    let mut opps = ctx.store.opportunities(&ctx.funnel, filter)?;
    opps.retain(|o| upkeep.keeps(o));
    if json {
        let rows: Vec<_> = opps
            .iter()
            .map(|o| interchange::Row::from_opportunity(o, &ctx.funnel.currency))
            .collect();
        let text = serde_json::to_string_pretty(&rows).expect("rows serialise");
        writeln!(std::io::stdout(), "{text}")?;
        return Ok(());
    }
    let catalog = Catalog::get(ctx.lang);
    let ids: Vec<&str> = opps.iter().map(|o| o.id.as_str()).collect();
    let short_ids = ctx.store.short_ids(&ids)?;
    let mut out = std::io::stdout().lock();
    for (o, short_id) in opps.iter().zip(short_ids) {
        let status = match o.status {
            Status::Open => String::new(),
            Status::Won => format!(" [{}]", figures::won_one(ctx.lang)),
            Status::Lost => format!(" [{}]", figures::lost_one(ctx.lang)),
        };
        writeln!(
            out,
            "{}  {}  {}  {}{}  {}  {}",
            short_id,
            text::pad(catalog.name(o.stage), 22),
            text::pad(
                &format_money(o.fields.value_cents.into(), &ctx.funnel.currency, ctx.lang),
                14
            ),
            text::truncate(&o.fields.title, 40),
            status,
            text::truncate(&o.fields.account, 24),
            text::truncate(&o.fields.owner, 20),
        )?;
    }
    Ok(())
}

fn move_card(ctx: &mut Context, id: &str, stage: &str, force: bool) -> CliResult {
    let id = ctx.store.resolve_id(id)?;
    let to = parse_stage(stage, ctx.lang)?;
    let catalog = Catalog::get(ctx.lang);
    match ctx.store.move_stage(&id, None, to, force)? {
        MoveOutcome::Moved(opp) => {
            eprintln!("{}", texts::moved_to(ctx.lang, catalog.name(opp.stage)));
            Ok(())
        }
        MoveOutcome::NeedsEvidence(missing) => {
            let stages: Vec<&str> = missing.stages.iter().map(|s| catalog.name(*s)).collect();
            let short_id = ctx.store.short_id(&id)?;
            let said = texts::evidence_missing(ctx.lang, &stages.join(", "), &short_id);
            Err(CliError::input(said))
        }
    }
}

fn demo(ctx: &mut Context, force: bool, size: usize, seed: Option<u64>) -> CliResult {
    let existing = ctx
        .store
        .totals(&ctx.funnel)?
        .iter()
        .map(|r| r.count)
        .sum::<i64>();
    if existing > 0 && !force {
        return Err(CliError::input(texts::demo_not_empty(ctx.lang, existing)));
    }
    let mut options = crate::demo::DemoOptions::new(size, ctx.store.today());
    // Without a seed, more demo data on top of existing cards must be new cards, not the same.
    options.seed = seed.unwrap_or(options.seed + existing as u64);
    let lang = ctx.lang;
    let mut meter =
        Meter::on_terminal(lang, texts::demo_data(lang), texts::cards(lang), Some(size));
    let mut show = |p| meter.as_mut().map_or((), |m| m.show(p));
    let added = crate::demo::generate(&mut ctx.store, &ctx.funnel, &options, Some(&mut show));
    drop(meter);
    let added = added?;
    eprintln!("{}", texts::demo_added(lang, added, &ctx.funnel.name));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_boards_store_errors_are_said_in_the_language_asked_for() {
        let busy = color_eyre::Report::from(StoreError::Busy);
        let said = board_failed(busy.as_ref(), Lang::Fr).say(Lang::Fr);
        assert_eq!(said, StoreError::Busy.say(Lang::Fr));
        assert!(said.starts_with("la base est occupée"), "{said}");
        let printed = std::io::Error::other(StoreError::Full);
        let inner = printed.get_ref().unwrap();
        assert_eq!(
            board_failed(inner, Lang::Fr).say(Lang::Fr),
            StoreError::Full.say(Lang::Fr)
        );
        let other = std::io::Error::other("terminal gone");
        let inner = other.get_ref().unwrap();
        assert_eq!(board_failed(inner, Lang::Fr).say(Lang::Fr), "terminal gone");
    }
}
