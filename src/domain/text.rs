//! Untrusted text shown on a terminal. Imported, typed, pasted or stored text can carry
//! escape sequences that recolour the screen, retitle the window, write the clipboard or
//! reset the terminal, and bidi controls that visually reorder a line; it is cleaned
//! where it enters the app. Widths are counted in terminal columns by grapheme cluster
//! so wide characters, emoji and combining marks lay out and truncate correctly.

use std::borrow::Cow;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Longest text a field may hold, in characters: a pasted document or a hostile import of
/// megabytes in one cell is refused, not stored and drawn on every frame.
pub const MAX_FIELD_CHARS: usize = 10_000;

/// A field's text over [`MAX_FIELD_CHARS`]: how many characters it has (said by `i18n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLong {
    pub chars: usize,
}

/// Why a field's text is refused, if it is too long.
pub fn too_long(text: &str) -> Option<TooLong> {
    let chars = text.chars().count();
    (chars > MAX_FIELD_CHARS).then_some(TooLong { chars })
}

/// Columns between tab stops when a TAB is expanded.
const TAB_STOP: usize = 4;

/// Cleans text where it enters the app (import, typing, paste, loading from the database): removes C0 controls (except that TAB becomes spaces to the next multiple of 4 columns, and newline/CR become a single space), DEL, C1 controls (U+0080..U+009F), and bidi controls (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F, U+061C). An ESC also swallows the escape sequence it starts so no junk like `[31m` is left: CSI (`ESC [` params... final byte 0x40..0x7E), OSC (`ESC ]` ... terminated by BEL or `ESC \`), DCS/SOS/PM/APC (`ESC P`, `ESC X`, `ESC ^`, `ESC _` ... until `ESC \`), and two-byte sequences like `ESC c`, `ESC 7`. Also the single-character C1 CSI (U+009B) and OSC (U+009D) start the same sequences. Trims nothing else (leading/trailing spaces are kept) so callers decide.
///
/// Details, following how terminals parse: CR LF is one line break, and NEL (U+0085),
/// LINE SEPARATOR and PARAGRAPH SEPARATOR are line breaks too, so words don't run
/// together. The C1 DCS/SOS/PM/APC characters start strings like their `ESC` forms, and
/// C1 ST (U+009C) ends any string. An ESC inside a string ends it and starts the next
/// sequence, and a character that cannot continue a CSI or ESC sequence ends it and is
/// then handled as ordinary text. An unterminated sequence swallows the rest of the text.
pub fn clean(text: &str) -> String {
    let mut cleaner = Cleaner {
        out: String::with_capacity(text.len()),
        col: 0,
        segment: 0,
        state: State::Text,
    };
    for c in text.chars() {
        // A character that ends a sequence without belonging to it is fed again as text,
        // which takes every character, so this loops at most twice.
        while !cleaner.feed(c) {}
    }
    cleaner.out
}

/// Same as clean() but also trims and collapses runs of whitespace into one space: for single-line fields (title, account, owner...).
/// Whitespace is Unicode's, so no-break spaces collapse too.
pub fn clean_line(text: &str) -> String {
    cleaned_line(text).into_owned()
}

