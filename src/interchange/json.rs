//! JSON: a lossless copy of a funnel — its targets, and every opportunity with its history,
//! evidence, answers and people — that imports back into the same document.
//!
//! Sync metadata (versions, `updated_at`, `updated_by`) is left out: it describes a database, not
//! the funnel, and leaving it out makes export → import into an empty database → export give the
//! same bytes. Only who made each history event (`by`) is kept, and imported as it is: the
//! history says who moved the card. Unknown fields are refused so that a typo is reported, not
//! silently dropped.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::io::Write;

use super::{Batch, ExportError, ImportError, Problem, Problems, Reason, every_card};
use super::{check_currency, check_opportunity, parse_date, parse_id, parse_status, stored};
use super::{parse_time, time_text};
use crate::domain::{
    Activity, ActivityKind, Answer, Catalog, Evidence, Lang, Opportunity, OpportunityFields,
    Person, Stage, StageEvent, Status, money, text,
};
use crate::store::{Funnel, Imported, ImportedTarget, Records, STAMP, Store, date_text};

/// What the `format` field says, so that another JSON file is not mistaken for an export.
const FORMAT: &str = "funnel";
/// The document layout this code writes; it reads every one up to it (2 added the cards'
/// activities and next steps' times, absent from files of version 1).
const VERSION: u32 = 2;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    format: String,
    version: u32,
    funnel: FunnelEntry,
    targets: Vec<TargetEntry>,
    opportunities: Vec<OpportunityEntry>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FunnelEntry {
    name: String,
    currency: String,
    fiscal_start: u32,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetEntry {
    period: i32,
    owner: String,
    amount_cents: i64,
}

/// Dates are `YYYY-MM-DD`, stages and statuses their keys.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OpportunityEntry {
    id: String,
    title: String,
    account: String,
    value_cents: i64,
    stage: String,
    status: String,
    owner: String,
    team: String,
    region: String,
    territory: String,
    product: String,
    created: String,
    stage_since: String,
    expected_close: Option<String>,
    closed: Option<String>,
    lost_reason: String,
    next_step: String,
    /// Absent from exports made before next steps had a date.
    #[serde(default)]
    next_step_due: Option<String>,
    /// `HH:MM`; absent from exports made before next steps had a time.
    #[serde(default)]
    next_step_at: Option<String>,
    decision_date: Option<String>,
    budget_cents: Option<i64>,
    problem_cost_cents: Option<i64>,
    decision_criteria: String,
    history: Vec<EventEntry>,
    evidence: Vec<EvidenceEntry>,
    answers: Vec<AnswerEntry>,
    people: Vec<PersonEntry>,
    /// Absent from exports made before activities were logged (version 1).
    #[serde(default)]
    activities: Vec<ActivityEntry>,
}

/// A logged activity: `on` a date, `at` `HH:MM` if known.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActivityEntry {
    id: String,
    kind: String,
    on: String,
    at: Option<String>,
    with: String,
    summary: String,
    by: String,
}

/// `at` is the store's timestamp text (UTC, milliseconds).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventEntry {
    id: String,
    at: String,
    kind: String,
    from_stage: Option<String>,
    to_stage: String,
    evidence_confirmed: bool,
    note: String,
    /// Who made it (absent from exports made before it was kept: the importer then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    by: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EvidenceEntry {
    stage: String,
    confirmed_on: String,
    note: String,
}

/// `question` is the index of the question in its stage's checklist.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerEntry {
    stage: String,
    question: usize,
    asked: bool,
    answer: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonEntry {
    id: String,
    name: String,
    role: String,
    influence: u8,
    authority: u8,
    motivations: String,
}

impl From<serde_json::Error> for ExportError {
    fn from(e: serde_json::Error) -> Self {
        ExportError::Write(e.into())
    }
}

