//! The router: the one path by which anything on screen changes. A key becomes an [`Action`]
//! through the key table of what is on top; [`Tui::update`] hands every action (keys, pastes,
//! resizes, clicks, the workers' results) to the overlay on top, else to the screen on top,
//! else to the board, then carries out the [`Effect`]s they queued. [`Tui::draw`] draws the
//! frame from the same state.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};

use super::action::Action;
use super::app::App;
use super::background::Outcome;
use super::keymap::Table;
use super::overlays::{self, Overlay};
use super::reviews::{self, Reading, Reviewed};
use super::screens::board::{Board, kept};
use super::screens::{Ctx, Effect, Effects, Screen, changes};
use super::texts;
use super::ui::{self, footer, title};
use crate::config::Config;
use crate::domain::Lang;
use crate::domain::review::Review;
use crate::store::{Funnel, Result, Store, StoreError};

/// What is on top, for tests and for the event loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Board,
    Detail,
    Dashboard,
    OneToOne,
    Conflicts,
    Agenda,
    Changes,
    TeamOneToOne,
    /// An overlay, by its key table.
    Overlay(Table),
}

/// The board, the screens opened above it, the overlays above them, and what they share.
pub struct Tui<'a> {
    pub app: App<'a>,
    pub board: Board,
    /// Screens opened above the board, the last on top.
    pub screens: Vec<Screen>,
    /// Overlays above the screens, the last on top.
    pub overlays: Vec<Overlay>,
}