/// [`clean_line`] that copies only text that needs cleaning: most stored text is printable
/// ASCII with single inner spaces, which both steps keep as it is, so reading or writing a
/// million cards (export, import) borrows it instead.
pub fn cleaned_line(text: &str) -> Cow<'_, str> {
    if already_clean(text) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(clean(text).split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Printable ASCII without a space at either end or two in a row: what [`cleaned_line`] keeps
/// as it is. One pass over the bytes (a search for two spaces was a tenth of reading a CSV
/// file).
fn already_clean(text: &str) -> bool {
    // A space right after the start counts as a second one in a row.
    let mut after_space = true;
    for &b in text.as_bytes() {
        let space = b == b' ';
        if !(b' '..=b'~').contains(&b) || (space && after_space) {
            return false;
        }
        after_space = space;
    }
    !after_space || text.is_empty()
}

/// The width of text whose every character is one column and its own grapheme: printable
/// Latin-1 and Latin Extended, below the combining marks (U+0300), without the soft hyphen;
/// the punctuation, currency signs, arrows, box-drawing and block characters the screens draw
/// (…, ‹ ›, €, ↑ ↓, ─, ▌, ✓), without the invisible ones among them (joiners, marks of
/// direction). Most names, titles and amounts are (French included), and skipping grapheme
/// segmentation for them is a large part of a frame's cost.
pub fn simple_width(text: &str) -> Option<usize> {
    text.chars()
        .all(|c| {
            matches!(c,
                ' '..='~'
                | '\u{a0}'..='\u{ac}'
                | '\u{ae}'..='\u{2ff}'
                | '\u{2010}'..='\u{2027}'
                | '\u{202f}'..='\u{205e}'
                | '\u{20a0}'..='\u{20c0}'
                | '\u{2190}'..='\u{21ff}'
                | '\u{2500}'..='\u{259f}'
                | '\u{2713}')
        })
        .then(|| text.chars().count())
}

/// Display width in terminal columns (unicode-width, by grapheme cluster).
pub fn width(text: &str) -> usize {
    simple_width(text).unwrap_or_else(|| text.graphemes(true).map(UnicodeWidthStr::width).sum())
}

/// Cuts to at most `max` columns by grapheme clusters (never splits a grapheme or a wide char), appending '…' when something was cut (the ellipsis counts in `max`). max == 0 → empty string.
pub fn truncate(text: &str, max: usize) -> String {
    if max == 0 {
        return String::new();
    }
    if let Some(cols) = simple_width(text) {
        return if cols <= max {
            text.to_owned()
        } else {
            text.chars().take(max - 1).chain(['…']).collect()
        };
    }
    let mut used = 0;
    // End of the longest prefix that leaves a column for the ellipsis.
    let mut keep = 0;
    for (start, grapheme) in text.grapheme_indices(true) {
        used += grapheme.width();
        if used > max {
            return format!("{}…", &text[..keep]);
        }
        if used < max {
            keep = start + grapheme.len();
        }
    }
    text.to_owned()
}

/// Pads with spaces on the right to exactly `cols` columns (truncating first if needed).
pub fn pad(text: &str, cols: usize) -> String {
    let mut out = truncate(text, cols);
    let fill = cols.saturating_sub(width(&out));
    out.extend(std::iter::repeat_n(' ', fill));
    out
}

#[derive(Clone, Copy)]
enum State {
    Text,
    /// After a CR, so that a following LF joins it into one line break.
    AfterCr,
    /// After ESC.
    Escape,
    /// ESC and intermediate bytes (0x20..=0x2F), waiting for the final byte, as in `ESC ( B`.
    EscapeIntermediate,
    /// Parameter and intermediate bytes (0x20..=0x3F), waiting for the final byte.
    Csi,
    /// An OSC, DCS, SOS, PM or APC payload, until ST; BEL also ends an OSC.
    Str {
        bel_ends: bool,
    },
}

struct Cleaner {
    out: String,
    /// Columns before byte `segment` of `out`: widths are measured once per segment
    /// between tabs, so tab stops cost linear time and see whole graphemes.
    col: usize,
    segment: usize,
    state: State,
}

impl Cleaner {
    /// Handles one character; false when it must be fed again in the new state.
    fn feed(&mut self, c: char) -> bool {
        match self.state {
            State::Text => self.text(c),
            State::AfterCr => {
                self.state = State::Text;
                return c == '\n';
            }
            State::Escape => match c {
                '[' => self.state = State::Csi,
                ']' => self.state = State::Str { bel_ends: true },
                'P' | 'X' | '^' | '_' => self.state = State::Str { bel_ends: false },
                ' '..='/' => self.state = State::EscapeIntermediate,
                // Two-byte sequences, including `ESC \` which ends a string.
                '0'..='~' => self.state = State::Text,
                _ => return self.abort(),
            },
            State::EscapeIntermediate => match c {
                ' '..='/' => {}
                '0'..='~' => self.state = State::Text,
                _ => return self.abort(),
            },
            State::Csi => match c {
                ' '..='?' => {}
                '@'..='~' => self.state = State::Text,
                _ => return self.abort(),
            },
            State::Str { bel_ends } => match c {
                '\u{7}' if bel_ends => self.state = State::Text,
                '\u{9c}' => self.state = State::Text,
                '\u{1b}' => self.state = State::Escape,
                _ => {}
            },
        }
        true
    }

    fn abort(&mut self) -> bool {
        self.state = State::Text;
        false
    }

    fn text(&mut self, c: char) {
        match c {
            '\t' => {
                self.col += width(&self.out[self.segment..]);
                let fill = TAB_STOP - self.col % TAB_STOP;
                self.out.extend(std::iter::repeat_n(' ', fill));
                self.col += fill;
                self.segment = self.out.len();
            }
            '\r' => {
                self.out.push(' ');
                self.state = State::AfterCr;
            }
            '\n' | '\u{85}' | '\u{2028}' | '\u{2029}' => self.out.push(' '),
            '\u{1b}' => self.state = State::Escape,
            '\u{9b}' => self.state = State::Csi,
            '\u{9d}' => self.state = State::Str { bel_ends: true },
            '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => {
                self.state = State::Str { bel_ends: false }
            }
            c if is_control(c) => {}
            c => self.out.push(c),
        }
    }
}

