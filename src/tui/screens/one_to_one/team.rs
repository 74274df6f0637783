//! The team one-to-one: a director with a team's lead. The team's figures beside the other
//! teams', one row per seller (RTV, GAP, factor, win rate, upkeep, unverified share), the
//! team's weakest stage, the changes on the team's cards since the previous team meeting (`j`/
//! `k` or `Tab` walk them, `Enter` opens a card) and, in the meeting panel, the clock, the skill
//! chosen last time and now, the team's trend, the note and the lead's action plan, with the
//! same keys as the seller's one-to-one.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType};

use super::super::board::Board;
use super::super::changes::{self, card_lines, counts_lines};
use super::super::{Ctx, Open, TeamRequest, View};
use super::PANEL_WIDTH;
use super::meeting::Session;
use crate::domain::money::format_compact;
use crate::domain::review::ReviewScope;
use crate::domain::text;
use crate::i18n::{self, figures};
use crate::insight::team::{TeamReview, team_review};
use crate::store::Result;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Table;
use crate::tui::overlays::{Prompt, Reply, step};
use crate::tui::reviews::{Reading, Reviewed};
use crate::tui::texts;
use crate::tui::ui::{self, Theme};

#[derive(Debug, Clone, PartialEq)]
pub struct TeamOneToOne {
    pub session: Session,
    pub figures: TeamReview,
    /// The selected changed card, in the changes' order: none until the walk begins, so that
    /// the meeting opens on the figures.
    pub selected: Option<usize>,
}

impl TeamOneToOne {
    pub fn team(&self) -> &str {
        &self.figures.team
    }

    /// The selected changed card's id.
    pub fn selected_card(&self) -> Option<&str> {
        let (_, i) = self.session.order.get(self.selected?)?;
        Some(self.session.review.cards[*i].id.as_str())
    }

    /// Selects `id` again in the changes read, else the same place.
    fn reselect(&mut self, id: Option<String>) {
        let order = &self.session.order;
        let cards = &self.session.review.cards;
        self.selected = id
            .and_then(|id| order.iter().position(|(_, i)| cards[*i].id == id))
            .or(self.selected.filter(|_| !order.is_empty()))
            .map(|i| i.min(order.len().saturating_sub(1)));
    }

    /// The worker's review arrived: taken if it is the one this meeting waits for.
    pub fn arrived(&mut self, reviewed: &Reviewed) -> bool {
        let id = self.selected_card().map(str::to_owned);
        if !self.session.arrived(reviewed) {
            return false;
        }
        self.reselect(id);
        true
    }

    fn read_figures(app: &App, team: &str) -> Result<TeamReview> {
        team_review(
            app.store,
            &app.funnel,
            team,
            app.period,
            &app.upkeep,
            &app.expected_days,
        )
    }
}

/// The lead of a team's last meeting ('' if none named it).
fn last_lead(app: &App, scope: &ReviewScope) -> Result<String> {
    let past = app.store.past_meetings(&app.funnel, scope, None, 1)?;
    Ok(past
        .into_iter()
        .next()
        .map(|p| p.meeting.owner)
        .unwrap_or_default())
}

impl View for TeamOneToOne {
    type Request = TeamRequest;

    /// Starts a meeting over the team (with the open items of its earlier ones).
    fn open(request: TeamRequest, app: &mut App, _board: &mut Board) -> Result<TeamOneToOne> {
        // Read first: an unknown team is refused before any meeting is kept.
        let figures = TeamOneToOne::read_figures(app, &request.team)?;
        let scope = ReviewScope::Team(request.team.clone());
        let lead = match request.lead {
            Some(lead) => lead,
            None => last_lead(app, &scope)?,
        };
        let meeting = app
            .store
            .start_team_meeting(&app.funnel, &request.team, &lead)?;
        Ok(TeamOneToOne {
            session: Session::open(app, meeting, scope)?,
            figures,
            selected: None,
        })
    }

    fn table(&self) -> Table {
        Table::TeamOneToOne
    }

