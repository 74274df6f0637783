//! The agenda: every open card of a funnel that needs its seller now (see
//! [`crate::domain::upkeep`]), most urgent first, with how many cards raise each flag, and the
//! upkeep figure per seller.
//!
//! The flags are decided by the domain ([`flags_of`]); the SQL here only finds the cards that
//! raise them without reading every card. The counts come from `upkeep_counts`, which the
//! schema's triggers keep per funnel, owner and day: a count is a few range sums. The lines
//! are read flag by flag in the agenda's order: for each flag, the cards whose most urgent
//! flag it is, biggest first, walking the agenda index (open cards of a funnel by value, with
//! what decides their flags) and stopping once the page is full, so an agenda costs about the
//! cards it shows, however many cards the funnel holds.

use chrono::{Days, NaiveDate};
use rusqlite::{ToSql, params_from_iter};
use std::collections::HashMap;

use super::card_key::{CardId, CardKey};
use super::opportunities::{COLUMN_COUNT, COLUMNS, opportunity_from_row};
use super::{Day, Funnel, Result, Store};
use crate::domain::upkeep::{
    Flag, FlagCounts, Flags, Upkeep, UpkeepSettings, flags_of, urgency_key,
};
use crate::domain::{Opportunity, Stage};

/// A line of the agenda: a card, the flags it raises and the day of its latest activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaLine {
    pub card: Opportunity,
    pub flags: Flags,
    pub last_activity: Option<NaiveDate>,
}

/// The agenda's first lines, the count of cards raising each flag (all of them, not only
/// those listed) and whether more cards than the lines need the seller.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Agenda {
    pub lines: Vec<AgendaLine>,
    pub counts: FlagCounts,
    pub more: bool,
}

/// What decides the flags on a day: the parameters of [`flag_sql`]'s predicates.
struct Limits {
    today: i64,
    /// The last day of activity that keeps a card active.
    active_since: i64,
    /// Per stage, the last day a card may have entered it without staying too long.
    stage_since: [i64; Stage::COUNT],
}

impl Limits {
    fn new(today: NaiveDate, settings: &UpkeepSettings, expected_days: &[u32; 8]) -> Limits {
        let day = |d: NaiveDate| Day(d).number();
        let back = |days: u32| day(today - Days::new(u64::from(days)));
        Limits {
            today: day(today),
            active_since: day(settings.active_since(today)),
            stage_since: expected_days.map(back),
        }
    }

    /// The values bound to `?1` … `?10` (see [`flag_sql`]).
    fn params(&self) -> Vec<i64> {
        let mut p = vec![self.today, self.active_since];
        p.extend(self.stage_since);
        p
    }
}

/// Whether card `o` raises `flag`: an SQL predicate (0 or 1, never NULL) that agrees with
/// [`flags_of`], over `?1` today, `?2` the last active day and `?3` … `?10` each stage's limit
/// (see [`Limits`]), all as day numbers.
fn flag_sql(flag: Flag) -> String {
    match flag {
        Flag::Overdue => "coalesce(o.next_step_due < ?1, 0)".into(),
        Flag::DueToday => "coalesce(o.next_step_due = ?1, 0)".into(),
        Flag::ClosePassed => "coalesce(o.expected_close < ?1, 0)".into(),
        Flag::NoNextStep => "(o.next_step_due IS NULL)".into(),
        Flag::OverStage => {
            let limits: String = (0..Stage::COUNT)
                .map(|s| format!(" WHEN {s} THEN ?{}", s + 3))
                .collect();
            format!("(o.stage_since < CASE o.stage{limits} END)")
        }
        Flag::Inactive => {
            "(max(coalesce(o.last_activity, o.created), o.created, o.stage_since) < ?2)".into()
        }
    }
}

/// The open live cards of the funnel whose key is `?11` (of the owner `?12` unless NULL).
const OPEN_CARDS: &str =
    "o.funnel = ?11 AND o.status = 0 AND o.deleted_at IS NULL AND (?12 IS NULL OR o.owner = ?12)";

/// Each flag's count from the sums the triggers keep, in `upkeep_counts` (see the schema):
/// `what` and the days that raise the flag, over the same parameters as [`flag_sql`].
fn count_sql(flag: Flag, one_owner: bool) -> String {
    // One seller's counts are a range of the key by owner then day; everyone's, every owner's
    // rows of the flag's kind (`?12` is then NULL: a condition that takes either would read
    // every owner's rows for one seller too).
    let owner = match one_owner {
        true => "owner = ?12",
        false => "?12 IS NULL",
    };
    let sum = |what: &str, days: &str| {
        format!(
            "(SELECT coalesce(sum(count), 0) FROM upkeep_counts
              WHERE funnel = ?11 AND what = {what} AND {owner}{days})"
        )
    };
    match flag {
        Flag::Overdue => sum("0", " AND day < ?1"),
        Flag::DueToday => sum("0", " AND day = ?1"),
        Flag::ClosePassed => sum("2", " AND day < ?1"),
        Flag::NoNextStep => sum("1", ""),
        Flag::OverStage => (0..Stage::COUNT)
            .map(|s| sum(&(10 + s).to_string(), &format!(" AND day < ?{}", s + 3)))
            .collect::<Vec<_>>()
            .join(" + "),
        Flag::Inactive => sum("3", " AND day < ?2"),
    }
}

