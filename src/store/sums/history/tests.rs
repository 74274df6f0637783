//! The sums kept by the triggers (and by bulk loads) always equal the scans of the cards and
//! their whole history they replace, after any sequence of writes.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use proptest::prelude::*;
use rusqlite::params;

use crate::domain::insight::{DaysCount, JourneyRow};
use crate::domain::{EventKind, Opportunity, OpportunityFields, Stage, StageEvent, Status};
use crate::store::tests::setup;
use crate::store::*;

use crate::store::card_key::{CardId, CardKey};
use crate::store::funnels::stage_from_index;
use crate::store::insight::{days_count, journey_row};

/// `?1` funnel, `?2` owner or NULL: the whole history of the funnel (or of one seller).
const IN_HISTORY: &str = "o.funnel = (SELECT key FROM funnels WHERE id = ?1) AND o.deleted_at IS NULL AND (?2 IS NULL OR o.owner = ?2)";

/// The scans the sums replace, as they were: the definition the sums are checked against.
impl Store {
    fn count_journeys(&self, funnel: &Funnel, owner: Option<&str>) -> Vec<JourneyRow> {
        let sql = format!(
            "SELECT first, last, status, count(*) FROM (
                SELECT coalesce(min(CASE WHEN e.kind = 'created' THEN e.to_stage END),
                                min(e.to_stage), o.stage) AS first,
                       max(coalesce(max(e.to_stage), o.stage), o.stage) AS last,
                       o.status AS status
                FROM opportunities o
                LEFT JOIN stage_events e ON e.opportunity_id = o.id AND e.deleted_at IS NULL
                WHERE {IN_HISTORY} GROUP BY o.id)
             GROUP BY 1, 2, 3"
        );
        self.scan(&sql, funnel, owner, journey_row)
    }

    fn count_stage_days(&self, funnel: &Funnel, owner: Option<&str>) -> Vec<(Stage, DaysCount)> {
        let sql = format!(
            "SELECT stage, days, count(*) FROM (
                SELECT e.to_stage AS stage, e.kind AS kind,
                       CAST(julianday(substr(lead(e.at) OVER w, 1, 10))
                            - julianday(substr(e.at, 1, 10)) AS INTEGER) AS days
                FROM stage_events e JOIN opportunities o ON o.id = e.opportunity_id
                WHERE {IN_HISTORY} AND e.deleted_at IS NULL
                WINDOW w AS (PARTITION BY e.opportunity_id ORDER BY e.at, e.id))
             WHERE days IS NOT NULL AND kind IN ('created', 'moved', 'reopened')
             GROUP BY 1, 2"
        );
        self.scan(&sql, funnel, owner, |r| {
            Ok((stage_from_index(r.get(0)?)?, days_count(r, 1)?))
        })
    }

    fn count_purchase_days(&self, funnel: &Funnel, owner: Option<&str>) -> Vec<DaysCount> {
        let sql = format!(
            "SELECT CAST(julianday(o.closed) - julianday(o.created) AS INTEGER), count(*)
             FROM opportunities o WHERE {IN_HISTORY} AND o.status = 1 AND o.closed >= o.created
             GROUP BY 1"
        );
        self.scan(&sql, funnel, owner, |r| days_count(r, 0))
    }

    fn scan<T>(
        &self,
        sql: &str,
        funnel: &Funnel,
        owner: Option<&str>,
        row: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
    ) -> Vec<T> {
        let mut stmt = self.conn.prepare(sql).unwrap();
        let rows = stmt.query_map(params![funnel.id, owner], row).unwrap();
        rows.map(Result::unwrap).collect()
    }
}

const OWNERS: [&str; 3] = ["ana", "bob", "cy"];

