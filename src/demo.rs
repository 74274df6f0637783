//! Realistic, deterministic sample data: `funnel demo`, screenshots, tests and benchmarks.
//!
//! Everything comes from a small seeded PRNG (splitmix64) and plain arithmetic — no `rand`, no
//! floating-point library calls whose last bit could differ between platforms — so a seed gives
//! the same data forever. Each card draws from its own stream (seed, index), so cards do not
//! depend on each other and any number of them is generated in fixed memory, streamed into the
//! store in chunks of [`CHUNK`] per transaction.
//!
//! The data is shaped for the views that read it: six sellers in three teams and four regions
//! with different habits (win rate, stale cards, forced moves, ambition), fewer cards in later
//! stages, skewed values, closed cards over the past two years, histories consistent with each
//! card's stage (evidence on every verified move), checklists partly answered, buying centres,
//! and targets sized so the funnel factor is worth discussing.
//!
//! Ids are UUID v7 built from the card's creation time and a stream of (seed, funnel name), so
//! they are stable too: generating the same seed into the same funnel again rewrites the same
//! cards instead of adding copies (use another seed to add more).

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime};

use crate::domain::indicators;
use crate::domain::{
    Answer, Catalog, EventKind, Evidence, Lang, Opportunity, OpportunityFields, Period, Person,
    Stage, StageEvent, Status,
};
use crate::store::{self, Funnel, Imported, ImportedTarget, Records, Store};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoOptions {
    /// Number of opportunities.
    pub size: usize,
    /// Same seed, same data.
    pub seed: u64,
    /// The day the data is generated for: every event is before it.
    pub today: NaiveDate,
}

impl DemoOptions {
    pub const DEFAULT_SIZE: usize = 60;
    pub const DEFAULT_SEED: u64 = 2026;

    /// `size` opportunities with the default seed.
    pub fn new(size: usize, today: NaiveDate) -> DemoOptions {
        DemoOptions {
            size,
            seed: DemoOptions::DEFAULT_SEED,
            today,
        }
    }
}

/// Up to this size every card gets its full checklist and buying centre; above it, only this
/// many cards do, drawn at random (histories and evidence stay complete for every card).
const FULL_DETAIL_UP_TO: usize = 20_000;

/// Fills `funnel` with `size` opportunities and targets; returns how many were added.
///
/// Cards are written in creation order, in one transaction (all or nothing): into an empty
/// database the store then builds its indexes once, after the load. Targets already set are
/// kept. The same seed into the same funnel rewrites the same cards, so it adds none.
pub fn generate(
    store: &mut Store,
    funnel: &Funnel,
    options: &DemoOptions,
    progress: store::OnProgress,
) -> store::Result<usize> {
    if options.size == 0 {
        return Ok(0);
    }
    let plan = Plan::new(funnel, options);
    // Written in creation order: ids are UUID v7 of the creation time, so every index keyed by
    // an opportunity id grows at its end instead of being rewritten at random (several times
    // faster at a million cards). 16 bytes a card; the cards themselves are made as written.
    let mut order: Vec<(i64, usize)> = (0..options.size)
        .map(|i| (plan.skeleton(i).created_at.and_utc().timestamp(), i))
        .collect();
    order.sort_unstable();
    let cards = order.iter().map(|&(_, i)| plan.card(i));
    let added = store.import(funnel, cards, &[], false, progress)?.added;
    // Targets someone already set (demo added to a working funnel) are left alone.
    let mut missing = Vec::new();
    for t in plan.targets(&store.totals(funnel)?) {
        let owner = (!t.owner.is_empty()).then_some(t.owner.as_str());
        if store.target(funnel, t.period, owner)?.is_none() {
            missing.push(t);
        }
    }
    store.import(funnel, std::iter::empty(), &missing, false, None)?;
    if options.size <= TREND_MAX_SIZE {
        record_trend(store, funnel, options.today)?;
    }
    Ok(added)
}

/// Above this size the demo keeps no past snapshots (replaying every history costs too much).
const TREND_MAX_SIZE: usize = 5_000;
/// Days of past indicator snapshots the demo replays, so the dashboard has a trend to show.
const TREND_DAYS: u64 = 90;

/// Replays the cards' histories to write the daily indicator snapshots of the last 90 days, as
/// if the board had been opened every day: each day, every card as it stood then (its stage,
/// won or lost), summed like the footer. The probability is not replayed (left empty).
fn record_trend(store: &mut Store, funnel: &Funnel, today: NaiveDate) -> store::Result<()> {
    let filter = store::CardFilter {
        closed_too: true,
        ..Default::default()
    };
    let cards: Vec<(Opportunity, Vec<StageEvent>)> = store
        .opportunities(funnel, &filter)?
        .into_iter()
        .map(|o| {
            let history = store.history(&o.id)?;
            Ok((o, history))
        })
        .collect::<store::Result<_>>()?;
    for back in (1..=TREND_DAYS).rev() {
        let day = today - Days::new(back);
        let then: Vec<Opportunity> = cards.iter().filter_map(|(o, h)| as_of(o, h, day)).collect();
        let period = Period::containing(day, funnel.fiscal_start);
        let target = store.target(funnel, period.year, None)?.map(i128::from);
        let rows = indicators::aggregate(&then, funnel.fiscal_start);
        let s = indicators::summarize(&rows, period, true, target, None);
        // Past days' probabilities cannot be replayed from the history alone.
        let snapshot = crate::domain::insight::Snapshot::of(day, &s, None);
        store.save_snapshot(funnel, period.year, &snapshot)?;
    }
    Ok(())
}

