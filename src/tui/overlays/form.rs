//! Forms: a card's fields (new or edit) and a person of the buying centre. Every field is
//! checked on save; a bad field shows its error next to it and nothing is written until all
//! are valid.

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveTime};

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::{Outcome, Reply};
use crate::domain::{Lang, Opportunity, OpportunityFields, Person, Stage, money, text, when};
use crate::store::CardFilter;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::board_view::FilterFlag;
use crate::tui::input::Input;
use crate::tui::keymap::Table;
use crate::tui::texts;
use crate::tui::ui::{self, Theme, popup};

/// What a form edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    NewCard {
        stage: Stage,
    },
    EditCard {
        id: String,
        version: i64,
    },
    Person {
        opportunity_id: String,
        person_id: String,
    },
    /// What the board shows: by owner, team, region, territory, product, close dates, flags.
    BoardFilter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKey {
    Title,
    Account,
    Value,
    Owner,
    Team,
    Region,
    Territory,
    Product,
    ExpectedClose,
    NextStep,
    NextStepDue,
    DecisionDate,
    Budget,
    ProblemCost,
    DecisionCriteria,
    Name,
    Role,
    Influence,
    Authority,
    Motivations,
    ClosingFrom,
    ClosingTo,
    Flags,
}

const CARD_FIELDS: [FieldKey; 15] = [
    FieldKey::Title,
    FieldKey::Account,
    FieldKey::Value,
    FieldKey::Owner,
    FieldKey::Team,
    FieldKey::Region,
    FieldKey::Territory,
    FieldKey::Product,
    FieldKey::ExpectedClose,
    FieldKey::NextStep,
    FieldKey::NextStepDue,
    FieldKey::DecisionDate,
    FieldKey::Budget,
    FieldKey::ProblemCost,
    FieldKey::DecisionCriteria,
];

const FILTER_FIELDS: [FieldKey; 8] = [
    FieldKey::Owner,
    FieldKey::Team,
    FieldKey::Region,
    FieldKey::Territory,
    FieldKey::Product,
    FieldKey::ClosingFrom,
    FieldKey::ClosingTo,
    FieldKey::Flags,
];

const PERSON_FIELDS: [FieldKey; 5] = [
    FieldKey::Name,
    FieldKey::Role,
    FieldKey::Influence,
    FieldKey::Authority,
    FieldKey::Motivations,
];

impl FieldKey {
    pub fn label(self, lang: Lang) -> &'static str {
        let label = match self {
            FieldKey::Title => texts::title_required,
            FieldKey::Account => texts::account,
            FieldKey::Value => texts::value_required,
            FieldKey::Owner => texts::owner,
            FieldKey::Team => texts::team,
            FieldKey::Region => texts::region,
            FieldKey::Territory => texts::territory,
            FieldKey::Product => texts::product,
            FieldKey::ExpectedClose => texts::expected_close,
            FieldKey::NextStep => texts::next_step,
            FieldKey::NextStepDue => texts::next_step_due,
            FieldKey::DecisionDate => texts::decision_date,
            FieldKey::Budget => texts::budget,
            FieldKey::ProblemCost => texts::problem_cost,
            FieldKey::DecisionCriteria => texts::decision_criteria,
            FieldKey::Name => texts::name_required,
            FieldKey::Role => texts::role,
            FieldKey::Influence => texts::influence,
            FieldKey::Authority => texts::authority,
            FieldKey::Motivations => texts::motivations,
            FieldKey::ClosingFrom => texts::closing_from,
            FieldKey::ClosingTo => texts::closing_to,
            FieldKey::Flags => texts::filter_flags,
        };
        label(lang)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub key: FieldKey,
    pub input: Input,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<Field>,
    pub focus: usize,
}

/// What a valid form gives.
#[derive(Debug, Clone, PartialEq)]
pub enum FormValue {
    Card(OpportunityFields),
    Person(Person),
    /// The board's filter (its text search, closed cards and status left out).
    Filter(CardFilter),
}

fn date_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn amount_text(cents: Option<i64>) -> String {
    cents.map(money::format_plain).unwrap_or_default()
}

impl Form {
    fn build(kind: FormKind, values: Vec<(FieldKey, String)>) -> Form {
        let fields = values
            .into_iter()
            .map(|(key, value)| Field {
                key,
                input: Input::new(&value),
                error: None,
            })
            .collect();
        Form {
            kind,
            fields,
            focus: 0,
        }
    }