    fn update(&mut self, cx: &mut Ctx, action: &Action) -> Result<()> {
        let weakest = self.figures.weakest_stage;
        let skill_hint = |app: &App| {
            weakest
                .map(|s| app.stage_name(s).to_owned())
                .unwrap_or_default()
        };
        if self
            .session
            .update(cx, action, Table::TeamOneToOne, skill_hint)?
        {
            return Ok(());
        }
        let n = self.session.order.len();
        match action {
            Action::Up | Action::WalkPrevious | Action::Down | Action::WalkNext if n > 0 => {
                let up = matches!(action, Action::Up | Action::WalkPrevious);
                self.selected = Some(match self.selected {
                    Some(i) => step(i, n, up),
                    None if up => n - 1,
                    None => 0,
                });
            }
            Action::OpenDetail => {
                if let Some(id) = self.selected_card() {
                    cx.fx.open(Open::Detail(id.to_owned()));
                }
            }
            Action::EndOneToOne => {
                cx.app.store.end_meeting(&self.session.meeting.id)?;
                cx.app.notify(texts::one_to_one_ended(cx.app.lang));
                cx.fx.close();
            }
            _ => {}
        }
        Ok(())
    }

    fn reply(&mut self, cx: &mut Ctx, reply: Reply) -> Result<()> {
        match reply {
            Reply::Text {
                prompt: Prompt::Meeting(asked),
                value,
            } => self.session.reply(cx, asked, value),
            reply => cx.board.reply(cx.app, cx.fx, reply, false),
        }
    }

    fn reload(&mut self, app: &mut App) -> Result<bool> {
        let id = self.selected_card().map(str::to_owned);
        self.session.reload(app)?;
        self.figures = TeamOneToOne::read_figures(app, &self.figures.team)?;
        self.reselect(id);
        Ok(true)
    }

    fn draw(&self, app: &App, _board: &Board, frame: &mut Frame, area: Rect) {
        // Wide: the meeting beside the figures; narrow: below them.
        let (left, right) = if area.width >= 120 {
            let [left, right] =
                Layout::horizontal([Constraint::Fill(1), Constraint::Length(PANEL_WIDTH)])
                    .areas(area);
            (left, right)
        } else {
            let plan = (area.height * 2 / 5).max(6);
            let [top, bottom] =
                Layout::vertical([Constraint::Fill(1), Constraint::Length(plan)]).areas(area);
            (top, bottom)
        };
        self.draw_figures(app, frame, left);
        self.draw_meeting(app, frame, right);
    }
}