/// Writes the funnel, its targets and every opportunity with its records as one pretty-printed
/// JSON document (built in memory: it is a backup, and its import holds it all anyway).
pub fn export_json(store: &Store, funnel: &Funnel, out: &mut dyn Write) -> Result<(), ExportError> {
    let mut opportunities = Vec::new();
    store.for_each_opportunity(funnel, &every_card(), |o| {
        let records = store.records(&o.id)?;
        opportunities.push(OpportunityEntry::new(o, records));
        Ok(())
    })?;
    let targets = store.targets(funnel)?.into_iter().map(|t| TargetEntry {
        period: t.period,
        owner: t.owner,
        amount_cents: t.amount_cents,
    });
    let document = Document {
        format: FORMAT.to_owned(),
        version: VERSION,
        funnel: FunnelEntry {
            name: funnel.name.clone(),
            currency: funnel.currency.clone(),
            fiscal_start: funnel.fiscal_start,
        },
        targets: targets.collect(),
        opportunities,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    out.write_all(b"\n")?;
    Ok(())
}

impl OpportunityEntry {
    fn new(o: Opportunity, records: Records) -> OpportunityEntry {
        let f = o.fields;
        OpportunityEntry {
            id: o.id,
            title: f.title,
            account: f.account,
            value_cents: f.value_cents,
            stage: o.stage.key().to_owned(),
            status: o.status.key().to_owned(),
            owner: f.owner,
            team: f.team,
            region: f.region,
            territory: f.territory,
            product: f.product,
            created: date_text(o.created),
            stage_since: date_text(o.stage_since),
            expected_close: f.expected_close.map(date_text),
            closed: o.closed.map(date_text),
            lost_reason: o.lost_reason,
            next_step: f.next_step,
            next_step_due: f.next_step_due.map(date_text),
            next_step_at: f.next_step_at.map(time_text),
            decision_date: f.decision_date.map(date_text),
            budget_cents: f.budget_cents,
            problem_cost_cents: f.problem_cost_cents,
            decision_criteria: f.decision_criteria,
            history: records.history.into_iter().map(EventEntry::new).collect(),
            evidence: records
                .evidence
                .into_iter()
                .map(EvidenceEntry::new)
                .collect(),
            answers: records.answers.into_iter().map(AnswerEntry::new).collect(),
            people: records.people.into_iter().map(PersonEntry::new).collect(),
            activities: (records.activities.into_iter())
                .map(ActivityEntry::new)
                .collect(),
        }
    }
}

impl EventEntry {
    fn new(e: StageEvent) -> EventEntry {
        EventEntry {
            id: e.id,
            at: e.at.format(STAMP).to_string(),
            kind: e.kind.key().to_owned(),
            from_stage: e.from_stage.map(|s| s.key().to_owned()),
            to_stage: e.to_stage.key().to_owned(),
            evidence_confirmed: e.evidence_confirmed,
            note: e.note,
            by: e.by,
        }
    }
}

impl EvidenceEntry {
    fn new(e: Evidence) -> EvidenceEntry {
        EvidenceEntry {
            stage: e.stage.key().to_owned(),
            confirmed_on: date_text(e.confirmed_on),
            note: e.note,
        }
    }
}

impl AnswerEntry {
    fn new(a: Answer) -> AnswerEntry {
        AnswerEntry {
            stage: a.stage.key().to_owned(),
            question: a.question,
            asked: a.asked,
            answer: a.answer,
        }
    }
}

impl ActivityEntry {
    fn new(a: Activity) -> ActivityEntry {
        ActivityEntry {
            id: a.id,
            kind: a.kind.key().to_owned(),
            on: date_text(a.on),
            at: a.at.map(time_text),
            with: a.with,
            summary: a.summary,
            by: a.by,
        }
    }

    fn check(self, c: &mut Check, opportunity_id: &str) -> Activity {
        Activity {
            id: c.id("id", &self.id),
            opportunity_id: opportunity_id.to_owned(),
            kind: self.kind.parse().unwrap_or_else(|e| {
                c.fail("kind", Reason::Unknown(e));
                ActivityKind::Note
            }),
            on: c.date("on", &self.on),
            at: self.at.as_deref().map(|t| c.time("at", t)),
            with: text::clean_line(&self.with),
            summary: text::clean_line(&self.summary),
            by: text::clean_line(&self.by),
        }
    }
}

impl PersonEntry {
    fn new(p: Person) -> PersonEntry {
        PersonEntry {
            id: p.id,
            name: p.name,
            role: p.role,
            influence: p.influence,
            authority: p.authority,
            motivations: p.motivations,
        }
    }
}

/// Checks a JSON export (without its byte-order mark) and turns it into what the store imports.
pub(super) fn parse(store: &Store, funnel: &Funnel, bytes: &[u8]) -> Result<Batch, ImportError> {
    let document: Document = serde_json::from_slice(bytes).map_err(syntax_error)?;
    let mut problems = Problems::default();
    let mut top = Check {
        problems: &mut problems,
        path: String::new(),
    };
    if document.format != FORMAT {
        top.fail("format", Reason::NotAnExport);
    }
    if !(1..=VERSION).contains(&document.version) {
        let (found, supported) = (document.version, VERSION);
        top.fail("version", Reason::UnreadableVersion { found, supported });
    }
    // A funnel of other settings would read the amounts in another currency, or count the
    // targets' years over other months: the file goes into a funnel made like its own (the
    // reasons say how to make one).
    let settings = &document.funnel;
    if check_currency(&settings.currency, funnel).is_err() {
        let reason = Reason::FileCurrency {
            given: settings.currency.clone(),
            expected: funnel.currency.clone(),
            fiscal_start: settings.fiscal_start,
        };
        top.fail("funnel.currency", reason);
    }
    if settings.fiscal_start != funnel.fiscal_start {
        let reason = Reason::FileFiscalStart {
            file: settings.fiscal_start,
            funnel: funnel.fiscal_start,
            currency: settings.currency.clone(),
        };
        top.fail("funnel.fiscal_start", reason);
    }
    let targets = (document.targets.into_iter().enumerate())
        .map(|(i, t)| t.check(&mut top.at(format!("targets[{i}]"))))
        .collect();
    let mut seen = HashMap::new();
    let mut items = Vec::new();
    for (i, entry) in document.opportunities.into_iter().enumerate() {
        let mut check = top.at(format!("opportunities[{i}]"));
        let item = entry.check(&mut check, &funnel.id, store.today());
        let id = &item.opportunity.id;
        match seen.entry(id.clone()) {
            Entry::Occupied(first) => {
                check.fail("id", Reason::DuplicateIdEntry(*first.get()));
            }
            Entry::Vacant(slot) => {
                slot.insert(i);
            }
        }
        if stored(store, id)?.is_some_and(|found| found.funnel_id != funnel.id) {
            check.fail("id", Reason::OtherFunnel);
        }
        items.push(item);
    }
    problems.finish(Batch { items, targets })
}

/// A syntax or shape error: serde_json knows where, and says what was expected.
fn syntax_error(e: serde_json::Error) -> ImportError {
    let message = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    let message = message.strip_suffix(&position).unwrap_or(&message);
    ImportError {
        problems: vec![Problem {
            line: e.line(),
            column: String::new(),
            reason: Reason::Syntax {
                column: e.column(),
                message: message.to_owned(),
            },
        }],
        store: None,
    }
}

/// Checks values at one place in the document. A bad value records a problem under its path and
/// yields a placeholder: nothing is imported once there is a problem.
struct Check<'a> {
    problems: &'a mut Problems,
    path: String,
}

