//! The period's breakdowns: counts (and value sums) of live cards per group (`group_totals`),
//! per stage and equal value of the open ones (`open_value_counts`) and per account of the
//! viable open ones (`account_totals`), which the dashboard and the probability read instead of
//! every card. Triggers keep the tables (schema step `0008_period_breakdowns`, made again with
//! the funnel keys and the compact cards); here is what a recount compares them with, and the
//! tallies a bulk load keeps instead of those triggers, then writes.

use std::collections::HashMap;

use super::PulledCard;
use crate::domain::{Stage, Status};
use crate::store::funnels::status_index;
use crate::store::{Result, Tx};

/// A table of counts (and value sums) of the live cards that `counts` selects, per key: what
/// a `GROUP BY` over every card would return, kept by triggers (see `0008_period_breakdowns`)
/// in the same transaction as the change.
pub(in crate::store) struct Breakdown {
    pub table: &'static str,
    /// (column, its type, its value for a card `R`).
    key: &'static [(&'static str, &'static str, &'static str)],
    /// Which live cards count (for a card `R`).
    counts: &'static str,
    /// Whether the table sums `value_cents` beside the count.
    sums_value: bool,
}

/// The breakdowns the period's figures read, as the released steps made their tables and
/// triggers (a recount must equal what those keep). Stage 3 is
/// [`crate::domain::Stage::CommitsToInvest`], the first viable one.
pub(in crate::store) const BREAKDOWNS: [Breakdown; 3] = [
    Breakdown {
        table: "group_totals",
        key: &[
            ("funnel", "INTEGER", "R.funnel"),
            ("period", "INTEGER", "R.period"),
            ("status", "INTEGER", "R.status"),
            ("viable", "INTEGER", "R.stage >= 3"),
            ("owner", "TEXT", "R.owner"),
            ("team", "TEXT", "R.team"),
            ("region", "TEXT", "R.region"),
            ("territory", "TEXT", "R.territory"),
        ],
        counts: "true",
        sums_value: true,
    },
    Breakdown {
        table: "open_value_counts",
        key: &[
            ("funnel", "INTEGER", "R.funnel"),
            ("period", "INTEGER", "R.period"),
            ("stage", "INTEGER", "R.stage"),
            ("value_cents", "INTEGER", "R.value_cents"),
            ("owner", "TEXT", "R.owner"),
        ],
        counts: "R.status = 0",
        sums_value: false,
    },
    Breakdown {
        table: "account_totals",
        key: &[
            ("funnel", "INTEGER", "R.funnel"),
            ("period", "INTEGER", "R.period"),
            ("account", "TEXT", "R.account"),
            ("owner", "TEXT", "R.owner"),
        ],
        counts: "R.status = 0 AND R.stage >= 3 AND R.account <> ''",
        sums_value: true,
    },
];

impl Breakdown {
    /// `SQL` about the card `row` (`NEW`, `OLD`, or `o` in a query).
    fn of(sql: &str, row: &str) -> String {
        sql.replace("R.", &format!("{row}."))
    }

    /// Whether the card `row` counts in the table.
    fn counted(&self, row: &str) -> String {
        Breakdown::of(&format!("R.deleted_at IS NULL AND {}", self.counts), row)
    }

    /// The table's rows counted from the cards, in its columns' order.
    pub(in crate::store) fn recount(&self) -> String {
        let key: Vec<String> = self
            .key
            .iter()
            .map(|(.., v)| Breakdown::of(v, "o"))
            .collect();
        let value = if self.sums_value {
            ", sum(o.value_cents)"
        } else {
            ""
        };
        format!(
            "SELECT {}, count(*){value} FROM opportunities o WHERE {} GROUP BY {}",
            key.join(", "),
            self.counted("o"),
            (1..=self.key.len())
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }

    /// Whether each column of the key is given to [`Breakdown::insert`] as text (the funnel by
    /// its id), else as a number.
    fn text_columns(&self) -> impl Iterator<Item = bool> {
        (self.key.iter()).map(|(column, kind, _)| *kind == "TEXT" || *column == "funnel")
    }

    /// Writes a row: the key (the funnel, first, by its id), the count, and the value when the
    /// table sums it.
    fn insert(&self) -> String {
        let values = self.key.len() + usize::from(self.sums_value);
        format!(
            "INSERT INTO {} VALUES ((SELECT key FROM funnels WHERE id = ?), {})",
            self.table,
            vec!["?"; values].join(", ")
        )
    }
}

/// What the breakdowns count of a live card (written by an import, or pulled).
pub(super) struct Counted<'a> {
    pub funnel_id: &'a str,
    pub period: i64,
    pub status: i64,
    pub stage: i64,
    pub value_cents: i64,
    pub owner: &'a str,
    pub team: &'a str,
    pub region: &'a str,
    pub territory: &'a str,
    pub account: &'a str,
}

