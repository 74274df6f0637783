//! The screens. The board ([`board::Board`]) is always there, underneath; the others open above
//! it and close back to what was under them. Each screen is one module that owns its state,
//! says which key table it reads ([`View::table`]), applies actions and its overlays' answers
//! ([`View::update`], [`View::reply`]) and draws itself ([`View::draw`]). A screen changes
//! nothing outside its own state, the shared [`App`] and the board: to open another screen,
//! close itself or open an overlay it queues an [`Effect`], which the router carries out.
//!
//! Adding a screen: write `screens/NAME.rs` with a type that implements [`View`] (its
//! `Request` is what opening it takes), then add one line to the [`screens!`] list below. The
//! line gives the screen its variant in [`Screen`] and in [`Open`], the request to open it.

pub mod agenda;
pub mod board;
pub mod changes;
pub mod conflicts;
pub mod dashboard;
pub mod detail;
pub mod one_to_one;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;

use self::board::Board;
use super::action::Action;
use super::app::App;
use super::keymap::Table;
use super::overlays::{Overlay, Reply};
use crate::domain::review::ReviewScope;
use crate::store::Result;

/// What a screen's update reaches: the shared state, the board underneath, the effect queue.
pub struct Ctx<'x, 'a> {
    pub app: &'x mut App<'a>,
    pub board: &'x mut Board,
    pub fx: &'x mut Effects,
}

/// A screen above the board.
pub trait View: Sized {
    /// What opening the screen takes.
    type Request;

    /// Reads what the screen shows.
    fn open(request: Self::Request, app: &mut App, board: &mut Board) -> Result<Self>;

    /// The key table the screen reads.
    fn table(&self) -> Table;

    fn update(&mut self, cx: &mut Ctx, action: &Action) -> Result<()>;

    /// An overlay's answer; those about cards go on to the board by default.
    fn reply(&mut self, cx: &mut Ctx, reply: Reply) -> Result<()> {
        cx.board.reply(cx.app, cx.fx, reply, false)
    }

    /// Called once the screen is on top, the board fitted beside it and read again.
    fn opened(&mut self, _cx: &mut Ctx) -> Result<()> {
        Ok(())
    }

    /// Reads again what the screen shows, after a change; false when what it shows is gone
    /// (the card was deleted), and it closes.
    fn reload(&mut self, _app: &mut App) -> Result<bool> {
        Ok(true)
    }

    /// Columns the board keeps beside the screen, if it shows the board at all.
    fn board_width(&self, _width: u16) -> Option<u16> {
        None
    }

    fn draw(&self, app: &App, board: &Board, frame: &mut Frame, area: Rect);
}

/// Declares the screens: for each, its variant in [`Screen`] and in [`Open`].
macro_rules! screens {
    ($($name:ident($ty:ty)),* $(,)?) => {
        /// An open screen. Few are ever open at once (a one-to-one, a detail above it), so
        /// the largest is not boxed.
        #[derive(Debug)]
        #[allow(clippy::large_enum_variant)]
        pub enum Screen {
            $($name($ty)),*
        }

        /// A screen to open, with what opening it takes.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Open {
            $($name(<$ty as View>::Request)),*
        }

        impl Open {
            /// Opens the screen.
            pub fn open(self, app: &mut App, board: &mut Board) -> Result<Screen> {
                Ok(match self {
                    $(Open::$name(request) => Screen::$name(<$ty>::open(request, app, board)?)),*
                })
            }
        }

        impl Screen {
            pub fn table(&self) -> Table {
                match self { $(Screen::$name(s) => s.table()),* }
            }
            pub fn update(&mut self, cx: &mut Ctx, action: &Action) -> Result<()> {
                match self { $(Screen::$name(s) => s.update(cx, action)),* }
            }
            pub fn reply(&mut self, cx: &mut Ctx, reply: Reply) -> Result<()> {
                match self { $(Screen::$name(s) => s.reply(cx, reply)),* }
            }
            pub fn opened(&mut self, cx: &mut Ctx) -> Result<()> {
                match self { $(Screen::$name(s) => s.opened(cx)),* }
            }
            pub fn reload(&mut self, app: &mut App) -> Result<bool> {
                match self { $(Screen::$name(s) => s.reload(app)),* }
            }
            pub fn board_width(&self, width: u16) -> Option<u16> {
                match self { $(Screen::$name(s) => s.board_width(width)),* }
            }
            pub fn draw(&self, app: &App, board: &Board, frame: &mut Frame, area: Rect) {
                match self { $(Screen::$name(s) => s.draw(app, board, frame, area)),* }
            }
        }
    };
}

screens! {
    Detail(detail::Detail),
    Dashboard(dashboard::Dashboard),
    OneToOne(one_to_one::OneToOne),
    Conflicts(conflicts::Conflicts),
    Agenda(agenda::Agenda),
    Changes(changes::Changes),
    TeamOneToOne(one_to_one::team::TeamOneToOne),
}

/// What opening the changes view takes.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangesRequest {
    pub scope: ReviewScope,
    /// `None`: since the scope's previous meeting (else 30 days ago).
    pub since: Option<NaiveDate>,
}

/// What opening a team one-to-one takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamRequest {
    pub team: String,
    /// The team's lead; `None`: the lead of the team's last meeting (else nobody named).
    pub lead: Option<String>,
}

/// What a screen asks of the router once its update is done.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Open(Open),
    /// The screen on top closes (the board never does).
    Close,
    Overlay(Overlay),
    /// The footer's figures, the board's columns and the open screens are read again.
    Refresh,
}

/// The queue a screen's update fills, carried out in order by the router.
#[derive(Debug, Default)]
pub struct Effects(pub Vec<Effect>);

impl Effects {
    pub fn open(&mut self, open: Open) {
        self.0.push(Effect::Open(open));
    }

    pub fn close(&mut self) {
        self.0.push(Effect::Close);
    }

    pub fn overlay(&mut self, overlay: Overlay) {
        self.0.push(Effect::Overlay(overlay));
    }

    pub fn refresh(&mut self) {
        self.0.push(Effect::Refresh);
    }
}