/// How the agenda finds the cards whose most urgent flag is one flag, biggest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Walk {
    /// Every open card biggest first, from the agenda index, until enough are found: costs
    /// about the cards stepped over, many when few cards raise the flag.
    ByValue,
    /// The cards whose date raises the flag, from the index of a board order (every stage),
    /// then sorted: costs about the cards raising it, few then.
    ByDate,
}

/// The index of a board order and its range that hold exactly the open cards raising `flag`
/// on `?1` (see [`flag_sql`]), when there is one.
fn dated(flag: Flag) -> Option<(&'static str, &'static str)> {
    let by_step = "opportunities_by_next_step";
    match flag {
        Flag::Overdue => Some((by_step, "coalesce(o.next_step_due, 2147483647) < ?1")),
        Flag::DueToday => Some((by_step, "coalesce(o.next_step_due, 2147483647) = ?1")),
        Flag::NoNextStep => Some((
            by_step,
            "coalesce(o.next_step_due, 2147483647) = 2147483647",
        )),
        Flag::ClosePassed => Some((
            "opportunities_by_close",
            "coalesce(o.expected_close, 2147483647) < ?1",
        )),
        Flag::OverStage | Flag::Inactive => None,
    }
}

/// The ids of the agenda's lines whose most urgent flag is `flag`: raised, and none of the
/// `earlier` ones; biggest first, `?13` of them, found as `walk` says (by value when the flag
/// has no dated index).
fn lines_sql(flag: Flag, earlier: &[Flag], walk: Walk) -> String {
    let earlier: String = (earlier.iter())
        .map(|f| format!(" AND NOT {}", flag_sql(*f)))
        .collect();
    let (index, range) = match dated(flag).filter(|_| walk == Walk::ByDate) {
        Some((index, range)) => {
            let stages: Vec<String> = (0..Stage::COUNT).map(|s| s.to_string()).collect();
            (
                index,
                format!(" AND o.stage IN ({}) AND {range}", stages.join(", ")),
            )
        }
        None => ("opportunities_agenda", String::new()),
    };
    format!(
        "SELECT o.id FROM opportunities o INDEXED BY {index}
         WHERE {OPEN_CARDS}{range} AND {}{earlier}
         ORDER BY o.value_cents DESC, o.id LIMIT ?13",
        flag_sql(flag),
    )
}

/// Every flag's count, in `Flag` order (see [`count_sql`]).
fn counts_sql(one_owner: bool) -> String {
    let sums: Vec<String> = Flag::ALL.iter().map(|f| count_sql(*f, one_owner)).collect();
    format!("SELECT {}", sums.join(", "))
}

/// Each open card's owner and flags as bits, in `Flag` order.
fn upkeep_sql() -> String {
    let bits: Vec<String> = Flag::ALL
        .iter()
        .map(|f| format!("({} << {})", flag_sql(*f), f.index()))
        .collect();
    format!(
        "SELECT o.owner, {} FROM opportunities o INDEXED BY opportunities_agenda
         WHERE {OPEN_CARDS}",
        bits.join(" | "),
    )
}

impl Store {
    /// The funnel's open cards (of `owner` if given) that raise one of the funnel's flags on
    /// `today`, most urgent first ([`urgency_key`]), at most `limit` of them, with the count of
    /// cards raising each flag. `expected_days`: each stage's, in stage order.
    pub fn agenda(
        &self,
        funnel: &Funnel,
        owner: Option<&str>,
        today: NaiveDate,
        settings: &UpkeepSettings,
        expected_days: &[u32; 8],
        limit: usize,
    ) -> Result<Agenda> {
        let counts = self.flag_counts(funnel, owner, today, settings, expected_days)?;
        let every = match owner {
            Some(_) => self.flag_counts(funnel, None, today, settings, expected_days)?,
            None => counts,
        };
        let key = self.funnel_key(funnel)?;
        let open: i64 = (self.conn.prepare_cached(
            "SELECT coalesce(sum(count), 0) FROM upkeep_counts WHERE funnel = ?1 AND what IN (0, 1)",
        )?)
        .query_row([key], |r| r.get(0))?;
        // A walk by value steps over about `open / raising` cards for each one it finds (all
        // owners' cards, for one owner's); a dated range reads each card raising the flag,
        // with its row (some 20 times the cost of an index entry), then sorts them.
        let walk = |flag: Flag, wanted: usize| {
            let mine = counts.get(flag).max(1) as f64;
            let by_value = wanted as f64 * open as f64 / mine;
            let by_date = 20.0 * every.get(flag) as f64;
            match dated(flag).is_some() && by_date < by_value {
                true => Walk::ByDate,
                false => Walk::ByValue,
            }
        };
        self.agenda_by(
            funnel,
            owner,
            today,
            settings,
            expected_days,
            limit,
            counts,
            walk,
        )
    }

