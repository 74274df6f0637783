//! The changes view: what changed on a seller's or a team's cards since a day (by default the
//! day of their previous one-to-one), as [`insight::changes::review`] tells it. The overdue
//! action items come first, then the cards grouped by their main change, the ones a lead asks
//! about first (lost, moved back, forced forward, close date pushed, value down, gone stale),
//! the biggest first in each group. `Enter` opens a card's detail, `s` asks since when.
//!
//! The one-to-ones draw their changes the same way ([`change_text`], [`card_lines`]); the words
//! are [`crate::i18n::review`]'s, which `funnel changes` says too.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use super::board::Board;
use super::{ChangesRequest, Ctx, Open, View};
use crate::domain::money::format_compact;
use crate::domain::review::{self, CardChanges, Change, Review, ReviewScope};
use crate::domain::text;
use crate::i18n::review::{self as words, Tally};
use crate::insight;
use crate::store::Result;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Table;
use crate::tui::overlays::{Entered, Help, Overlay, Prompt, Reply, TextPrompt, step};
use crate::tui::reviews::{Reading, Request, Reviewed};
use crate::tui::texts;
use crate::tui::ui::{self, Theme};

#[derive(Debug, Clone, PartialEq)]
pub struct Changes {
    pub request: ChangesRequest,
    pub review: Review,
    /// The day of the scope's previous meeting, if any: what an empty "since" means.
    pub previous_meeting: Option<NaiveDate>,
    /// The review's cards in the order drawn (indexes into `review.cards`), with their group.
    pub order: Vec<(Group, usize)>,
    /// Index in `order`.
    pub selected: usize,
    /// While the review is read again, the one before stays listed (and selected in) underneath.
    pub reading: Reading,
}

/// A card's main change, which it is listed under: the order is what a lead asks about first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    Lost,
    Backward,
    Unverified,
    Pushed,
    ValueDown,
    Stale,
    Won,
    New,
    Reopened,
    ValueUp,
    Pulled,
    Forward,
    Handed,
}

impl Group {
    fn of(change: &Change) -> Group {
        match change {
            Change::Lost { .. } => Group::Lost,
            Change::Backward { .. } => Group::Backward,
            Change::Unverified { .. } => Group::Unverified,
            Change::ClosePushed { .. } => Group::Pushed,
            Change::Value { from, to } if to < from => Group::ValueDown,
            Change::GoneStale { .. } => Group::Stale,
            Change::Won { .. } => Group::Won,
            Change::New => Group::New,
            Change::Reopened => Group::Reopened,
            Change::Value { .. } => Group::ValueUp,
            Change::ClosePulled { .. } => Group::Pulled,
            Change::Forward { .. } => Group::Forward,
            Change::Handed { .. } => Group::Handed,
        }
    }

    /// The card's main change.
    pub fn of_card(card: &CardChanges) -> Group {
        card.changes
            .iter()
            .map(Group::of)
            .min()
            .unwrap_or(Group::Handed)
    }

    fn name(self, l: crate::domain::Lang) -> &'static str {
        match self {
            Group::Lost => words::group_lost(l),
            Group::Backward => words::group_backward(l),
            Group::Unverified => words::group_unverified(l),
            Group::Pushed => words::group_pushed(l),
            Group::ValueDown => words::group_value_down(l),
            Group::Stale => words::group_stale(l),
            Group::Won => words::group_won(l),
            Group::New => words::group_new(l),
            Group::Reopened => words::group_reopened(l),
            Group::ValueUp => words::group_value_up(l),
            Group::Pulled => words::group_pulled(l),
            Group::Forward => words::group_forward(l),
            Group::Handed => words::group_handed(l),
        }
    }

    /// Whether the group is one of the warnings.
    fn is_warning(self) -> bool {
        self <= Group::Stale
    }
}

/// The review's cards by group, the biggest first in each (then by id, for a fixed order).
pub fn grouped(review: &Review) -> Vec<(Group, usize)> {
    let mut order: Vec<(Group, usize)> = review
        .cards
        .iter()
        .enumerate()
        .map(|(i, card)| (Group::of_card(card), i))
        .collect();
    order.sort_by(|(ga, a), (gb, b)| {
        let (a, b) = (&review.cards[*a], &review.cards[*b]);
        (ga, std::cmp::Reverse(a.value_cents), &a.id).cmp(&(
            gb,
            std::cmp::Reverse(b.value_cents),
            &b.id,
        ))
    });
    order
}

