//! How a card is drawn: who holds it, where it is in the journey and since when, its history,
//! evidence, checklist and buying centre, all from the card's own random stream, then its next
//! step's day and its activity log from a second one; and the targets sized on the cards drawn.

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime};

use super::DemoOptions;
use super::rng::{Rng, fnv1a, mix};
use super::words::{LostReason, Product, Seller, Words};
use crate::domain::indicators;
use crate::domain::review::{Happened, Happening};
use crate::domain::{
    Activity, ActivityKind, Answer, Catalog, EventKind, Evidence, Lang, Opportunity,
    OpportunityFields, Period, Person, Stage, StageEvent, Status,
};
use crate::store::{Funnel, Imported, ImportedTarget, Records};

/// Up to this size every card gets its full checklist and buying centre; above it, only this
/// many cards do, drawn at random (histories and evidence stay complete for every card).
const FULL_DETAIL_UP_TO: usize = 20_000;

/// Open cards per stage: fewer in later stages.
const OPEN_MIX: [u32; Stage::COUNT] = [25, 20, 16, 12, 10, 8, 5, 4];
/// The stage a lost card was lost in.
const LOST_MIX: [u32; Stage::COUNT] = [6, 10, 14, 16, 18, 20, 10, 6];
/// What a seller logs, in [`ActivityKind::ALL`]'s order: calls, meetings, emails, notes, next
/// steps done.
const ACTIVITY_MIX: [u32; 5] = [35, 20, 25, 10, 10];
/// Salt of a card's second stream, which draws its upkeep (next step's day, activity log): the
/// card's first stream stays as it was before cards had them.
const UPKEEP_STREAM: u64 = 0x7570_6B65_6570;
/// Salt of a card's third stream, which draws how its value and close date moved lately (its
/// field history, what a review reads): the card itself stays as its first streams draw it.
const REVIEW_STREAM: u64 = 0x7265_7669_6577;

/// What every card is drawn from.
pub(super) struct Plan {
    words: &'static Words,
    seed: u64,
    /// Seed of the id stream: depends on the funnel too, so two funnels never share ids.
    id_seed: u64,
    today: NaiveDate,
    period: Period,
    expected_days: [i64; Stage::COUNT],
    /// Questions per stage in the catalog.
    questions: [usize; Stage::COUNT],
    companies: usize,
    public_bodies: usize,
    /// Share of cards with their full checklist and buying centre.
    detail: f64,
}

/// The first draws of a card (see [`Plan::skeleton`]).
pub(super) struct Skeleton {
    /// The card's stream, to carry on drawing from.
    rng: Rng,
    /// The card's stream of id bits.
    ids: Rng,
    /// The card's stream of upkeep draws.
    upkeep: Rng,
    seller: &'static Seller,
    status: Status,
    stage: Stage,
    stage_since: NaiveDate,
    closed: Option<NaiveDate>,
    timeline: Timeline,
    pub created_at: NaiveDateTime,
}

/// When a card entered each stage up to its current one.
struct Timeline {
    /// `entered[j]`: day the card entered stage j (`entered[0]` is its creation).
    entered: [NaiveDate; Stage::COUNT],
    /// `verified[j]`: the move out of stage j had its evidence confirmed.
    verified: [bool; Stage::COUNT],
}

impl Plan {
    pub fn new(funnel: &Funnel, options: &DemoOptions) -> Plan {
        let catalog = Catalog::get(Lang::En);
        let words = Words::get();
        let size = options.size;
        Plan {
            words,
            seed: mix(options.seed ^ 0x6675_6E6E_656C),
            id_seed: mix(options.seed ^ mix(fnv1a(&funnel.name))),
            today: options.today,
            period: Period::containing(options.today, funnel.fiscal_start),
            expected_days: Stage::ALL.map(|s| i64::from(catalog.info(s).expected_days.max(1))),
            questions: Stage::ALL.map(|s| catalog.info(s).questions.len()),
            companies: (size / 4).clamp(
                8,
                words.places.len() * words.sectors.len() * words.company_forms.len(),
            ),
            public_bodies: (size / 10).clamp(4, words.places.len() * words.public_bodies.len()),
            detail: if size <= FULL_DETAIL_UP_TO {
                1.0
            } else {
                FULL_DETAIL_UP_TO as f64 / size as f64
            },
        }
    }

