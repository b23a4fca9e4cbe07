//! The walk over a text: blocks of lines, logical lines, records.
//!
//! A block is a run of non-blank lines; blank lines separate records and nothing else can, so
//! a bad record is skipped by moving to the next block. Within a block, comment lines (and the
//! continuations of a folded comment) are dropped and continuation lines are joined to the
//! line above them, as spans: nothing is copied until a value is asked for.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::ops::Range;

use memchr::memchr;

use super::base64::check_base64;
use super::error::{Error, ErrorKind, excerpt};
use super::grammar::attrval_spec;
use super::newlines::Newlines;
use super::record::{Attribute, Body, ChangeType, DnLine, Record, Value, ValueForm, unfold};
use crate::source::{LineMarks, Span};

/// A line as the grammar sees it: a physical line and the continuation lines folded into it.
#[derive(Clone, Copy, Debug)]
pub(super) struct LogicalLine {
    pub(super) start: usize,
    /// End of the first physical line (before its line end).
    pub(super) first_end: usize,
    /// End of the last physical line (before its line end).
    pub(super) end: usize,
    pub(super) folded: bool,
}

impl LogicalLine {
    pub(super) fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

/// A logical line taken apart, before it becomes an [`Attribute`] (only kept records need that).
struct Parsed<'a> {
    description: Cow<'a, [u8]>,
    type_len: usize,
    value: Value<'a>,
}

/// Blocks without `dn:` that exporters write around entries: ldapsearch's search references
/// (`ref:`), result trailers (`search:`, `result:`) and paging lines (`control:`,
/// `pagedresults:`), and ldbsearch's referrals.
const EXPORTER_KEYWORDS: [&str; 5] = ["ref", "search", "result", "control", "pagedresults"];

/// The records of a text (or of a range of it that starts and ends between records), in order.
/// Each item is a record or the error that made one unreadable.
pub struct Records<'a> {
    text: &'a [u8],
    pos: usize,
    end: usize,
    /// The line ends from `pos` on.
    newlines: Newlines<'a>,
    /// Whether the next block opens the file, where a `version:` line may stand.
    opens_file: bool,
    lines: Vec<LogicalLine>,
    /// What the current block yielded and the iterator has not handed out yet.
    queue: VecDeque<Result<Record<'a>, Error>>,
    /// Which records to yield, by DN; the others are validated and counted only.
    keep: Option<fn(&str) -> bool>,
    tally: Tally,
}

/// What a reader counted besides the records it yielded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Exporter blocks without `dn:` (search references, result trailers) recognised and skipped.
    pub exporter_blocks: usize,
    /// Valid records read but not yielded, because `keeping` declined their DN.
    pub elided_records: usize,
    /// Where lines start, for the source's line index.
    pub line_marks: LineMarks,
}

impl<'a> Records<'a> {
    /// Reads `range` of `text`; the range must start at 0 or just after a line end.
    pub fn new(text: &'a [u8], range: Range<usize>) -> Records<'a> {
        Records {
            text,
            pos: range.start,
            newlines: Newlines::new(text, range.start, range.end),
            end: range.end,
            opens_file: only_comments_before(text, range.start),
            lines: Vec::new(),
            queue: VecDeque::new(),
            keep: None,
            tally: Tally::default(),
        }
    }

    /// Yields only the records whose DN `keep` accepts. The others are still read and
    /// validated, so their errors are reported, but no value of theirs is collected: a
    /// whole-forest export is mostly objects an analysis does not look at.
    pub fn keeping(mut self, keep: fn(&str) -> bool) -> Records<'a> {
        self.keep = Some(keep);
        self
    }

    /// What the reader counted; complete once it has yielded its last record.
    pub fn tally(self) -> Tally {
        self.tally
    }