/// C0, DEL, C1 and the bidi embedding, override, isolate and mark characters.
fn is_control(c: char) -> bool {
    matches!(c,
        '\0'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{61c}')
}

/// One line of an aligned table: the first cell left-aligned (a name), the others
/// right-aligned (numbers), each to its column's width, `gap` spaces apart. Cells beyond the
/// widths given are left out.
pub fn table_row<S: AsRef<str>>(cells: &[S], widths: &[usize], gap: usize) -> String {
    cells
        .iter()
        .zip(widths)
        .enumerate()
        .map(|(i, (cell, w))| {
            let cell = cell.as_ref();
            if i == 0 {
                pad(cell, *w)
            } else {
                format!("{}{cell}", " ".repeat(w.saturating_sub(width(cell))))
            }
        })
        .collect::<Vec<_>>()
        .join(&" ".repeat(gap))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_sgr_colours() {
        assert_eq!(clean("\x1b[31mred\x1b[0m"), "red");
        assert_eq!(clean("\x1b[1;38;5;196mbold\x1b[m!"), "bold!");
        assert_eq!(clean("a\x1b[?1049hb\x1b[2J\x1b[Hc"), "abc");
    }

    #[test]
    fn strips_osc() {
        // Clipboard write, ended by BEL.
        assert_eq!(clean("\x1b]52;c;SGVsbG8=\x07hi"), "hi");
        // Hyperlink, ended by ST.
        assert_eq!(clean("\x1b]8;;http://x\x1b\\click\x1b]8;;\x1b\\"), "click");
        // Window title, ended by C1 ST.
        assert_eq!(clean("\x1b]0;pwned\u{9c}ok"), "ok");
        // An ESC that is not ST ends the string and starts the next sequence.
        assert_eq!(clean("\x1b]0;title\x1b[31mred"), "red");
    }

    #[test]
    fn strips_dcs_sos_pm_apc() {
        assert_eq!(clean("\x1bPq#0;2;0;0;0#0~~\x1b\\sixel"), "sixel");
        assert_eq!(clean("\x1bXsos\x1b\\a"), "a");
        assert_eq!(clean("\x1b^pm\x1b\\b"), "b");
        assert_eq!(clean("\x1b_Gf=100;AAAA\x1b\\kitty"), "kitty");
        // BEL does not end these strings.
        assert_eq!(clean("\x1bPdata\x07more\x1b\\x"), "x");
    }

    #[test]
    fn strips_short_escapes() {
        assert_eq!(clean("\x1bcafter reset"), "after reset");
        assert_eq!(clean("a\x1b7b\x1b8c"), "abc");
        assert_eq!(clean("\x1b(Bascii\x1b)0"), "ascii");
        assert_eq!(clean("\x1b=\x1b>x"), "x");
    }

    #[test]
    fn strips_c1_introducers() {
        assert_eq!(clean("\u{9b}31mred\u{9b}0m"), "red");
        assert_eq!(clean("\u{9d}52;c;SGVsbG8=\x07hi"), "hi");
        assert_eq!(clean("\u{9d}0;t\u{9c}ok"), "ok");
        assert_eq!(clean("\u{90}payload\u{9c}ok"), "ok");
        assert_eq!(clean("\u{9f}apc\x1b\\ok"), "ok");
    }

    #[test]
    fn handles_unterminated_and_broken_sequences() {
        assert_eq!(clean("abc\x1b[31"), "abc");
        assert_eq!(clean("abc\x1b["), "abc");
        assert_eq!(clean("abc\x1b"), "abc");
        assert_eq!(clean("abc\x1b]0;never ends"), "abc");
        assert_eq!(clean("\x1b\x1b[31mx"), "x");
        // Characters that can't continue a sequence end it and are kept.
        assert_eq!(clean("\x1b[31é"), "é");
        assert_eq!(clean("\x1bé"), "é");
        assert_eq!(clean("\x1b(\né"), " é");
        assert_eq!(clean("\x1b[1\tx"), "    x");
    }

    #[test]
    fn strips_bidi_controls() {
        assert_eq!(clean("\u{202E}abc"), "abc");
        let all = "\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}\u{61C}";
        assert_eq!(clean(&format!("x{all}y")), "xy");
        // Right-to-left text itself is kept.
        assert_eq!(clean("שלום"), "שלום");
    }

    #[test]
    fn strips_other_controls() {
        assert_eq!(clean("a\0b\x07c\x08d\x7fe\u{80}f\u{9a}g"), "abcdefg");
        assert_eq!(clean("x\x18y\x1az"), "xyz");
    }

    #[test]
    fn breaks_lines_into_spaces() {
        assert_eq!(clean("a\nb\r\nc\rd"), "a b c d");
        assert_eq!(clean("a\r\r\nb"), "a  b");
        assert_eq!(clean("a\n\nb"), "a  b");
        assert_eq!(clean("a\u{85}b\u{2028}c\u{2029}d"), "a b c d");
        assert_eq!(clean("end\r"), "end ");
    }

    #[test]
    fn expands_tabs_to_stops_of_four() {
        assert_eq!(clean("\tx"), "    x");
        assert_eq!(clean("a\tb"), "a   b");
        assert_eq!(clean("abc\td"), "abc d");
        assert_eq!(clean("abcd\te"), "abcd    e");
        assert_eq!(clean("a\t\tb"), "a       b");
        // Measured in columns: a wide char takes two, a combining mark none.
        assert_eq!(clean("漢\tx"), "漢  x");
        assert_eq!(clean("e\u{301}\tx"), "e\u{301}   x");
        // Escape sequences take no room.
        assert_eq!(clean("\x1b[1mab\x1b[0m\tx"), "ab  x");
        // A newline becomes a column like any space.
        assert_eq!(clean("ab\n\tx"), "ab  x");
    }

    #[test]
    fn keeps_surrounding_spaces() {
        assert_eq!(clean("  a  b  "), "  a  b  ");
        assert_eq!(clean(""), "");
        assert_eq!(clean("naïve 漢字 👍🏽"), "naïve 漢字 👍🏽");
    }

    #[test]
    fn clean_line_trims_and_collapses() {
        assert_eq!(clean_line("  Acme \t Corp\r\n  Ltd  "), "Acme Corp Ltd");
        assert_eq!(
            clean_line("\x1b[31m Big\u{A0}\u{A0}Deal \x1b[0m"),
            "Big Deal"
        );
        assert_eq!(clean_line(" \t\n "), "");
        assert_eq!(clean_line("one"), "one");
    }

    /// Text already clean is borrowed, and only that: everything else gets the full cleaning.
    #[test]
    fn clean_line_borrows_exactly_the_text_it_would_keep() {
        for text in [
            "",
            "a",
            "Acme Corp",
            " a",
            "a ",
            "a  b",
            " ",
            "  ",
            "a b c",
            "~!",
            "a\tb",
            "a\u{7f}",
            "é",
            "a\nb",
            "a \u{a0}b",
        ] {
            let cleaned = cleaned_line(text);
            let full: String = clean(text).split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(cleaned, full, "{text:?}");
            let borrowed = matches!(cleaned, Cow::Borrowed(_));
            assert!(!borrowed || full == text, "{text:?}");
            if text.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
                assert_eq!(borrowed, full == text, "{text:?}");
            }
        }
    }

    #[test]
    fn output_never_contains_controls() {
        // Every C0/C1 control, DEL and ESC follower, alone and around text.
        for code in (0..=0xA0).chain(0x2000..=0x206F) {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            for text in [
                format!("{c}"),
                format!("a{c}b"),
                format!("\x1b{c}x"),
                format!("\x1b[{c}x"),
            ] {
                let out = clean(&text);
                assert!(!out.chars().any(is_control), "{text:?} → {out:?}");
            }
        }
    }

    #[test]
    fn survives_noise() {
        let alphabet = [
            "\x1b", "[", "]", "\\", "\x07", "P", "_", "1", ";", "m", "a", "漢", "\u{301}", "\t",
            "\r", "\n", "\u{9b}", "\u{9c}", "\u{9d}", "\u{202E}", "👍🏽", " ", "(",
        ];
        let mut seed: u32 = 12345;
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..(seed % 40) {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                text.push_str(alphabet[(seed >> 16) as usize % alphabet.len()]);
            }
            let out = clean(&text);
            assert!(!out.chars().any(is_control), "{text:?} → {out:?}");
            let line = clean_line(&text);
            assert_eq!(line.trim(), line);
            assert!(!line.contains("  "));
            seed = seed.wrapping_add(1);
        }
    }

    #[test]
    fn measures_width() {
        assert_eq!(width(""), 0);
        assert_eq!(width("abc"), 3);
        assert_eq!(width("漢字テスト"), 10);
        assert_eq!(width("e\u{301}"), 1);
        assert_eq!(width("👍🏽 ok"), 5);
        assert_eq!(width("🇫🇷"), 2);
        assert_eq!(width("👨\u{200d}👩\u{200d}👧"), 2);
    }

    #[test]
    fn simple_text_is_one_column_and_one_grapheme_per_character() {
        let simple = ('\0'..=char::MAX).filter(|c| simple_width(&c.to_string()).is_some());
        for c in simple {
            let text = format!("a{c}{c}é");
            assert_eq!(simple_width(&text), Some(4), "{c:?}");
            assert_eq!(text.graphemes(true).count(), 4, "{c:?}");
            assert_eq!(
                text.graphemes(true)
                    .map(UnicodeWidthStr::width)
                    .sum::<usize>(),
                4
            );
        }
        assert_eq!(simple_width("e\u{301}"), None);
        assert_eq!(simple_width("漢"), None);
        assert_eq!(simple_width("a\u{200d}b"), None);
        assert_eq!(simple_width("✓\u{fe0f}"), None);
        assert_eq!(simple_width("12 k€ · ↑ 3 ─▌…"), Some(15));
        assert_eq!(truncate("Société Générale", 8), "Société…");
    }

    #[test]
    fn truncates_ascii() {
        assert_eq!(truncate("hello", 10), "hello");
        assert_eq!(truncate("hello", 5), "hello");
        assert_eq!(truncate("hello", 4), "hel…");
        assert_eq!(truncate("hello", 1), "…");
        assert_eq!(truncate("hello", 0), "");
        assert_eq!(truncate("", 0), "");
        assert_eq!(truncate("", 3), "");
    }

    #[test]
    fn truncates_wide_characters_without_splitting() {
        let cjk = "漢字テスト";
        assert_eq!(truncate(cjk, 10), cjk);
        assert_eq!(truncate(cjk, 9), "漢字テス…");
        assert_eq!(truncate(cjk, 8), "漢字テ…");
        assert_eq!(truncate(cjk, 6), "漢字…");
        assert_eq!(truncate(cjk, 5), "漢字…");
        assert_eq!(truncate(cjk, 4), "漢…");
        assert_eq!(truncate(cjk, 3), "漢…");
        assert_eq!(truncate(cjk, 2), "…");
        assert_eq!(truncate(cjk, 1), "…");
    }

    #[test]
    fn truncates_graphemes_whole() {
        assert_eq!(truncate("👍🏽 ok", 5), "👍🏽 ok");
        assert_eq!(truncate("👍🏽 ok", 4), "👍🏽 …");
        assert_eq!(truncate("👍🏽 ok", 3), "👍🏽…");
        assert_eq!(truncate("👍🏽 ok", 2), "…");
        assert_eq!(truncate("e\u{301}e\u{301}e\u{301}", 2), "e\u{301}…");
        assert_eq!(truncate("e\u{301}e\u{301}", 2), "e\u{301}e\u{301}");
    }

    #[test]
    fn truncate_never_exceeds_or_panics() {
        let samples = [
            "",
            "a",
            "hello world",
            "漢字テスト",
            "a漢b字cテ",
            "👍🏽 ok",
            "e\u{301}\u{302}x\u{301}",
            "🇫🇷🇩🇪🇬🇧",
            "👨\u{200d}👩\u{200d}👧 family",
            "\u{301}leading mark",
            "ᄀᄀᄀ jamo",
            "a\u{200b}b\u{200b}c",
            "\x1b[31m raw",
        ];
        for text in samples {
            for max in 0..=40 {
                let cut = truncate(text, max);
                assert!(width(&cut) <= max, "{text:?} at {max} → {cut:?}");
                if width(text) <= max {
                    assert_eq!(cut, text);
                } else if max > 0 {
                    let kept = cut.strip_suffix('…').expect("ellipsis when cut");
                    assert!(text.starts_with(kept), "{text:?} at {max} → {cut:?}");
                }
            }
        }
    }

    #[test]
    fn pads_to_exact_width() {
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(pad("abcdef", 4), "abc…");
        assert_eq!(pad("漢字テスト", 5), "漢字…");
        assert_eq!(pad("漢字テスト", 4), "漢… ");
        assert_eq!(pad("e\u{301}", 3), "e\u{301}  ");
        assert_eq!(pad("x", 0), "");
        for text in ["", "漢字テスト", "👍🏽 ok", "e\u{301}x", "plain"] {
            for cols in 0..=15 {
                assert_eq!(width(&pad(text, cols)), cols, "{text:?} at {cols}");
            }
        }
    }
}