/// The review of a scope, since a day or the scope's previous meeting: read in place without a
/// worker; with one, an empty review of the same scope and day, filled when the worker's answer
/// arrives ([`Reading::Wanted`]).
pub fn load(app: &App, scope: &ReviewScope, since: Option<NaiveDate>) -> Result<(Review, Reading)> {
    let inactive_days = app.upkeep.inactive_days;
    if app.reviews.is_none() {
        let review = insight::changes::review(app.store, &app.funnel, scope, since, inactive_days)?;
        return Ok((review, Reading::Done));
    }
    let since = match since {
        Some(day) => day,
        None => insight::changes::default_since(app.store, &app.funnel, scope)?,
    };
    let empty = review::review(
        scope.clone(),
        since,
        app.store.today(),
        inactive_days,
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    Ok((empty, Reading::Wanted))
}

/// Whether two reviews are about the same scope since the same day (one read again keeps the
/// other on screen until it arrives).
pub fn same_ask(a: &Review, b: &Review) -> bool {
    (&a.scope, a.since) == (&b.scope, b.since)
}

/// What a screen waiting for `review` asks the worker.
pub fn request(app: &App, review: &Review) -> Request {
    Request {
        funnel: app.funnel.clone(),
        scope: review.scope.clone(),
        since: Some(review.since),
        inactive_days: app.upkeep.inactive_days,
        lang: app.lang,
    }
}

/// Whether `reviewed` is the answer a screen waits for: it asked, about the same scope and day
/// (a worker gone answers every screen waiting).
pub fn answers(reading: Reading, review: &Review, reviewed: &Reviewed) -> bool {
    reading == Reading::Asked
        && reviewed
            .asked
            .as_ref()
            .is_none_or(|(scope, since)| *scope == review.scope && *since == Some(review.since))
}

/// The line a screen shows in place of the changes while they are being read.
pub fn reading_line(app: &App, theme: Theme) -> Line<'static> {
    Line::styled(texts::reading_changes(app.lang).to_owned(), theme.dim())
}

impl Changes {
    /// The selected card's id.
    pub fn selected_card(&self) -> Option<&str> {
        let (_, i) = self.order.get(self.selected)?;
        Some(self.review.cards[*i].id.as_str())
    }

    fn read(&mut self, app: &App) -> Result<()> {
        let id = self.selected_card().map(str::to_owned);
        let (review, reading) = load(app, &self.request.scope, self.request.since)?;
        if reading == Reading::Done || !same_ask(&review, &self.review) {
            self.review = review;
        }
        self.reading = reading;
        self.previous_meeting =
            app.store
                .last_meeting_day(&app.funnel, &self.request.scope, app.today)?;
        self.show(id);
        Ok(())
    }

    /// Lists the review, `id` selected if it is still there.
    fn show(&mut self, id: Option<String>) {
        self.order = grouped(&self.review);
        self.selected = id
            .as_ref()
            .and_then(|id| {
                self.order
                    .iter()
                    .position(|(_, i)| self.review.cards[*i].id == *id)
            })
            .unwrap_or(0);
    }

    /// The worker's review arrived: taken if it is the one this view waits for. An error leaves
    /// the view empty (the caller says it).
    pub fn arrived(&mut self, reviewed: &Reviewed) -> bool {
        if !answers(self.reading, &self.review, reviewed) {
            return false;
        }
        let id = self.selected_card().map(str::to_owned);
        if let Ok(review) = &reviewed.review {
            self.review = review.clone();
        }
        self.reading = Reading::Done;
        self.show(id);
        true
    }

    fn last(&self) -> usize {
        self.order.len().saturating_sub(1)
    }
}

impl View for Changes {
    type Request = ChangesRequest;

    fn open(request: ChangesRequest, app: &mut App, _board: &mut Board) -> Result<Changes> {
        let (review, reading) = load(app, &request.scope, request.since)?;
        let previous_meeting =
            app.store
                .last_meeting_day(&app.funnel, &request.scope, app.today)?;
        Ok(Changes {
            order: grouped(&review),
            request,
            review,
            previous_meeting,
            selected: 0,
            reading,
        })
    }

    fn table(&self) -> Table {
        Table::Changes
    }