/// A card as it stood at the end of `day` according to its history (none before it existed).
fn as_of(opp: &Opportunity, history: &[StageEvent], day: NaiveDate) -> Option<Opportunity> {
    if opp.created > day {
        return None;
    }
    let mut then = opp.clone();
    then.status = Status::Open;
    then.closed = None;
    for event in history.iter().filter(|e| e.at.date() <= day) {
        then.stage = event.to_stage;
        match event.kind {
            EventKind::Won | EventKind::Lost => {
                then.status = if event.kind == EventKind::Won {
                    Status::Won
                } else {
                    Status::Lost
                };
                then.closed = Some(event.at.date());
            }
            EventKind::Reopened => {
                then.status = Status::Open;
                then.closed = None;
            }
            EventKind::Created | EventKind::Moved => {}
        }
    }
    Some(then)
}

// ---------------------------------------------------------------------------------------------
// The PRNG

/// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, and good enough for sample data.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn range(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }

    /// Uniform in 0..n (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in low..=high.
    fn between(&mut self, low: u32, high: u32) -> u32 {
        low + self.below((high - low + 1) as usize) as u32
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index drawn with the given weights.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    /// An item drawn with the weight `weight` gives it.
    fn weighted_by<'a, T>(&mut self, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
        let total: u32 = items.iter().map(&weight).sum();
        let mut x = self.below(total as usize) as u32;
        for item in items {
            if x < weight(item) {
                return item;
            }
            x -= weight(item);
        }
        &items[items.len() - 1]
    }
}

/// splitmix64's finaliser: a bijective scramble of 64 bits.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a, to fold a name into a seed.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
    })
}

// ---------------------------------------------------------------------------------------------
// Word lists

struct Seller {
    name: &'static str,
    team: &'static str,
    region: &'static str,
    territories: &'static [&'static str],
    /// Share of the cards.
    weight: u32,
    /// Share of closed cards that are won.
    win: f64,
    /// Share of open cards overdue in their stage.
    stale: f64,
    /// Share of moves made without the evidence confirmed.
    unverified: f64,
    /// Factor the seller's individual target is set for (low: a hard target); `None`: the
    /// target is already reached.
    ambition: Option<f64>,
}

const ENTERPRISE: &str = "Enterprise";
const MID_MARKET: &str = "Mid-market";
const PUBLIC_SECTOR: &str = "Public sector";

static SELLERS: [Seller; 6] = [
    Seller {
        name: "Ana Silva",
        team: ENTERPRISE,
        region: "South",
        territories: &["Iberia", "Italy"],
        weight: 18,
        win: 0.68,
        stale: 0.15,
        unverified: 0.04,
        ambition: Some(2.4),
    },
    Seller {
        name: "Marc Dubois",
        team: ENTERPRISE,
        region: "West",
        territories: &["France", "Benelux"],
        weight: 20,
        win: 0.50,
        stale: 0.38,
        unverified: 0.20,
        ambition: Some(1.2),
    },
    Seller {
        name: "Julia Weber",
        team: MID_MARKET,
        region: "East",
        territories: &["DACH", "Poland", "Czechia"],
        weight: 17,
        win: 0.62,
        stale: 0.20,
        unverified: 0.08,
        ambition: Some(2.0),
    },
    Seller {
        name: "Tom Becker",
        team: MID_MARKET,
        region: "North",
        territories: &["Nordics", "Baltics"],
        weight: 15,
        win: 0.45,
        stale: 0.30,
        unverified: 0.12,
        ambition: Some(0.9),
    },
    Seller {
        name: "Sofia Rossi",
        team: PUBLIC_SECTOR,
        region: "South",
        territories: &["Italy", "Greece"],
        weight: 16,
        win: 0.58,
        stale: 0.25,
        unverified: 0.06,
        ambition: Some(1.7),
    },
    Seller {
        name: "Lucas Martin",
        team: PUBLIC_SECTOR,
        region: "West",
        territories: &["France", "UK & Ireland"],
        weight: 14,
        win: 0.55,
        stale: 0.20,
        unverified: 0.10,
        ambition: None,
    },
];

struct Product {
    name: &'static str,
    weight: u32,
    /// Multiplies the drawn value (training and support deals are smaller).
    scale: f64,
    titles: &'static [&'static str],
}

static PRODUCTS: [Product; 5] = [
    Product {
        name: "Analytics suite",
        weight: 30,
        scale: 1.0,
        titles: &[
            "Sales analytics rollout",
            "Executive dashboards",
            "Customer analytics pilot",
            "Finance reporting upgrade",
            "Supply chain analytics",
            "Fleet telemetry rollout",
        ],
    },
    Product {
        name: "Data platform",
        weight: 25,
        scale: 1.3,
        titles: &[
            "Data platform renewal",
            "Data warehouse migration",
            "Data lake consolidation",
            "Real-time data pipeline",
            "Master data clean-up",
            "Cloud data platform expansion",
        ],
    },
    Product {
        name: "Integration services",
        weight: 15,
        scale: 0.9,
        titles: &[
            "ERP integration",
            "CRM integration project",
            "Legacy system migration",
            "API gateway integration",
        ],
    },
    Product {
        name: "Support plan",
        weight: 18,
        scale: 0.4,
        titles: &[
            "Premium support renewal",
            "24/7 support extension",
            "Support plan upgrade",
            "Multi-site support contract",
        ],
    },
    Product {
        name: "Training",
        weight: 12,
        scale: 0.3,
        titles: &[
            "Analyst training programme",
            "Admin certification courses",
            "Onboarding training",
            "Data literacy workshops",
        ],
    },
];

