//! Quick dates: what a seller types for "when" (`tomorrow`, `+3d`, `lundi prochain`, `15/01`),
//! read against today's date.
//!
//! A dated next step is only kept up to date if setting it is a few keystrokes, so the words
//! of both languages are accepted whatever the interface language, case-insensitive, accents
//! optional. The domain has no words of its own to show: a failure is a [`WhenError`] value,
//! worded once for every layer by `i18n` (`WhenError::say`).

use chrono::{Datelike, Days, Months, NaiveDate, NaiveTime, Weekday};

/// Why a quick date was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenError {
    /// Nothing was typed.
    Empty,
    /// The text is none of the accepted forms.
    NotUnderstood,
    /// The form is right but no such day exists (31/02, an offset past the calendar's end).
    NoSuchDate,
    /// A time was given but no such time exists (25:00, 14:75).
    NoSuchTime,
}

/// The date `input` means, seen from `today`.
///
/// Weekday names (`monday`, `lundi`, `next monday`, `lundi prochain`) mean the next such day
/// strictly after today; `15/01` without a year means this year's, or next year's if that day
/// has already passed.
pub fn parse_date(today: NaiveDate, input: &str) -> Result<NaiveDate, WhenError> {
    let text = fold(input);
    let words: Vec<&str> = text.split_whitespace().collect();
    date_of(today, &words)
}

/// The date `input` means, with an optional time after it (`demain 14:30`, `+1w 9h`).
pub fn parse_date_time(
    today: NaiveDate,
    input: &str,
) -> Result<(NaiveDate, Option<NaiveTime>), WhenError> {
    let text = fold(input);
    let words: Vec<&str> = text.split_whitespace().collect();
    if let [date @ .., last] = words.as_slice()
        && !date.is_empty()
        && looks_like_time(last)
    {
        let time = time_of(last)?;
        return Ok((date_of(today, date)?, Some(time)));
    }
    Ok((date_of(today, &words)?, None))
}

/// Lower case without accents or apostrophes, so `Aujourd'hui` and `aujourdhui` read alike.
fn fold(input: &str) -> String {
    input
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !matches!(c, '\'' | '\u{2019}'))
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            other => other,
        })
        .collect()
}

fn date_of(today: NaiveDate, words: &[&str]) -> Result<NaiveDate, WhenError> {
    match words {
        [] => Err(WhenError::Empty),
        ["today" | "aujourdhui"] => Ok(today),
        ["tomorrow" | "demain"] => today.succ_opt().ok_or(WhenError::NoSuchDate),
        ["next", day] | [day, "prochain"] | [day] if weekday(day).is_some() => {
            let target = weekday(day).ok_or(WhenError::NotUnderstood)?;
            next_weekday(today, target).ok_or(WhenError::NoSuchDate)
        }
        [one] => offset(today, one)
            .or_else(|| numeric(today, one))
            .unwrap_or(Err(WhenError::NotUnderstood)),
        _ => Err(WhenError::NotUnderstood),
    }
}

fn weekday(word: &str) -> Option<Weekday> {
    Some(match word {
        "monday" | "lundi" => Weekday::Mon,
        "tuesday" | "mardi" => Weekday::Tue,
        "wednesday" | "mercredi" => Weekday::Wed,
        "thursday" | "jeudi" => Weekday::Thu,
        "friday" | "vendredi" => Weekday::Fri,
        "saturday" | "samedi" => Weekday::Sat,
        "sunday" | "dimanche" => Weekday::Sun,
        _ => return None,
    })
}

/// The first `target` day after `today` (a week later when today is that day).
fn next_weekday(today: NaiveDate, target: Weekday) -> Option<NaiveDate> {
    let ahead = (target.num_days_from_monday() + 7 - today.weekday().num_days_from_monday()) % 7;
    let ahead = if ahead == 0 { 7 } else { ahead };
    today.checked_add_days(Days::new(u64::from(ahead)))
}

/// `+3d`/`+3j` days, `+1w`/`+1s` weeks, `+2m` months (a month end stays in its month: 31/01
/// plus one month is the last day of February); `-30d` and the like back (a review's start).
/// `None` when the word is not an offset.
fn offset(today: NaiveDate, word: &str) -> Option<Result<NaiveDate, WhenError>> {
    let (back, rest) = match word.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, word.strip_prefix('+')?),
    };
    let unit = rest.chars().last()?;
    let count = &rest[..rest.len() - unit.len_utf8()];
    if count.is_empty() || !count.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Err(WhenError::NotUnderstood));
    }
    let Ok(count) = count.parse::<u32>() else {
        return Some(Err(WhenError::NoSuchDate));
    };
    let date = match (unit, back) {
        ('d' | 'j', false) => today.checked_add_days(Days::new(u64::from(count))),
        ('d' | 'j', true) => today.checked_sub_days(Days::new(u64::from(count))),
        ('w' | 's', false) => today.checked_add_days(Days::new(u64::from(count) * 7)),
        ('w' | 's', true) => today.checked_sub_days(Days::new(u64::from(count) * 7)),
        ('m', false) => today.checked_add_months(Months::new(count)),
        ('m', true) => today.checked_sub_months(Months::new(count)),
        _ => return Some(Err(WhenError::NotUnderstood)),
    };
    Some(date.ok_or(WhenError::NoSuchDate))
}

