//! CSV rows and fields as spans of the text: fields separated by commas, rows by line ends (LF
//! or CR LF), a field in double quotes holding commas, line ends and doubled quotes (RFC 4180,
//! which is what csvde and Excel write). Blank lines are skipped.

use memchr::{memchr, memchr2};

use super::error::{Error, ErrorKind};
use crate::ldif::excerpt;
use crate::source::Span;

/// One field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Field {
    /// The text of the field, inside its quotes when quoted.
    pub(super) content: Span,
    /// Whether the content holds doubled quotes (`""`), to be undone.
    pub(super) escaped: bool,
}

impl Field {
    /// The field's value: the content, with doubled quotes undone.
    pub(super) fn unescaped<'a>(&self, text: &'a [u8]) -> std::borrow::Cow<'a, [u8]> {
        let content = &text[self.content.start..self.content.end()];
        if !self.escaped {
            return content.into();
        }
        let mut out = Vec::with_capacity(content.len());
        let mut rest = content;
        while let Some(quote) = memchr(b'"', rest) {
            out.extend_from_slice(&rest[..=quote]);
            rest = rest.get(quote + 2..).unwrap_or_default();
        }
        out.extend_from_slice(rest);
        out.into()
    }
}

/// One row: its fields, and the span from its first field to its line end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Row {
    pub(super) fields: Vec<Field>,
    pub(super) span: Span,
}

/// The rows of a text, each or the error that made it unreadable.
pub(super) struct Rows<'a> {
    text: &'a [u8],
    position: usize,
}

impl<'a> Rows<'a> {
    pub(super) fn new(text: &'a [u8]) -> Rows<'a> {
        Rows { text, position: 0 }
    }

    /// Where the line holding `offset` ends, past its line end.
    fn next_line(&self, offset: usize) -> usize {
        memchr(b'\n', &self.text[offset.min(self.text.len())..]).map_or(self.text.len(), |newline| offset + newline + 1)
    }

    fn skip_blank_lines(&mut self) {
        while self.position < self.text.len() {
            let next = self.next_line(self.position);
            if !self.text[self.position..next].trim_ascii().is_empty() {
                return;
            }
            self.position = next;
        }
    }

    fn row(&mut self) -> Result<Row, Error> {
        let text = self.text;
        let start = self.position;
        let mut fields = Vec::new();
        let mut at = start;
        loop {
            let (field, end) = if text.get(at) == Some(&b'"') { self.quoted(at, start)? } else { unquoted(text, at) };
            fields.push(field);
            match text.get(end) {
                Some(b',') => at = end + 1,
                _ => {
                    self.position = self.next_line(end);
                    let row_end =
                        if text.get(end.wrapping_sub(1)) == Some(&b'\r') && end > start { end - 1 } else { end };
                    return Ok(Row { fields, span: Span::new(start, row_end) });
                }
            }
        }
    }

    /// A quoted field opening at `open`, and where it ends: at the comma or line end after its
    /// closing quote.
    fn quoted(&mut self, open: usize, row_start: usize) -> Result<(Field, usize), Error> {
        let text = self.text;
        let mut at = open + 1;
        let mut escaped = false;
        loop {
            let Some(quote) = memchr(b'"', &text[at..]).map(|quote| at + quote) else {
                self.position = self.next_line(row_start);
                let message =
                    format!("the quote opened at `{}` is never closed", excerpt(&text[open..self.next_line(open)]));
                return Err(Error::new(ErrorKind::MalformedQuoting, Span::new(open, open + 1), message));
            };
            if text.get(quote + 1) == Some(&b'"') {
                escaped = true;
                at = quote + 2;
                continue;
            }
            let end = quote + 1;
            let after = &text[end..];
            if !(after.is_empty() || after.starts_with(b",") || after.starts_with(b"\n") || after.starts_with(b"\r\n"))
            {
                let stray_end = memchr2(b',', b'\n', after).map_or(text.len(), |stop| end + stop);
                // The CR of a CRLF line end is not part of the stray text.
                let stray_end = if stray_end > end && text[stray_end - 1] == b'\r' { stray_end - 1 } else { stray_end };
                self.position = self.next_line(end);
                let message = format!(
                    "text after the closing quote of `{}`: `{}`",
                    excerpt(&text[open..end]),
                    excerpt(&text[end..stray_end])
                );
                return Err(Error::new(ErrorKind::MalformedQuoting, Span::new(end, stray_end.max(end + 1)), message));
            }
            return Ok((Field { content: Span::new(open + 1, quote), escaped }, end));
        }
    }
}

/// An unquoted field starting at `start`, and where it ends: at the next comma or line end.
fn unquoted(text: &[u8], start: usize) -> (Field, usize) {
    let end = memchr2(b',', b'\n', &text[start..]).map_or(text.len(), |stop| start + stop);
    let content_end = if end > start && text[end - 1] == b'\r' && text.get(end) != Some(&b',') { end - 1 } else { end };
    (Field { content: Span::new(start, content_end), escaped: false }, end)
}

impl Iterator for Rows<'_> {
    type Item = Result<Row, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.skip_blank_lines();
        (self.position < self.text.len()).then(|| self.row())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &[u8]) -> Vec<Vec<String>> {
        Rows::new(text)
            .map(|row| {
                let row = row.unwrap();
                row.fields.iter().map(|field| String::from_utf8(field.unescaped(text).into_owned()).unwrap()).collect()
            })
            .collect()
    }

    #[test]
    fn fields_are_split_on_commas_outside_quotes() {
        let text = b"DN,cn,description\r\n\"CN=a,O=x\",a,\"say \"\"hi\"\", twice\r\nthen stop\"\r\n\r\n,b,\n";
        assert_eq!(
            fields(text),
            [
                vec!["DN", "cn", "description"],
                vec!["CN=a,O=x", "a", "say \"hi\", twice\r\nthen stop"],
                vec!["", "b", ""]
            ]
        );
    }

    #[test]
    fn rows_span_their_fields_without_the_line_end() {
        let text = b"a,b\r\nc,\"d\"\r\n";
        let rows: Vec<Row> = Rows::new(text).map(Result::unwrap).collect();
        assert_eq!(rows[0].span, Span::new(0, 3));
        assert_eq!(rows[1].span, Span::new(5, 10));
        assert_eq!(rows[1].fields[1].content, Span::new(8, 9));
    }

    #[test]
    fn bad_quoting_is_reported_and_reading_goes_on() {
        let text = b"DN,cn\n\"CN=a\"x,a\n\"CN=c\",c\n\"CN=b,b\n";
        let rows: Vec<_> = Rows::new(text).collect();
        let error = rows[1].as_ref().unwrap_err();
        assert_eq!(error.kind, ErrorKind::MalformedQuoting);
        assert_eq!(error.span, Span::new(12, 13));
        assert_eq!(error.message, "text after the closing quote of `\"CN=a\"`: `x`");
        assert!(rows[2].is_ok(), "the row after a bad one is read: {rows:?}");
        let crlf = b"DN,cn\r\n\"CN=a\" x\r\n";
        let error = Rows::new(crlf).nth(1).unwrap().unwrap_err();
        assert_eq!(
            (error.span, error.message.as_str()),
            (Span::new(13, 15), "text after the closing quote of `\"CN=a\"`: ` x`")
        );
        let error = rows[3].as_ref().unwrap_err();
        assert_eq!(error.message, "the quote opened at `\"CN=b,b⏎` is never closed");
        assert_eq!(rows.len(), 4);
    }
}