/// Invented place-like names, used for companies and public bodies alike.
const PLACES: [&str; 40] = [
    "Norvik",
    "Helia",
    "Aldmoor",
    "Brisvale",
    "Corveth",
    "Dunmere",
    "Estrel",
    "Granvik",
    "Holmstad",
    "Iveria",
    "Jorvale",
    "Kellan",
    "Lindqvist",
    "Marivel",
    "Nordby",
    "Pellora",
    "Quenby",
    "Rovana",
    "Selvik",
    "Tarrow",
    "Ulvena",
    "Valmora",
    "Wrenfield",
    "Yarrow",
    "Zelten",
    "Bramford",
    "Corrin",
    "Halden",
    "Merrow",
    "Ostberg",
    "Ravelin",
    "Solvend",
    "Thessel",
    "Vantrel",
    "Amberly",
    "Calder",
    "Fenwick",
    "Larchmont",
    "Orvella",
    "Sundra",
];

const SECTORS: [&str; 28] = [
    "Logistics",
    "Foods",
    "Energy",
    "Health",
    "Retail",
    "Manufacturing",
    "Insurance",
    "Pharma",
    "Textiles",
    "Engineering",
    "Telecom",
    "Transport",
    "Construction",
    "Media",
    "Hotels",
    "Chemicals",
    "Agritech",
    "Steel",
    "Paper",
    "Automotive",
    "Freight",
    "Labs",
    "Systems",
    "Mobility",
    "Dairy",
    "Packaging",
    "Furniture",
    "Utilities",
];

const COMPANY_FORMS: [&str; 3] = ["", " Group", " International"];

const PUBLIC_BODIES: [&str; 6] = [
    "City Council",
    "Regional Health Board",
    "University",
    "Water Authority",
    "Transport Authority",
    "County Council",
];

const FIRST_NAMES: [&str; 24] = [
    "Elena", "Jonas", "Amira", "Pieter", "Clara", "Mateo", "Ingrid", "Karim", "Nora", "Hugo",
    "Lena", "Omar", "Freya", "Luca", "Maja", "Samuel", "Ines", "Viktor", "Leonie", "Rafael",
    "Astrid", "Daniel", "Yara", "Felix",
];

const LAST_NAMES: [&str; 24] = [
    "Jensen", "Moreau", "Kowalski", "Van Dijk", "Novak", "Lindholm", "Costa", "Fischer", "Haddad",
    "Brennan", "Aalto", "Ferreira", "Keller", "Petit", "Horvath", "Eriksen", "Santos", "Lambert",
    "Meyer", "Romano", "Olsen", "Duarte", "Wagner", "Nilsson",
];

/// Role in the purchase, with ranges of (authority, influence) and typical motivations.
struct Role {
    name: &'static str,
    authority: (u32, u32),
    influence: (u32, u32),
    motivations: &'static [&'static str],
}

const ROLES: [Role; 5] = [
    Role {
        name: "Economic buyer",
        authority: (4, 5),
        influence: (3, 5),
        motivations: &[
            "Wants the cost under control before the audit",
            "Needs a visible result for the board this year",
            "Will not sign without a clear payback",
        ],
    },
    Role {
        name: "Sponsor",
        authority: (2, 4),
        influence: (3, 5),
        motivations: &[
            "Sees the project as a step to a bigger role",
            "Promised the COO results by the autumn",
            "Tired of firefighting every month end",
        ],
    },
    Role {
        name: "Technical buyer",
        authority: (1, 3),
        influence: (2, 4),
        motivations: &[
            "Security and a clean integration first",
            "Wants fewer systems to maintain",
            "Worried about migration effort",
        ],
    },
    Role {
        name: "User",
        authority: (0, 2),
        influence: (1, 3),
        motivations: &[
            "Less manual work at month end",
            "Faster answers for customers",
            "Wants tools that work on the road",
        ],
    },
    Role {
        name: "Gatekeeper",
        authority: (1, 2),
        influence: (2, 4),
        motivations: &[
            "Keeps procurement rules and timelines",
            "Avoids one more vendor to manage",
        ],
    },
];

const LOST_REASONS: [&str; 5] = [
    "Price",
    "Chose a competitor",
    "No budget",
    "Project cancelled",
    "No decision",
];
/// Weights of [`LOST_REASONS`] for a card lost before it was viable, and after.
const LOST_EARLY: [u32; 5] = [1, 1, 4, 3, 4];
const LOST_LATE: [u32; 5] = [4, 5, 1, 2, 2];

/// Open cards per stage: fewer in later stages.
const OPEN_MIX: [u32; Stage::COUNT] = [25, 20, 16, 12, 10, 8, 5, 4];
/// The stage a lost card was lost in.
const LOST_MIX: [u32; Stage::COUNT] = [6, 10, 14, 16, 18, 20, 10, 6];

const CRITERIA: [&str; 8] = [
    "Total cost over three years",
    "Ease of use",
    "Security certification",
    "Local support",
    "Integration with the ERP",
    "Time to deploy",
    "References in the sector",
    "Hosting in the EU",
];

const NEXT_STEPS: [&[&str]; Stage::COUNT] = [
    &[
        "Discovery call with the operations lead",
        "Send the benchmark study",
        "Visit the site to see today's process",
    ],
    &[
        "Map who is affected with our contact",
        "Workshop on the problem's history",
        "Interview the team leads",
    ],
    &[
        "Help finance put a figure on the cost",
        "Review the cost estimate with the CFO",
        "Collect error and overtime data",
    ],
    &[
        "Meet the budget owner",
        "Build the cost-of-inaction case with the sponsor",
        "Confirm the budget line",
    ],
    &[
        "Meet the authors of the requirements",
        "Review the RFP with our architect",
        "Clarify the evaluation grid",
    ],
    &[
        "Present the proposal on site",
        "Answer the follow-up questions",
        "Reference call with a similar customer",
    ],
    &[
        "Wait for the decision; check in with our contact",
        "Keep the inside contact informed, no chasing",
    ],
    &[
        "Collect the last signature",
        "Kick-off with delivery",
        "Send the countersigned contract",
    ],
];

