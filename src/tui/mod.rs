//! The board: a full-screen, keyboard-first kanban of the eight buying stages.
//!
//! Split as the ratatui templates do: [`app`] holds the state, [`action`] and [`keymap`] turn
//! keys into actions, [`update`] applies them (the one path that changes anything), [`ui`] draws
//! the state, and this module runs the terminal loop. `funnel board --print` draws the same
//! screen once into a buffer and prints it as plain text.

pub mod action;
pub mod app;
pub mod background;
pub mod dashboard;
pub mod figures;
pub mod form;
pub mod input;
pub mod keymap;
pub mod one_to_one;
pub mod ui;
pub mod undo;
pub mod update;
pub mod worker;

use std::io;
use std::time::Duration;

use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, KeyCode, KeyEventKind, KeyModifiers, MouseEventKind,
};
use crossterm::execute;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use signal_hook::consts::{SIGHUP, SIGTERM};
use signal_hook::iterator::Signals;

use crate::config::Config;
use crate::domain::{Lang, Period};
use crate::store::{Funnel, Store};
pub use app::App;

/// What the board opens on.
pub struct Setup<'a> {
    pub store: &'a mut Store,
    pub funnel: &'a Funnel,
    pub lang: Lang,
    pub config: &'a Config,
    /// Capture the mouse.
    pub mouse: bool,
}

/// Draws the board once at the given size, as plain text.
pub fn print_board(ctx: &mut Setup, width: u16, height: u16, period: Period) -> io::Result<String> {
    let mut app = App::new(
        ctx.store,
        ctx.funnel.clone(),
        ctx.lang,
        ctx.config,
        (width, height),
    )
    .map_err(io::Error::other)?;
    app.color = false;
    if app.period != period {
        app.period = period;
        app.refresh().map_err(io::Error::other)?;
    }
    Ok(render_text(&app))
}

/// The screen of an app as text (plain, no escape codes).
pub fn render_text(app: &App) -> String {
    let mut terminal =
        Terminal::new(TestBackend::new(app.width, app.height)).expect("test backend");
    terminal
        .draw(|frame| ui::draw(app, frame))
        .expect("draw into a buffer");
    ui::buffer_text(terminal.backend().buffer())
}

/// Runs the interactive board until the user quits. The terminal is restored on exit, on error,
/// on panic and on SIGTERM/SIGHUP.
pub fn run(ctx: &mut Setup) -> color_eyre::Result<()> {
    run_with(ctx, None)
}

/// [`run`], opening in a one-to-one with a seller when one is given.
pub fn run_with(ctx: &mut Setup, one_to_one: Option<&str>) -> color_eyre::Result<()> {
    if let Some(owner) = one_to_one {
        crate::insight::check_seller(ctx.store, ctx.funnel, owner)?;
    }
    let _ = color_eyre::install();
    let mouse = ctx.mouse;
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
        ratatui::restore();
        previous_hook(info);
    }));
    // SIGTERM or SIGHUP (the terminal went away): restore it and leave. Every change was
    // committed when it was made, so there is nothing to save.
    let mut signals = Signals::new([SIGTERM, SIGHUP])?;
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
            ratatui::restore();
            std::process::exit(128 + signal);
        }
    });
    let mut terminal = ratatui::init();
    execute!(io::stdout(), EnableBracketedPaste)?;
    if mouse {
        execute!(io::stdout(), EnableMouseCapture)?;
    }
    let size = terminal.size()?;
    let figures = figures::start(ctx.store);
    let result = App::with_figures(
        ctx.store,
        ctx.funnel.clone(),
        ctx.lang,
        ctx.config,
        (size.width, size.height),
        figures.is_some(),
    )
    .and_then(|mut app| {
        if let Some(owner) = one_to_one {
            app.start_one_to_one(owner)?;
        }
        Ok(app)
    })
    .map_err(color_eyre::Report::from)
    .and_then(|mut app| {
        let worker = background::start(&mut app, ctx.config);
        event_loop(&mut terminal, &mut app, worker.as_ref(), figures.as_ref())
    });
    let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
    result
}

/// How often the loop looks at the background workers while no key comes (with a hub, or while
/// the slower figures are being computed).
const SYNC_TICK: Duration = Duration::from_millis(250);

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    worker: Option<&background::Worker>,
    figures: Option<&figures::Worker>,
) -> color_eyre::Result<()> {
    loop {
        if let Some(worker) = worker {
            worker.pump(app);
        }
        if let Some(figures) = figures {
            figures.pump(app);
        }
        terminal.draw(|frame| ui::draw(app, frame))?;
        if app.quit {
            return Ok(());
        }
        // Wait for a key, waking up now and then for the sync worker or to move the
        // one-to-one's meeting clock on.
        let wake = if worker.is_some() || app.figures_pending() {
            Some(SYNC_TICK)
        } else if app.one_to_one.is_some() {
            Some(Duration::from_secs(1))
        } else {
            None
        };
        if let Some(wait) = wake
            && !event::poll(wait)?
        {
            continue;
        }
        // Take every event already queued before drawing again, so a held key never lags.
        handle_event(app, event::read()?);
        while !app.quit && event::poll(Duration::ZERO)? {
            handle_event(app, event::read()?);
        }
    }
}

fn handle_event(app: &mut App, event: Event) {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            let ctrl_c =
                key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
            if ctrl_c || (app.too_small() && key.code == KeyCode::Char('q')) {
                app.quit = true;
            } else if !app.too_small() {
                app.handle_key(&key);
            }
        }
        Event::Paste(text) => app.paste(&text),
        Event::Resize(width, height) => app.resize(width, height),
        Event::Mouse(mouse) => match mouse.kind {
            MouseEventKind::Down(_) => app.click(mouse.column, mouse.row),
            MouseEventKind::ScrollDown => app.scroll(mouse.column, true),
            MouseEventKind::ScrollUp => app.scroll(mouse.column, false),
            _ => {}
        },
        _ => {}
    }
}