    /// [`Store::agenda`] with the cards of each flag found as `walk` says for the lines still
    /// wanted.
    #[allow(clippy::too_many_arguments)]
    fn agenda_by(
        &self,
        funnel: &Funnel,
        owner: Option<&str>,
        today: NaiveDate,
        settings: &UpkeepSettings,
        expected_days: &[u32; 8],
        limit: usize,
        counts: FlagCounts,
        walk: impl Fn(Flag, usize) -> Walk,
    ) -> Result<Agenda> {
        let limits = Limits::new(today, settings, expected_days);
        let key = self.funnel_key(funnel)?;
        let enabled: Vec<Flag> = settings.flags.iter().collect();
        let mut lines = Vec::new();
        // One more than the page: whether there are more.
        let wanted = limit + 1;
        for (i, flag) in enabled.iter().enumerate() {
            if lines.len() >= wanted {
                break;
            }
            if counts.get(*flag) == 0 {
                continue;
            }
            let rest = wanted - lines.len();
            let sql = lines_sql(*flag, &enabled[..i], walk(*flag, rest));
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let mut params = bound(&limits, key, owner);
            params.push(Box::new(rest as i64));
            let ids = stmt.query_map(params_from_iter(params.iter()), |row| {
                row.get::<_, CardId>(0)
            })?;
            let ids = ids.collect::<rusqlite::Result<Vec<_>>>()?;
            // Each card read apart once found: read along the walk, SQLite would read the row
            // of every entry it steps over.
            let mut card = self.conn.prepare_cached(&format!(
                "SELECT {COLUMNS}, o.last_activity FROM opportunities o WHERE o.id = ?1"
            ))?;
            for id in ids {
                let (card, last_activity) = card.query_row([CardKey(&id.0)], |row| {
                    let last: Option<Day> = row.get(COLUMN_COUNT)?;
                    Ok((opportunity_from_row(row)?, last.map(|d| d.0)))
                })?;
                let expected = expected_days[card.stage.index()];
                let flags = flags_of(&card, last_activity, today, expected, settings);
                lines.push(AgendaLine {
                    card,
                    flags,
                    last_activity,
                });
            }
        }
        lines.sort_by(|a, b| urgency_key(a.flags, &a.card).cmp(&urgency_key(b.flags, &b.card)));
        let more = lines.len() > limit;
        lines.truncate(limit);
        Ok(Agenda {
            lines,
            counts,
            more,
        })
    }

    /// How many open cards of the funnel (of `owner` if given) raise each of the funnel's
    /// flags on `today`, from the kept sums: a few range sums, whatever the funnel's size.
    pub fn flag_counts(
        &self,
        funnel: &Funnel,
        owner: Option<&str>,
        today: NaiveDate,
        settings: &UpkeepSettings,
        expected_days: &[u32; 8],
    ) -> Result<FlagCounts> {
        let limits = Limits::new(today, settings, expected_days);
        let key = self.funnel_key(funnel)?;
        let params = bound(&limits, key, owner);
        let sql = counts_sql(owner.is_some());
        let mut counts = FlagCounts::default();
        self.conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(params.iter()), |row| {
                for flag in settings.flags.iter() {
                    counts.0[flag.index()] = row.get::<_, i64>(flag.index())?.max(0) as u64;
                }
                Ok(())
            })?;
        Ok(counts)
    }

    /// Each seller's upkeep in the funnel on `today` ([`Upkeep::is_kept`] of the flags an open
    /// card raises with every flag checked), sellers in name order. Reads the agenda index
    /// entry of every open card of the funnel once (a report's figure, not a key press's).
    pub fn upkeep_by_owner(
        &self,
        funnel: &Funnel,
        today: NaiveDate,
        settings: &UpkeepSettings,
        expected_days: &[u32; 8],
    ) -> Result<Vec<(String, Upkeep)>> {
        let limits = Limits::new(today, settings, expected_days);
        let key = self.funnel_key(funnel)?;
        // The flags of each card as bits, in `Flag` order, counted here per owner: SQLite
        // would sort every open card to group them.
        let mut stmt = self.conn.prepare_cached(&upkeep_sql())?;
        let params = bound(&limits, key, None);
        let mut rows = stmt.query(params_from_iter(params.iter()))?;
        // Per owner, how many cards raise each set of flags.
        let mut counts: HashMap<String, [u64; 1 << Flag::COUNT]> = HashMap::new();
        while let Some(row) = rows.next()? {
            let owner = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            let bits = row.get::<_, i64>(1)? as usize & ((1 << Flag::COUNT) - 1);
            match counts.get_mut(owner) {
                Some(sets) => sets[bits] += 1,
                None => {
                    let mut sets = [0; 1 << Flag::COUNT];
                    sets[bits] = 1;
                    counts.insert(owner.to_owned(), sets);
                }
            }
        }
        let mut by_owner: Vec<(String, Upkeep)> = (counts.into_iter())
            .map(|(owner, sets)| {
                let mut upkeep = Upkeep::default();
                for (bits, count) in sets.into_iter().enumerate() {
                    let flags: Flags = (Flag::ALL.into_iter())
                        .filter(|f| bits & 1 << f.index() != 0)
                        .collect();
                    upkeep.open += count;
                    if Upkeep::is_kept(flags) {
                        upkeep.kept += count;
                    }
                }
                (owner, upkeep)
            })
            .collect();
        by_owner.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(by_owner)
    }
}