    /// The first draws of the `i`-th card, from its own random stream: who, where in the
    /// journey, and when. Cheap, so [`generate`] can order the cards by creation first.
    pub fn skeleton(&self, i: usize) -> Skeleton {
        let stream = stream(i);
        let mut rng = Rng::new(mix(self.seed ^ stream));
        let seller = rng.weighted_by(&self.words.sellers, |s| s.weight);
        let status = if rng.chance(0.35) {
            if rng.chance(seller.win) {
                Status::Won
            } else {
                Status::Lost
            }
        } else {
            Status::Open
        };
        let stage = match status {
            Status::Open => Stage::ALL[rng.weighted(&OPEN_MIX)],
            Status::Won => Stage::Closing,
            Status::Lost => Stage::ALL[rng.weighted(&LOST_MIX)],
        };
        let k = stage.index();

        // When the card entered its current stage, and closed.
        let (stage_since, closed) = match status {
            Status::Open => {
                let expected = self.expected_days[k] as f64;
                let days = if rng.chance(seller.stale) {
                    expected * rng.range(1.15, 3.0)
                } else {
                    expected * rng.range(0.05, 0.95)
                };
                (days_before(self.today, days), None)
            }
            Status::Won | Status::Lost => {
                // Over the past two years, more of them recently.
                let u = rng.unit();
                let ago = 1.0 + 729.0 * (0.4 * u + 0.6 * u * u);
                let closed = days_before(self.today, ago);
                let in_stage = self.expected_days[k] as f64 * rng.range(0.3, 1.5);
                (days_before(closed, in_stage), Some(closed))
            }
        };
        let timeline = self.timeline(&mut rng, stage, stage_since, seller.unverified);
        let created_at = at(&mut rng, timeline.entered[0], 8, 11);
        Skeleton {
            rng,
            ids: Rng::new(mix(self.id_seed ^ stream)),
            upkeep: Rng::new(mix(self.seed ^ stream ^ UPKEEP_STREAM)),
            seller,
            status,
            stage,
            stage_since,
            closed,
            timeline,
            created_at,
        }
    }

