//! The one line a long command (an import or a demo of a million cards, a first sync) keeps
//! redrawing on a terminal while it works: how many rows are done (written, pushed, received),
//! then that it is finishing. Drawn at most ten times a second, cut to the terminal's width (a
//! wrapped line could not be redrawn), and erased when the command ends (its summary or error
//! takes the line); nothing at all when stderr is not a terminal, so scripts read only the
//! summary.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use super::texts;
use crate::domain::{Lang, text};
use crate::i18n::grouped;
use crate::store::ImportProgress;

/// Between two redraws of the line.
const REDRAW_EVERY: Duration = Duration::from_millis(100);
/// Columns below which the label is left out rather than cut to nothing.
const MIN_LABEL: usize = 8;

pub struct Meter<W: Write> {
    out: W,
    lang: Lang,
    /// What is being done, the start of the line ("importing deals.csv").
    label: String,
    /// What is counted ("rows", "cards"), in `lang`.
    unit: &'static str,
    /// How many are expected in all, when known beforehand.
    total: Option<usize>,
    /// Columns the line may take.
    width: usize,
    every: Duration,
    drawn: Option<Instant>,
}

impl Meter<std::io::Stderr> {
    /// A meter on stderr, or none when stderr is not a terminal.
    pub fn on_terminal(
        lang: Lang,
        label: impl Into<String>,
        unit: &'static str,
        total: Option<usize>,
    ) -> Option<Self> {
        let out = std::io::stderr();
        // The last column is left empty: a line that fills it wraps on some terminals.
        let width = crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w));
        out.is_terminal().then(|| {
            let mut meter = Meter::new(out, lang, label, unit, total);
            meter.width = width.saturating_sub(1);
            meter
        })
    }
}

impl<W: Write> Meter<W> {
    /// A meter redrawn at most every [`REDRAW_EVERY`], on lines of 79 columns.
    pub fn new(
        out: W,
        lang: Lang,
        label: impl Into<String>,
        unit: &'static str,
        total: Option<usize>,
    ) -> Self {
        Meter {
            out,
            lang,
            label: label.into(),
            unit,
            total,
            width: 79,
            every: REDRAW_EVERY,
            drawn: None,
        }
    }

    /// Redraws the line for an import's `progress`.
    pub fn show(&mut self, progress: ImportProgress) {
        match progress {
            ImportProgress::Written(written) => self.count(written, texts::written(self.lang)),
            ImportProgress::Finishing => self.finishing(texts::written(self.lang)),
        }
    }

    /// "4,096 of 20,000 cards written" (`done` = "written"), once `every` has passed since the
    /// last redraw.
    pub fn count(&mut self, n: usize, done: &str) {
        let now = Instant::now();
        if self
            .drawn
            .is_some_and(|at| now.duration_since(at) < self.every)
        {
            return;
        }
        let (lang, unit) = (self.lang, self.unit);
        let n = grouped(n, lang);
        let text = match self.total {
            Some(all) => texts::counted_of(lang, &n, &grouped(all, lang), unit, done),
            None => texts::counted(lang, &n, unit, done),
        };
        self.draw(now, &text);
    }

    /// "all cards written, finishing…" (`done` = "written"): always drawn, as it is told once
    /// and may last seconds.
    pub fn finishing(&mut self, done: &str) {
        let text = texts::finishing(self.lang, self.unit, done);
        self.draw(Instant::now(), &text);
    }

    fn draw(&mut self, now: Instant, text: &str) {
        self.drawn = Some(now);
        // On a narrow terminal the label is cut first, then the count.
        let unlabelled = texts::labelled(self.lang, "", text);
        let room = self.width.saturating_sub(text::width(&unlabelled));
        let line = if room >= MIN_LABEL {
            texts::labelled(self.lang, &text::truncate(&self.label, room), text)
        } else {
            text::truncate(text, self.width)
        };
        // A meter that cannot be drawn is no reason to stop the work it follows.
        let _ = write!(self.out, "\r\x1b[2K{line}");
        let _ = self.out.flush();
    }
}