    pub fn new_card(stage: Stage, owner: Option<&str>) -> Form {
        let values = CARD_FIELDS
            .iter()
            .map(|k| {
                let v = if *k == FieldKey::Owner {
                    owner.unwrap_or("")
                } else {
                    ""
                };
                (*k, v.to_owned())
            })
            .collect();
        Form::build(FormKind::NewCard { stage }, values)
    }

    pub fn edit_card(opp: &Opportunity) -> Form {
        let f = &opp.fields;
        let values = CARD_FIELDS
            .iter()
            .map(|k| {
                let v = match k {
                    FieldKey::Title => f.title.clone(),
                    FieldKey::Account => f.account.clone(),
                    FieldKey::Value => money::format_plain(f.value_cents),
                    FieldKey::Owner => f.owner.clone(),
                    FieldKey::Team => f.team.clone(),
                    FieldKey::Region => f.region.clone(),
                    FieldKey::Territory => f.territory.clone(),
                    FieldKey::Product => f.product.clone(),
                    FieldKey::ExpectedClose => date_text(f.expected_close),
                    FieldKey::NextStep => f.next_step.clone(),
                    FieldKey::NextStepDue => f
                        .next_step_due
                        .map(|due| super::entry::when_text(due, f.next_step_at))
                        .unwrap_or_default(),
                    FieldKey::DecisionDate => date_text(f.decision_date),
                    FieldKey::Budget => amount_text(f.budget_cents),
                    FieldKey::ProblemCost => amount_text(f.problem_cost_cents),
                    FieldKey::DecisionCriteria => f.decision_criteria.clone(),
                    _ => String::new(),
                };
                (*k, v)
            })
            .collect();
        Form::build(
            FormKind::EditCard {
                id: opp.id.clone(),
                version: opp.version,
            },
            values,
        )
    }

    /// The board's filter as `filter` has it.
    pub fn board_filter(filter: &CardFilter, lang: Lang) -> Form {
        let values = FILTER_FIELDS
            .iter()
            .map(|k| {
                let v = match k {
                    FieldKey::Owner => filter.owner.clone().unwrap_or_default(),
                    FieldKey::Team => filter.team.clone().unwrap_or_default(),
                    FieldKey::Region => filter.region.clone().unwrap_or_default(),
                    FieldKey::Territory => filter.territory.clone().unwrap_or_default(),
                    FieldKey::Product => filter.product.clone().unwrap_or_default(),
                    FieldKey::ClosingFrom => date_text(filter.closing_from),
                    FieldKey::ClosingTo => date_text(filter.closing_to),
                    _ => FilterFlag::names_in(filter, lang),
                };
                (*k, v)
            })
            .collect();
        Form::build(FormKind::BoardFilter, values)
    }

    pub fn person(opportunity_id: &str, person: &Person) -> Form {
        let values = PERSON_FIELDS
            .iter()
            .map(|k| {
                let v = match k {
                    FieldKey::Name => person.name.clone(),
                    FieldKey::Role => person.role.clone(),
                    FieldKey::Influence => person.influence.to_string(),
                    FieldKey::Authority => person.authority.to_string(),
                    _ => person.motivations.clone(),
                };
                (*k, v)
            })
            .collect();
        Form::build(
            FormKind::Person {
                opportunity_id: opportunity_id.to_owned(),
                person_id: person.id.clone(),
            },
            values,
        )
    }

    /// Applies an action: moves between fields, edits the focused one, or checks them all.
    pub fn update(&mut self, action: &Action, lang: Lang, today: NaiveDate) -> Outcome {
        match action {
            Action::NextField => self.next(),
            Action::PreviousField => self.previous(),
            Action::Cancel => return Outcome::Close,
            Action::Accept => {
                return match self.validate(lang, today) {
                    Some(value) => Outcome::Reply(Reply::Form {
                        kind: self.kind.clone(),
                        value: Box::new(value),
                    }),
                    None => Outcome::Refused(texts::fields_to_fix(lang).to_owned()),
                };
            }
            Action::Type(key) => {
                self.focused().handle(key);
            }
            Action::Paste(text) => self.focused().insert(text),
            _ => {}
        }
        Outcome::Stay
    }