    /// Collects the next block's logical lines. `None` at the end of the range; `Some(Err)` for a
    /// block that starts with a continuation line.
    fn read_block(&mut self) -> Option<Result<(), Span>> {
        self.lines.clear();
        let mut started = false;
        let mut in_comment = false;
        let mut orphan = None;
        while self.pos < self.end {
            let start = self.pos;
            let (line_end, next) = match self.newlines.next() {
                Some(newline) => {
                    self.tally.line_marks.line_end(newline);
                    (newline, newline + 1)
                }
                None => (self.end, self.end),
            };
            let end = if line_end > start && self.text[line_end - 1] == b'\r' { line_end - 1 } else { line_end };
            let line = &self.text[start..end];
            if line.is_empty() {
                self.pos = next;
                if started {
                    break;
                }
                continue;
            }
            self.pos = next;
            // A line of spaces between records is taken for a blank line, as lenient readers
            // do (Microsoft's LDF samples have them); inside a record it is a continuation.
            if !started && line.iter().all(|&byte| byte == b' ') {
                continue;
            }
            started = true;
            match line[0] {
                b'#' => in_comment = true,
                b' ' if in_comment => {}
                b' ' => match self.lines.last_mut() {
                    Some(last) => {
                        last.end = end;
                        last.folded = true;
                    }
                    None => {
                        orphan.get_or_insert(Span::new(start, end));
                    }
                },
                _ => {
                    in_comment = false;
                    self.lines.push(LogicalLine { start, first_end: end, end, folded: false });
                }
            }
        }
        if !started {
            return None;
        }
        Some(orphan.map_or(Ok(()), Err))
    }