impl<W: Write> Drop for Meter<W> {
    /// Leaves the line empty for what the command prints next.
    fn drop(&mut self) {
        if self.drawn.is_some() {
            let _ = write!(self.out, "\r\x1b[2K");
            let _ = self.out.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Made = fn(&mut Vec<u8>) -> Meter<&mut Vec<u8>>;

    fn drawn(meter: Made, steps: &[ImportProgress]) -> String {
        let mut out = Vec::new();
        {
            let mut meter = meter(&mut out);
            for step in steps {
                meter.show(*step);
            }
        }
        String::from_utf8(out).unwrap()
    }

    /// A meter of an import, redrawn at every step.
    fn every_step(out: &mut Vec<u8>) -> Meter<&mut Vec<u8>> {
        let mut meter = Meter::new(out, Lang::En, "importing deals.csv", "rows", None);
        meter.every = Duration::ZERO;
        meter
    }

    #[test]
    fn each_redraw_replaces_the_line_and_the_last_is_erased() {
        let steps = [
            ImportProgress::Written(4096),
            ImportProgress::Written(1_003_520),
            ImportProgress::Finishing,
        ];
        assert_eq!(
            drawn(every_step, &steps),
            "\r\x1b[2Kimporting deals.csv: 4,096 rows written\
             \r\x1b[2Kimporting deals.csv: 1,003,520 rows written\
             \r\x1b[2Kimporting deals.csv: all rows written, finishing…\
             \r\x1b[2K"
        );
    }

    #[test]
    fn counts_within_the_interval_are_skipped_but_finishing_never_is() {
        let steps = [
            ImportProgress::Written(4096),
            ImportProgress::Written(8192),
            ImportProgress::Finishing,
        ];
        let hourly: Made = |out| {
            let mut meter = Meter::new(out, Lang::En, "demo data", "cards", Some(20_000));
            meter.every = Duration::from_secs(3600);
            meter
        };
        let out = drawn(hourly, &steps);
        assert!(
            out.contains("demo data: 4,096 of 20,000 cards written"),
            "{out:?}"
        );
        assert!(!out.contains("8,192"), "{out:?}");
        assert!(out.contains("all cards written, finishing…"), "{out:?}");
    }

    /// What a terminal `width` columns wide shows of an import's first count.
    fn line_in(width: usize) -> String {
        let mut out = Vec::new();
        {
            let mut meter = every_step(&mut out);
            meter.width = width;
            meter.show(ImportProgress::Written(4096));
        }
        let out = String::from_utf8(out).unwrap();
        // Between the escape that clears the line and the return that begins the last one.
        let line = out.split("\x1b[2K").nth(1).unwrap();
        line.trim_end_matches('\r').to_owned()
    }

    #[test]
    fn on_a_narrow_terminal_the_label_is_cut_before_the_count() {
        assert_eq!(line_in(80), "importing deals.csv: 4,096 rows written");
        assert_eq!(line_in(30), "importing…: 4,096 rows written");
        assert_eq!(line_in(25), "4,096 rows written");
        assert_eq!(line_in(12), "4,096 rows …");
    }

    #[test]
    fn a_meter_never_drawn_leaves_nothing() {
        assert_eq!(drawn(every_step, &[]), "");
    }

    #[test]
    fn a_french_meter_speaks_french() {
        let fr: Made = |out| {
            let lang = Lang::Fr;
            let mut meter = Meter::new(
                out,
                lang,
                "données de démo",
                texts::cards(lang),
                Some(20_000),
            );
            meter.every = Duration::ZERO;
            meter
        };
        let steps = [ImportProgress::Written(4096), ImportProgress::Finishing];
        let out = drawn(fr, &steps);
        assert!(
            out.contains("données de démo : 4 096 sur 20 000 cartes écrites"),
            "{out:?}"
        );
        assert!(
            out.contains("toutes les cartes écrites, finalisation…"),
            "{out:?}"
        );
    }
}
