//! The data every schema fixture holds: two funnels, cards in every status and several stages
//! with their history, evidence, answers and people, a deleted card, targets, a daily snapshot,
//! two one-to-ones with action items and a card note, and sync state.
//!
//! Frozen with the fixtures: they were written from it once and are never made again, so an
//! edit here would only make the upgrade test compare them with other data. A future version's
//! fixture holds the same data; what a version cannot hold is said by [`Holds`].

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::domain::{
    ActivityKind, Answer, EventKind, Evidence, Opportunity, OpportunityFields, Person, Stage,
    StageEvent, Status,
};
use crate::store::Records;

/// What a schema version can hold beyond the cards, their records and the targets (which the
/// first one already held).
#[derive(Debug, Clone, Copy)]
pub(super) struct Holds {
    pub snapshots: bool,
    pub sync: bool,
    pub meetings: bool,
    /// The seller's day: activities, next steps with a day and time, funnel settings.
    pub day: bool,
}

impl Holds {
    /// What version `version` holds: the steps that added each (2, 3, 4 and 14) have run.
    pub fn at(version: usize) -> Holds {
        Holds {
            snapshots: version >= 2,
            sync: version >= 3,
            meetings: version >= 4,
            day: version >= 14,
        }
    }
}

/// A funnel: id, name, currency, fiscal-year start.
pub(super) type FunnelData = (&'static str, &'static str, &'static str, u32);

pub(super) const MAIN: FunnelData = ("0190c8a0-0000-7000-8000-0000000000f1", "main", "EUR", 1);
pub(super) const EMEA: FunnelData = ("0190c8a0-0000-7000-8000-0000000000f2", "emea", "USD", 4);
pub(super) const FUNNELS: [FunnelData; 2] = [MAIN, EMEA];

/// When the funnels were made, and who writes what is not a card's (funnels, targets,
/// snapshots, meetings).
pub(super) const FUNNELS_MADE: &str = "2026-01-05 08:00";
pub(super) const LEAD: &str = "lead";

/// A card as it was last written.
pub(super) struct CardData {
    pub opportunity: Opportunity,
    pub records: Records,
    /// When it was last written (its `updated_at`, and its records') and by whom.
    pub stamp: NaiveDateTime,
    pub actor: &'static str,
    /// When the same actor deleted it, if they did (one version more, stamped then).
    pub deleted: Option<NaiveDateTime>,
}

pub(super) struct TargetData {
    pub funnel: FunnelData,
    pub period: i32,
    pub owner: &'static str,
    pub amount_cents: i64,
}

/// Targets, all set at [`TARGETS_SET`] by the lead.
pub(super) const TARGETS: [TargetData; 3] = [
    TargetData {
        funnel: MAIN,
        period: 2026,
        owner: "",
        amount_cents: 200_000_00,
    },
    TargetData {
        funnel: MAIN,
        period: 2026,
        owner: "ana",
        amount_cents: 80_000_00,
    },
    TargetData {
        funnel: EMEA,
        period: 2025,
        owner: "",
        amount_cents: 90_000_00,
    },
];
pub(super) const TARGETS_SET: &str = "2026-01-06 08:00";

/// The snapshot of the main funnel's 2026, kept at [`SNAPSHOT_KEPT`]: (day, RTV, sales to date,
/// target, gap, factor, probability).
pub(super) const SNAPSHOT: (&str, i64, i64, i64, i64, f64, f64) = (
    "2026-05-03",
    75_000_00,
    30_000_00,
    200_000_00,
    95_000_00,
    1.5,
    0.25,
);
pub(super) const SNAPSHOT_KEPT: &str = "2026-05-03 18:00";

/// A one-to-one of the main funnel with ana, held the day it started.
pub(super) struct MeetingData {
    pub id: &'static str,
    pub started: &'static str,
    pub skill: &'static str,
    pub notes: &'static str,
    /// (id, owner, text, due, done).
    pub items: &'static [(
        &'static str,
        &'static str,
        &'static str,
        Option<&'static str>,
        bool,
    )],
    /// (id, card, note).
    pub card_notes: &'static [(&'static str, &'static str, &'static str)],
}