    /// The `i`-th card with all its records.
    pub fn card(&self, i: usize) -> Imported {
        let Skeleton {
            mut rng,
            mut ids,
            mut upkeep,
            seller,
            status,
            stage,
            stage_since,
            closed,
            timeline,
            created_at,
        } = self.skeleton(i);
        let k = stage.index();
        let created = created_at.date();
        let opportunity_id = uuid_at(&mut ids, created_at);

        let words = self.words;
        let product = rng.weighted_by(&words.products, |p| p.weight);
        let mut fields = OpportunityFields {
            title: rng.pick(&product.titles).clone(),
            account: self.account(&mut rng, seller.public_bodies),
            value_cents: value_cents(&mut rng, seller, product),
            owner: seller.name.clone(),
            team: seller.team.clone(),
            region: seller.region.clone(),
            territory: rng.pick(&seller.territories).clone(),
            product: product.name.clone(),
            ..OpportunityFields::default()
        };

        // Fields a seller fills in as the card progresses.
        let problem_cost = (k >= Stage::ImpactDefined.index())
            .then(|| round_cents(fields.value_cents as f64 * rng.range(1.5, 5.0), 1_000));
        fields.problem_cost_cents = problem_cost;
        if k >= Stage::CommitsToInvest.index() {
            fields.budget_cents = Some(round_cents(
                fields.value_cents as f64 * rng.range(0.9, 1.4),
                100,
            ));
        }
        if k >= Stage::DecisionCriteria.index() {
            let criteria = &words.criteria;
            let first = rng.below(criteria.len());
            let count = 2 + rng.below(2);
            fields.decision_criteria = (0..count)
                .map(|j| criteria[(first + j * 3) % criteria.len()].as_str())
                .collect::<Vec<_>>()
                .join(", ");
        }
        match status {
            Status::Open => {
                fields.next_step = rng.pick(&words.stages[k].next_steps).clone();
                match self.next_step_due(&mut upkeep, stage_since) {
                    Some(due) => fields.next_step_due = due,
                    None => fields.next_step.clear(),
                }
                if fields.next_step_due.is_some() && upkeep.chance(0.35) {
                    fields.next_step_at = Some(quarter_hour(&mut upkeep));
                }
                fields.expected_close = self.expected_close(&mut rng, stage, stage_since);
                if stage.is_viable() && rng.chance(0.75) {
                    fields.decision_date = fields
                        .expected_close
                        .map(|d| d - Days::new(rng.below(15) as u64));
                }
            }
            Status::Won | Status::Lost => {
                if stage.is_viable() {
                    fields.decision_date = closed.map(|d| d - Days::new(rng.below(10) as u64));
                }
            }
        }
        let lost_reason = if status == Status::Lost {
            let late = stage.is_viable();
            let weight = |r: &LostReason| if late { r.late } else { r.early };
            rng.weighted_by(&words.lost_reasons, weight).reason.clone()
        } else {
            String::new()
        };

        // History: created, one move per stage, then won or lost.
        let mut history = Vec::with_capacity(k + 2);
        history.push(StageEvent {
            id: uuid_at(&mut ids, created_at),
            at: created_at,
            kind: EventKind::Created,
            from_stage: None,
            to_stage: Stage::PreFunnel,
            evidence_confirmed: true,
            note: String::new(),
            by: None,
        });
        for j in 0..k {
            let when = at(&mut rng, timeline.entered[j + 1], 8, 18);
            history.push(StageEvent {
                id: uuid_at(&mut ids, when),
                at: when,
                kind: EventKind::Moved,
                from_stage: Some(Stage::ALL[j]),
                to_stage: Stage::ALL[j + 1],
                evidence_confirmed: timeline.verified[j],
                note: String::new(),
                by: None,
            });
        }
        if let Some(day) = closed {
            let when = at(&mut rng, day, 9, 18);
            history.push(StageEvent {
                id: uuid_at(&mut ids, when),
                at: when,
                kind: if status == Status::Won {
                    EventKind::Won
                } else {
                    EventKind::Lost
                },
                from_stage: Some(stage),
                to_stage: stage,
                evidence_confirmed: true,
                note: lost_reason.clone(),
                by: None,
            });
        }

        // Evidence: every stage left by a verified move; the current one for some open cards
        // and for every won card (the signed contract).
        let cost_text = compact(problem_cost.unwrap_or(fields.value_cents * 3));
        let mut evidence = Vec::with_capacity(k + 1);
        for j in (0..k).filter(|j| timeline.verified[*j]) {
            evidence.push(Evidence {
                stage: Stage::ALL[j],
                confirmed_on: timeline.entered[j + 1],
                note: rng
                    .pick(&words.stages[j].evidence)
                    .replace("{cost}", &cost_text),
            });
        }
        let current_evidence = match status {
            Status::Open => rng.chance(0.4).then(|| {
                stage_since + Days::new(rng.below(days_between(stage_since, self.today)) as u64)
            }),
            Status::Won => closed,
            Status::Lost => None,
        };
        if let Some(on) = current_evidence {
            evidence.push(Evidence {
                stage,
                confirmed_on: on,
                note: rng
                    .pick(&words.stages[k].evidence)
                    .replace("{cost}", &cost_text),
            });
        }

        // Checklist: passed stages mostly asked, the current one in part. Large data sets keep
        // checklists and buying centres for a small share of cards only (they are what makes a
        // card's records big, and only the detail screen reads them).
        let detailed = self.detail >= 1.0 || rng.chance(self.detail);
        let mut answers = Vec::new();
        if detailed {
            for j in 0..k {
                self.answer_stage(&mut rng, &mut answers, Stage::ALL[j], 0.85, &cost_text);
            }
            let current_share = match status {
                Status::Won => 0.9,
                _ => rng.range(0.1, 0.75),
            };
            self.answer_stage(&mut rng, &mut answers, stage, current_share, &cost_text);
        }

        let mut people = Vec::new();
        if detailed && k > Stage::ProblemRecognized.index() {
            let count = match k {
                2 => 1 + rng.below(2),
                3 | 4 => 1 + rng.below(3),
                _ => 2 + rng.below(3),
            };
            let roles = &words.roles;
            let first_role = rng.below(roles.len());
            for p in 0..count {
                let role = &roles[(first_role + p * 2) % roles.len()];
                people.push(Person {
                    id: uuid_at(&mut ids, created_at),
                    name: format!(
                        "{} {}",
                        rng.pick(&words.first_names),
                        rng.pick(&words.last_names)
                    ),
                    role: role.name.clone(),
                    influence: rng.between(role.influence.0, role.influence.1) as u8,
                    authority: rng.between(role.authority.0, role.authority.1) as u8,
                    motivations: rng.pick(&role.motivations).clone(),
                });
            }
        }

        let activities = match status {
            Status::Open => {
                let card = (opportunity_id.as_str(), created);
                self.activities(&mut upkeep, seller, stage, card, &people)
            }
            Status::Won | Status::Lost => Vec::new(),
        };
        Imported {
            opportunity: Opportunity {
                id: opportunity_id,
                funnel_id: String::new(),
                fields,
                stage,
                status,
                created,
                stage_since,
                closed,
                lost_reason,
                version: 1,
                updated_at: String::new(),
                updated_by: String::new(),
            },
            records: Some(Records {
                history,
                evidence,
                answers,
                people,
                activities,
            }),
        }
    }