/// Counts and sums of each breakdown table's rows, in [`BREAKDOWNS`] order. Keys are numbers
/// only, texts standing for their place in `names`: a million cards make three keys each,
/// hashed and compared without an allocation (text keys cost 2 s of a 1M import).
#[derive(Default)]
pub(in crate::store) struct Tallies {
    names: Names,
    tables: [HashMap<Key, Sums>; BREAKDOWNS.len()],
}

/// A breakdown's key: its columns in order (texts by their number in [`Names`]), then zeros.
type Key = [i64; 8];
/// (count, value in cents).
type Sums = (i64, i64);

impl Tallies {
    pub(super) fn add_card(&mut self, card: &Counted) {
        let keys = breakdown_keys(card, &mut self.names);
        for (table, key) in self.tables.iter_mut().zip(keys) {
            if let Some(key) = key {
                let (count, cents) = table.entry(key).or_default();
                *count += 1;
                *cents += card.value_cents;
            }
        }
    }

    /// A card of a first pull: counted when it is live.
    pub(in crate::store) fn add_pulled(&mut self, card: &PulledCard) {
        let (Some(period), Some(status), Some(stage), true) =
            (card.period, card.status, card.stage, card.alive)
        else {
            return;
        };
        self.add_card(&Counted {
            funnel_id: card.funnel_id,
            period,
            status,
            stage,
            value_cents: card.value_cents.unwrap_or(0),
            owner: card.owner,
            team: card.team,
            region: card.region,
            territory: card.territory,
            account: card.account,
        });
    }
}

/// Each text of the keys once, numbered in order of appearance.
#[derive(Default)]
struct Names {
    numbers: HashMap<String, i64>,
    texts: Vec<String>,
}

impl Names {
    fn number(&mut self, text: &str) -> i64 {
        if let Some(&n) = self.numbers.get(text) {
            return n;
        }
        let n = self.texts.len() as i64;
        self.texts.push(text.to_owned());
        self.numbers.insert(text.to_owned(), n);
        n
    }
}

/// A card's key in each breakdown table when it counts there: what the triggers a bulk load
/// drops would have written (the bulk load's tests compare the tables with a recount).
fn breakdown_keys(card: &Counted, names: &mut Names) -> [Option<Key>; BREAKDOWNS.len()] {
    let (funnel, period) = (names.number(card.funnel_id), card.period);
    let owner = names.number(card.owner);
    let open = card.status == status_index(Status::Open);
    let viable = card.stage >= Stage::CommitsToInvest.index() as i64;
    let group = [
        funnel,
        period,
        card.status,
        i64::from(viable),
        owner,
        names.number(card.team),
        names.number(card.region),
        names.number(card.territory),
    ];
    let open_value = [funnel, period, card.stage, card.value_cents, owner, 0, 0, 0];
    let account = (open && viable && !card.account.is_empty()).then(|| {
        [
            funnel,
            period,
            names.number(card.account),
            owner,
            0,
            0,
            0,
            0,
        ]
    });
    [Some(group), open.then_some(open_value), account]
}

impl Tx<'_> {
    /// Writes the period's breakdowns in place of what they held.
    pub(super) fn write_breakdowns(&self, tallies: Tallies) -> Result<()> {
        let Tallies { names, tables } = tallies;
        for (b, tally) in BREAKDOWNS.iter().zip(tables) {
            self.execute(&format!("DELETE FROM {}", b.table), [])?;
            let mut insert = self.prepare(&b.insert())?;
            for (key, (count, cents)) in tally {
                let mut values: Vec<rusqlite::types::Value> = (b.text_columns())
                    .zip(key)
                    .map(|(text, part)| match text {
                        true => names.texts[part as usize].clone().into(),
                        false => part.into(),
                    })
                    .collect();
                values.push(count.into());
                if b.sums_value {
                    values.push(cents.into());
                }
                insert.execute(rusqlite::params_from_iter(values))?;
            }
        }
        Ok(())
    }
}