impl<'a> Tui<'a> {
    /// The board, computing every figure as it changes (tests, `board --print`).
    pub fn new(
        store: &'a mut Store,
        funnel: Funnel,
        lang: Lang,
        config: &Config,
        size: (u16, u16),
    ) -> Result<Tui<'a>> {
        Tui::with_figures(store, funnel, lang, config, size, false)
    }

    /// The board; with `background_figures`, the slower figures are left to a worker the
    /// caller pumps (see [`super::worker`]).
    pub fn with_figures(
        store: &'a mut Store,
        funnel: Funnel,
        lang: Lang,
        config: &Config,
        size: (u16, u16),
        background_figures: bool,
    ) -> Result<Tui<'a>> {
        let mut app = App::new(store, funnel, lang, config, size, background_figures);
        // The board opens in the order and with the filter it was left with for this funnel.
        kept::restore(&mut app)?;
        let mut tui = Tui {
            app,
            board: Board::new(size.0, size.1),
            screens: Vec::new(),
            overlays: Vec::new(),
        };
        tui.refresh()?;
        tui.app.remember_snapshot()?;
        Ok(tui)
    }

    /// What is on top.
    pub fn view(&self) -> View {
        if let Some(overlay) = self.overlays.last() {
            return View::Overlay(overlay.table());
        }
        match self.screens.last() {
            None => View::Board,
            Some(Screen::Detail(_)) => View::Detail,
            Some(Screen::Dashboard(_)) => View::Dashboard,
            Some(Screen::OneToOne(_)) => View::OneToOne,
            Some(Screen::Conflicts(_)) => View::Conflicts,
            Some(Screen::Agenda(_)) => View::Agenda,
            Some(Screen::Changes(_)) => View::Changes,
            Some(Screen::TeamOneToOne(_)) => View::TeamOneToOne,
        }
    }

    /// The key table of what is on top (dispatch, hints and help all read it).
    pub fn table(&self) -> Table {
        match (self.overlays.last(), self.screens.last()) {
            (Some(overlay), _) => overlay.table(),
            (None, Some(screen)) => screen.table(),
            (None, None) => self.board.table(),
        }
    }

    /// The dashboard, if open.
    pub fn dashboard(&self) -> Option<&super::screens::dashboard::Dashboard> {
        self.screens.iter().find_map(|s| match s {
            Screen::Dashboard(d) => Some(d),
            _ => None,
        })
    }

    /// The card detail, if open.
    pub fn detail(&self) -> Option<&super::screens::detail::Detail> {
        self.screens.iter().find_map(|s| match s {
            Screen::Detail(d) => Some(d),
            _ => None,
        })
    }

    /// The agenda, if open.
    pub fn agenda(&self) -> Option<&super::screens::agenda::Agenda> {
        self.screens.iter().find_map(|s| match s {
            Screen::Agenda(a) => Some(a),
            _ => None,
        })
    }

    /// The changes view, if open.
    pub fn changes(&self) -> Option<&super::screens::changes::Changes> {
        self.screens.iter().find_map(|s| match s {
            Screen::Changes(c) => Some(c),
            _ => None,
        })
    }

    /// The one-to-one under way, if any.
    pub fn one_to_one(&self) -> Option<&super::screens::one_to_one::OneToOne> {
        self.screens.iter().find_map(|s| match s {
            Screen::OneToOne(o) => Some(o),
            _ => None,
        })
    }

    /// The team one-to-one under way, if any.
    pub fn team_one_to_one(&self) -> Option<&super::screens::one_to_one::team::TeamOneToOne> {
        self.screens.iter().find_map(|s| match s {
            Screen::TeamOneToOne(o) => Some(o),
            _ => None,
        })
    }

    /// Starts a one-to-one over a team (as choosing it in `E`'s list does), with its lead
    /// (`None`: the lead of its last meeting).
    pub fn start_team_one_to_one(&mut self, team: &str, lead: Option<String>) -> Result<()> {
        let request = super::screens::TeamRequest {
            team: team.to_owned(),
            lead,
        };
        self.open(super::screens::Open::TeamOneToOne(request))
    }

    /// Starts a one-to-one with a seller (as choosing them in `M`'s list does).
    pub fn start_one_to_one(&mut self, owner: &str) -> Result<()> {
        self.open(super::screens::Open::OneToOne(owner.to_owned()))
    }

    /// Handles one key press: the table of what is on top turns it into an action; a key no
    /// table binds goes to the text field being edited, if any.
    pub fn handle_key(&mut self, key: &KeyEvent) {
        match self.app.keys.lookup(self.table(), key) {
            Some(action) => {
                // A notice answers the key before: the next one replaces it or clears it, so
                // an old message is never read as the answer to a new key.
                self.app.notice = None;
                self.update(action);
            }
            None => self.update(Action::Type(*key)),
        }
    }

    /// Applies an action. Store errors become a message on the status line; a card changed by
    /// someone else is reloaded and the user told.
    pub fn update(&mut self, action: Action) {
        let mut fx = Effects::default();
        // The workers' results are taken whole, not copied.
        let done = match action {
            Action::FiguresReady(result) => self.app.figures_arrived(*result),
            Action::ReviewReady(reviewed) => self.review_arrived(&reviewed),
            Action::SyncFinished(outcome) => self.sync_finished(outcome),
            action => self.dispatch(&action, &mut fx),
        };
        if let Err(e) = done {
            self.fail(&e);
            return;
        }
        self.apply(fx.0);
    }

    fn dispatch(&mut self, action: &Action, fx: &mut Effects) -> Result<()> {
        if let Action::Resize { width, height } = action {
            self.app.width = *width;
            self.app.height = *height;
            self.fit_board();
            fx.refresh();
            return Ok(());
        }
        let (app, board) = (&mut self.app, &mut self.board);
        if let Some(overlay) = self.overlays.last_mut() {
            let reply = match overlay.update(action, app.lang, app.today) {
                overlays::Outcome::Stay => return Ok(()),
                overlays::Outcome::Refused(why) => {
                    app.warn(why);
                    return Ok(());
                }
                overlays::Outcome::Replace(next) => {
                    *overlay = next;
                    return Ok(());
                }
                overlays::Outcome::Typed(reply) => {
                    board.typed(app, fx, reply);
                    return Ok(());
                }
                overlays::Outcome::Close => {
                    self.overlays.pop();
                    return Ok(());
                }
                overlays::Outcome::Reply(reply) => reply,
            };
            self.overlays.pop();
            let mut cx = Ctx { app, board, fx };
            return match self.screens.last_mut() {
                Some(screen) => screen.reply(&mut cx, reply),
                None => cx.board.reply(cx.app, cx.fx, reply, true),
            };
        }
        let mut cx = Ctx { app, board, fx };
        match (self.screens.last_mut(), action) {
            (Some(screen), _) => screen.update(&mut cx, action),
            (None, Action::Click { x, y }) => cx.board.click(cx.app, *x, *y),
            (None, Action::Scroll { x, y, down }) => cx.board.scroll(cx.app, cx.fx, *x, *y, *down),
            (None, _) => cx.board.update(cx.app, cx.fx, action),
        }
    }

    /// Carries out what the update queued, in order.
    fn apply(&mut self, effects: Vec<Effect>) {
        let mut refresh = false;
        for effect in effects {
            let done = match effect {
                Effect::Overlay(overlay) => {
                    self.overlays.push(overlay);
                    Ok(())
                }
                Effect::Close => {
                    self.screens.pop();
                    refresh |= self.fit_board();
                    Ok(())
                }
                Effect::Refresh => {
                    refresh = true;
                    Ok(())
                }
                Effect::Open(open) => self.open(open),
            };
            if let Err(e) = done {
                self.fail(&e);
                return;
            }
        }
        if refresh && let Err(e) = self.refresh() {
            self.app.warn_store(&e);
        }
    }

    fn open(&mut self, open: super::screens::Open) -> Result<()> {
        let filter = self.app.filter.clone();
        let screen = open.open(&mut self.app, &mut self.board)?;
        self.screens.push(screen);
        // The board is read again only if what it shows changed (the one-to-one's seller and
        // side panel); a detail or the dashboard opens on what is already read.
        if self.fit_board() || self.app.filter != filter {
            self.refresh()?;
        }
        let mut fx = Effects::default();
        let mut cx = Ctx {
            app: &mut self.app,
            board: &mut self.board,
            fx: &mut fx,
        };
        if let Some(screen) = self.screens.last_mut() {
            screen.opened(&mut cx)?;
        }
        self.apply(fx.0);
        Ok(())
    }

    /// A failed action: said on the status line. A card changed elsewhere closes what was
    /// about it (the one-to-one stays), then everything is read again.
    fn fail(&mut self, e: &StoreError) {
        self.app.warn_store(e);
        if matches!(e, StoreError::Conflict) {
            self.overlays.clear();
            while matches!(self.screens.last(),
                Some(s) if !matches!(s, Screen::OneToOne(_) | Screen::TeamOneToOne(_)))
            {
                self.screens.pop();
            }
            self.fit_board();
        }
        if let Err(e) = self.refresh() {
            self.app.warn_store(&e);
        }
    }

    /// The board takes the terminal's width, less the side panel of a screen that keeps one;
    /// whether its size changed.
    fn fit_board(&mut self) -> bool {
        let width = self.app.width;
        let size = (
            self.screens
                .iter()
                .rev()
                .find_map(|s| s.board_width(width))
                .unwrap_or(width),
            self.app.height,
        );
        let changed = (self.board.width, self.board.height) != size;
        (self.board.width, self.board.height) = size;
        changed
    }

    /// Re-reads what is on screen: the footer figures, each column's totals and visible page,
    /// and the open screens (those whose card is gone close). Cost follows the screen, not the
    /// database.
    pub fn refresh(&mut self) -> Result<()> {
        self.app.refresh_summary()?;
        self.board.refresh(&mut self.app)?;
        let mut gone = Vec::new();
        for (i, screen) in self.screens.iter_mut().enumerate() {
            if !screen.reload(&mut self.app)? {
                gone.push(i);
            }
        }
        for i in gone.into_iter().rev() {
            self.screens.remove(i);
        }
        Ok(())
    }

    /// The screens' reviews: each screen that shows one, its state and the review it shows.
    fn reviews(&mut self) -> impl Iterator<Item = (&mut Reading, &Review)> {
        self.screens.iter_mut().filter_map(|screen| match screen {
            Screen::OneToOne(o) => Some((&mut o.session.reading, &o.session.review)),
            Screen::TeamOneToOne(t) => Some((&mut t.session.reading, &t.session.review)),
            Screen::Changes(c) => Some((&mut c.reading, &c.review)),
            _ => None,
        })
    }

    /// The review the worker should read next, if one is wanted and none is under way: the top
    /// screen's first; every screen waiting for the same one takes its answer.
    pub fn take_review_request(&mut self) -> Option<reviews::Request> {
        if self.app.reviews.as_ref().is_none_or(|s| s.running) {
            return None;
        }
        let wanted = self
            .reviews()
            .filter(|(reading, _)| **reading == Reading::Wanted)
            .map(|(_, review)| (review.scope.clone(), review.since))
            .last()?;
        let mut request = None;
        for (reading, review) in self.reviews() {
            if *reading == Reading::Wanted && (&review.scope, review.since) == (&wanted.0, wanted.1)
            {
                *reading = Reading::Asked;
                request.get_or_insert_with(|| review.clone());
            }
        }
        let request = changes::request(&self.app, &request?);
        if let Some(status) = &mut self.app.reviews {
            status.running = true;
        }
        Some(request)
    }

    /// Whether a screen waits for its review (the event loop then wakes for it).
    pub fn review_pending(&self) -> bool {
        self.app.reviews.as_ref().is_some_and(|s| s.running)
            || self.screens.iter().any(|screen| match screen {
                Screen::OneToOne(o) => o.session.reading != Reading::Done,
                Screen::TeamOneToOne(t) => t.session.reading != Reading::Done,
                Screen::Changes(c) => c.reading != Reading::Done,
                _ => false,
            })
    }

    /// A review read by the worker: the screens that asked for it take it; an error is said.
    fn review_arrived(&mut self, reviewed: &Reviewed) -> Result<()> {
        if let Some(status) = &mut self.app.reviews {
            status.running = false;
        }
        let mut taken = false;
        for screen in &mut self.screens {
            taken |= match screen {
                Screen::OneToOne(o) => o.arrived(&mut self.app, &mut self.board, reviewed)?,
                Screen::TeamOneToOne(t) => t.arrived(reviewed),
                Screen::Changes(c) => c.arrived(reviewed),
                _ => false,
            };
        }
        if let (true, Err(e)) = (taken, &reviewed.review) {
            self.app.warn(e.clone());
        }
        Ok(())
    }

    /// A background sync ended.
    fn sync_finished(&mut self, outcome: Outcome) -> Result<()> {
        let app = &mut self.app;
        let now = app.store.now();
        let Some(status) = &mut app.sync else {
            return Ok(());
        };
        status.running = false;
        status.now = now;
        let mut changed = false;
        match &outcome {
            Outcome::Synced {
                pulled, conflicts, ..
            } => {
                status.last_synced = Some(now);
                changed = *pulled > 0 || *conflicts > 0;
                // The first sync of a file tells who its changes are by, from now on.
                if status.sign_as_member
                    && let Some(member) = app.store.sync_value(Store::MEMBER)?
                {
                    app.store.set_actor(member);
                }
                if *conflicts > 0 {
                    let l = app.lang;
                    let count = i64::try_from(*conflicts).unwrap_or(i64::MAX);
                    let (one, many) = (texts::conflicts_kept_one(l), texts::conflicts_kept(l));
                    let count = crate::i18n::count(count, one, many, l);
                    app.warn(texts::kept_by_the_sync(l, &count));
                }
            }
            Outcome::Offline(_) => {}
            Outcome::Failed(why) => app.warn(texts::sync_failed(app.lang, why)),
        }
        if let Some(status) = &mut app.sync {
            status.last = Some(outcome);
        }
        // A funnel takes the hub's id for its name on its first sync: follow it.
        if let Some(funnel) = app.store.funnel_by_name(&app.funnel.name)?
            && funnel.id != app.funnel.id
        {
            app.funnel = funnel;
            changed = true;
        }
        // Cards pulled from the hub show at once; otherwise only the counts may have changed.
        if changed {
            app.today = app.store.today();
            self.refresh()?;
        } else {
            app.count_pending();
        }
        Ok(())
    }

    /// Draws the whole frame: title bar, the screen on top (or the board), footer, overlays.
    pub fn draw(&self, frame: &mut Frame) {
        let area = frame.area();
        if ui::too_small(&self.app) {
            ui::draw_too_small(&self.app, frame, area);
            return;
        }
        let [top, body, bottom] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(3),
        ])
        .areas(area);
        let screen = self.screens.last();
        // The board's columns out of view, when the board shows.
        let hidden = match screen {
            None | Some(Screen::OneToOne(_)) | Some(Screen::Conflicts(_)) => {
                let visible = self.board.visible_columns();
                let right =
                    crate::domain::Stage::COUNT.saturating_sub(self.board.first_column + visible);
                Some((self.board.first_column, right))
            }
            _ => None,
        };
        let figures_only = matches!(screen, Some(Screen::Dashboard(_)));
        title::draw(&self.app, hidden, figures_only, frame, top);
        match screen {
            Some(screen) => screen.draw(&self.app, &self.board, frame, body),
            None => self.board.draw(&self.app, frame, body),
        }
        footer::draw(&self.app, self.table(), frame, bottom);
        for overlay in &self.overlays {
            overlay.draw(&self.app, frame, area);
        }
    }
}