    /// The bytes before the first `:` of a line's first physical line: enough to tell `dn:`,
    /// `version:` or `changetype:` apart without parsing the line.
    fn keyword(&self, line: &LogicalLine) -> &'a [u8] {
        let first = &self.text[line.start..line.first_end];
        memchr(b':', first).map_or(first, |colon| &first[..colon])
    }

    pub(super) fn is_keyword(&self, line: &LogicalLine, keyword: &str) -> bool {
        self.keyword(line).eq_ignore_ascii_case(keyword.as_bytes())
    }

    /// A line holding only `-` (trailing spaces allowed), the end of a modification. A line of
    /// spaces below it is a continuation that adds nothing, so `-` still ends the modification.
    pub(super) fn is_separator(&self, line: &LogicalLine) -> bool {
        if self.text[line.start] != b'-' {
            return false;
        }
        let raw = &self.text[line.start..line.end];
        if line.folded { unfold(raw).trim_ascii_end() == b"-" } else { raw.trim_ascii_end() == b"-" }
    }

    /// Takes a logical line apart into description and value, validating base64.
    fn parse_line(&self, line: &LogicalLine) -> Result<Parsed<'a>, Error> {
        let first = &self.text[line.start..line.first_end];
        match attrval_spec(first) {
            // Folding may split a line anywhere, even inside the attribute name or between the
            // two colons of `::`: when the first physical line ends before the value starts,
            // read the unfolded line.
            Ok((rest, _)) if rest.is_empty() && line.folded => self.parse_unfolded(line),
            Ok((rest, (description, form))) => {
                let value_start = line.first_end - rest.len();
                let raw = &self.text[value_start..line.end];
                if form == ValueForm::Base64 {
                    check_base64(raw, value_start)?;
                }
                let value = Value::new(form, Cow::Borrowed(raw), line.folded, Span::new(value_start, line.end));
                Ok(Parsed { description: Cow::Borrowed(description.text), type_len: description.type_len, value })
            }
            Err(_) if line.folded && memchr(b':', first).is_none() => self.parse_unfolded(line),
            Err(_) => Err(self.syntax_error(line, first)),
        }
    }

    /// A line folded before its value starts, unfolded into a buffer; its value spans the line.
    fn parse_unfolded(&self, line: &LogicalLine) -> Result<Parsed<'a>, Error> {
        let unfolded = unfold(&self.text[line.start..line.end]);
        match attrval_spec(&unfolded) {
            Ok((rest, (description, form))) => {
                if form == ValueForm::Base64 {
                    // The unfolded copy has no positions of its own: point at the whole line.
                    check_base64(rest, line.start).map_err(|error| Error { span: line.span(), ..error })?;
                }
                let value = Value::new(form, Cow::Owned(rest.to_vec()), false, line.span());
                Ok(Parsed { description: Cow::Owned(description.text.to_vec()), type_len: description.type_len, value })
            }
            Err(_) => Err(self.syntax_error(line, &unfolded)),
        }
    }

    /// A logical line as an attribute line, for the records that are kept.
    pub(super) fn attribute(&self, line: &LogicalLine) -> Result<Attribute<'a>, Error> {
        let parsed = self.parse_line(line)?;
        // The grammar only lets ASCII into a description, so this never replaces anything.
        let description = match parsed.description {
            Cow::Borrowed(bytes) => String::from_utf8_lossy(bytes),
            Cow::Owned(bytes) => Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()),
        };
        Ok(Attribute::new(description, parsed.type_len, parsed.value, line.span()))
    }

    fn syntax_error(&self, line: &LogicalLine, text: &[u8]) -> Error {
        match memchr(b':', text) {
            None => Error::new(
                ErrorKind::LineWithoutColon,
                line.span(),
                format!("line has no `:` separator: `{}`", excerpt(text)),
            ),
            Some(colon) => Error::new(
                ErrorKind::InvalidAttributeDescription,
                Span::new(line.start, line.start + colon),
                format!("`{}` is not an attribute description", excerpt(&text[..colon])),
            ),
        }
    }

    /// The `dn:` line. A plain DN that is not UTF-8 is read as Windows-1252, noted in
    /// `problems`; decoded base64 that is not UTF-8 is an error, since base64 gives the bytes
    /// exactly.
    fn dn_line(&self, line: &LogicalLine, problems: &mut Vec<Error>) -> Result<DnLine<'a>, Error> {
        let value = self.parse_line(line)?.value;
        if value.form() == ValueForm::Url {
            return Err(Error::new(ErrorKind::InvalidDn, value.span, "a DN cannot be given as a URL".into()));
        }
        let text = match value.bytes() {
            Cow::Borrowed(bytes) => std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|_| bytes.to_vec()),
            Cow::Owned(bytes) => String::from_utf8(bytes).map(Cow::Owned).map_err(|error| error.into_bytes()),
        };
        match text {
            Ok(text) => Ok(DnLine { text, value, span: line.span() }),
            Err(_) if value.form() == ValueForm::Plain => {
                let text = value.text();
                problems.push(windows_1252_notice("the DN", &value, &text));
                Ok(DnLine { text, value, span: line.span() })
            }
            Err(bytes) => {
                let valid = std::str::from_utf8(&bytes).err().map_or(0, |error| error.valid_up_to());
                Err(Error::new(
                    ErrorKind::InvalidDn,
                    value.span,
                    format!(
                        "byte `0x{:02X}` of base64 DN `{}` is not UTF-8",
                        bytes.get(valid).copied().unwrap_or_default(),
                        excerpt(&bytes)
                    ),
                ))
            }
        }
    }

    /// `dn-spec SEP *control changerecord` or `dn-spec SEP 1*attrval-spec`.
    ///
    /// Returns the lines after the record too: RFC 2849's `change-moddn` has no closing `SEP`,
    /// so another record may follow a modrdn record without a blank line (the RFC's own
    /// example 6 does so).
    ///
    /// The record is `None` when `keep` declines its DN.
    /// What the record loses or reads otherwise without being lost (invalid base64 values
    /// left out, text read as Windows-1252, URLs not read) goes to `problems`.
    fn record<'l>(
        &self,
        lines: &'l [LogicalLine],
        problems: &mut Vec<Error>,
    ) -> Result<(Option<Record<'a>>, &'l [LogicalLine]), Error> {
        let dn = self.dn_line(&lines[0], problems)?;
        let wanted = self.keep.is_none_or(|keep| keep(&dn.text));
        let mut rest = &lines[1..];
        let mut controls = Vec::new();
        while let Some(line) = rest.first().filter(|line| self.is_keyword(line, "control")) {
            controls.push(self.control(line)?);
            rest = &rest[1..];
        }
        let Some(line) = rest.first().filter(|line| self.is_keyword(line, "changetype")) else {
            if let Some(control) = controls.first() {
                return Err(Error::new(
                    ErrorKind::MalformedChangeRecord,
                    control.span,
                    "`control:` lines must be followed by a `changetype:` line".into(),
                ));
            }
            if !wanted {
                self.check_attributes(rest, problems)?;
                return Ok((None, &[]));
            }
            let attributes = self.attributes(rest, problems)?;
            let span = Span::new(lines[0].start, lines[lines.len() - 1].end);
            return Ok((Some(Record { dn, controls, change: None, body: Body::Attributes(attributes), span }), &[]));
        };
        let change = self.change_type(line)?;
        let mut rest = &rest[1..];
        let body = match change {
            ChangeType::Add | ChangeType::NtdsSchemaAdd if !wanted => {
                self.check_attributes(rest, problems)?;
                return Ok((None, &[]));
            }
            ChangeType::Add | ChangeType::NtdsSchemaAdd => {
                Body::Attributes(self.attributes(std::mem::take(&mut rest), problems)?)
            }
            ChangeType::Delete | ChangeType::NtdsSchemaDelete => match std::mem::take(&mut rest).first() {
                None => Body::Delete,
                Some(extra) => {
                    return Err(Error::new(
                        ErrorKind::MalformedChangeRecord,
                        extra.span(),
                        format!("a delete record has no other lines, found `{}`", self.excerpt(extra)),
                    ));
                }
            },
            ChangeType::Modify | ChangeType::NtdsSchemaModify => {
                Body::Modify(self.modifications(std::mem::take(&mut rest))?)
            }
            ChangeType::ModRdn | ChangeType::ModDn | ChangeType::NtdsSchemaModRdn => {
                let (body, after) = self.rename(rest, line)?;
                rest = after;
                body
            }
        };
        // Only a rename leaves lines over: every other kind consumed the rest of the block.
        let last = &lines[lines.len() - rest.len() - 1];
        let span = Span::new(lines[0].start, last.end);
        let record = Record { dn, controls, change: Some(change), body, span };
        Ok((wanted.then_some(record), rest))
    }

    pub(super) fn excerpt(&self, line: &LogicalLine) -> String {
        excerpt(&self.text[line.start..line.end])
    }

    /// The attribute lines of an entry. A value that cannot be decoded is left out and noted
    /// in `problems`, so that the rest of the record is still analysed; a line that cannot be
    /// read at all makes the record an error.
    fn attributes(&self, lines: &[LogicalLine], problems: &mut Vec<Error>) -> Result<Vec<Attribute<'a>>, Error> {
        let mut attributes = Vec::with_capacity(lines.len());
        for line in lines {
            match self.attribute_line(line) {
                Ok(attribute) => {
                    problems.extend(value_notice(attribute.name(), &attribute.value));
                    attributes.push(attribute);
                }
                Err(error) if error.kind == ErrorKind::InvalidBase64 => problems.push(error),
                Err(error) => return Err(error),
            }
        }
        Ok(attributes)
    }

    /// Validates attribute lines without keeping them, noting in `problems` what
    /// [`Records::attributes`] would.
    fn check_attributes(&self, lines: &[LogicalLine], problems: &mut Vec<Error>) -> Result<(), Error> {
        for line in lines {
            self.check_not_separator(line)?;
            match self.parse_line(line) {
                Ok(parsed) => {
                    let name = String::from_utf8_lossy(&parsed.description[..parsed.type_len]).into_owned();
                    problems.extend(value_notice(&name, &parsed.value));
                }
                Err(error) if error.kind == ErrorKind::InvalidBase64 => problems.push(error),
                Err(error) => return Err(error),
            }
        }
        Ok(())
    }

    /// `attrval-spec`, where a `-` line is out of place.
    fn attribute_line(&self, line: &LogicalLine) -> Result<Attribute<'a>, Error> {
        self.check_not_separator(line)?;
        self.attribute(line)
    }

    fn check_not_separator(&self, line: &LogicalLine) -> Result<(), Error> {
        if self.is_separator(line) {
            return Err(Error::new(
                ErrorKind::StraySeparator,
                line.span(),
                "a `-` line outside a modify record".into(),
            ));
        }
        Ok(())
    }

    /// Queues what a block holds, once its logical lines are known.
    fn block(&mut self, opens_file: bool) {
        let lines = std::mem::take(&mut self.lines);
        self.classify(&lines, opens_file);
        self.lines = lines;
    }

    fn classify(&mut self, lines: &[LogicalLine], opens_file: bool) {
        let Some(first) = lines.first() else { return };
        if self.is_keyword(first, "dn") {
            let mut problems = Vec::new();
            match self.record(lines, &mut problems) {
                Ok((record, after)) => {
                    self.queue.extend(problems.into_iter().map(Err));
                    match record {
                        Some(record) => self.queue.push_back(Ok(record)),
                        None => self.tally.elided_records += 1,
                    }
                    self.classify(after, false);
                }
                Err(error) => self.queue.push_back(Err(error)),
            }
        } else if self.is_keyword(first, "version") {
            if let Some(error) = self.version_problem(first, opens_file) {
                self.queue.push_back(Err(error));
            }
            self.classify(&lines[1..], false);
        } else if lines.iter().all(|line| EXPORTER_KEYWORDS.iter().any(|keyword| self.is_keyword(line, keyword))) {
            self.tally.exporter_blocks += 1;
        } else {
            let error = match self.attribute(first) {
                Err(error) => error,
                Ok(_) => Error::new(
                    ErrorKind::MissingDn,
                    Span::new(first.start, first.first_end),
                    format!("record starts with `{}` instead of a `dn:` line", self.excerpt(first)),
                ),
            };
            self.queue.push_back(Err(error));
        }
    }

    /// `version-spec = "version:" FILL version-number`, only as the file's first line, and only 1.
    fn version_problem(&self, line: &LogicalLine, opens_file: bool) -> Option<Error> {
        let attribute = match self.attribute(line) {
            Ok(attribute) => attribute,
            Err(error) => return Some(error),
        };
        let version = attribute.value.text();
        if !opens_file {
            Some(Error::new(
                ErrorKind::MisplacedVersion,
                line.span(),
                "a `version:` line after the first record".into(),
            ))
        } else if version.trim_end() != "1" {
            Some(
                Error::new(
                    ErrorKind::MisplacedVersion,
                    attribute.value.span,
                    format!("unsupported LDIF version `{}`", excerpt(version.as_bytes())),
                )
                .with_hint("RFC 2849 defines version 1 only"),
            )
        } else {
            None
        }
    }
}