    /// How the `i`-th card's expected close and value moved lately, as its field history keeps
    /// them (each row with its id), newest first. Only open cards: a seller who lets cards go
    /// stale pushes close dates more (one to three pushes over the last two months or so, each
    /// a week to five later than the date before); a few values were revised. Nothing before
    /// the card was created.
    pub fn field_history(&self, i: usize, card: &Opportunity) -> Vec<(String, Happening)> {
        let mut rng = Rng::new(mix(self.seed ^ stream(i) ^ REVIEW_STREAM));
        let mut rows = Vec::new();
        if card.status != Status::Open {
            return rows;
        }
        let stale = (self.words.sellers.iter())
            .find(|s| s.name == card.fields.owner)
            .map_or(0.0, |s| s.stale);
        let row = |rng: &mut Rng, day: NaiveDate, what: Happened| {
            let when = at(rng, day, 8, 18);
            let happening = Happening {
                card: card.id.clone(),
                at: when,
                what,
            };
            (uuid_at(rng, when), happening)
        };
        let yesterday = self.today - Days::new(1);
        if let Some(close) = card.fields.expected_close
            && rng.chance(0.05 + stale / 2.0)
        {
            let mut new = close;
            let mut day = yesterday - Days::new(rng.below(60) as u64);
            for _ in 0..1 + rng.below(3) {
                if day <= card.created {
                    break;
                }
                let old = new - Days::new(7 + rng.below(29) as u64);
                let what = Happened::Close {
                    old: Some(old),
                    new: Some(new),
                };
                rows.push(row(&mut rng, day, what));
                new = old;
                day = day - Days::new(5 + rng.below(20) as u64);
            }
        }
        if rng.chance(0.05) {
            let day = yesterday - Days::new(rng.below(60) as u64);
            let old = round_cents(card.fields.value_cents as f64 * rng.range(0.7, 1.3), 100);
            if day > card.created && old != card.fields.value_cents {
                let new = card.fields.value_cents;
                rows.push(row(&mut rng, day, Happened::Value { old, new }));
            }
        }
        rows
    }