impl Check<'_> {
    fn fail(&mut self, field: &str, reason: Reason) {
        let column = if self.path.is_empty() {
            field.to_owned()
        } else {
            format!("{}.{field}", self.path)
        };
        self.problems.add(0, column, reason);
    }

    /// Checks deeper in the document (`path` is the full path).
    fn at(&mut self, path: String) -> Check<'_> {
        Check {
            problems: self.problems,
            path,
        }
    }

    fn stage(&mut self, field: &str, key: &str) -> Stage {
        key.parse().unwrap_or_else(|e| {
            self.fail(field, Reason::Unknown(e));
            Stage::PreFunnel
        })
    }

    fn date(&mut self, field: &str, text: &str) -> NaiveDate {
        parse_date(text).unwrap_or_else(|reason| {
            self.fail(field, reason);
            NaiveDate::default()
        })
    }

    fn time(&mut self, field: &str, text: &str) -> NaiveTime {
        parse_time(text).unwrap_or_else(|reason| {
            self.fail(field, reason);
            NaiveTime::default()
        })
    }

    fn optional_date(&mut self, field: &str, text: Option<&str>) -> Option<NaiveDate> {
        text.map(|t| self.date(field, t))
    }

    fn id(&mut self, field: &str, text: &str) -> String {
        parse_id(text)
            .map(|id| id.to_string())
            .unwrap_or_else(|reason| {
                self.fail(field, reason);
                text.to_owned()
            })
    }

    fn amount(&mut self, field: &str, cents: i64) -> i64 {
        if let Err(e) = money::check_cents(cents) {
            self.fail(field, Reason::Amount(e));
        }
        cents
    }

    /// Influence and authority, 0–5.
    fn score(&mut self, field: &str, score: u8) -> u8 {
        if score > 5 {
            self.fail(field, Reason::ScoreOutOfRange(score));
        }
        score
    }
}