/// The parameters of the agenda's statements: the [`Limits`] (`?1` … `?10`), the funnel's key
/// (`?11`) and the owner (`?12`, NULL for every owner's cards).
fn bound(limits: &Limits, key: i64, owner: Option<&str>) -> Vec<Box<dyn ToSql>> {
    let mut params: Vec<Box<dyn ToSql>> = limits
        .params()
        .into_iter()
        .map(|p| Box::new(p) as Box<dyn ToSql>)
        .collect();
    params.push(Box::new(key));
    params.push(Box::new(owner.map(str::to_owned)));
    params
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::plan;

    /// Either walk finds the same lines, whatever the agenda chooses.
    #[test]
    fn both_walks_find_the_same_lines() {
        let (store, funnel, _) = crate::store::tests::day::agenda_fixture();
        let today = NaiveDate::from_ymd_opt(2026, 5, 4).unwrap();
        let s = UpkeepSettings::default();
        let expected = [10; 8];
        for owner in [None, Some("ana"), Some("bob")] {
            for limit in [1, 3, 10] {
                let chosen = store
                    .agenda(&funnel, owner, today, &s, &expected, limit)
                    .unwrap();
                for walk in [Walk::ByValue, Walk::ByDate] {
                    let counts = chosen.counts;
                    let by = store
                        .agenda_by(
                            &funnel,
                            owner,
                            today,
                            &s,
                            &expected,
                            limit,
                            counts,
                            |_, _| walk,
                        )
                        .unwrap();
                    assert_eq!(by, chosen, "{owner:?} {limit} {walk:?}");
                }
            }
        }
    }

    #[test]
    fn the_agenda_reads_its_index_alone_and_its_counts_from_the_kept_sums() {
        let (store, _) = crate::store::tests::setup();
        for (i, flag) in Flag::ALL.iter().enumerate() {
            let by_value = plan(&store, &lines_sql(*flag, &Flag::ALL[..i], Walk::ByValue));
            assert_eq!(
                by_value, "SEARCH o USING COVERING INDEX opportunities_agenda (funnel=?)",
                "{flag:?}"
            );
            // By date: a range of every stage of the order's index, the few cards sorted.
            let Some((index, _)) = dated(*flag) else {
                continue;
            };
            let by_date = plan(&store, &lines_sql(*flag, &Flag::ALL[..i], Walk::ByDate));
            let search = format!("SEARCH o USING INDEX {index} (funnel=? AND stage=? AND <expr>");
            assert!(by_date.starts_with(&search), "{flag:?}: {by_date}");
            assert!(
                by_date.ends_with("USE TEMP B-TREE FOR ORDER BY"),
                "{flag:?}: {by_date}"
            );
        }
        for (one_owner, key) in [
            (false, "funnel=? AND what=?"),
            (true, "funnel=? AND what=? AND owner=?"),
        ] {
            let counts = plan(&store, &counts_sql(one_owner));
            for line in counts.lines().filter(|l| l.contains("upkeep_counts")) {
                assert!(
                    line.contains(&format!("USING PRIMARY KEY ({key}")),
                    "{counts}"
                );
            }
            let scans = counts.replace("SCAN CONSTANT ROW", "");
            assert!(
                !scans.contains("SCAN") && !scans.contains("TEMP"),
                "{counts}"
            );
        }
        let upkeep = plan(&store, &upkeep_sql());
        assert_eq!(
            upkeep,
            "SEARCH o USING COVERING INDEX opportunities_agenda (funnel=?)"
        );
    }
}
