//! The LDIF reader: RFC 2849 content and change records, as real exporters write them.
//!
//! [`records`] walks a text once and yields each record or the error that made it unreadable,
//! then goes on with the next record. [`split`] cuts a text between records so that parts can
//! be read in parallel; reading the parts in order yields exactly what reading the whole would.
//!
//! What the reader accepts beyond the letter of the RFC, and why, is in `docs/ldif.md`.

mod base64;
mod change;
mod error;
mod grammar;
mod newlines;
mod reader;
mod record;
mod writer;

use std::ops::Range;

use memchr::memchr_iter;

pub(crate) use error::excerpt;
pub use error::{Error, ErrorKind};
pub use reader::{Records, Tally};
pub use record::{Attribute, Body, ChangeType, Control, DnLine, ModOp, Modification, Record, Value, ValueForm};
pub use writer::{LDIFDE, Style, write_record};

/// The records of a whole text.
pub fn records(text: &[u8]) -> Records<'_> {
    Records::new(text, 0..text.len())
}

/// Cuts `text` into at most `parts` ranges of similar size, each starting on a blank line,
/// which always lies between records.
pub fn split(text: &[u8], parts: usize) -> Vec<Range<usize>> {
    let target = text.len() / parts.max(1) + 1;
    let mut ranges = Vec::with_capacity(parts);
    let mut start = 0;
    while text.len() - start > target {
        match next_blank_line(text, start + target) {
            Some(boundary) => {
                ranges.push(start..boundary);
                start = boundary;
            }
            None => break,
        }
    }
    ranges.push(start..text.len());
    ranges
}

/// Start of the first blank line (empty, or a lone CR) that begins after `from`.
fn next_blank_line(text: &[u8], from: usize) -> Option<usize> {
    let from = from.min(text.len());
    memchr_iter(b'\n', &text[from..])
        .map(|newline| from + newline + 1)
        .find(|&line| matches!(&text[line..], [b'\n', ..] | [b'\r', b'\n', ..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_parts_read_like_the_whole() {
        let text: String =
            (0..200).map(|i| format!("dn: cn=u{i},dc=x\r\ndescription: a folded\r\n  value {i}\r\n\r\n")).collect();
        let whole: Vec<_> = records(text.as_bytes()).map(|r| r.unwrap().dn.text.into_owned()).collect();
        for parts in [1, 2, 3, 7, 64] {
            let ranges = split(text.as_bytes(), parts);
            assert!(ranges.len() <= parts);
            let joined: Vec<_> = ranges
                .into_iter()
                .flat_map(|range| Records::new(text.as_bytes(), range))
                .map(|r| r.unwrap().dn.text.into_owned())
                .collect();
            assert_eq!(joined, whole);
        }
    }
}