pub(super) const MEETINGS: [MeetingData; 2] = [
    MeetingData {
        id: "0190c8a0-0000-7000-8000-00000000a001",
        started: "2026-04-06 10:00",
        skill: "Discovery",
        notes: "Pipeline review",
        items: &[
            (
                "0190c8a0-0000-7000-8000-00000000a101",
                "ana",
                "Call the Globex CFO",
                Some("2026-04-20"),
                false,
            ),
            (
                "0190c8a0-0000-7000-8000-00000000a102",
                "lead",
                "Send the pricing deck",
                None,
                true,
            ),
        ],
        card_notes: &[],
    },
    MeetingData {
        id: "0190c8a0-0000-7000-8000-00000000a002",
        started: "2026-05-04 10:00",
        skill: "",
        notes: "Follow-up",
        items: &[],
        card_notes: &[(
            "0190c8a0-0000-7000-8000-00000000a201",
            GLOBEX,
            "Ask who owns the budget",
        )],
    },
];

/// An activity logged on a card after the cards were written (version 14): `at` a minute of
/// its day if any, `logged` when and by whom, `deleted` when the same seller removed it.
pub(super) struct ActivityData {
    pub id: &'static str,
    pub card: &'static str,
    pub kind: ActivityKind,
    pub on: &'static str,
    pub at: Option<(u32, u32)>,
    pub with: &'static str,
    pub summary: &'static str,
    pub logged: &'static str,
    pub by: &'static str,
    pub deleted: Option<&'static str>,
}

pub(super) const ACTIVITIES: [ActivityData; 3] = [
    ActivityData {
        id: "0190c8a0-0000-7000-8000-00000000d001",
        card: GLOBEX,
        kind: ActivityKind::Meeting,
        on: "2026-04-22",
        at: Some((14, 0)),
        with: "Dana Scully",
        summary: "Business case review",
        logged: "2026-04-22 16:00",
        by: "ana",
        deleted: None,
    },
    ActivityData {
        id: "0190c8a0-0000-7000-8000-00000000d002",
        card: ACME,
        kind: ActivityKind::Call,
        on: "2026-04-28",
        at: Some((10, 15)),
        with: "Wile E.",
        summary: "Renewal terms",
        logged: "2026-04-28 10:30",
        by: "ana",
        deleted: None,
    },
    ActivityData {
        id: "0190c8a0-0000-7000-8000-00000000d003",
        card: ACME,
        kind: ActivityKind::Note,
        on: "2026-04-30",
        at: None,
        with: "",
        summary: "Sent the quote",
        logged: "2026-04-30 17:00",
        by: "ana",
        deleted: Some("2026-05-01 09:00"),
    },
];

/// A next step set after the activities (version 14): card, text, due day, minute, when, by
/// whom. Each is also a change of the card's fields, which its timeline shows.
pub(super) type NextStepData = (
    &'static str,
    &'static str,
    &'static str,
    Option<(u32, u32)>,
    &'static str,
    &'static str,
);

pub(super) const NEXT_STEPS: [NextStepData; 2] = [
    (
        ACME,
        "Call back about the terms",
        "2026-05-04",
        Some((9, 30)),
        "2026-05-02 08:00",
        "ana",
    ),
    (
        GLOBEX,
        "Demo to the CFO",
        "2026-05-06",
        None,
        "2026-05-02 08:05",
        "ana",
    ),
];

/// What the main funnel's board remembers (version 14): name and value.
pub(super) const FUNNEL_SETTING: (&str, &str) = ("board.order", "next_step_due");

/// Sync state: the keys a sync keeps beside `enabled` and the node.
pub(super) const SYNC_VALUES: [(&str, &str); 2] =
    [("cursor", "17"), ("synced_at", "2026-05-03T17:00:00+00:00")];