/// Evidence notes per stage; `{cost}` is replaced by the problem's yearly cost.
const EVIDENCE_NOTES: [&[&str]; Stage::COUNT] = [
    &[
        "Ops manager described the reporting backlog",
        "Head of finance raised the problem at the trade fair",
        "Inbound request after our webinar",
    ],
    &[
        "CFO confirmed the problem in writing",
        "Acknowledged in the discovery meeting minutes",
        "Customer email: this is our top issue this year",
    ],
    &[
        "Customer puts the cost at {cost} a year",
        "Finance estimate: {cost} yearly",
    ],
    &[
        "Budget owner approved the investment in the steering committee",
        "Signed investment approval from the CFO",
    ],
    &[
        "Requirements document received",
        "RFP published with its evaluation grid",
        "Needs list signed off by the project team",
    ],
    &[
        "Proposal presented to the selection committee",
        "RFP closed; proposal walkthrough done on site",
    ],
    &[
        "Customer paused meetings while deciding",
        "Our contact confirmed the committee is deliberating",
    ],
    &["Contract signed", "Purchase order received"],
];

/// A short answer per checklist question (English catalog order); `{n}`, `{pct}` and `{cost}`
/// are filled in per card. A question the catalog adds later gets [`GENERIC_ANSWER`].
const ANSWERS: [&[[&str; 2]]; Stage::COUNT] = [
    &[
        [
            "Used daily by {n} planners; month-end runs are slow",
            "Spreadsheets on top of the ERP; works but fragile",
        ],
        [
            "Late reports hold up finance and purchasing",
            "Sales waits on them for stock figures",
        ],
        [
            "Manual weekly consolidation, rated poor internally",
            "Mostly manual and error-prone at peak season",
        ],
        [
            "Two analysts, no data engineer yet",
            "Strong on operations, weak on analytics",
        ],
        [
            "Cut the month-end close to {n} days",
            "Reduce stock-outs by {pct}% this year",
        ],
        [
            "No single source of truth",
            "IT backlog and a hiring freeze",
        ],
    ],
    &[
        ["About {n} years", "Since the merger, {n} years ago"],
        [
            "Worse since volumes grew {pct}%",
            "Stable, but more visible now",
        ],
        [
            "Finance yes, operations less so",
            "Yes, agreed at the last steering meeting",
        ],
        [
            "The IT director; high influence",
            "Regional managers; moderate influence",
        ],
        [
            "In-house scripts, dropped after {n} months",
            "A consultant study, never implemented",
        ],
        [
            "{n} people in finance, half a day a week each",
            "Customer service and the warehouse teams",
        ],
        ["Visibility with the new CEO", "Fewer weekend escalations"],
    ],
    &[
        ["About {cost} a year", "Around {cost} a year in lost margin"],
        [
            "No, not with this year's targets",
            "Tolerated so far, not any more",
        ],
        ["The CFO", "The COO and the board"],
        [
            "Overtime logs and error rates",
            "Returns and penalty data from finance",
        ],
        [
            "Grows with volume, roughly {pct}% more",
            "Same cost, plus audit risk",
        ],
    ],
    &[
        [
            "The CFO; approved in our meeting",
            "The managing director; approved by email",
        ],
        [
            "Yes, from this year's IT budget",
            "Yes, from the transformation programme",
        ],
        [
            "Rollout timeline and risks",
            "Nothing more; business case being signed",
        ],
        [
            "Yes, presented by our sponsor",
            "Mostly; finance validated the figures",
        ],
        [
            "Yes, it is in the business case",
            "Partly; we will show it again",
        ],
    ],
    &[
        [
            "Single reporting layer, SSO, {n}-week rollout",
            "Cloud hosting, API access, local support",
        ],
        [
            "Yes, received on the procurement portal",
            "An internal requirements list, shared with us",
        ],
        [
            "IT on security, finance on cost, operations on ease of use",
            "Procurement and two business leads",
        ],
        [
            "No sign of it",
            "Possibly; some wording matches a rival's brochure",
        ],
        [
            "Met the authors; we bid",
            "Early enough; we shaped two criteria",
        ],
    ],
    &[
        [
            "Mapped need by need in the proposal",
            "Covers everything but offline mode",
        ],
        [
            "Yes, a two-hour session on site",
            "Yes, by video with questions and answers",
        ],
        [
            "CFO, IT lead and key users attended",
            "The CFO was missing; follow-up planned",
        ],
        ["Data migration effort", "Price of the support tier"],
        [
            "Two competitors and an in-house build",
            "One competitor, and doing nothing",
        ],
    ],
    &[
        [
            "Yes, no chasing since the presentation",
            "Mostly; one reminder sent",
        ],
        ["Yes, the project lead", "Our sponsor in finance"],
        ["Yes", "Yes, news only through our contact"],
        ["A reference call with a customer", "Nothing outstanding"],
    ],
    &[
        ["Yes, all signatures in", "Waiting for the second signatory"],
        [
            "Project manager assigned and briefed",
            "Delivery team has kicked off",
        ],
        ["On track", "First phase delivered on time"],
        ["Training dates to confirm", "None"],
    ],
];