/// `15/01`, `15/01/2027` (day first, as in both languages' habits outside the US) and
/// `2027-01-15`. `None` when the word is not made of numbers and separators.
fn numeric(today: NaiveDate, word: &str) -> Option<Result<NaiveDate, WhenError>> {
    let (parts, iso): (Vec<&str>, bool) = if word.contains('-') {
        (word.split('-').collect(), true)
    } else {
        (word.split('/').collect(), false)
    };
    if parts.len() < 2
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let number = |p: &str| p.parse::<u32>().ok();
    Some(match (iso, parts.as_slice()) {
        (true, [year, month, day]) if year.len() == 4 => {
            ymd(number(year), number(month), number(day))
        }
        (false, [day, month, year]) if year.len() == 4 => {
            ymd(number(year), number(month), number(day))
        }
        (false, [day, month]) => {
            let (Some(day), Some(month)) = (number(day), number(month)) else {
                return Some(Err(WhenError::NoSuchDate));
            };
            // This year's day unless it has passed; a 29/02 waits for the next leap year.
            (today.year()..=today.year() + 8)
                .filter_map(|year| NaiveDate::from_ymd_opt(year, month, day))
                .find(|date| *date >= today)
                .ok_or(WhenError::NoSuchDate)
        }
        _ => Err(WhenError::NotUnderstood),
    })
}

fn ymd(year: Option<u32>, month: Option<u32>, day: Option<u32>) -> Result<NaiveDate, WhenError> {
    let (Some(year), Some(month), Some(day)) = (year, month, day) else {
        return Err(WhenError::NoSuchDate);
    };
    let year = i32::try_from(year).map_err(|_| WhenError::NoSuchDate)?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or(WhenError::NoSuchDate)
}

/// `14:30`, `14h30` or `14h`: digits around one `:` or `h`.
fn looks_like_time(word: &str) -> bool {
    let Some((hours, minutes)) = word.split_once([':', 'h']) else {
        return false;
    };
    !hours.is_empty()
        && hours.len() <= 2
        && minutes.len() <= 2
        && (minutes.is_empty() && word.ends_with('h') || !minutes.is_empty())
        && hours
            .bytes()
            .chain(minutes.bytes())
            .all(|b| b.is_ascii_digit())
}

