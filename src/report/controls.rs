//! Characters that act instead of showing, escaped for every report meant to be read.
//!
//! Values come from the export, and an export is untrusted: ESC starts the terminal sequences
//! that set a window's title, clear the screen or fake a colour, BEL rings, CR and backspace
//! overwrite what was written, NUL truncates, and the bidirectional formatting characters
//! (U+202E and its kin) reorder what is shown so that a value reads as another. Reports show
//! each as an escape, `\x1b` or `\u{202e}`, as ripgrep and git do, so that it is seen and does
//! nothing. Tabs stay: they only move the cursor right. JSON keeps the values as they are but
//! writes these characters as `\u` escapes (serde_json escapes C0 only), so that a JSON report
//! shown in a terminal does not act either.

use std::borrow::Cow;
use std::fmt::Write;
use std::io;

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

/// `text` with every control character (C0 but tab, DEL, C1) and every bidirectional
/// formatting character escaped; line ends too, since a value is one line.
pub(crate) fn escape_controls(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// [`escape_controls`] for text of several lines, such as the lines of the export quoted in a
/// report: `\n` and the `\r` of a `\r\n` stay as line ends, any other `\r` is escaped.
pub(crate) fn escape_controls_in_lines(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

fn escape(text: &str, keep_line_ends: bool) -> Cow<'_, str> {
    let acts = |(at, c): (usize, char)| is_active(c) && !(keep_line_ends && is_line_end(text, at, c));
    let Some((first, _)) = text.char_indices().find(|&item| acts(item)) else {
        return Cow::Borrowed(text);
    };
    let mut escaped = String::with_capacity(text.len() + 8);
    escaped.push_str(&text[..first]);
    for (at, c) in text[first..].char_indices().map(|(at, c)| (at + first, c)) {
        if !acts((at, c)) {
            escaped.push(c);
        } else if u32::from(c) < 0x100 {
            let _ = write!(escaped, "\\x{:02x}", u32::from(c));
        } else {
            let _ = write!(escaped, "\\u{{{:04x}}}", u32::from(c));
        }
    }
    Cow::Owned(escaped)
}

fn is_line_end(text: &str, at: usize, c: char) -> bool {
    c == '\n' || (c == '\r' && text.as_bytes().get(at + 1) == Some(&b'\n'))
}

/// `value` as indented JSON, every character that acts written as a `\u` escape.
pub(super) fn write_json(out: &mut dyn io::Write, value: &impl Serialize) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, EscapingControls(PrettyFormatter::new()));
    value.serialize(&mut serializer).map_err(io::Error::from)
}

/// serde_json's indented layout, with the characters that act escaped in strings.
struct EscapingControls<'a>(PrettyFormatter<'a>);

impl Formatter for EscapingControls<'_> {
    fn write_string_fragment<W: ?Sized + io::Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
        let mut rest = fragment;
        while let Some((at, c)) = rest.char_indices().find(|&(_, c)| is_active(c)) {
            writer.write_all(&rest.as_bytes()[..at])?;
            write!(writer, "\\u{:04x}", u32::from(c))?;
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

/// Whether a character does something to the display rather than show.
fn is_active(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        || matches!(c, '\u{2028}' | '\u{2029}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_acts_is_shown_escaped() {
        assert_eq!(escape_controls("EX01\x1b]0;owned\x07\x1b[2J"), r"EX01\x1b]0;owned\x07\x1b[2J");
        assert_eq!(escape_controls("a\0b\x7f\u{85}c"), r"a\x00b\x7f\x85c");
        assert_eq!(escape_controls("exe.\u{202e}fdp"), r"exe.\u{202e}fdp");
        assert_eq!(escape_controls("one\ntwo\r"), r"one\x0atwo\x0d");
        assert_eq!(escape_controls("tab\tand é"), "tab\tand é");
        assert!(matches!(escape_controls("plain"), Cow::Borrowed("plain")));
    }

    #[test]
    fn json_escapes_what_acts_and_reads_back_the_same() {
        let value = serde_json::json!({ "name": "EX\u{202e}01\x1b[2J\u{9b}\x7f é", "list": [1, 2] });
        let mut json = Vec::new();
        write_json(&mut json, &value).unwrap();
        let json = String::from_utf8(json).unwrap();
        assert!(json.contains(r#""EX\u202e01\u001b[2J\u009b\u007f é""#), "{json}");
        assert_eq!(
            json,
            serde_json::to_string_pretty(&value)
                .unwrap()
                .replace('\u{202e}', r"\u202e")
                .replace('\u{9b}', r"\u009b")
                .replace('\x7f', r"\u007f")
        );
        assert_eq!(serde_json::from_str::<serde_json::Value>(&json).unwrap(), value);
    }

    #[test]
    fn lines_keep_their_ends() {
        assert_eq!(escape_controls_in_lines("one\r\ntwo\rthree\n\x1b"), "one\r\ntwo\\x0dthree\n\\x1b");
    }
}