impl TargetEntry {
    fn check(self, c: &mut Check) -> ImportedTarget {
        if !(1..=9999).contains(&self.period) {
            c.fail("period", Reason::NotAYear(self.period));
        }
        ImportedTarget {
            period: self.period,
            owner: text::clean_line(&self.owner),
            amount_cents: c.amount("amount_cents", self.amount_cents),
        }
    }
}

impl OpportunityEntry {
    fn check(self, c: &mut Check, funnel_id: &str, today: NaiveDate) -> Imported {
        let fields = OpportunityFields {
            title: text::clean_line(&self.title),
            account: text::clean_line(&self.account),
            value_cents: c.amount("value_cents", self.value_cents),
            owner: text::clean_line(&self.owner),
            team: text::clean_line(&self.team),
            region: text::clean_line(&self.region),
            territory: text::clean_line(&self.territory),
            product: text::clean_line(&self.product),
            expected_close: c.optional_date("expected_close", self.expected_close.as_deref()),
            next_step: text::clean_line(&self.next_step),
            next_step_due: c.optional_date("next_step_due", self.next_step_due.as_deref()),
            next_step_at: (self.next_step_at.as_deref()).map(|t| c.time("next_step_at", t)),
            decision_date: c.optional_date("decision_date", self.decision_date.as_deref()),
            budget_cents: self.budget_cents.map(|v| c.amount("budget_cents", v)),
            problem_cost_cents: self
                .problem_cost_cents
                .map(|v| c.amount("problem_cost_cents", v)),
            decision_criteria: text::clean_line(&self.decision_criteria),
        };
        if fields.title.is_empty() {
            c.fail("title", Reason::Required);
        }
        let opportunity = Opportunity {
            id: c.id("id", &self.id),
            funnel_id: funnel_id.to_owned(),
            fields,
            stage: c.stage("stage", &self.stage),
            status: parse_status(&self.status).unwrap_or_else(|reason| {
                c.fail("status", reason);
                Status::Open
            }),
            created: c.date("created", &self.created),
            stage_since: c.date("stage_since", &self.stage_since),
            closed: c.optional_date("closed", self.closed.as_deref()),
            lost_reason: text::clean_line(&self.lost_reason),
            version: 1,
            updated_at: String::new(),
            updated_by: String::new(),
        };
        for (field, reason) in check_opportunity(&opportunity, today) {
            c.fail(field, reason);
        }
        let path = c.path.clone();
        let path_of = |list: &str, i: usize| format!("{path}.{list}[{i}]");
        let records = Records {
            history: (self.history.into_iter().enumerate())
                .map(|(i, e)| e.check(&mut c.at(path_of("history", i))))
                .collect(),
            evidence: (self.evidence.into_iter().enumerate())
                .map(|(i, e)| e.check(&mut c.at(path_of("evidence", i))))
                .collect(),
            answers: (self.answers.into_iter().enumerate())
                .map(|(i, a)| a.check(&mut c.at(path_of("answers", i))))
                .collect(),
            people: (self.people.into_iter().enumerate())
                .map(|(i, p)| p.check(&mut c.at(path_of("people", i))))
                .collect(),
            activities: (self.activities.into_iter().enumerate())
                .map(|(i, a)| a.check(&mut c.at(path_of("activities", i)), &opportunity.id))
                .collect(),
        };
        // The history is where the board's "days in stage" and undo come from: it must end in
        // the stage the card is in (`funnel check` holds every card to it).
        let last = records
            .history
            .iter()
            .max_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
        // (An unknown stage is already reported; comparing its stand-in would only add noise.)
        let stage_known = self.stage.parse::<Stage>().is_ok();
        if let Some(last) = last.filter(|e| stage_known && e.to_stage != opportunity.stage) {
            let reason = Reason::HistoryEnds {
                last: last.to_stage,
                stage: opportunity.stage,
            };
            c.fail("history", reason);
        }
        Imported {
            opportunity,
            records: Some(records),
        }
    }
}