    /// The day an open card's next step is due, drawn from the card's upkeep stream: some
    /// overdue (never from before the card entered its stage), some due today, most in the next
    /// four weeks, some not dated (`Some(None)`), and a few cards with no next step at all
    /// (`None`).
    fn next_step_due(&self, rng: &mut Rng, since: NaiveDate) -> Option<Option<NaiveDate>> {
        let roll = rng.unit();
        let due = if roll < 0.07 {
            return None;
        } else if roll < 0.18 {
            return Some(None);
        } else if roll < 0.33 {
            (self.today - Days::new(1 + rng.below(20) as u64)).max(since)
        } else if roll < 0.41 {
            self.today
        } else {
            let u = rng.unit();
            self.today + Days::new(1 + (27.0 * u * u) as u64)
        };
        Some(Some(due))
    }

    /// What the seller logged on an open card (`card`: its id and day of creation), newest
    /// first: one to four activities a few days apart, the last within the past two weeks,
    /// except on the cards a seller lets go quiet (more of them for a seller who lets cards go
    /// stale): the last one weeks ago, or none on a card younger than that. Calls, meetings and
    /// emails are with a person of the buying centre, or a name typed when it has none yet.
    fn activities(
        &self,
        rng: &mut Rng,
        seller: &Seller,
        stage: Stage,
        (card, created): (&str, NaiveDate),
        people: &[Person],
    ) -> Vec<Activity> {
        let quiet = rng.chance(0.1 + 0.6 * seller.stale);
        let ago = if quiet {
            15 + rng.below(31)
        } else {
            rng.below(13)
        };
        let mut day = self.today - Days::new(ago as u64);
        if day < created {
            if quiet {
                return Vec::new();
            }
            day = created;
        }
        let words = self.words;
        let mut log = Vec::new();
        for _ in 0..1 + rng.below(4) {
            let kind = ActivityKind::ALL[rng.weighted(&ACTIVITY_MIX)];
            let (summaries, timed, met) = match kind {
                ActivityKind::Call => (&words.activities.call, true, true),
                ActivityKind::Meeting => (&words.activities.meeting, true, true),
                ActivityKind::Email => (&words.activities.email, false, true),
                ActivityKind::Note => (&words.activities.note, false, false),
                ActivityKind::StepDone => (&words.stages[stage.index()].next_steps, false, false),
            };
            let with = match people {
                _ if !met => String::new(),
                [] => format!(
                    "{} {}",
                    rng.pick(&words.first_names),
                    rng.pick(&words.last_names)
                ),
                people => rng.pick(people).name.clone(),
            };
            let at = timed.then(|| quarter_hour(rng));
            let logged = day.and_time(at.unwrap_or_default());
            log.push(Activity {
                id: uuid_at(rng, logged),
                opportunity_id: card.to_owned(),
                kind,
                on: day,
                at,
                with,
                summary: rng.pick(summaries).clone(),
                by: seller.name.clone(),
            });
            day = day - Days::new(2 + rng.below(8) as u64);
            if day < created {
                break;
            }
        }
        log
    }

    /// Works back from the day the card entered `stage`: each earlier stage took about its
    /// expected time (less when the move was forced without evidence), at least a day.
    fn timeline(&self, rng: &mut Rng, stage: Stage, since: NaiveDate, unverified: f64) -> Timeline {
        let mut t = Timeline {
            entered: [since; Stage::COUNT],
            verified: [true; Stage::COUNT],
        };
        for j in (0..stage.index()).rev() {
            let verified = !rng.chance(unverified);
            let expected = self.expected_days[j] as f64;
            let days = if verified {
                expected * rng.range(0.4, 1.3)
            } else {
                expected * rng.range(0.1, 0.6)
            };
            t.verified[j] = verified;
            t.entered[j] = days_before(t.entered[j + 1], days);
        }
        t
    }