/// The three figures from the sums equal the scans, for the whole funnel and each seller.
fn assert_sums_match(store: &Store, funnel: &Funnel, step: &str) {
    for owner in [None].into_iter().chain(OWNERS.map(Some)) {
        let mut journeys = store.journeys(funnel, owner).unwrap();
        let mut scanned = store.count_journeys(funnel, owner);
        journeys.sort_by_key(|j| (j.first, j.last, j.status as u8));
        scanned.sort_by_key(|j| (j.first, j.last, j.status as u8));
        assert_eq!(journeys, scanned, "journeys of {owner:?} after {step}");
        let days = store.stage_days(funnel, owner).unwrap();
        assert_eq!(
            days,
            store.count_stage_days(funnel, owner),
            "stage days {owner:?} after {step}"
        );
        let days = store.purchase_days(funnel, owner).unwrap();
        let scanned = store.count_purchase_days(funnel, owner);
        assert_eq!(days, scanned, "purchase days {owner:?} after {step}");
    }
}

fn stage(i: u8) -> Stage {
    Stage::ALL[usize::from(i) % Stage::COUNT]
}

fn start() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 1, 1)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
}

/// An imported card: owner, stage, status, and its history (hours after the start, kind,
/// stage), in no particular order.
#[derive(Debug, Clone)]
struct ImportedCard {
    owner: u8,
    stage: u8,
    status: u8,
    closed_days: i64,
    history: Vec<(i64, u8, u8)>,
}

#[derive(Debug, Clone)]
enum Op {
    /// Time passes (0: the next change has the same stamp as the last).
    Wait(i64),
    Add(u8, u8),
    Move(usize, u8),
    Won(usize, i64),
    Lost(usize),
    Reopen(usize),
    /// Undo's withdrawal of the card's latest event.
    Retract(usize),
    /// Redo: the last withdrawn event back.
    Restore,
    Delete(usize),
    Undelete(usize),
    Owner(usize, u8),
    Import(Vec<ImportedCard>),
    /// A pulled event row rewritten (another date, stage, or kind), as plain SQL.
    EditEvent(usize, i64, u8, u8),
    /// An event row removed by plain SQL.
    DropEvent(usize),
    Rekey,
}

fn imported_card() -> impl Strategy<Value = ImportedCard> {
    (
        0..3u8,
        0..8u8,
        0..3u8,
        -5..40i64,
        prop::collection::vec((0..200i64, 0..5u8, 0..8u8), 0..5),
    )
        .prop_map(
            |(owner, stage, status, closed_days, history)| ImportedCard {
                owner,
                stage,
                status,
                closed_days,
                history,
            },
        )
}

fn op() -> impl Strategy<Value = Op> {
    let card = 0..64usize;
    prop_oneof![
        3 => prop_oneof![Just(0i64), 1..3i64, Just(86_400_000i64 * 3)].prop_map(Op::Wait),
        3 => (0..3u8, 0..8u8).prop_map(|(o, s)| Op::Add(o, s)),
        6 => (card.clone(), 0..8u8).prop_map(|(c, s)| Op::Move(c, s)),
        2 => (card.clone(), -3..30i64).prop_map(|(c, d)| Op::Won(c, d)),
        1 => card.clone().prop_map(Op::Lost),
        2 => card.clone().prop_map(Op::Reopen),
        2 => card.clone().prop_map(Op::Retract),
        1 => Just(Op::Restore),
        1 => card.clone().prop_map(Op::Delete),
        1 => card.clone().prop_map(Op::Undelete),
        1 => (card.clone(), 0..3u8).prop_map(|(c, o)| Op::Owner(c, o)),
        1 => prop::collection::vec(imported_card(), 1..4).prop_map(Op::Import),
        1 => (0..256usize, 0..200i64, 0..5u8, 0..8u8)
            .prop_map(|(e, h, k, s)| Op::EditEvent(e, h, k, s)),
        1 => (0..256usize).prop_map(Op::DropEvent),
        1 => Just(Op::Rekey),
    ]
}

