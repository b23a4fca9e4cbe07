//! Writing records as LDIF, the way an exporter writes them: for exports exlint makes itself
//! (a redacted copy, a sample with changes applied), which must read like the customer's.

use std::io::{self, Write};

use base64::Engine as _;

use super::record::BASE64;

/// How an exporter lays out its records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub line_end: &'static str,
    /// Longest physical line, in bytes; longer logical lines are folded.
    pub width: usize,
    /// Whether every record says `changetype: add`, as ldifde writes them.
    pub add_records: bool,
}

/// `ldifde -f`: CRLF, lines folded at 80 columns, `changetype: add` records.
pub const LDIFDE: Style = Style { line_end: "\r\n", width: 80, add_records: true };

/// Writes one record: its `dn:` line, `changetype: add` when the style has it, and one line per
/// value, each plain when RFC 2849 allows it and base64 otherwise, then the blank line that ends
/// it.
pub fn write_record<'v>(
    out: &mut dyn Write,
    style: Style,
    dn: &[u8],
    attributes: impl IntoIterator<Item = (&'v str, &'v [u8])>,
) -> io::Result<()> {
    write_line(out, style, "dn", dn)?;
    if style.add_records {
        write_line(out, style, "changetype", b"add")?;
    }
    for (name, value) in attributes {
        write_line(out, style, name, value)?;
    }
    out.write_all(style.line_end.as_bytes())
}

/// One `name: value` or `name:: base64` logical line, folded.
fn write_line(out: &mut dyn Write, style: Style, name: &str, value: &[u8]) -> io::Result<()> {
    let line = if is_safe(value) {
        [name.as_bytes(), b": ", value].concat()
    } else {
        format!("{name}:: {}", BASE64.encode(value)).into_bytes()
    };
    let mut rest = &line[..];
    let mut width = style.width;
    loop {
        let (piece, after) = rest.split_at(width.min(rest.len()));
        out.write_all(piece)?;
        out.write_all(style.line_end.as_bytes())?;
        if after.is_empty() {
            return Ok(());
        }
        // A continuation line starts with one space, which the reader drops.
        out.write_all(b" ")?;
        rest = after;
        width = style.width - 1;
    }
}

/// Whether a value may be written as it is: printable ASCII (RFC 2849's `SAFE-STRING`, without
/// the controls and non-ASCII bytes it would allow in values that readers trip over), not
/// starting with a space, `:` or `<`, and not ending with a space.
fn is_safe(value: &[u8]) -> bool {
    let printable = value.iter().all(|&byte| (b' '..=b'~').contains(&byte));
    let starts_safe = !matches!(value.first(), Some(b' ' | b':' | b'<'));
    printable && starts_safe && value.last() != Some(&b' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(dn: &str, attributes: &[(&str, &[u8])]) -> String {
        let mut out = Vec::new();
        write_record(&mut out, LDIFDE, dn.as_bytes(), attributes.iter().copied()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn writes_plain_values_plain_and_others_in_base64() {
        let text = written("CN=1,DC=x", &[("msExchServerBindings", b":25:"), ("cn", b"1"), ("x", b"caf\xc3\xa9 ")]);
        assert_eq!(
            text,
            "dn: CN=1,DC=x\r\nchangetype: add\r\nmsExchServerBindings:: OjI1Og==\r\ncn: 1\r\nx:: Y2Fmw6kg\r\n\r\n"
        );
    }

    #[test]
    fn folds_long_lines_and_reads_back_the_same() {
        let value = "v".repeat(200);
        let text = written("CN=long,DC=x", &[("description", value.as_bytes())]);
        assert!(text.split("\r\n").all(|line| line.len() <= 80), "{text}");
        let records: Vec<_> = crate::ldif::records(text.as_bytes()).map(Result::unwrap).collect();
        let attributes = records[0].attributes().unwrap();
        assert_eq!(attributes[0].value.text(), value);
    }
}