    /// Some overdue, most about when the remaining stages should take, some in the next
    /// period, a few unknown; never after the next period.
    fn expected_close(&self, rng: &mut Rng, stage: Stage, since: NaiveDate) -> Option<NaiveDate> {
        let last = self.period.next().end() - Days::new(1);
        let overdue_from = (self.today - Days::new(90)).max(self.period.start());
        let roll = rng.unit();
        let date = if roll < 0.05 {
            return None;
        } else if roll < 0.17 && overdue_from < self.today {
            overdue_from + Days::new(rng.below(days_between(overdue_from, self.today)) as u64)
        } else if roll < 0.29 && stage < Stage::CommitsToInvest {
            let next = self.period.next();
            next.start() + Days::new(rng.below(days_between(next.start(), next.end())) as u64)
        } else {
            let remaining: i64 = self.expected_days[stage.index()..].iter().sum::<i64>()
                - days_between(since, self.today) as i64;
            let days = remaining.max(7) as f64 * rng.range(0.6, 1.6) + 7.0;
            let date = self.today + Days::new(days as u64);
            if rng.chance(0.6) {
                end_of_month(date)
            } else {
                date
            }
        };
        Some(date.min(last))
    }

    fn account(&self, rng: &mut Rng, public: bool) -> String {
        // Skewed: a few large accounts carry many opportunities.
        let u = rng.unit();
        let Words {
            places,
            sectors,
            company_forms,
            public_bodies,
            ..
        } = self.words;
        if public {
            let a = (self.public_bodies as f64 * u * u) as usize;
            let n = (a * 7919) % (places.len() * public_bodies.len());
            format!(
                "{} {}",
                places[n % places.len()],
                public_bodies[n / places.len()]
            )
        } else {
            let a = (self.companies as f64 * u * u) as usize;
            let combos = places.len() * sectors.len();
            let n = (a * 7919) % combos;
            format!(
                "{} {}{}",
                places[n % places.len()],
                sectors[n / places.len()],
                company_forms[(a / combos) % company_forms.len()]
            )
        }
    }

    /// Marks each question of `stage` asked with probability `share`, with a short answer.
    fn answer_stage(
        &self,
        rng: &mut Rng,
        answers: &mut Vec<Answer>,
        stage: Stage,
        share: f64,
        cost: &str,
    ) {
        for question in 0..self.questions[stage.index()] {
            if !rng.chance(share) {
                continue;
            }
            let template = self.words.stages[stage.index()]
                .answers
                .get(question)
                .map_or(self.words.generic_answer.as_str(), |variants| {
                    rng.pick(variants).as_str()
                });
            let answer = template
                .replace("{n}", &rng.between(2, 12).to_string())
                .replace("{pct}", &(5 * rng.between(2, 8)).to_string())
                .replace("{cost}", cost);
            answers.push(Answer {
                stage,
                question,
                asked: true,
                answer,
            });
        }
    }

    /// Funnel targets for this period and the next, and each seller's for this period, sized
    /// on the data: the funnel's factor (RTV / GAP) lands around 1.6–2.6; sellers' factors
    /// differ (one far off, one comfortable, one who already reached the target), and their
    /// targets add up to about the funnel's.
    pub fn targets(&self, rows: &[indicators::TotalRow]) -> Vec<ImportedTarget> {
        let mut rng = Rng::new(mix(self.seed ^ 0x7461_7267_6574));
        let period = self.period;
        let current = |owner: Option<&str>| {
            let s = indicators::summarize(rows, period, true, None, owner);
            (s.won_value_cents as f64, s.rtv_cents as f64)
        };
        let at_least = 10_000_000.0; // 100k: a target worth showing even on a tiny data set
        let (won, rtv) = current(None);
        let funnel_target = (won + rtv / rng.range(1.6, 2.6))
            .max(won * 1.2)
            .max(at_least);

        // Sellers who already reached their target keep it as drawn; the others share the rest.
        let sellers = &self.words.sellers;
        let drawn: Vec<(f64, bool)> = sellers
            .iter()
            .map(|s| {
                let (won, rtv) = current(Some(&s.name));
                match s.ambition {
                    Some(factor) => ((won + rtv / factor).max(at_least / 10.0), true),
                    None => ((won * rng.range(0.85, 0.95)).max(at_least / 20.0), false),
                }
            })
            .collect();
        let fixed: f64 = drawn.iter().filter(|d| !d.1).map(|d| d.0).sum();
        let scalable: f64 = drawn.iter().filter(|d| d.1).map(|d| d.0).sum();
        let scale = ((funnel_target * rng.range(0.97, 1.04) - fixed) / scalable).max(0.5);

        let mut targets = vec![
            ImportedTarget {
                period: period.year,
                owner: String::new(),
                amount_cents: round_cents(funnel_target, 10_000),
            },
            ImportedTarget {
                period: period.next().year,
                owner: String::new(),
                amount_cents: round_cents(funnel_target * rng.range(1.05, 1.2), 10_000),
            },
        ];
        targets.extend(
            sellers
                .iter()
                .zip(drawn)
                .map(|(s, (amount, scaled))| ImportedTarget {
                    period: period.year,
                    owner: s.name.clone(),
                    amount_cents: round_cents(if scaled { amount * scale } else { amount }, 1_000),
                }),
        );
        targets
    }
}

