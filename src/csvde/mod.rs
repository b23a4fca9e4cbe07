//! The csvde reader: CSV exports of Active Directory as Microsoft's `csvde` writes them, read
//! into the same records as LDIF, so that the index, the topology and every rule treat both
//! alike.
//!
//! The format, as Microsoft documents it (the "Comma-Separated Value (CSV) Scripts" page of the
//! Active Directory documentation and the `csvde` reference): a header row of attribute names
//! with `DN` first, then one row per object; fields separated by commas and quoted with `"`
//! when they hold a comma (every DN does), quotes doubled inside; the values of a multi-valued
//! attribute joined by `;` (`top;container`); binary values as `X'` hexadecimal `'`; an empty
//! field for an attribute the object does not have. Values are kept as spans of the text like
//! LDIF values, so a finding points at the row and column of its field.

mod error;
mod rows;
mod values;

use std::borrow::Cow;
use std::collections::VecDeque;

pub use error::{Error, ErrorKind};
use rows::{Field, Row, Rows};

use crate::ldif::{Attribute, Body, DnLine, Record, Value, ValueForm, excerpt};
use crate::source::Span;

/// A column of the header: the attribute it holds, `None` when it names none.
struct Column<'a> {
    description: Cow<'a, str>,
    type_len: usize,
}

/// The records of a csvde export, each or the error that made its row unreadable, in file
/// order. Errors about values (bad hexadecimal) come after the record they belong to, which
/// still holds its other values.
pub struct Records<'a> {
    text: &'a [u8],
    rows: Rows<'a>,
    columns: Vec<Option<Column<'a>>>,
    /// The column of the DN: the first, as csvde writes it, or wherever a file reordered by
    /// hand has it.
    dn_column: usize,
    header: Span,
    pending: VecDeque<Error>,
}

/// The records of a whole csvde text.
pub fn records(text: &[u8]) -> Records<'_> {
    let mut rows = Rows::new(text);
    let mut pending = VecDeque::new();
    let header = match rows.next() {
        Some(Ok(row)) => Some(row),
        Some(Err(error)) => {
            pending.push_back(error);
            None
        }
        None => None,
    };
    let (columns, dn_column) =
        header.as_ref().map_or((Vec::new(), None), |row| header_columns(text, row, &mut pending));
    let header = header.map_or(Span::default(), |row| row.span);
    if dn_column.is_none() {
        // Without a header naming the DN no row can be read.
        rows = Rows::new(&text[..0]);
    }
    Records { text, rows, columns, dn_column: dn_column.unwrap_or_default(), header, pending }
}

/// The columns a header row names, `None` for the DN's (which names no attribute) and for a
/// column that names no attribute (reported), and which is the DN's (reported when none is).
fn header_columns<'a>(
    text: &'a [u8],
    row: &Row,
    errors: &mut VecDeque<Error>,
) -> (Vec<Option<Column<'a>>>, Option<usize>) {
    let mut columns = Vec::with_capacity(row.fields.len());
    let mut dn = None;
    for field in &row.fields {
        let name = match field.unescaped(text) {
            Cow::Borrowed(bytes) => String::from_utf8_lossy(bytes),
            Cow::Owned(bytes) => Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()),
        };
        if dn.is_none() && name.trim().eq_ignore_ascii_case("dn") {
            dn = Some(columns.len());
            columns.push(None);
            continue;
        }
        let trimmed = name.trim();
        let type_len = trimmed.find(';').unwrap_or(trimmed.len());
        let valid = type_len > 0
            && trimmed[..type_len].bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
            && trimmed.as_bytes()[0].is_ascii_alphabetic();
        if valid {
            let description = match name {
                Cow::Borrowed(name) => Cow::Borrowed(name.trim()),
                Cow::Owned(name) => Cow::Owned(name.trim().to_owned()),
            };
            columns.push(Some(Column { description, type_len }));
        } else {
            let span = if field.content.len == 0 {
                Span::new(field.content.start, field.content.start + 1)
            } else {
                field.content
            };
            let column = columns.len() + 1;
            let message = match trimmed {
                "" => format!("header column {column} is empty, so its values belong to no attribute"),
                name => format!("header column {column} is `{}`, which names no attribute", excerpt(name.as_bytes())),
            };
            errors.push_back(Error::new(ErrorKind::InvalidHeader, span, message));
            columns.push(None);
        }
    }
    if dn.is_none() {
        let message = format!("the header has no `DN` column: `{}`", excerpt(&text[row.span.start..row.span.end()]));
        errors.push_back(Error::new(ErrorKind::InvalidHeader, row.span, message));
    }
    (columns, dn)
}

impl<'a> Records<'a> {
    fn record(&mut self, row: Row) -> Result<Record<'a>, Error> {
        let text = self.text;
        if row.fields.len() != self.columns.len() {
            let message = format!(
                "the row has {} fields, the header {} (`{}`)",
                row.fields.len(),
                self.columns.len(),
                excerpt(&text[self.header.start..self.header.end()])
            );
            return Err(Error::new(ErrorKind::WrongFieldCount, row.span, message));
        }
        let dn_field = &row.fields[self.dn_column];
        let dn_bytes = dn_field.unescaped(text);
        if dn_bytes.trim_ascii().is_empty() {
            return Err(Error::new(ErrorKind::MissingDn, row.span, "the row's DN field is empty".to_owned()));
        }
        let dn = DnLine {
            text: Cow::Owned(String::from_utf8_lossy(&dn_bytes).into_owned()),
            value: Value::new(ValueForm::Plain, dn_bytes, false, dn_field.content),
            span: dn_field.content,
        };
        let mut attributes = Vec::new();
        for (column, field) in self.columns.iter().zip(&row.fields) {
            if let Some(column) = column {
                field_values(text, column, field, &mut attributes, &mut self.pending);
            }
        }
        Ok(Record { dn, controls: Vec::new(), change: None, body: Body::Attributes(attributes), span: row.span })
    }
}