const GENERIC_ANSWER: &str = "Discussed with the customer; see the call notes";

// ---------------------------------------------------------------------------------------------
// Generation

/// What every card is drawn from.
struct Plan {
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
struct Skeleton {
    /// The card's stream, to carry on drawing from.
    rng: Rng,
    /// The card's stream of id bits.
    ids: Rng,
    seller: &'static Seller,
    status: Status,
    stage: Stage,
    stage_since: NaiveDate,
    closed: Option<NaiveDate>,
    timeline: Timeline,
    created_at: NaiveDateTime,
}

/// When a card entered each stage up to its current one.
struct Timeline {
    /// `entered[j]`: day the card entered stage j (`entered[0]` is its creation).
    entered: [NaiveDate; Stage::COUNT],
    /// `verified[j]`: the move out of stage j had its evidence confirmed.
    verified: [bool; Stage::COUNT],
}

impl Plan {
    fn new(funnel: &Funnel, options: &DemoOptions) -> Plan {
        let catalog = Catalog::get(Lang::En);
        let size = options.size;
        Plan {
            seed: mix(options.seed ^ 0x6675_6E6E_656C),
            id_seed: mix(options.seed ^ mix(fnv1a(&funnel.name))),
            today: options.today,
            period: Period::containing(options.today, funnel.fiscal_start),
            expected_days: Stage::ALL.map(|s| i64::from(catalog.info(s).expected_days.max(1))),
            questions: Stage::ALL.map(|s| catalog.info(s).questions.len()),
            companies: (size / 4).clamp(8, PLACES.len() * SECTORS.len() * COMPANY_FORMS.len()),
            public_bodies: (size / 10).clamp(4, PLACES.len() * PUBLIC_BODIES.len()),
            detail: if size <= FULL_DETAIL_UP_TO {
                1.0
            } else {
                FULL_DETAIL_UP_TO as f64 / size as f64
            },
        }
    }