/// The event row `?1` (modulo their number), in the order they were written.
const NTH_EVENT: &str = "rowid = (SELECT rowid FROM stage_events ORDER BY rowid
    LIMIT 1 OFFSET ?1 % max(1, (SELECT count(*) FROM stage_events)))";

const KINDS: [EventKind; 5] = [
    EventKind::Created,
    EventKind::Moved,
    EventKind::Won,
    EventKind::Lost,
    EventKind::Reopened,
];

fn imported(funnel: &Funnel, cards: &[ImportedCard], today: NaiveDate) -> Vec<Imported> {
    cards
        .iter()
        .map(|c| {
            let fields = OpportunityFields {
                title: "imported".into(),
                owner: OWNERS[usize::from(c.owner)].into(),
                value_cents: 100,
                ..Default::default()
            };
            let created = today - Duration::days(10);
            let mut opportunity =
                Opportunity::open(new_id(), funnel.id.clone(), fields, stage(c.stage), created);
            opportunity.status = [Status::Open, Status::Won, Status::Lost][usize::from(c.status)];
            if opportunity.status != Status::Open {
                opportunity.closed = Some(created + Duration::days(c.closed_days));
            }
            let history = (c.history.iter())
                .map(|&(hours, kind, to)| StageEvent {
                    id: new_id(),
                    at: start() + Duration::hours(hours),
                    kind: KINDS[usize::from(kind)],
                    from_stage: None,
                    to_stage: stage(to),
                    evidence_confirmed: true,
                    note: String::new(),
                    by: None,
                })
                .collect();
            Imported {
                opportunity,
                records: Some(Records {
                    history,
                    ..Default::default()
                }),
            }
        })
        .collect()
}