/// Adds the values of one field as attribute lines; a bad binary value is reported in `errors`
/// and left out.
fn field_values<'a>(
    text: &'a [u8],
    column: &Column<'a>,
    field: &Field,
    attributes: &mut Vec<Attribute<'a>>,
    errors: &mut VecDeque<Error>,
) {
    let content = field.unescaped(text);
    for range in values::split(&content) {
        // Spans inside a field with doubled quotes cannot be mapped back one for one: its
        // values point at the whole field.
        let span = if field.escaped {
            field.content
        } else {
            Span::new(field.content.start + range.start, field.content.start + range.end)
        };
        let raw = match &content {
            Cow::Borrowed(bytes) => Cow::Borrowed(&bytes[range]),
            Cow::Owned(bytes) => Cow::Owned(bytes[range].to_vec()),
        };
        let raw = match values::binary(&raw) {
            None => raw,
            Some(Ok(bytes)) => Cow::Owned(bytes),
            Some(Err(())) => {
                let message = format!("`{}` is not hexadecimal, two digits per byte", excerpt(&raw));
                errors.push_back(Error::new(ErrorKind::InvalidHex, span, message));
                continue;
            }
        };
        let value = Value::new(ValueForm::Plain, raw, false, span);
        attributes.push(Attribute::new(column.description.clone(), column.type_len, value, span));
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(error) = self.pending.pop_front() {
            return Some(Err(error));
        }
        let row = self.rows.next()?;
        Some(row.and_then(|row| self.record(row)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPORT: &[u8] = b"DN,objectClass,cn,routingList,objectGUID,description\r\n\
\"CN=Internet Mail,CN=Connections,O=x\",top;msExchRoutingSMTPConnector,Internet Mail,SMTP:*;1;SMTP:contoso.com;10,X'9a6b00ff',\r\n\
\"CN=EXBH01,O=x\",top;server,EXBH01,,X'9a6',\"a \"\"quoted\"\", one\"\r\n";

    #[test]
    fn rows_become_records_with_one_line_per_value() {
        let records: Vec<_> = records(EXPORT).collect();
        let first = records[0].as_ref().unwrap();
        assert_eq!(first.dn.text, "CN=Internet Mail,CN=Connections,O=x");
        let lines: Vec<(String, Vec<u8>)> = first
            .attributes()
            .unwrap()
            .iter()
            .map(|attribute| (attribute.name().to_owned(), attribute.value.bytes().into_owned()))
            .collect();
        let expected: Vec<(String, Vec<u8>)> = [
            ("objectClass", &b"top"[..]),
            ("objectClass", b"msExchRoutingSMTPConnector"),
            ("cn", b"Internet Mail"),
            ("routingList", b"SMTP:*;1"),
            ("routingList", b"SMTP:contoso.com;10"),
            ("objectGUID", b"\x9a\x6b\x00\xff"),
        ]
        .map(|(name, value)| (name.to_owned(), value.to_vec()))
        .to_vec();
        assert_eq!(lines, expected);
        let routing = &first.attributes().unwrap()[4];
        assert_eq!(&EXPORT[routing.span.start..routing.span.end()], b"SMTP:contoso.com;10");
    }

    #[test]
    fn a_bad_binary_value_is_reported_and_the_rest_of_its_row_kept() {
        let records: Vec<_> = records(EXPORT).collect();
        let second = records[1].as_ref().unwrap();
        let description = second.attributes().unwrap().iter().find(|attribute| attribute.is("description")).unwrap();
        assert_eq!(description.value.text(), "a \"quoted\", one");
        let error = records[2].as_ref().unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidHex);
        assert_eq!(&EXPORT[error.span.start..error.span.end()], b"X'9a6'");
        assert_eq!(records.len(), 3);
    }

    #[test]
    fn the_dn_may_stand_in_any_column() {
        let text = b"objectClass,DN,cn\ntop;server,\"CN=a,O=x\",a\n";
        let record = records(text).next().unwrap().unwrap();
        assert_eq!(record.dn.text, "CN=a,O=x");
        let names: Vec<&str> = record.attributes().unwrap().iter().map(|attribute| attribute.name()).collect();
        assert_eq!(names, ["objectClass", "objectClass", "cn"]);
        let without: Vec<_> = records(b"cn,description\na,b\n").collect();
        assert_eq!(without.len(), 1, "no row is read without a DN column");
        assert_eq!(without[0].as_ref().unwrap_err().message, "the header has no `DN` column: `cn,description`");
    }

    #[test]
    fn rows_that_do_not_fit_the_header_are_reported() {
        let text = b"DN,cn,,description\n\"CN=a,O=x\",a,b\n,b,,\n\"CN=c,O=x\",c,x,d\n";
        let outcome: Vec<_> = records(text).collect();
        let kinds: Vec<_> = outcome
            .iter()
            .map(|item| item.as_ref().map(|record| record.dn.text.to_string()).map_err(|error| error.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                Err(ErrorKind::InvalidHeader),
                Err(ErrorKind::WrongFieldCount),
                Err(ErrorKind::MissingDn),
                Ok("CN=c,O=x".to_owned()),
            ]
        );
        let third = outcome[3].as_ref().unwrap();
        assert_eq!(third.attributes().unwrap().len(), 2, "the unnamed column is not read");
    }
}