impl EventEntry {
    fn check(self, c: &mut Check) -> StageEvent {
        StageEvent {
            id: c.id("id", &self.id),
            at: NaiveDateTime::parse_from_str(&self.at, STAMP).unwrap_or_else(|_| {
                c.fail("at", Reason::NotATimestamp(self.at.clone()));
                NaiveDateTime::default()
            }),
            kind: self.kind.parse().unwrap_or_else(|e| {
                c.fail("kind", Reason::Unknown(e));
                crate::domain::EventKind::Created
            }),
            from_stage: self.from_stage.map(|s| c.stage("from_stage", &s)),
            to_stage: c.stage("to_stage", &self.to_stage),
            evidence_confirmed: self.evidence_confirmed,
            note: text::clean_line(&self.note),
            by: self.by.map(|by| text::clean_line(&by)),
        }
    }
}

impl EvidenceEntry {
    fn check(self, c: &mut Check) -> Evidence {
        Evidence {
            stage: c.stage("stage", &self.stage),
            confirmed_on: c.date("confirmed_on", &self.confirmed_on),
            note: text::clean_line(&self.note),
        }
    }
}

impl AnswerEntry {
    fn check(self, c: &mut Check) -> Answer {
        let stage = c.stage("stage", &self.stage);
        let questions = Catalog::get(Lang::En).info(stage).questions.len();
        if self.question >= questions {
            let last = questions - 1;
            c.fail("question", Reason::NoSuchQuestion { stage, last });
        }
        Answer {
            stage,
            question: self.question,
            asked: self.asked,
            // Cleaned like a typed answer: the store keeps its inner spacing, only trims it.
            answer: text::clean(&self.answer).trim().to_owned(),
        }
    }
}