fn time_of(word: &str) -> Result<NaiveTime, WhenError> {
    let (hours, minutes) = word
        .split_once([':', 'h'])
        .ok_or(WhenError::NotUnderstood)?;
    let hours = hours.parse::<u32>().map_err(|_| WhenError::NoSuchTime)?;
    let minutes = if minutes.is_empty() {
        0
    } else {
        minutes.parse::<u32>().map_err(|_| WhenError::NoSuchTime)?
    };
    NaiveTime::from_hms_opt(hours, minutes, 0).ok_or(WhenError::NoSuchTime)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// A Wednesday.
    fn today() -> NaiveDate {
        day(2026, 12, 9)
    }

    #[test]
    fn reads_every_form_in_both_languages() {
        let cases = [
            ("today", day(2026, 12, 9)),
            ("Aujourd'hui", day(2026, 12, 9)),
            ("aujourdhui", day(2026, 12, 9)),
            ("AUJOURD’HUI", day(2026, 12, 9)),
            ("tomorrow", day(2026, 12, 10)),
            ("  Demain ", day(2026, 12, 10)),
            ("+3d", day(2026, 12, 12)),
            ("+3j", day(2026, 12, 12)),
            ("+0d", day(2026, 12, 9)),
            ("+1w", day(2026, 12, 16)),
            ("+1s", day(2026, 12, 16)),
            ("+3w", day(2026, 12, 30)),
            ("+4w", day(2027, 1, 6)),
            ("+30d", day(2027, 1, 8)),
            ("+2m", day(2027, 2, 9)),
            ("+12m", day(2027, 12, 9)),
            ("-30d", day(2026, 11, 9)),
            ("-2w", day(2026, 11, 25)),
            ("-1m", day(2026, 11, 9)),
            ("monday", day(2026, 12, 14)),
            ("next monday", day(2026, 12, 14)),
            ("Next Monday", day(2026, 12, 14)),
            ("lundi", day(2026, 12, 14)),
            ("lundi prochain", day(2026, 12, 14)),
            ("tuesday", day(2026, 12, 15)),
            ("mardi", day(2026, 12, 15)),
            ("wednesday", day(2026, 12, 16)),
            ("mercredi", day(2026, 12, 16)),
            ("thursday", day(2026, 12, 10)),
            ("jeudi", day(2026, 12, 10)),
            ("friday", day(2026, 12, 11)),
            ("vendredi", day(2026, 12, 11)),
            ("saturday", day(2026, 12, 12)),
            ("samedi", day(2026, 12, 12)),
            ("sunday", day(2026, 12, 13)),
            ("dimanche prochain", day(2026, 12, 13)),
            ("15/12", day(2026, 12, 15)),
            ("9/12", day(2026, 12, 9)),
            ("08/12", day(2027, 12, 8)),
            ("15/01", day(2027, 1, 15)),
            ("15/01/2027", day(2027, 1, 15)),
            ("1/3/2025", day(2025, 3, 1)),
            ("2027-01-15", day(2027, 1, 15)),
            ("29/02", day(2028, 2, 29)),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_date(today(), input), Ok(expected), "{input}");
        }
    }

    #[test]
    fn month_and_year_ends() {
        let cases = [
            (day(2027, 1, 31), "+1m", day(2027, 2, 28)),
            (day(2028, 1, 31), "+1m", day(2028, 2, 29)),
            (day(2027, 3, 31), "+1m", day(2027, 4, 30)),
            (day(2026, 12, 31), "tomorrow", day(2027, 1, 1)),
            (day(2026, 12, 31), "demain", day(2027, 1, 1)),
            (day(2026, 12, 31), "+1d", day(2027, 1, 1)),
            (day(2026, 12, 28), "+1s", day(2027, 1, 4)),
            (day(2026, 12, 31), "friday", day(2027, 1, 1)),
            (day(2026, 12, 31), "jeudi", day(2027, 1, 7)),
            (day(2026, 12, 31), "01/01", day(2027, 1, 1)),
            (day(2026, 12, 31), "31/12", day(2026, 12, 31)),
            (day(2027, 2, 28), "+1d", day(2027, 3, 1)),
            (day(2028, 2, 28), "+1d", day(2028, 2, 29)),
            (day(2026, 11, 15), "+2m", day(2027, 1, 15)),
        ];
        for (from, input, expected) in cases {
            assert_eq!(parse_date(from, input), Ok(expected), "{input} from {from}");
        }
    }

    #[test]
    fn bad_input_says_why() {
        let cases = [
            ("", WhenError::Empty),
            ("   ", WhenError::Empty),
            ("someday", WhenError::NotUnderstood),
            ("next", WhenError::NotUnderstood),
            ("next week", WhenError::NotUnderstood),
            ("lundi suivant", WhenError::NotUnderstood),
            ("+d", WhenError::NotUnderstood),
            ("+3y", WhenError::NotUnderstood),
            ("+-3d", WhenError::NotUnderstood),
            ("3d", WhenError::NotUnderstood),
            ("15/01/27", WhenError::NotUnderstood),
            ("01-15", WhenError::NotUnderstood),
            ("15/01/2027/1", WhenError::NotUnderstood),
            ("31/02", WhenError::NoSuchDate),
            ("31/02/2027", WhenError::NoSuchDate),
            ("2027-13-01", WhenError::NoSuchDate),
            ("0/01", WhenError::NoSuchDate),
            ("+99999999999d", WhenError::NoSuchDate),
            ("+4000000000m", WhenError::NoSuchDate),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_date(today(), input), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn an_optional_time_follows_the_date() {
        let at = |h, m| Some(NaiveTime::from_hms_opt(h, m, 0).unwrap());
        let cases = [
            ("demain 14:30", day(2026, 12, 10), at(14, 30)),
            ("tomorrow 9:05", day(2026, 12, 10), at(9, 5)),
            ("lundi prochain 9h", day(2026, 12, 14), at(9, 0)),
            ("+1w 14h30", day(2026, 12, 16), at(14, 30)),
            ("15/01 0:00", day(2027, 1, 15), at(0, 0)),
            ("today", day(2026, 12, 9), None),
            ("next monday", day(2026, 12, 14), None),
        ];
        for (input, date, time) in cases {
            assert_eq!(parse_date_time(today(), input), Ok((date, time)), "{input}");
        }
        assert_eq!(
            parse_date_time(today(), "demain 25:00"),
            Err(WhenError::NoSuchTime)
        );
        assert_eq!(
            parse_date_time(today(), "demain 14:75"),
            Err(WhenError::NoSuchTime)
        );
        assert_eq!(
            parse_date_time(today(), "14:30"),
            Err(WhenError::NotUnderstood)
        );
        assert_eq!(
            parse_date_time(today(), "someday 14:30"),
            Err(WhenError::NotUnderstood)
        );
        // A date alone does not take a time.
        assert_eq!(
            parse_date(today(), "demain 14:30"),
            Err(WhenError::NotUnderstood)
        );
    }
}