    pub fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        let form = self;
        let (l, theme) = (app.lang, Theme::of(app));
        let label_width = form
            .fields
            .iter()
            .map(|f| text::width(f.key.label(l)))
            .max()
            .unwrap_or(0);
        let mut fields = Vec::new();
        for (i, field) in form.fields.iter().enumerate() {
            let focused = i == form.focus;
            let mut spans = vec![
                Span::styled(
                    text::pad(field.key.label(l), label_width + 1),
                    if focused { theme.key() } else { theme.dim() },
                ),
                Span::styled(
                    format!(" {}", field.input.value()),
                    theme.selected_if(focused),
                ),
            ];
            if let Some(error) = &field.error {
                spans.push(Span::styled(format!("  ✗ {error}"), theme.error()));
            }
            fields.push(Line::from(spans));
        }
        if form.kind == FormKind::BoardFilter {
            // The words the Flags field takes, and what the dates take.
            let known: Vec<&str> = FilterFlag::ALL.iter().map(|f| f.name(l)).collect();
            fields.push(Line::styled(
                texts::filter_form_hint(l, &known.join(", ")),
                theme.dim(),
            ));
        }
        let title = match &form.kind {
            FormKind::NewCard { stage } => texts::new_opportunity(l, app.stage_name(*stage)).into(),
            FormKind::EditCard { .. } => Cow::from(texts::edit_opportunity(l)),
            FormKind::Person { .. } => texts::person_title(l).into(),
            FormKind::BoardFilter => texts::board_filter_title(l).into(),
        };
        // The fields, a line that counts the fields below the box, the key hints. The fields scroll
        // to the focused one (its error beside it) when the terminal is too short for them all.
        let width = popup::popup_width(area, 90);
        let hint = popup::hint_line(app, theme, Table::Form);
        let hint_rows = ui::wrapped_rows(std::slice::from_ref(&hint), width - 2);
        let rows = ui::wrapped_rows(&fields, width - 2) + 1 + hint_rows;
        let height = u16::try_from(rows + 2).unwrap_or(u16::MAX).min(area.height);
        let rect = popup::centered(area, width, height);
        frame.render_widget(Clear, rect);
        let mut block = Block::bordered()
            .border_style(theme.key())
            .title(Span::styled(title, theme.title()));
        let [fields_area, more_area, hint_area] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(u16::try_from(hint_rows).unwrap_or(u16::MAX)),
        ])
        .areas(block.inner(rect));
        let focused_error = form.fields[form.focus].error.is_some();
        let scrolled = ui::draw_scrolled(
            frame,
            fields_area,
            fields,
            form.focus..form.focus + 1,
            focused_error,
        );
        if let Some(above) = ui::more_above(scrolled.above, theme) {
            block = block.title_top(above);
        }
        frame.render_widget(block, rect);
        if let Some(below) = ui::more_below(scrolled.below, l, theme) {
            frame.render_widget(below, more_area);
        }
        frame.render_widget(Paragraph::new(hint).wrap(Wrap { trim: false }), hint_area);
        let focused = &form.fields[form.focus].input;
        let before: String = focused.value().chars().take(focused.cursor()).collect();
        let x = rect.x + 1 + label_width as u16 + 2 + text::width(&before) as u16;
        let y = scrolled.kept_row;
        if x < rect.right().saturating_sub(1) && y < fields_area.bottom() {
            frame.set_cursor_position(Position { x, y });
        }
    }

    pub fn focused(&mut self) -> &mut Input {
        &mut self.fields[self.focus].input
    }

    pub fn next(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len();
    }

    pub fn previous(&mut self) {
        self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
    }

    fn text(&self, key: FieldKey) -> &str {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map_or("", |f| f.input.value().trim())
    }

    /// Checks every field; on failure the errors are set on the fields and the focus moves to
    /// the first bad one.
    pub fn validate(&mut self, lang: Lang, today: NaiveDate) -> Option<FormValue> {
        let required = |t: &str| {
            (!t.is_empty())
                .then_some(())
                .ok_or_else(|| texts::required(lang).to_owned())
        };
        let date = |t: &str| -> Result<Option<NaiveDate>, String> {
            if t.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| texts::not_a_date_field(lang).to_owned())
        };
        // The due date takes quick dates (`demain`, `+1w`, `15/01`) as well as 2027-01-15, and
        // a time after it (`demain 14h`).
        let due = |t: &str| -> Result<Option<(NaiveDate, Option<NaiveTime>)>, String> {
            if t.is_empty() {
                return Ok(None);
            }
            super::entry::read_when(today, t, lang).map(Some)
        };
        let amount = |t: &str| -> Result<Option<i64>, String> {
            if t.is_empty() {
                return Ok(None);
            }
            money::parse_cents_lenient(t)
                .map(Some)
                .map_err(|e| e.message(lang))
        };
        let score = |t: &str| -> Result<u8, String> {
            if t.is_empty() {
                return Ok(0);
            }
            t.parse::<u8>()
                .ok()
                .filter(|n| *n <= 5)
                .ok_or_else(|| texts::zero_to_five(lang).to_owned())
        };
        let mut errors: Vec<(FieldKey, String)> = Vec::new();
        let mut check = |key: FieldKey, result: Result<(), String>| {
            if let Err(e) = result {
                errors.push((key, e));
            }
        };
        let value = match &self.kind {
            FormKind::Person { person_id, .. } => {
                check(FieldKey::Name, required(self.text(FieldKey::Name)));
                let influence = score(self.text(FieldKey::Influence));
                let authority = score(self.text(FieldKey::Authority));
                check(FieldKey::Influence, influence.clone().map(drop));
                check(FieldKey::Authority, authority.clone().map(drop));
                FormValue::Person(Person {
                    id: person_id.clone(),
                    name: self.text(FieldKey::Name).to_owned(),
                    role: self.text(FieldKey::Role).to_owned(),
                    influence: influence.unwrap_or(0),
                    authority: authority.unwrap_or(0),
                    motivations: self.text(FieldKey::Motivations).to_owned(),
                })
            }
            FormKind::BoardFilter => {
                // Close dates take quick dates too, without a time.
                let day = |t: &str| -> Result<Option<NaiveDate>, String> {
                    if t.is_empty() {
                        return Ok(None);
                    }
                    when::parse_date(today, t)
                        .map(Some)
                        .map_err(|e| e.say(lang).to_owned())
                };
                let [from, to] = [FieldKey::ClosingFrom, FieldKey::ClosingTo].map(|k| {
                    let d = day(self.text(k));
                    check(k, d.clone().map(drop));
                    d.unwrap_or(None)
                });
                let flags: Result<Vec<FilterFlag>, String> = self
                    .text(FieldKey::Flags)
                    .split(',')
                    .filter(|w| !w.trim().is_empty())
                    .map(|w| {
                        FilterFlag::parse(w).ok_or_else(|| {
                            let known: Vec<&str> =
                                FilterFlag::ALL.iter().map(|f| f.name(lang)).collect();
                            texts::unknown_flag(lang, w.trim(), &known.join(", "))
                        })
                    })
                    .collect();
                check(FieldKey::Flags, flags.clone().map(drop));
                let flags = flags.unwrap_or_default();
                let t = |k| Some(self.text(k).to_owned()).filter(|t| !t.is_empty());
                FormValue::Filter(CardFilter {
                    owner: t(FieldKey::Owner),
                    team: t(FieldKey::Team),
                    region: t(FieldKey::Region),
                    territory: t(FieldKey::Territory),
                    product: t(FieldKey::Product),
                    closing_from: from,
                    closing_to: to,
                    due_before: flags.contains(&FilterFlag::Overdue).then_some(today),
                    no_next_step: flags.contains(&FilterFlag::NoNextStep),
                    unverified: flags.contains(&FilterFlag::Unverified),
                    ..CardFilter::default()
                })
            }
            _ => {
                check(FieldKey::Title, required(self.text(FieldKey::Title)));
                let value = amount(self.text(FieldKey::Value))
                    .and_then(|v| v.ok_or_else(|| texts::required(lang).to_owned()));
                check(FieldKey::Value, value.clone().map(drop));
                let mut dates = [FieldKey::ExpectedClose, FieldKey::DecisionDate].map(|k| {
                    let d = date(self.text(k));
                    check(k, d.clone().map(drop));
                    d.unwrap_or(None)
                });
                let next_step = due(self.text(FieldKey::NextStepDue));
                check(FieldKey::NextStepDue, next_step.clone().map(drop));
                let (next_step_due, next_step_at) = next_step.ok().flatten().unzip();
                let mut amounts = [FieldKey::Budget, FieldKey::ProblemCost].map(|k| {
                    let a = amount(self.text(k));
                    check(k, a.clone().map(drop));
                    a.unwrap_or(None)
                });
                let t = |k| self.text(k).to_owned();
                FormValue::Card(OpportunityFields {
                    title: t(FieldKey::Title),
                    account: t(FieldKey::Account),
                    value_cents: value.unwrap_or(0),
                    owner: t(FieldKey::Owner),
                    team: t(FieldKey::Team),
                    region: t(FieldKey::Region),
                    territory: t(FieldKey::Territory),
                    product: t(FieldKey::Product),
                    expected_close: dates[0].take(),
                    next_step: t(FieldKey::NextStep),
                    next_step_due,
                    next_step_at: next_step_at.flatten(),
                    decision_date: dates[1].take(),
                    budget_cents: amounts[0].take(),
                    problem_cost_cents: amounts[1].take(),
                    decision_criteria: t(FieldKey::DecisionCriteria),
                })
            }
        };
        for field in &mut self.fields {
            field.error = errors
                .iter()
                .find(|(k, _)| *k == field.key)
                .map(|(_, e)| e.clone());
        }
        match self.fields.iter().position(|f| f.error.is_some()) {
            Some(first) => {
                self.focus = first;
                None
            }
            None => Some(value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 9).unwrap()
    }

    fn set(form: &mut Form, key: FieldKey, value: &str) {
        let field = form.fields.iter_mut().find(|f| f.key == key).unwrap();
        field.input = Input::new(value);
    }

    #[test]
    fn bad_fields_are_flagged_and_nothing_is_returned() {
        let mut form = Form::new_card(Stage::PreFunnel, Some("ana"));
        set(&mut form, FieldKey::Value, "12,5,0");
        set(&mut form, FieldKey::ExpectedClose, "2026-02-30");
        assert!(form.validate(Lang::En, today()).is_none());
        let errors: Vec<_> = form
            .fields
            .iter()
            .filter(|f| f.error.is_some())
            .map(|f| f.key)
            .collect();
        assert_eq!(
            errors,
            [FieldKey::Title, FieldKey::Value, FieldKey::ExpectedClose]
        );
        assert_eq!(form.focus, 0);
    }

    #[test]
    fn a_valid_card_form_gives_fields() {
        let mut form = Form::new_card(Stage::PreFunnel, Some("ana"));
        set(&mut form, FieldKey::Title, "Fleet rollout");
        set(&mut form, FieldKey::Value, "1 234,50");
        set(&mut form, FieldKey::ExpectedClose, "2026-12-01");
        let Some(FormValue::Card(fields)) = form.validate(Lang::Fr, today()) else {
            panic!("valid form")
        };
        assert_eq!(fields.value_cents, 123_450);
        assert_eq!(fields.owner, "ana");
        assert_eq!(fields.expected_close, NaiveDate::from_ymd_opt(2026, 12, 1));
        assert_eq!(fields.next_step_due, None);
    }

    #[test]
    fn the_next_step_due_takes_quick_dates() {
        let mut form = Form::new_card(Stage::PreFunnel, Some("ana"));
        set(&mut form, FieldKey::Title, "Fleet rollout");
        set(&mut form, FieldKey::Value, "100");
        set(&mut form, FieldKey::NextStepDue, "lundi prochain");
        let Some(FormValue::Card(fields)) = form.validate(Lang::Fr, today()) else {
            panic!("valid form")
        };
        assert_eq!(fields.next_step_due, NaiveDate::from_ymd_opt(2026, 12, 14));
        set(&mut form, FieldKey::NextStepDue, "demain 14h");
        let Some(FormValue::Card(fields)) = form.validate(Lang::Fr, today()) else {
            panic!("valid form")
        };
        assert_eq!(fields.next_step_due, NaiveDate::from_ymd_opt(2026, 12, 10));
        assert_eq!(fields.next_step_at, NaiveTime::from_hms_opt(14, 0, 0));
        // Editing the card again keeps the time.
        let mut opp = Opportunity::open("c".into(), "f".into(), fields, Stage::PreFunnel, today());
        opp.version = 1;
        let edit = Form::edit_card(&opp);
        let shown = edit.fields.iter().find(|f| f.key == FieldKey::NextStepDue);
        assert_eq!(shown.map(|f| f.input.value()), Some("2026-12-10 14:00"));
        set(&mut form, FieldKey::NextStepDue, "31/02");
        assert!(form.validate(Lang::Fr, today()).is_none());
        let error = form.fields.iter().find(|f| f.key == FieldKey::NextStepDue);
        assert_eq!(
            error.and_then(|f| f.error.as_deref()),
            Some("ce jour n'existe pas")
        );
    }

    #[test]
    fn person_scores_are_bounded() {
        let mut form = Form::person("opp", &Person::default());
        set(&mut form, FieldKey::Name, "Léa");
        set(&mut form, FieldKey::Authority, "9");
        assert!(form.validate(Lang::En, today()).is_none());
        assert!(form.fields[3].error.is_some());
    }
}