/// Applies one write; refusals (a move of a closed card, a deleted card…) are part of the game.
fn apply(
    store: &mut Store,
    funnel: &mut Funnel,
    cards: &mut Vec<String>,
    retracted: &mut Vec<String>,
    op: &Op,
) {
    let pick = |cards: &[String], i: usize| cards.get(i % cards.len().max(1)).cloned();
    let today = store.today();
    match op {
        Op::Wait(ms) => {
            let now = store.now() + Duration::milliseconds(*ms);
            store.set_clock(Clock::Fixed(now));
        }
        Op::Add(owner, s) => {
            let n = NewOpportunity {
                fields: OpportunityFields {
                    title: "card".into(),
                    value_cents: 100,
                    owner: OWNERS[usize::from(*owner)].into(),
                    ..Default::default()
                },
                stage: Some(stage(*s)),
            };
            cards.push(store.add_opportunity(funnel, n).unwrap().id);
        }
        Op::Move(c, s) => {
            if let Some(id) = pick(cards, *c) {
                let _ = store.move_stage(&id, None, stage(*s), true);
            }
        }
        Op::Won(c, days) => {
            if let Some(id) = pick(cards, *c) {
                let _ = store.mark_won(&id, None, today + Duration::days(*days));
            }
        }
        Op::Lost(c) => {
            if let Some(id) = pick(cards, *c) {
                let _ = store.mark_lost(&id, None, "price", today);
            }
        }
        Op::Reopen(c) => {
            if let Some(id) = pick(cards, *c) {
                let _ = store.reopen(&id, None);
            }
        }
        Op::Retract(c) => {
            if let Some(id) = pick(cards, *c)
                && let Ok(card) = store.opportunity(&id)
            {
                let step = Rewind {
                    id: &id,
                    version: card.version,
                    card: Some(&card),
                    event: EventStep::RetractLast,
                    evidence: EvidenceStep::Keep,
                };
                if let Ok((_, Some(event))) = store.rewind(&step) {
                    retracted.push(event);
                }
            }
        }
        Op::Restore => {
            let event = retracted.pop();
            let card = event.as_ref().and_then(|e| {
                store
                    .conn
                    .query_row(
                        "SELECT opportunity_id FROM stage_events WHERE id = ?1",
                        [e],
                        |r| Ok(r.get::<_, CardId>(0)?.0),
                    )
                    .ok()
            });
            if let (Some(event), Some(id)) = (event, card)
                && let Ok(card) = store.opportunity(&id)
            {
                let step = Rewind {
                    id: &id,
                    version: card.version,
                    card: Some(&card),
                    event: EventStep::Restore(&event),
                    evidence: EvidenceStep::Keep,
                };
                let _ = store.rewind(&step);
            }
        }
        Op::Delete(c) => {
            if let Some(id) = pick(cards, *c) {
                let _ = store.delete(&id, None);
            }
        }
        Op::Undelete(c) => {
            if let Some(id) = pick(cards, *c) {
                let deleted = store.conn.query_row(
                    &format!(
                        "SELECT {} FROM opportunities o WHERE id = ?1 AND deleted_at IS NOT NULL",
                        crate::store::opportunities::COLUMNS
                    ),
                    [CardKey(&id)],
                    crate::store::opportunities::opportunity_from_row,
                );
                if let Ok(card) = deleted {
                    let step = Rewind {
                        id: &id,
                        version: card.version,
                        card: Some(&card),
                        event: EventStep::Keep,
                        evidence: EvidenceStep::Keep,
                    };
                    store.rewind(&step).unwrap();
                }
            }
        }
        Op::Owner(c, owner) => {
            if let Some(id) = pick(cards, *c)
                && let Ok(card) = store.opportunity(&id)
            {
                let fields = OpportunityFields {
                    owner: OWNERS[usize::from(*owner)].into(),
                    ..card.fields
                };
                store.update_fields(&id, card.version, fields).unwrap();
            }
        }
        Op::Import(new) => {
            let items = imported(funnel, new, today);
            cards.extend(items.iter().map(|i| i.opportunity.id.clone()));
            store.import(funnel, items, &[], false, None).unwrap();
        }
        Op::EditEvent(e, hours, kind, s) => {
            let at = (start() + Duration::hours(*hours))
                .format(STAMP)
                .to_string();
            store
                .conn
                .execute(
                    &format!(
                        "UPDATE stage_events SET at = ?2, kind = ?3, to_stage = ?4
                         WHERE {NTH_EVENT}"
                    ),
                    params![*e as i64, at, KINDS[usize::from(*kind)].key(), stage(*s)],
                )
                .unwrap();
        }
        Op::DropEvent(e) => {
            store
                .conn
                .execute(
                    &format!("DELETE FROM stage_events WHERE {NTH_EVENT}"),
                    params![*e as i64],
                )
                .unwrap();
        }
        Op::Rekey => {
            let new = new_id();
            store.rekey_funnel(&funnel.id, &new).unwrap();
            funnel.id = new;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Whatever the writes, through the store or as plain SQL, starting from an empty file or
    /// from a bulk load (an import into an empty file, summed as it is written).
    #[test]
    fn the_sums_equal_the_scans(
        load in prop::collection::vec(imported_card(), 0..6),
        ops in prop::collection::vec(op(), 1..40),
    ) {
        let (mut store, mut funnel) = setup();
        store.set_clock(Clock::Fixed(start()));
        let mut cards = Vec::new();
        let mut retracted = Vec::new();
        if !load.is_empty() {
            apply(&mut store, &mut funnel, &mut cards, &mut retracted, &Op::Import(load));
            assert_sums_match(&store, &funnel, "the bulk load");
        }
        for (i, op) in ops.iter().enumerate() {
            apply(&mut store, &mut funnel, &mut cards, &mut retracted, op);
            assert_sums_match(&store, &funnel, &format!("step {i}: {op:?}"));
        }
        // A first pull into an empty file, counted once after the load, agrees too.
        store.enable_sync().unwrap();
        let pages = crate::store::tests::as_pulled(&store);
        let mut pulled = Store::open_in_memory().unwrap();
        pulled.apply_incoming(pages, drop).unwrap();
        assert_sums_match(&pulled, &funnel, "a first pull");
    }
}