/// Skewed deal sizes: many 5k–60k, some 100k–400k, a rare one near a million.
fn value_cents(rng: &mut Rng, seller: &Seller, product: &Product) -> i64 {
    let (band, v) = (rng.unit(), rng.unit());
    let units = if band < 0.70 {
        5_000.0 + 55_000.0 * v * v
    } else if band < 0.82 {
        60_000.0 + 40_000.0 * v
    } else if band < 0.99 {
        100_000.0 + 300_000.0 * v * v
    } else {
        600_000.0 + 800_000.0 * v
    };
    // Team and product stretch the deal above the 5k floor.
    let units = 5_000.0 + (units - 5_000.0) * seller.deal_scale * product.scale;
    round_cents(units * 100.0, 100)
}

/// Cents rounded to a whole number of `units` (a value in cents in, cents out).
fn round_cents(cents: f64, units: i64) -> i64 {
    let step = (units * 100) as f64;
    ((cents / step).round() as i64).max(1) * units * 100
}

/// "240k", "1.2M": amounts in answers and notes.
fn compact(cents: i64) -> String {
    let units = cents / 100;
    if units >= 1_000_000 {
        format!("{}.{}M", units / 1_000_000, units % 1_000_000 / 100_000)
    } else {
        format!("{}k", (units / 1_000).max(1))
    }
}

/// `days` (at least one) before `date`.
/// The `i`-th card's stream number, salted for each of its streams.
fn stream(i: usize) -> u64 {
    (i as u64).wrapping_mul(0xD1B5_4A32_D192_ED03)
}

fn days_before(date: NaiveDate, days: f64) -> NaiveDate {
    date - Days::new((days as u64).max(1))
}

/// Whole days from `from` to `to` (at least 1, so it can bound a draw).
fn days_between(from: NaiveDate, to: NaiveDate) -> usize {
    usize::try_from((to - from).num_days()).unwrap_or(0).max(1)
}

fn end_of_month(date: NaiveDate) -> NaiveDate {
    let (y, m) = if date.month() == 12 {
        (date.year() + 1, 1)
    } else {
        (date.year(), date.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).expect("valid month") - Days::new(1)
}

/// A working-hours time on `day`, from `first_hour` to `last_hour`.
fn at(rng: &mut Rng, day: NaiveDate, first_hour: u32, last_hour: u32) -> NaiveDateTime {
    day.and_hms_opt(
        rng.between(first_hour, last_hour),
        rng.between(0, 59),
        rng.between(0, 59),
    )
    .expect("valid time")
}

/// A time in working hours, on the quarter hour.
fn quarter_hour(rng: &mut Rng) -> NaiveTime {
    let minutes = 8 * 60 + 15 * rng.below(40) as u32;
    NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0).expect("valid time")
}

/// A UUID v7 for `at`, its random bits from `rng`.
fn uuid_at(rng: &mut Rng, at: NaiveDateTime) -> String {
    let millis = u64::try_from(at.and_utc().timestamp_millis()).unwrap_or(0);
    let mut bytes = [0u8; 10];
    bytes[..8].copy_from_slice(&rng.next_u64().to_le_bytes());
    bytes[8..].copy_from_slice(&rng.next_u64().to_le_bytes()[..2]);
    uuid::Builder::from_unix_timestamp_millis(millis, &bytes)
        .into_uuid()
        .to_string()
}