/// Whether `text` holds only blank lines and comments before `end`: then a part starting at
/// `end` (`split` cuts at blank lines, so between comment blocks too) still opens the file,
/// where `version:` may stand. Stops at the first other line, which starts most files.
fn only_comments_before(text: &[u8], end: usize) -> bool {
    let mut in_comment = false;
    for line in text[..end].split(|&byte| byte == b'\n') {
        match line.first() {
            None | Some(b'\r') => in_comment = false,
            Some(b'#') => in_comment = true,
            Some(b' ') if in_comment || line.trim_ascii().is_empty() => {}
            Some(_) => return false,
        }
    }
    true
}

/// What a value read otherwise than as UTF-8 text, or not read, costs: a notice at the value.
fn value_notice(name: &str, value: &Value<'_>) -> Option<Error> {
    match value.form() {
        ValueForm::Url => Some(Error::new(
            ErrorKind::UrlNotRead,
            value.span,
            format!("`{name}` is given as the URL `{}`, which exlint does not open or fetch", excerpt(&value.bytes())),
        )),
        ValueForm::Plain if value.is_windows_1252() => {
            Some(windows_1252_notice(&format!("the `{name}` value"), value, &value.text()))
        }
        _ => None,
    }
}

fn windows_1252_notice(what: &str, value: &Value<'_>, text: &str) -> Error {
    Error::new(
        ErrorKind::Windows1252,
        value.span,
        format!("{what} reads `{}` in Windows-1252", excerpt(text.as_bytes())),
    )
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.queue.pop_front() {
                return Some(item);
            }
            let block = self.read_block()?;
            // A block of comments before the `version:` line does not stop it opening the file.
            let opens_file = self.opens_file;
            if block.is_err() || !self.lines.is_empty() {
                self.opens_file = false;
            }
            match block {
                Err(orphan) => self.queue.push_back(Err(Error::new(
                    ErrorKind::OrphanContinuation,
                    orphan,
                    format!(
                        "continuation line `{}` has no line to continue",
                        excerpt(&self.text[orphan.start..orphan.end()])
                    ),
                ))),
                Ok(()) => self.block(opens_file),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Result<Record<'_>, Error>> {
        Records::new(text.as_bytes(), 0..text.len()).collect()
    }

    #[test]
    fn version_opens_the_file_only() {
        let items = read("version: 1\ndn: cn=a\ncn: a\n");
        assert_eq!(items.len(), 1);
        assert!(items[0].is_ok());
        let items = read("dn: cn=a\ncn: a\n\nversion: 1\ndn: cn=b\ncn: b\n");
        assert_eq!(items.len(), 3);
        assert_eq!(items[1].as_ref().unwrap_err().kind, ErrorKind::MisplacedVersion);
        assert!(items[2].is_ok(), "the record after a misplaced version line is still read");
    }

    #[test]
    fn comments_and_blank_lines_may_precede_the_version_in_every_part() {
        let text = "# exported\n#  by hand\n\n\n# more\n \n\nversion: 1\n\ndn: cn=a\ncn: a\n";
        for parts in [1, 2, 4, 8] {
            let items: Vec<_> = super::super::split(text.as_bytes(), parts)
                .into_iter()
                .flat_map(|range| Records::new(text.as_bytes(), range))
                .collect();
            assert_eq!(items.len(), 1, "{parts} parts: {items:?}");
            assert!(items[0].is_ok());
        }
    }

    #[test]
    fn a_bad_value_is_left_out_and_the_record_kept() {
        let items = read("dn: cn=a,dc=x\ncn: a\ndescription:: not*base64\nsn: b\n");
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].as_ref().unwrap_err().kind, ErrorKind::InvalidBase64);
        let record = items[1].as_ref().unwrap();
        let names: Vec<_> = record.attributes().unwrap().iter().map(Attribute::name).collect();
        assert_eq!(names, ["cn", "sn"]);
    }

    #[test]
    fn windows_1252_text_is_read_and_noted() {
        let text = b"dn: CN=J\xf6rg,DC=x\ncn: J\xf6rg M\xfcller\ndescription:: 9g==\n";
        let items: Vec<_> = Records::new(text, 0..text.len()).collect();
        let kinds: Vec<_> = items.iter().map(|item| item.as_ref().map_err(|error| error.kind).err()).collect();
        assert_eq!(kinds, [Some(ErrorKind::Windows1252), Some(ErrorKind::Windows1252), None]);
        assert_eq!(items[0].as_ref().unwrap_err().span, Span::new(4, 16));
        let record = items[2].as_ref().unwrap();
        assert_eq!(record.dn.text, "CN=Jörg,DC=x");
        let values: Vec<_> = record.attributes().unwrap().iter().map(|attribute| attribute.value.text()).collect();
        assert_eq!(values, ["Jörg Müller", "\u{fffd}"], "base64 is bytes: not read as Windows-1252");
    }

    #[test]
    fn url_values_are_noted_and_never_read() {
        let items = read("dn: cn=a,dc=x\njpegPhoto:< file:///etc/passwd\n");
        let error = items[0].as_ref().unwrap_err();
        assert_eq!(error.kind, ErrorKind::UrlNotRead);
        assert!(error.message.contains("file:///etc/passwd"), "{}", error.message);
        assert!(items[1].is_ok());
    }

    #[test]
    fn exporter_blocks_are_skipped_and_counted() {
        let text = "# search reference\nref: ldap://x/dc=a\n\n# search result\nsearch: 2\nresult: 0 Success\n";
        let mut records = Records::new(text.as_bytes(), 0..text.len());
        assert!(records.next().is_none());
        let tally = records.tally();
        assert_eq!(tally.exporter_blocks, 2);
        assert_eq!(tally.line_marks.line_ends, 6);
    }
}