impl PersonEntry {
    fn check(self, c: &mut Check) -> Person {
        let name = text::clean_line(&self.name);
        if name.is_empty() {
            c.fail("name", Reason::Required);
        }
        Person {
            // An empty id adds the person.
            id: if self.id.is_empty() {
                self.id
            } else {
                c.id("id", &self.id)
            },
            name,
            role: text::clean_line(&self.role),
            influence: c.score("influence", self.influence),
            authority: c.score("authority", self.authority),
            motivations: text::clean_line(&self.motivations),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(store: &Store, funnel: &Funnel, json: &str) -> Vec<String> {
        let err = parse(store, funnel, json.as_bytes())
            .err()
            .expect("problems");
        err.problems.into_iter().map(|p| p.column).collect()
    }

    #[test]
    fn syntax_errors_keep_their_position() {
        let err = serde_json::from_str::<Document>("{\n  \"format\": 1\n}")
            .err()
            .unwrap();
        let problem = &syntax_error(err).problems[0];
        assert_eq!(problem.line, 2);
        assert_eq!(
            problem.reason.to_string(),
            "column 13: invalid type: integer `1`, expected a string"
        );
        assert_eq!(
            problem.reason.say(Lang::Fr),
            "colonne 13 : invalid type: integer `1`, expected a string"
        );
    }

    #[test]
    fn checks_records_by_path() {
        let mut store = Store::open_in_memory().unwrap();
        let funnel = store.resolve_funnel(None, "EUR", 1).unwrap();
        let json = r#"{"format": "funnel", "version": 1,
            "funnel": {"name": "x", "currency": "eur", "fiscal_start": 4},
            "targets": [{"period": 0, "owner": "", "amount_cents": 5}],
            "opportunities": [{
                "id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "title": " ", "account": "",
                "value_cents": 1, "stage": "closing", "status": "lost", "owner": "", "team": "",
                "region": "", "territory": "", "product": "", "created": "2026-01-01",
                "stage_since": "2026-01-01", "expected_close": null, "closed": "2026-02-01",
                "lost_reason": "", "next_step": "", "decision_date": null, "budget_cents": -1,
                "problem_cost_cents": null, "decision_criteria": "",
                "history": [{"id": "x", "at": "2026-01-01T00:00:00.000Z", "kind": "sold",
                    "from_stage": "nope", "to_stage": "closing", "evidence_confirmed": true,
                    "note": ""}],
                "evidence": [{"stage": "closing", "confirmed_on": "2026-1-1", "note": ""}],
                "answers": [{"stage": "closing", "question": 99, "asked": true, "answer": ""}],
                "people": [{"id": "", "name": "", "role": "", "influence": 6, "authority": 5,
                    "motivations": ""}]
            }]}"#;
        assert_eq!(
            columns(&store, &funnel, json),
            [
                "funnel.fiscal_start",
                "targets[0].period",
                "opportunities[0].budget_cents",
                "opportunities[0].title",
                "opportunities[0].lost_reason",
                "opportunities[0].history[0].id",
                "opportunities[0].history[0].kind",
                "opportunities[0].history[0].from_stage",
                "opportunities[0].evidence[0].confirmed_on",
                "opportunities[0].answers[0].question",
                "opportunities[0].people[0].name",
                "opportunities[0].people[0].influence",
            ]
        );
        // The same document, repaired, is accepted; an empty person id adds the person.
        let fixed = json
            .replace(r#""fiscal_start": 4"#, r#""fiscal_start": 1"#)
            .replace(r#""period": 0"#, r#""period": 2026"#)
            .replace(r#""budget_cents": -1"#, r#""budget_cents": 1"#)
            .replace(r#""title": " ""#, r#""title": "Deal""#)
            .replace(r#""lost_reason": """#, r#""lost_reason": "price""#)
            .replace(
                r#""id": "x""#,
                r#""id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c""#,
            )
            .replace(r#""sold""#, r#""lost""#)
            .replace(r#""nope""#, r#""closing""#)
            .replace("2026-1-1", "2026-01-01")
            .replace(r#""question": 99"#, r#""question": 0"#)
            .replace(r#""name": """#, r#""name": "Ana""#)
            .replace(r#""influence": 6"#, r#""influence": 0"#);
        let batch = parse(&store, &funnel, fixed.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let records = batch.items[0].records.as_ref().unwrap();
        assert_eq!(records.people[0].id, "");
        assert_eq!(batch.targets[0].period, 2026);
    }
}