    fn update(&mut self, cx: &mut Ctx, action: &Action) -> Result<()> {
        let page = usize::from(cx.app.height.saturating_sub(10)).max(1);
        match action {
            Action::Up | Action::Down => {
                self.selected = step(self.selected, self.order.len(), *action == Action::Up);
            }
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = self.last(),
            Action::PageUp => self.selected = self.selected.saturating_sub(page),
            Action::PageDown => self.selected = (self.selected + page).min(self.last()),
            Action::OpenDetail => {
                if let Some(id) = self.selected_card() {
                    cx.fx.open(Open::Detail(id.to_owned()));
                }
            }
            Action::ChangeSince => {
                let since = self
                    .request
                    .since
                    .map(|d| d.to_string())
                    .unwrap_or_default();
                cx.fx
                    .overlay(Overlay::Text(TextPrompt::new(Prompt::Since, &since)));
            }
            Action::Help => cx.fx.overlay(Overlay::Help(Help {
                table: Table::Changes,
            })),
            Action::Cancel => cx.fx.close(),
            _ => {}
        }
        Ok(())
    }

    fn reply(&mut self, cx: &mut Ctx, reply: Reply) -> Result<()> {
        match reply {
            Reply::Text {
                prompt: Prompt::Since,
                value: Entered::Date(since),
            } => {
                self.request.since = since;
                self.selected = 0;
                self.read(cx.app)
            }
            reply => cx.board.reply(cx.app, cx.fx, reply, false),
        }
    }

    fn reload(&mut self, app: &mut App) -> Result<bool> {
        self.read(app)?;
        Ok(true)
    }

    fn draw(&self, app: &App, _board: &Board, frame: &mut Frame, area: Rect) {
        let (l, theme) = (app.lang, Theme::of(app));
        let who = scope_name(l, &self.request.scope);
        let mut title = texts::changes_title(l, &text::truncate(&who, 30), self.review.since);
        if self.request.since.is_none() {
            title.push_str(if self.previous_meeting == Some(self.review.since) {
                texts::since_previous_meeting(l)
            } else {
                texts::since_no_meeting(l)
            });
            title.push(' ');
        }
        let block = Block::bordered()
            .border_style(theme.focused_border())
            .title(Span::styled(title, theme.title()));
        if self.reading != Reading::Done {
            let lines = vec![reading_line(app, theme)];
            ui::draw_scrolled_panel(app, theme, frame, area, block, lines, 0..1);
            return;
        }
        let width = usize::from(area.width.saturating_sub(2));
        let mut lines = counts_lines(app, theme, &self.review, width, true);
        let team = matches!(self.request.scope, ReviewScope::Team(_));
        let selected = self.order.get(self.selected).map(|(_, i)| *i);
        let keep = card_lines(
            app,
            theme,
            &self.review,
            &self.order,
            selected,
            team,
            width,
            &mut lines,
        );
        ui::draw_scrolled_panel(app, theme, frame, area, block, lines, keep);
    }
}

/// A seller's name, or "team T".
pub fn scope_name(l: crate::domain::Lang, scope: &ReviewScope) -> String {
    match scope {
        ReviewScope::Owner(owner) => owner.clone(),
        ReviewScope::Team(team) => texts::team_named(l, team),
    }
}

/// The counts of the review (with the cards changed, `total`), as many lines as `width` needs:
/// what came in and went out, and the warnings.
pub fn counts_lines(
    app: &App,
    theme: Theme,
    review: &Review,
    width: usize,
    total: bool,
) -> Vec<Line<'static>> {
    let l = app.lang;
    let c = &review.counts;
    let money = |cents: i64| format_compact(i128::from(cents), &app.funnel.currency, l);
    let kinds = [
        (Tally::Overdue, theme.stale()),
        (Tally::Lost, theme.warn()),
        (Tally::Backward, theme.warn()),
        (Tally::Unverified, theme.warn()),
        (Tally::Pushed, theme.warn()),
        (Tally::Stale, theme.warn()),
        (Tally::Won, theme.good()),
        (Tally::New, Style::new()),
    ];
    let cards = total.then_some((Tally::Cards, theme.title()));
    let parts = (cards.into_iter().chain(kinds))
        .filter_map(|(t, style)| Some((words::tally(l, t, c, &money)?, style)));
    let mut lines = Vec::new();
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (said, style) in parts {
        let said = text::truncate(&said, width.saturating_sub(1));
        let need = text::width(&said);
        if used > 1 && used + 3 + need > width {
            lines.push(Line::from(std::mem::replace(
                &mut spans,
                vec![Span::raw(" ")],
            )));
            used = 1;
        }
        if used > 1 {
            spans.push(Span::styled(" · ", theme.dim()));
            used += 3;
        }
        used += need;
        spans.push(Span::styled(said, style));
    }
    lines.push(Line::from(spans));
    lines
}