/// The card whose last push the hub refused, and why; every funnel was pushed.
pub(super) const REFUSED: (&str, &str) = (GLOBEX, "permission denied for table opportunities");

const ACME: &str = "0190c8a0-0000-7000-8000-000000000c01";
const GLOBEX: &str = "0190c8a0-0000-7000-8000-000000000c02";
const INITECH: &str = "0190c8a0-0000-7000-8000-000000000c03";
const UMBRELLA: &str = "0190c8a0-0000-7000-8000-000000000c04";
const STARK: &str = "0190c8a0-0000-7000-8000-000000000c05";
const WAYNE: &str = "0190c8a0-0000-7000-8000-000000000c06";
const SOYLENT: &str = "0190c8a0-0000-7000-8000-000000000c07";
const TYRELL: &str = "0190c8a0-0000-7000-8000-000000000c08";

/// `YYYY-MM-DD HH:MM`.
pub(super) fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("a time of the data")
}

/// `YYYY-MM-DD`.
pub(super) fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a day of the data")
}

/// `(hours, minutes)` as a time of day.
pub(super) fn minute((h, m): (u32, u32)) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("a time of the data")
}

/// A record's id: the card's, then `kind` and `n`.
pub(super) fn record_id(card: &str, kind: char, n: usize) -> String {
    format!("{card}-{kind}{n}")
}

fn event(
    card: &str,
    n: usize,
    at_: &str,
    kind: EventKind,
    from: Option<Stage>,
    to: Stage,
) -> StageEvent {
    StageEvent {
        id: record_id(card, 'e', n),
        at: at(at_),
        kind,
        from_stage: from,
        to_stage: to,
        evidence_confirmed: true,
        note: String::new(),
        by: None,
    }
}

fn evidence(stage: Stage, on: &str, note: &str) -> Evidence {
    Evidence {
        stage,
        confirmed_on: day(on),
        note: note.into(),
    }
}

fn answer(stage: Stage, question: usize, asked: bool, text: &str) -> Answer {
    Answer {
        stage,
        question,
        asked,
        answer: text.into(),
    }
}

fn person(card: &str, n: usize, name: &str, role: &str, scores: (u8, u8), why: &str) -> Person {
    Person {
        id: record_id(card, 'p', n),
        name: name.into(),
        role: role.into(),
        influence: scores.0,
        authority: scores.1,
        motivations: why.into(),
    }
}

/// Who sells where: (owner, team, region, territory).
pub(super) const ANA: (&str, &str, &str, &str) = ("ana", "north", "eu", "fr");
const BOB: (&str, &str, &str, &str) = ("bob", "south", "eu", "es");

/// A card of `funnel` sold by `seller`, created on `created` in `stage` and in it since then.
fn card(
    id: &str,
    funnel: FunnelData,
    seller: (&str, &str, &str, &str),
    (title, account, value_cents): (&str, &str, i64),
    stage: Stage,
    created: &str,
) -> Opportunity {
    let (owner, team, region, territory) = seller;
    let fields = OpportunityFields {
        title: title.into(),
        account: account.into(),
        value_cents,
        owner: owner.into(),
        team: team.into(),
        region: region.into(),
        territory: territory.into(),
        ..OpportunityFields::default()
    };
    Opportunity::open(id.into(), funnel.0.into(), fields, stage, day(created))
}

