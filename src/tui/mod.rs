//! The board: a full-screen, keyboard-first kanban of the eight buying stages.
//!
//! Split as the ratatui templates do: [`action`] and [`keymap`] turn keys into actions; the
//! router ([`Tui`]) hands each to the overlay, screen or board on top ([`overlays`],
//! [`screens`]), the one path that changes anything, and draws the frame from the same state;
//! [`app`] holds what every screen shares, [`ui`] what every screen draws with; this module
//! runs the terminal loop. `funnel board --print` draws the same screen once into a buffer and
//! prints it as plain text. ARCHITECTURE.md has the picture.

pub mod action;
pub mod app;
pub mod background;
pub mod board_view;
pub mod figures;
pub mod input;
pub mod keymap;
pub mod overlays;
pub mod reviews;
mod router;
pub mod screens;
mod texts;
pub mod ui;
pub mod undo;
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
use reviews::ReviewStatus;
pub use router::{Tui, View};

use action::Action;

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
pub fn print_board(
    ctx: &mut Setup,
    width: u16,
    height: u16,
    period: Period,
) -> crate::store::Result<String> {
    let mut tui = Tui::new(
        ctx.store,
        ctx.funnel.clone(),
        ctx.lang,
        ctx.config,
        (width, height),
    )?;
    tui.app.color = false;
    if tui.app.period != period {
        tui.app.period = period;
        tui.refresh()?;
    }
    Ok(render_text(&tui))
}

/// The screen as text (plain, no escape codes).
pub fn render_text(tui: &Tui) -> String {
    let mut terminal =
        Terminal::new(TestBackend::new(tui.app.width, tui.app.height)).expect("test backend");
    terminal
        .draw(|frame| tui.draw(frame))
        .expect("draw into a buffer");
    ui::buffer_text(terminal.backend().buffer())
}

/// Runs the interactive board until the user quits. The terminal is restored on exit, on error,
/// on panic and on SIGTERM/SIGHUP.
pub fn run(ctx: &mut Setup) -> color_eyre::Result<()> {
    run_with(ctx, None)
}

/// A one-to-one the board opens on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opening {
    /// With a seller.
    Seller(String),
    /// Over a team, with its lead (`None`: the lead of the team's last meeting).
    Team { team: String, lead: Option<String> },
}

/// [`run`], opening in a one-to-one when one is given.
pub fn run_with(ctx: &mut Setup, one_to_one: Option<Opening>) -> color_eyre::Result<()> {
    if let Some(Opening::Seller(owner)) = &one_to_one {
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
    let figures = worker::start_figures(ctx.store);
    let reviews = worker::start_reviews(ctx.store);
    let result = Tui::with_figures(
        ctx.store,
        ctx.funnel.clone(),
        ctx.lang,
        ctx.config,
        (size.width, size.height),
        figures.is_some(),
    )
    .map_err(color_eyre::Report::from)
    .and_then(|mut tui| {
        if reviews.is_some() {
            tui.app.reviews = Some(ReviewStatus::default());
        }
        match one_to_one {
            Some(Opening::Seller(owner)) => tui.start_one_to_one(&owner)?,
            Some(Opening::Team { team, lead }) => tui.start_team_one_to_one(&team, lead)?,
            None => {}
        }
        let sync = worker::start_sync(&mut tui, ctx.config);
        let workers = Workers {
            sync: sync.as_ref(),
            figures: figures.as_ref(),
            reviews: reviews.as_ref(),
        };
        event_loop(&mut terminal, &mut tui, workers)
    });
    let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
    result
}

/// How often the loop looks at the background workers while no key comes (with a hub, or while
/// the slower figures are being computed).
const SYNC_TICK: Duration = Duration::from_millis(250);

/// The background threads the event loop pumps, those that started.
struct Workers<'w> {
    sync: Option<&'w worker::SyncWorker>,
    figures: Option<&'w worker::FiguresWorker>,
    reviews: Option<&'w worker::ReviewWorker>,
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    tui: &mut Tui,
    workers: Workers,
) -> color_eyre::Result<()> {
    let sync = workers.sync;
    loop {
        if let Some(sync) = sync {
            sync.pump(tui);
        }
        if let Some(figures) = workers.figures {
            figures.pump(tui);
        }
        if let Some(reviews) = workers.reviews {
            reviews.pump(tui);
        }
        terminal.draw(|frame| tui.draw(frame))?;
        if tui.app.quit {
            return Ok(());
        }
        // Wait for a key, waking up now and then for the workers or to move the one-to-one's
        // meeting clock on.
        let wake = if sync.is_some() || tui.app.figures_pending() || tui.review_pending() {
            Some(SYNC_TICK)
        } else if tui.one_to_one().is_some() || tui.team_one_to_one().is_some() {
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
        handle_event(tui, event::read()?);
        while !tui.app.quit && event::poll(Duration::ZERO)? {
            handle_event(tui, event::read()?);
        }
    }
}

/// A terminal event, as an action through the one update path.
fn handle_event(tui: &mut Tui, event: Event) {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            let ctrl_c =
                key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
            let too_small = ui::too_small(&tui.app);
            if ctrl_c || (too_small && key.code == KeyCode::Char('q')) {
                tui.app.quit = true;
            } else if !too_small {
                tui.handle_key(&key);
            }
        }
        Event::Paste(text) => tui.update(Action::Paste(text)),
        Event::Resize(width, height) => tui.update(Action::Resize { width, height }),
        Event::Mouse(mouse) => {
            let (x, y) = (mouse.column, mouse.row);
            match mouse.kind {
                MouseEventKind::Down(_) => tui.update(Action::Click { x, y }),
                MouseEventKind::ScrollDown => tui.update(Action::Scroll { x, y, down: true }),
                MouseEventKind::ScrollUp => tui.update(Action::Scroll { x, y, down: false }),
                _ => {}
            }
        }
        _ => {}
    }
}