/// The overdue items, then the cards under their groups, pushed onto `lines`; the rows of the
/// selected card (`selected` indexes `review.cards`), to keep in view. `owners`: each card says
/// whose it is (a team's review).
#[allow(clippy::too_many_arguments)]
pub fn card_lines(
    app: &App,
    theme: Theme,
    review: &Review,
    order: &[(Group, usize)],
    selected: Option<usize>,
    owners: bool,
    width: usize,
    lines: &mut Vec<Line<'static>>,
) -> std::ops::Range<usize> {
    let l = app.lang;
    let mut keep = 0..0;
    if !review.overdue_items.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!(
                " {} ({})",
                words::overdue_heading(l),
                review.overdue_items.len()
            ),
            theme.stale(),
        ));
        for item in &review.overdue_items {
            let tail = format!(" — {}", words::overdue_due(l, item));
            // The item's text first: the tail gives way on a narrow screen.
            let room = width.saturating_sub(4);
            let said = text::truncate(
                &text::clean_line(&item.text),
                room.saturating_sub(text::width(&tail)).max(room / 2),
            );
            let tail = text::truncate(&tail, room.saturating_sub(text::width(&said)));
            lines.push(Line::from(vec![
                Span::styled(format!("{} ☐ ", words::WARNING_MARK), theme.stale()),
                Span::raw(said),
                Span::styled(tail, theme.dim()),
            ]));
        }
    }
    let mut group = None;
    for (n, (g, i)) in order.iter().enumerate() {
        if group != Some(*g) {
            group = Some(*g);
            let count = order[n..].iter().take_while(|(x, _)| x == g).count();
            lines.push(Line::raw(""));
            let style = if g.is_warning() {
                theme.warn()
            } else {
                theme.title()
            };
            lines.push(Line::styled(format!(" {} ({count})", g.name(l)), style));
        }
        let card = &review.cards[*i];
        let is_selected = selected == Some(*i);
        if is_selected {
            keep = lines.len()..lines.len() + 1;
        }
        lines.push(card_line(app, theme, card, owners, width, is_selected));
    }
    if order.is_empty() && review.overdue_items.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!(" {}", words::nothing_changed(l)),
            theme.good(),
        ));
    }
    keep
}

/// One card: its title and account, value, (owner,) and its changes, as many as fit.
fn card_line(
    app: &App,
    theme: Theme,
    card: &CardChanges,
    owner: bool,
    width: usize,
    selected: bool,
) -> Line<'static> {
    let l = app.lang;
    let name = if card.account.is_empty() {
        text::clean_line(&card.title)
    } else {
        format!(
            "{} · {}",
            text::clean_line(&card.title),
            text::clean_line(&card.account)
        )
    };
    let value = format_compact(i128::from(card.value_cents), &app.funnel.currency, l);
    let name_width = (width * 2 / 5).clamp(12, 48);
    let owner_width = if owner { (width / 8).clamp(8, 20) } else { 0 };
    let mut spans = vec![
        Span::raw("  "),
        Span::raw(text::pad(&text::truncate(&name, name_width), name_width)),
        Span::styled(format!(" {value:>8} "), theme.money()),
    ];
    if owner {
        spans.push(Span::styled(
            text::pad(&text::truncate(&card.owner, owner_width - 1), owner_width),
            theme.dim(),
        ));
    }
    let mut room = width.saturating_sub(2 + name_width + 10 + owner_width + 1);
    // The change the card is listed under first.
    let mut changes: Vec<&Change> = card.changes.iter().collect();
    changes.sort_by_key(|c| Group::of(c));
    for (i, change) in changes.into_iter().enumerate() {
        let sep = if i == 0 { " " } else { " · " };
        // The first change is cut to the room there is; the others go whole or not at all.
        let said = match i {
            0 => text::truncate(&change_text(app, change), room.saturating_sub(1)),
            _ => change_text(app, change),
        };
        let need = text::width(sep) + text::width(&said);
        if need > room {
            if room > 1 {
                spans.push(Span::styled(" …", theme.dim()));
            }
            break;
        }
        room -= need;
        spans.push(Span::styled(sep, theme.dim()));
        let style = if change.is_warning() {
            theme.warn()
        } else {
            Style::new()
        };
        spans.push(Span::styled(said, style));
    }
    let line = Line::from(spans);
    if selected {
        line.style(theme.selected())
    } else {
        line
    }
}

/// One change in a few words.
pub fn change_text(app: &App, change: &Change) -> String {
    words::change_short(app.lang, change, &app.funnel.currency, app.catalog)
}