/// Every card, in the order they were written.
pub(super) fn cards() -> Vec<CardData> {
    use EventKind::{Created, Lost, Moved, Reopened, Won};
    use Stage::*;
    let written = |opportunity: Opportunity, records: Records, stamp: &str, actor| CardData {
        opportunity,
        records,
        stamp: at(stamp),
        actor,
        deleted: None,
    };

    let mut acme = card(
        ACME,
        MAIN,
        ANA,
        ("Acme renewal", "Acme", 1_200_00),
        PreFunnel,
        "2026-02-02",
    );
    acme.fields.product = "Support".into();
    let acme_records = Records {
        history: vec![event(ACME, 1, "2026-02-02 09:00", Created, None, PreFunnel)],
        ..Records::default()
    };

    let mut globex = card(
        GLOBEX,
        MAIN,
        ANA,
        ("Globex platform", "Globex", 45_000_00),
        PreFunnel,
        "2026-01-10",
    );
    globex.stage = CommitsToInvest;
    globex.stage_since = day("2026-04-01");
    globex.version = 4;
    let f = &mut globex.fields;
    f.product = "Platform".into();
    f.expected_close = Some(day("2026-09-30"));
    f.decision_date = Some(day("2026-08-15"));
    f.budget_cents = Some(50_000_00);
    f.problem_cost_cents = Some(120_000_00);
    f.decision_criteria = "Total cost over three years".into();
    f.next_step = "Demo to the CFO".into();
    let mut forced = event(
        GLOBEX,
        4,
        "2026-04-01 12:00",
        Moved,
        Some(ImpactDefined),
        CommitsToInvest,
    );
    forced.evidence_confirmed = false;
    forced.note = "forced".into();
    let globex_records = Records {
        history: vec![
            event(GLOBEX, 1, "2026-01-10 09:00", Created, None, PreFunnel),
            event(
                GLOBEX,
                2,
                "2026-02-01 10:00",
                Moved,
                Some(PreFunnel),
                ProblemRecognized,
            ),
            event(
                GLOBEX,
                3,
                "2026-03-01 11:00",
                Moved,
                Some(ProblemRecognized),
                ImpactDefined,
            ),
            forced,
        ],
        evidence: vec![
            evidence(PreFunnel, "2026-01-31", "Pain named by the CFO"),
            evidence(ProblemRecognized, "2026-02-28", ""),
        ],
        answers: vec![
            answer(ImpactDefined, 0, true, "Yes"),
            answer(CommitsToInvest, 0, true, "Budget approved by the board"),
            answer(CommitsToInvest, 1, false, ""),
        ],
        people: vec![
            person(GLOBEX, 1, "Dana Scully", "Decision maker", (5, 5), "Cost"),
            person(GLOBEX, 2, "Fox Mulder", "User", (3, 1), ""),
        ],
        activities: Vec::new(),
    };

    let mut initech = card(
        INITECH,
        MAIN,
        BOB,
        ("Initech rollout", "Initech", 30_000_00),
        EvaluatesAlternatives,
        "2026-01-15",
    );
    initech.stage = Closing;
    initech.stage_since = day("2026-04-02");
    initech.status = Status::Won;
    initech.closed = Some(day("2026-04-20"));
    initech.version = 4;
    let initech_records = Records {
        history: vec![
            event(
                INITECH,
                1,
                "2026-01-15 09:00",
                Created,
                None,
                EvaluatesAlternatives,
            ),
            event(
                INITECH,
                2,
                "2026-03-02 09:30",
                Moved,
                Some(EvaluatesAlternatives),
                VendorSelected,
            ),
            event(
                INITECH,
                3,
                "2026-04-02 14:00",
                Moved,
                Some(VendorSelected),
                Closing,
            ),
            event(INITECH, 4, "2026-04-20 16:00", Won, Some(Closing), Closing),
        ],
        evidence: vec![
            evidence(EvaluatesAlternatives, "2026-03-01", "Shortlist"),
            evidence(VendorSelected, "2026-04-01", ""),
        ],
        ..Records::default()
    };

    let mut umbrella = card(
        UMBRELLA,
        MAIN,
        BOB,
        ("Umbrella pilot", "Umbrella", 8_000_00),
        PreFunnel,
        "2026-01-20",
    );
    umbrella.stage = ImpactDefined;
    umbrella.stage_since = day("2026-02-15");
    umbrella.status = Status::Lost;
    umbrella.closed = Some(day("2026-03-10"));
    umbrella.lost_reason = "Price".into();
    umbrella.version = 3;
    let mut skipped = event(
        UMBRELLA,
        2,
        "2026-02-15 15:00",
        Moved,
        Some(PreFunnel),
        ImpactDefined,
    );
    skipped.evidence_confirmed = false;
    let mut lost = event(
        UMBRELLA,
        3,
        "2026-03-10 11:00",
        Lost,
        Some(ImpactDefined),
        ImpactDefined,
    );
    lost.note = "Price".into();
    let umbrella_records = Records {
        history: vec![
            event(UMBRELLA, 1, "2026-01-20 09:00", Created, None, PreFunnel),
            skipped,
            lost,
        ],
        ..Records::default()
    };

    let mut stark = card(
        STARK,
        MAIN,
        ANA,
        ("Stark upgrade", "Stark", 15_000_00),
        ProblemRecognized,
        "2026-01-05",
    );
    stark.fields.expected_close = Some(day("2027-01-31"));
    stark.version = 3;
    let mut no_budget = event(
        STARK,
        2,
        "2026-02-10 10:00",
        Lost,
        Some(ProblemRecognized),
        ProblemRecognized,
    );
    no_budget.note = "No budget".into();
    let stark_records = Records {
        history: vec![
            event(
                STARK,
                1,
                "2026-01-05 09:00",
                Created,
                None,
                ProblemRecognized,
            ),
            no_budget,
            event(
                STARK,
                3,
                "2026-03-05 10:00",
                Reopened,
                Some(ProblemRecognized),
                ProblemRecognized,
            ),
        ],
        ..Records::default()
    };

    let wayne = card(
        WAYNE,
        MAIN,
        ANA,
        ("Wayne survey", "Wayne", 500_00),
        PreFunnel,
        "2026-03-20",
    );
    let wayne_records = Records {
        history: vec![event(
            WAYNE,
            1,
            "2026-03-20 09:00",
            Created,
            None,
            PreFunnel,
        )],
        people: vec![person(WAYNE, 1, "Alfred", "Butler", (2, 0), "")],
        ..Records::default()
    };

    let mut soylent = card(
        SOYLENT,
        EMEA,
        BOB,
        ("Soylent expansion", "Soylent", 22_000_00),
        DecisionCriteria,
        "2026-02-10",
    );
    soylent.fields.expected_close = Some(day("2026-06-30"));
    let soylent_records = Records {
        history: vec![event(
            SOYLENT,
            1,
            "2026-02-10 09:00",
            Created,
            None,
            DecisionCriteria,
        )],
        answers: vec![answer(DecisionCriteria, 0, true, "Criteria listed")],
        ..Records::default()
    };

    let mut tyrell = card(
        TYRELL,
        EMEA,
        ANA,
        ("Tyrell licences", "Tyrell", 60_000_00),
        VendorSelected,
        "2026-01-08",
    );
    tyrell.status = Status::Won;
    tyrell.closed = Some(day("2026-03-31"));
    tyrell.version = 2;
    let tyrell_records = Records {
        history: vec![
            event(TYRELL, 1, "2026-01-08 09:00", Created, None, VendorSelected),
            event(
                TYRELL,
                2,
                "2026-03-31 17:00",
                Won,
                Some(VendorSelected),
                VendorSelected,
            ),
        ],
        people: vec![person(
            TYRELL,
            1,
            "Eldon Tyrell",
            "Sponsor",
            (4, 5),
            "Growth",
        )],
        ..Records::default()
    };

    let mut deleted = written(wayne, wayne_records, "2026-03-20 09:00", "ana");
    deleted.deleted = Some(at("2026-04-02 10:00"));
    vec![
        written(acme, acme_records, "2026-02-02 09:00", "ana"),
        written(globex, globex_records, "2026-04-01 12:00", "ana"),
        written(initech, initech_records, "2026-04-20 16:00", "bob"),
        written(umbrella, umbrella_records, "2026-03-10 11:00", "bob"),
        written(stark, stark_records, "2026-03-05 10:00", "ana"),
        deleted,
        written(soylent, soylent_records, "2026-02-10 09:00", "bob"),
        written(tyrell, tyrell_records, "2026-03-31 17:00", "ana"),
    ]
}