    /// The first draws of the `i`-th card, from its own random stream: who, where in the
    /// journey, and when. Cheap, so [`generate`] can order the cards by creation first.
    fn skeleton(&self, i: usize) -> Skeleton {
        let stream = (i as u64).wrapping_mul(0xD1B5_4A32_D192_ED03);
        let mut rng = Rng::new(mix(self.seed ^ stream));
        let seller = rng.weighted_by(&SELLERS, |s| s.weight);
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
    fn card(&self, i: usize) -> Imported {
        let Skeleton {
            mut rng,
            mut ids,
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

        let product = rng.weighted_by(&PRODUCTS, |p| p.weight);
        let mut fields = OpportunityFields {
            title: rng.pick(product.titles).to_string(),
            account: self.account(&mut rng, seller.team == PUBLIC_SECTOR),
            value_cents: value_cents(&mut rng, seller, product),
            owner: seller.name.into(),
            team: seller.team.into(),
            region: seller.region.into(),
            territory: rng.pick(seller.territories).to_string(),
            product: product.name.into(),
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
            let first = rng.below(CRITERIA.len());
            let count = 2 + rng.below(2);
            fields.decision_criteria = (0..count)
                .map(|j| CRITERIA[(first + j * 3) % CRITERIA.len()])
                .collect::<Vec<_>>()
                .join(", ");
        }
        match status {
            Status::Open => {
                fields.next_step = rng.pick(NEXT_STEPS[k]).to_string();
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
            let weights = if stage.is_viable() {
                &LOST_LATE
            } else {
                &LOST_EARLY
            };
            LOST_REASONS[rng.weighted(weights)].to_string()
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
                note: rng.pick(EVIDENCE_NOTES[j]).replace("{cost}", &cost_text),
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
                note: rng.pick(EVIDENCE_NOTES[k]).replace("{cost}", &cost_text),
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
            let first_role = rng.below(ROLES.len());
            for p in 0..count {
                let role = &ROLES[(first_role + p * 2) % ROLES.len()];
                people.push(Person {
                    id: uuid_at(&mut ids, created_at),
                    name: format!("{} {}", rng.pick(&FIRST_NAMES), rng.pick(&LAST_NAMES)),
                    role: role.name.into(),
                    influence: rng.between(role.influence.0, role.influence.1) as u8,
                    authority: rng.between(role.authority.0, role.authority.1) as u8,
                    motivations: rng.pick(role.motivations).to_string(),
                });
            }
        }

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
            }),
        }
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
        if public {
            let a = (self.public_bodies as f64 * u * u) as usize;
            let n = (a * 7919) % (PLACES.len() * PUBLIC_BODIES.len());
            format!(
                "{} {}",
                PLACES[n % PLACES.len()],
                PUBLIC_BODIES[n / PLACES.len()]
            )
        } else {
            let a = (self.companies as f64 * u * u) as usize;
            let combos = PLACES.len() * SECTORS.len();
            let n = (a * 7919) % combos;
            format!(
                "{} {}{}",
                PLACES[n % PLACES.len()],
                SECTORS[n / PLACES.len()],
                COMPANY_FORMS[(a / combos) % COMPANY_FORMS.len()]
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
            let template = ANSWERS[stage.index()]
                .get(question)
                .map_or(GENERIC_ANSWER, |variants| *rng.pick(variants));
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
    fn targets(&self, rows: &[indicators::TotalRow]) -> Vec<ImportedTarget> {
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
        let drawn: Vec<(f64, bool)> = SELLERS
            .iter()
            .map(|s| {
                let (won, rtv) = current(Some(s.name));
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
            SELLERS
                .iter()
                .zip(drawn)
                .map(|(s, (amount, scaled))| ImportedTarget {
                    period: period.year,
                    owner: s.name.into(),
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
    let team = match seller.team {
        ENTERPRISE => 1.3,
        MID_MARKET => 0.75,
        _ => 1.0,
    };
    // Team and product stretch the deal above the 5k floor.
    let units = 5_000.0 + (units - 5_000.0) * team * product.scale;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::indicators::{aggregate, summarize};
    use crate::store::{CardFilter, Clock};

    const TODAY: (i32, u32, u32) = (2026, 7, 15);
    /// Fiscal year from April: periods straddle calendar years.
    const FISCAL_START: u32 = 4;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).unwrap()
    }

    fn sample(size: usize, seed: u64) -> (Store, Funnel) {
        let mut store = Store::open_in_memory().unwrap();
        store.set_clock(Clock::Fixed(today().and_hms_opt(12, 0, 0).unwrap()));
        store.set_actor("demo");
        let funnel = store.add_funnel("main", "EUR", FISCAL_START).unwrap();
        let options = DemoOptions {
            size,
            seed,
            today: today(),
        };
        assert_eq!(generate(&mut store, &funnel, &options, None).unwrap(), size);
        (store, funnel)
    }

    fn everything() -> CardFilter {
        CardFilter {
            closed_too: true,
            ..CardFilter::default()
        }
    }

    /// Checks one card against the rules a real history follows; returns (stale, unverified
    /// moves) for the card.
    fn check_card(opp: &Opportunity, records: &Records, today: NaiveDate) -> (bool, usize) {
        let catalog = Catalog::get(Lang::En);
        let history = &records.history;
        let first = history.first().expect("a history");
        assert_eq!(first.kind, EventKind::Created, "{}", opp.id);
        assert_eq!(first.at.date(), opp.created, "{}", opp.id);
        assert!(history.windows(2).all(|w| w[0].at < w[1].at), "{}", opp.id);
        assert!(history.iter().all(|e| e.at.date() < today), "{}", opp.id);
        let moves: Vec<&StageEvent> = history
            .iter()
            .filter(|e| e.kind == EventKind::Moved)
            .collect();
        assert_eq!(
            moves.len(),
            opp.stage.index(),
            "one move per stage: {}",
            opp.id
        );
        for (j, m) in moves.iter().enumerate() {
            assert_eq!(m.from_stage, Stage::from_index(j));
            assert_eq!(m.to_stage, Stage::ALL[j + 1]);
            let evidence = records.evidence.iter().find(|e| e.stage.index() == j);
            // A verified move left its stage's evidence behind, confirmed on the day.
            assert_eq!(evidence.is_some(), m.evidence_confirmed, "{}", opp.id);
            if let Some(e) = evidence {
                assert_eq!(e.confirmed_on, m.at.date());
            }
        }
        let since = moves.last().map_or(opp.created, |m| m.at.date());
        assert_eq!(opp.stage_since, since, "{}", opp.id);
        let last = history.last().unwrap();
        assert_eq!(last.to_stage, opp.stage, "{}", opp.id);
        match opp.status {
            Status::Open => {
                assert!(matches!(last.kind, EventKind::Moved | EventKind::Created));
                assert_eq!(opp.closed, None);
            }
            Status::Won | Status::Lost => {
                let kind = if opp.status == Status::Won {
                    EventKind::Won
                } else {
                    EventKind::Lost
                };
                assert_eq!(last.kind, kind, "{}", opp.id);
                assert_eq!(Some(last.at.date()), opp.closed, "{}", opp.id);
                assert_eq!(opp.status == Status::Lost, !opp.lost_reason.is_empty());
                assert!(opp.fields.expected_close.is_none());
            }
        }
        assert!(records.evidence.iter().all(|e| e.confirmed_on < today));
        for a in &records.answers {
            assert!(a.asked && !a.answer.is_empty());
            assert!(a.stage <= opp.stage);
            assert!(a.question < catalog.info(a.stage).questions.len());
        }
        if opp.stage <= Stage::ProblemRecognized {
            assert!(records.people.is_empty(), "{}", opp.id);
        }
        for p in &records.people {
            assert!(p.influence <= 5 && p.authority <= 5 && !p.name.is_empty());
        }
        assert!(
            opp.fields.value_cents >= 5_000 * 100,
            "{}",
            opp.fields.value_cents
        );
        assert_eq!(
            opp.fields.value_cents % (100 * 100),
            0,
            "rounded to hundreds"
        );
        let stale = opp.status == Status::Open
            && opp.days_in_stage(today) > i64::from(catalog.info(opp.stage).expected_days);
        let unverified = moves.iter().filter(|m| !m.evidence_confirmed).count();
        (stale, unverified)
    }

    #[test]
    fn same_seed_gives_the_same_data() {
        let export = |store: &Store, funnel: &Funnel| {
            let opportunities = store.opportunities(funnel, &everything()).unwrap();
            opportunities
                .into_iter()
                .map(|mut o| {
                    let records = store.records(&o.id).unwrap();
                    o.funnel_id.clear(); // the funnel's own id is random
                    (o, records)
                })
                .collect::<Vec<_>>()
        };
        let (a, fa) = sample(150, 11);
        let (b, fb) = sample(150, 11);
        let (c, fc) = sample(150, 12);
        let first = export(&a, &fa);
        assert_eq!(first.len(), 150);
        assert_eq!(first, export(&b, &fb));
        assert_eq!(a.targets(&fa).unwrap(), b.targets(&fb).unwrap());
        assert_ne!(first, export(&c, &fc));
    }

    #[test]
    fn the_generator_never_changes() {
        // Pins the PRNG (splitmix64's published first output for seed 0) and a fingerprint of
        // a few cards: if this fails, every saved demo, snapshot and benchmark changes too.
        assert_eq!(Rng::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
        let funnel = Funnel {
            id: String::new(),
            name: "main".into(),
            currency: "EUR".into(),
            fiscal_start: 1,
        };
        let plan = Plan::new(&funnel, &DemoOptions::new(60, today()));
        let text: String = (0..5)
            .map(|i| {
                let o = plan.card(i).opportunity;
                format!(
                    "{} {} {} {} {} {} {} {:?} {:?}\n",
                    o.id,
                    o.fields.title,
                    o.fields.account,
                    o.fields.value_cents,
                    o.stage,
                    o.status,
                    o.created,
                    o.closed,
                    o.fields.expected_close
                )
            })
            .collect();
        let expected = "\
019f466e-a078-72cb-989a-15f7f452c9b3 Data lake consolidation Norvik Logistics 1650000 pre_funnel open 2026-07-09 None Some(2027-04-30)
019de84f-d030-7eb4-8a8c-0dfe30b55401 Customer analytics pilot Merrow Mobility 6540000 commits_to_invest open 2026-05-02 None Some(2026-11-30)
019ec551-4068-7160-a030-c24384a64964 Data lake consolidation Ravelin Automotive 4530000 commits_to_invest open 2026-06-14 None None
019f55f7-1520-7b19-822d-43789da44085 Premium support renewal Larchmont County Council 2380000 pre_funnel open 2026-07-12 None Some(2027-03-26)
019e9c9a-c040-7528-a9eb-e996bfeb7bdc API gateway integration Fenwick Pharma 570000 impact_defined open 2026-06-06 None Some(2026-11-30)
";
        assert_eq!(text, expected);
    }

    #[test]
    fn every_word_of_the_cards_is_pinned() {
        // A fingerprint of whole cards (every field and record) and of the targets sized on
        // them, small and large sets alike: the word lists may move, the data may not change.
        let funnel = Funnel {
            id: String::new(),
            name: "main".into(),
            currency: "EUR".into(),
            fiscal_start: FISCAL_START,
        };
        let fingerprint = |size: usize, step: usize| {
            let plan = Plan::new(&funnel, &DemoOptions::new(size, today()));
            let cards: Vec<Imported> = (0..size).step_by(step).map(|i| plan.card(i)).collect();
            let opportunities: Vec<Opportunity> =
                cards.iter().map(|c| c.opportunity.clone()).collect();
            let targets = plan.targets(&aggregate(&opportunities, FISCAL_START));
            fnv1a(&format!("{cards:?}{targets:?}"))
        };
        assert_eq!(fingerprint(400, 1), 0xDB24_F868_1380_D8D6);
        assert_eq!(fingerprint(1_000_000, 1_000), 0xCC6D_D31A_C205_3BA5);
    }

    #[test]
    fn histories_agree_with_stages() {
        let (store, funnel) = sample(1000, 3);
        let (mut stale, mut unverified, mut moves, mut partial) = (0, 0, 0, 0);
        let catalog = Catalog::get(Lang::En);
        for opp in store.opportunities(&funnel, &everything()).unwrap() {
            let records = store.records(&opp.id).unwrap();
            let (is_stale, forced) = check_card(&opp, &records, today());
            stale += usize::from(is_stale);
            unverified += forced;
            moves += opp.stage.index();
            let asked = records
                .answers
                .iter()
                .filter(|a| a.stage == opp.stage)
                .count();
            if opp.status == Status::Open
                && asked > 0
                && asked < catalog.info(opp.stage).questions.len()
            {
                partial += 1;
            }
        }
        assert!(stale > 100, "some cards overdue in their stage: {stale}");
        let share = unverified as f64 / moves as f64;
        assert!(
            (0.05..0.16).contains(&share),
            "about 10% forced moves: {share}"
        );
        assert!(partial > 200, "checklists partly answered: {partial}");
    }

    #[test]
    fn large_data_sets_keep_consistent_histories_with_lighter_records() {
        let funnel = Funnel {
            id: String::new(),
            name: "main".into(),
            currency: "EUR".into(),
            fiscal_start: FISCAL_START,
        };
        let plan = Plan::new(&funnel, &DemoOptions::new(1_000_000, today()));
        let (mut answers, mut people) = (0, 0);
        for i in (0..1_000_000).step_by(2_500) {
            let card = plan.card(i);
            let records = card.records.unwrap();
            check_card(&card.opportunity, &records, today());
            answers += records.answers.len();
            people += records.people.len();
        }
        // 400 cards, 2% of them detailed: well under one answer and 0.1 person each, against 18
        // and 1.7 for small sets.
        assert!((40..400).contains(&answers), "{answers}");
        assert!((1..40).contains(&people), "{people}");
    }

    #[test]
    fn mix_targets_and_totals() {
        let (store, funnel) = sample(1000, 5);
        let all = store.opportunities(&funnel, &everything()).unwrap();
        assert_eq!(all.len(), 1000);
        let count = |status| all.iter().filter(|o| o.status == status).count();
        let (open, won, lost) = (count(Status::Open), count(Status::Won), count(Status::Lost));
        assert!((580..720).contains(&open), "about 65% open: {open}");
        assert!((150..250).contains(&won), "about 20% won: {won}");
        assert!((100..200).contains(&lost), "about 15% lost: {lost}");

        let mut stages = [0; Stage::COUNT];
        for o in all.iter().filter(|o| o.status == Status::Open) {
            stages[o.stage.index()] += 1;
        }
        let (early, late) = stages.split_at(4);
        assert!(
            early.iter().sum::<usize>() > 2 * late.iter().sum::<usize>(),
            "{stages:?}"
        );
        assert!(stages[0] > stages[3] && stages[3] > stages[7], "{stages:?}");

        // Expected closes: some overdue, some next period, a few unknown.
        let period = funnel.period(crate::domain::period::year_of(today(), FISCAL_START));
        let expected = |f: &dyn Fn(Option<NaiveDate>) -> bool| {
            all.iter()
                .filter(|o| o.status == Status::Open && f(o.fields.expected_close))
                .count()
        };
        let overdue = expected(&|d| d.is_some_and(|d| d < today()));
        let next = expected(&|d| d.is_some_and(|d| period.next().contains(d)));
        let unknown = expected(&|d| d.is_none());
        assert!(
            overdue > 30 && next > 60 && unknown > 10,
            "{overdue} {next} {unknown}"
        );
        assert_eq!(
            expected(&|d| d.is_some_and(|d| d >= period.next().end())),
            0
        );

        for o in all.iter().filter(|o| o.status != Status::Open) {
            let closed = o.closed.unwrap();
            assert!(closed < today() && (today() - closed).num_days() <= 731);
        }
        let owners = store.owners(&funnel).unwrap();
        assert_eq!(owners.len(), SELLERS.len());

        // The store's running totals are the ones computed from the cards.
        let mut totals = store.totals(&funnel).unwrap();
        totals.sort();
        assert_eq!(totals, aggregate(&all, FISCAL_START));

        // Targets: funnel-wide for this period and the next, and one per seller that add up to
        // about the funnel's; the factor is worth a conversation.
        let target = store.target(&funnel, period.year, None).unwrap().unwrap();
        assert!(
            store
                .target(&funnel, period.next().year, None)
                .unwrap()
                .unwrap()
                > target
        );
        let individual: i64 = owners
            .iter()
            .map(|o| {
                store
                    .target(&funnel, period.year, Some(o))
                    .unwrap()
                    .unwrap()
            })
            .sum();
        let ratio = individual as f64 / target as f64;
        assert!((0.9..1.1).contains(&ratio), "{ratio}");
        let summary = summarize(&totals, period, true, Some(i128::from(target)), None);
        let factor = summary.factor.unwrap();
        assert!((1.5..2.7).contains(&factor), "{factor}");
        assert!(summary.won_count > 0 && summary.lost_count > 0);
        let reached = owners
            .iter()
            .filter(|o| {
                let t = store.target(&funnel, period.year, Some(o)).unwrap();
                summarize(&totals, period, true, t.map(i128::from), Some(o)).target_reached
            })
            .count();
        assert_eq!(reached, 1, "one seller already reached the target");
    }

    #[test]
    fn answers_follow_the_catalog() {
        let en = Catalog::get(Lang::En);
        for stage in Stage::ALL {
            assert_eq!(
                ANSWERS[stage.index()].len(),
                en.info(stage).questions.len(),
                "{stage}"
            );
        }
    }

    #[test]
    fn targets_already_set_are_kept() {
        let mut store = Store::open_in_memory().unwrap();
        let funnel = store.add_funnel("main", "EUR", 1).unwrap();
        store.set_target(&funnel, 2026, None, 123 * 100).unwrap();
        generate(&mut store, &funnel, &DemoOptions::new(30, today()), None).unwrap();
        assert_eq!(store.target(&funnel, 2026, None).unwrap(), Some(123 * 100));
        assert!(store.target(&funnel, 2027, None).unwrap().is_some());
        assert!(
            store
                .target(&funnel, 2026, Some("Ana Silva"))
                .unwrap()
                .is_some()
        );
    }

    #[test]
    fn the_last_90_days_are_replayed_for_the_trend() {
        let (store, funnel) = sample(200, 7);
        let start = today() - Days::new(TREND_DAYS);
        let period = Period::containing(today(), FISCAL_START);
        let mut days: Vec<_> = store.snapshots(&funnel, period.year, start).unwrap();
        if period.start() > start {
            days.extend(store.snapshots(&funnel, period.year - 1, start).unwrap());
        }
        assert_eq!(days.len(), TREND_DAYS as usize);
        // The funnel moved over the quarter: RTV and sales to date are not flat.
        let rtv: std::collections::BTreeSet<_> = days.iter().map(|d| d.rtv_cents).collect();
        assert!(rtv.len() > 5, "{rtv:?}");
        // Yesterday's replay agrees with the cards as they are, but for today's changes.
        let yesterday = days.iter().max_by_key(|d| d.day).unwrap();
        assert_eq!(yesterday.day, today() - Days::new(1));
        assert!(yesterday.sales_to_date_cents > 0);
    }

    #[test]
    fn the_demo_tells_when_its_cards_are_written() {
        let mut store = Store::open_in_memory().unwrap();
        let funnel = store.add_funnel("main", "EUR", 1).unwrap();
        let mut steps = Vec::new();
        let mut tell = |p| steps.push(p);
        let options = DemoOptions::new(30, today());
        generate(&mut store, &funnel, &options, Some(&mut tell)).unwrap();
        // Fewer cards than a count is told for: only that the cards are all written.
        assert_eq!(steps, [store::ImportProgress::Finishing]);
    }

    #[test]
    fn zero_cards_write_nothing() {
        let mut store = Store::open_in_memory().unwrap();
        let funnel = store.add_funnel("main", "EUR", 1).unwrap();
        let added = generate(&mut store, &funnel, &DemoOptions::new(0, today()), None).unwrap();
        assert_eq!(added, 0);
        assert!(store.targets(&funnel).unwrap().is_empty());
    }
}