impl TeamOneToOne {
    /// The team beside the others, its sellers, its weakest stage and its changes.
    fn draw_figures(&self, app: &App, frame: &mut Frame, area: Rect) {
        let (l, theme) = (app.lang, Theme::of(app));
        let lead = &self.session.meeting.owner;
        let title = if lead.is_empty() {
            texts::team_meeting_title(l, &text::truncate(self.team(), 30))
        } else {
            texts::team_panel_title(
                l,
                &text::truncate(self.team(), 30),
                &text::truncate(lead, 30),
            )
        };
        let block = Block::bordered()
            .border_type(BorderType::Thick)
            .border_style(theme.focused_border())
            .title(Span::styled(title, theme.title()));
        let width = usize::from(area.width.saturating_sub(2));
        let money = |cents: i128| format_compact(cents, &app.funnel.currency, l);
        let none = || figures::none(l).to_owned();
        let percent = |r: Option<f64>| r.map_or_else(none, |r| i18n::percent(r, l));
        let factor = |f: Option<f64>| f.map_or_else(none, |f| i18n::factor(f, l));
        let name_width = (width / 5).clamp(10, 24);
        let row = |name: String, cells: Vec<String>, style: Style| {
            let mut line = text::pad(&text::truncate(&name, name_width - 1), name_width);
            // Ten columns a figure, fewer when the figures would not fit.
            let cell = (width.saturating_sub(name_width) / cells.len().max(1)).clamp(7, 10);
            for figure in cells {
                let figure = text::truncate(&figure, cell - 1);
                line.push_str(&format!(
                    "{}{figure}",
                    " ".repeat(cell - text::width(&figure))
                ));
            }
            Line::styled(text::truncate(&line, width), style)
        };
        let mut lines = vec![row(
            format!(" {}", texts::teams_header(l)),
            vec![
                figures::rtv(l).to_owned(),
                figures::gap(l).to_owned(),
                figures::factor(l).to_owned(),
                figures::win_rate(l).to_owned(),
            ],
            theme.title(),
        )];
        let s = &self.figures.summary;
        lines.push(row(
            format!("▶ {}", self.team()),
            vec![
                money(s.rtv_cents),
                s.gap_cents.map_or_else(none, money),
                factor(s.factor),
                percent(s.win_rate),
            ],
            theme.selected(),
        ));
        for other in &self.figures.others {
            lines.push(row(
                format!("  {}", other.team),
                vec![
                    money(other.rtv_cents),
                    other.gap_cents.map_or_else(none, money),
                    factor(other.factor),
                    percent(other.win_rate),
                ],
                theme.dim(),
            ));
        }
        lines.push(Line::raw(""));
        lines.push(row(
            format!(" {}", texts::sellers_header(l)),
            vec![
                figures::rtv(l).to_owned(),
                figures::gap(l).to_owned(),
                figures::factor(l).to_owned(),
                figures::win_rate(l).to_owned(),
                texts::upkeep_short(l).to_owned(),
                texts::unverified_short(l).to_owned(),
            ],
            theme.title(),
        ));
        for seller in &self.figures.sellers {
            let warn = seller.unverified_share.is_some_and(|u| u > 0.25);
            lines.push(row(
                format!("  {}", seller.owner),
                vec![
                    money(seller.rtv_cents),
                    seller.gap_cents.map_or_else(none, money),
                    factor(seller.factor),
                    percent(seller.win_rate),
                    percent(seller.upkeep),
                    percent(seller.unverified_share),
                ],
                if warn { theme.warn() } else { Style::new() },
            ));
        }
        let weakest = match self.figures.weakest_stage {
            Some(stage) => texts::team_weakest(l, app.stage_name(stage)),
            None => texts::team_no_weakest(l).to_owned(),
        };
        lines.push(Line::styled(format!(" {weakest}"), theme.warn()));
        let review = &self.session.review;
        lines.push(Line::raw(""));
        if self.session.reading != Reading::Done {
            lines.push(changes::reading_line(app, theme));
            let keep = 0..lines.len();
            ui::draw_scrolled_panel(app, theme, frame, area, block, lines, keep);
            return;
        }
        lines.push(Line::styled(
            format!(
                " {}",
                texts::changes_header(
                    l,
                    review.since,
                    &crate::i18n::review::cards(l, review.cards.len())
                )
            ),
            theme.title(),
        ));
        lines.extend(counts_lines(app, theme, review, width, false));
        let selected = self
            .selected
            .and_then(|s| self.session.order.get(s))
            .map(|(_, i)| *i);
        let keep = card_lines(
            app,
            theme,
            review,
            &self.session.order,
            selected,
            true,
            width,
            &mut lines,
        );
        ui::draw_scrolled_panel(app, theme, frame, area, block, lines, keep);
    }

    /// The meeting: clock, skills, trend, note and action plan.
    fn draw_meeting(&self, app: &App, frame: &mut Frame, area: Rect) {
        let theme = Theme::of(app);
        let title = changes::scope_name(app.lang, &self.session.scope);
        let block = Block::bordered()
            .border_style(theme.focused_border())
            .title(Span::styled(format!(" {title} "), theme.title()));
        let block = self.session.pin_clock(app, theme, frame, area, block);
        let width = usize::from(block.inner(area).width);
        let mut lines = Vec::new();
        self.session.skill_lines(app, theme, width, &mut lines);
        lines.push(Line::raw(""));
        self.session.trend_lines(app, theme, width, &mut lines);
        lines.push(Line::raw(""));
        let keep = self
            .session
            .plan_lines(app, theme, Table::TeamOneToOne, width, &mut lines);
        let keep = keep..lines.len();
        ui::draw_scrolled_panel(app, theme, frame, area, block, lines, keep);
    }
}
