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
use nom::Parser;
use nom::combinator::all_consuming;

use super::error::{Error, ErrorKind, excerpt};
use super::grammar::{attribute_description, attrval_spec, control_body};
use super::newlines::Newlines;
use super::record::{
    Attribute, Body, ChangeType, Control, DnLine, ModOp, Modification, Record, Value, ValueForm, unfold,
};
use crate::source::{LineMarks, Span};

/// A line as the grammar sees it: a physical line and the continuation lines folded into it.
#[derive(Clone, Copy, Debug)]
struct LogicalLine {
    start: usize,
    /// End of the first physical line (before its line end).
    first_end: usize,
    /// End of the last physical line (before its line end).
    end: usize,
    folded: bool,
}

impl LogicalLine {
    fn span(&self) -> Span {
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
            opens_file: range.start == 0,
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

    fn is_keyword(&self, line: &LogicalLine, keyword: &str) -> bool {
        self.keyword(line).eq_ignore_ascii_case(keyword.as_bytes())
    }

    /// A line holding only `-` (trailing spaces allowed), the end of a modification. A line of
    /// spaces below it is a continuation that adds nothing, so `-` still ends the modification.
    fn is_separator(&self, line: &LogicalLine) -> bool {
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
    fn attribute(&self, line: &LogicalLine) -> Result<Attribute<'a>, Error> {
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

    fn dn_line(&self, line: &LogicalLine) -> Result<DnLine<'a>, Error> {
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
            Err(bytes) => {
                let valid = std::str::from_utf8(&bytes).err().map_or(0, |error| error.valid_up_to());
                // A plain, unfolded DN is the file's bytes: point at the bad one. Otherwise
                // point at the whole value.
                let span = if value.form() == ValueForm::Plain && !line.folded {
                    Span::new(value.span.start + valid, value.span.start + valid + 1)
                } else {
                    value.span
                };
                Err(Error::new(
                    ErrorKind::InvalidDn,
                    span,
                    format!(
                        "byte `0x{:02X}` of DN `{}` is not UTF-8",
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
    fn record<'l>(&self, lines: &'l [LogicalLine]) -> Result<(Option<Record<'a>>, &'l [LogicalLine]), Error> {
        let dn = self.dn_line(&lines[0])?;
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
                self.check_attributes(rest)?;
                return Ok((None, &[]));
            }
            let attributes = self.attributes(rest)?;
            let span = Span::new(lines[0].start, lines[lines.len() - 1].end);
            return Ok((Some(Record { dn, controls, change: None, body: Body::Attributes(attributes), span }), &[]));
        };
        let change = self.change_type(line)?;
        let mut rest = &rest[1..];
        let body = match change {
            ChangeType::Add | ChangeType::NtdsSchemaAdd if !wanted => {
                self.check_attributes(rest)?;
                return Ok((None, &[]));
            }
            ChangeType::Add | ChangeType::NtdsSchemaAdd => {
                Body::Attributes(self.attributes(std::mem::take(&mut rest))?)
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

    fn excerpt(&self, line: &LogicalLine) -> String {
        excerpt(&self.text[line.start..line.end])
    }

    fn attributes(&self, lines: &[LogicalLine]) -> Result<Vec<Attribute<'a>>, Error> {
        lines.iter().map(|line| self.attribute_line(line)).collect()
    }

    /// Validates attribute lines without keeping them.
    fn check_attributes(&self, lines: &[LogicalLine]) -> Result<(), Error> {
        lines.iter().try_for_each(|line| {
            self.check_not_separator(line)?;
            self.parse_line(line).map(drop)
        })
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

    fn change_type(&self, line: &LogicalLine) -> Result<ChangeType, Error> {
        let attribute = self.attribute(line)?;
        let keyword = attribute.value.text();
        ChangeType::parse(keyword.trim_end()).ok_or_else(|| {
            Error::new(
                ErrorKind::MalformedChangeRecord,
                attribute.value.span,
                format!("unknown change type `{}`", excerpt(keyword.as_bytes())),
            )
            .with_hint("change types are add, delete, modify, modrdn, moddn and ldifde's ntdsSchema* variants")
        })
    }

    fn control(&self, line: &LogicalLine) -> Result<Control<'a>, Error> {
        let attribute = self.attribute(line)?;
        let body = attribute.value.bytes();
        let malformed = || {
            Error::new(
                ErrorKind::MalformedChangeRecord,
                line.span(),
                format!("`{}` is not a control", self.excerpt(line)),
            )
            .with_hint("a control is `control: OID [true|false] [: value | :: base64]`")
        };
        let (rest, head) = control_body(&body).map_err(|_| malformed())?;
        let value = match head.form {
            Some(form) => {
                if form == ValueForm::Base64 {
                    check_base64(rest, line.start).map_err(|_| malformed())?;
                }
                Some(Value::new(form, Cow::Owned(rest.to_vec()), false, line.span()))
            }
            None if rest.trim_ascii().is_empty() => None,
            None => return Err(malformed()),
        };
        Ok(Control {
            oid: String::from_utf8_lossy(head.oid).into_owned(),
            critical: head.critical,
            value,
            span: line.span(),
        })
    }

    /// `1*(mod-spec)`, with the last `-` optional as every reader accepts.
    fn modifications(&self, mut lines: &[LogicalLine]) -> Result<Vec<Modification<'a>>, Error> {
        let mut modifications = Vec::new();
        while let Some(head) = lines.first() {
            let spec = if self.is_separator(head) { None } else { Some(self.attribute(head)?) };
            let op = spec.as_ref().and_then(|spec| match spec.name().to_ascii_lowercase().as_str() {
                "add" => Some(ModOp::Add),
                "delete" => Some(ModOp::Delete),
                "replace" => Some(ModOp::Replace),
                "increment" => Some(ModOp::Increment),
                _ => None,
            });
            let (Some(op), Some(spec)) = (op, spec) else {
                let error = Error::new(
                    ErrorKind::MalformedChangeRecord,
                    head.span(),
                    format!("expected `add:`, `delete:`, `replace:` or `increment:`, found `{}`", self.excerpt(head)),
                );
                return Err(if self.is_keyword(head, "dn") {
                    error.with_hint("a blank line is missing before this `dn:` line")
                } else {
                    error
                });
            };
            let attribute = spec.value.text().trim_end().to_owned();
            if all_consuming(attribute_description).parse(attribute.as_bytes()).is_err() {
                return Err(Error::new(
                    ErrorKind::InvalidAttributeDescription,
                    spec.value.span,
                    format!("`{}` is not an attribute description", excerpt(attribute.as_bytes())),
                ));
            }
            lines = &lines[1..];
            let mut values = Vec::new();
            let mut end = head.end;
            while let Some(line) = lines.first() {
                lines = &lines[1..];
                end = line.end;
                if self.is_separator(line) {
                    break;
                }
                let value = self.attribute(line)?;
                if !value.description().eq_ignore_ascii_case(&attribute) {
                    return Err(Error::new(
                        ErrorKind::MalformedChangeRecord,
                        line.span(),
                        format!("a `{}` value inside the modification of `{attribute}`", value.description()),
                    )
                    .with_hint("end each modification with a line holding only `-`"));
                }
                values.push(value);
            }
            modifications.push(Modification {
                op,
                attribute: Cow::Owned(attribute),
                values,
                span: Span::new(head.start, end),
            });
        }
        Ok(modifications)
    }

    /// `("modrdn" / "moddn") SEP "newrdn:" ... SEP "deleteoldrdn:" FILL ("0" / "1") SEP 0*1("newsuperior:" ...)`
    fn rename<'l>(
        &self,
        lines: &'l [LogicalLine],
        changetype: &LogicalLine,
    ) -> Result<(Body<'a>, &'l [LogicalLine]), Error> {
        let missing = |what: &str| {
            Error::new(
                ErrorKind::MalformedChangeRecord,
                changetype.span(),
                format!("a modrdn record needs a `{what}:` line here"),
            )
        };
        let mut lines = lines.iter();
        let mut next = |keyword: &str| match lines.clone().next() {
            Some(line) if self.is_keyword(line, keyword) => {
                lines.next();
                self.attribute(line).map(Some)
            }
            _ => Ok(None),
        };
        let new_rdn = next("newrdn")?.ok_or_else(|| missing("newrdn"))?.value;
        let delete_old_rdn = next("deleteoldrdn")?.ok_or_else(|| missing("deleteoldrdn"))?.value;
        let new_superior = next("newsuperior")?.map(|attribute| attribute.value);
        let delete_old_rdn = match delete_old_rdn.text().trim_end() {
            "0" => false,
            "1" => true,
            other => {
                return Err(Error::new(
                    ErrorKind::MalformedChangeRecord,
                    delete_old_rdn.span,
                    format!("`deleteoldrdn:` must be 0 or 1, found `{}`", excerpt(other.as_bytes())),
                ));
            }
        };
        let after = lines.as_slice();
        match after.first() {
            Some(extra) if !self.is_keyword(extra, "dn") => Err(Error::new(
                ErrorKind::MalformedChangeRecord,
                extra.span(),
                format!("unexpected `{}` after a modrdn record's lines", self.excerpt(extra)),
            )),
            _ => Ok((Body::Rename { new_rdn, delete_old_rdn, new_superior }, after)),
        }
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
            match self.record(lines) {
                Ok((record, after)) => {
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

/// `BASE64-STRING = [*(BASE64-CHAR) [BASE64-CHAR "="] ...]`: the standard alphabet, length a
/// multiple of four, `=` only as the last one or two characters. `raw` may hold fold sequences;
/// trailing blanks are tolerated. `offset` is where `raw` starts in the text, for the error.
fn check_base64(raw: &[u8], offset: usize) -> Result<(), Error> {
    if is_plain_base64(raw) {
        return Ok(());
    }
    locate_base64_error(raw, offset)
}

/// The common case, checked fast: each folded segment is all alphabet but for one or two `=`
/// at the very end, and the length is a multiple of four. Anything else (a problem, or padding
/// split by a fold) goes to [`locate_base64_error`], which decides and explains.
fn is_plain_base64(raw: &[u8]) -> bool {
    let mut rest = raw.trim_ascii_end();
    let mut count = 0;
    loop {
        let (segment, next) = match memchr(b'\n', rest) {
            Some(newline) => (&rest[..newline], Some(&rest[newline + 1..])),
            None => (rest, None),
        };
        let segment = segment.strip_suffix(b"\r").unwrap_or(segment);
        let Some(next) = next else {
            let data = segment.strip_suffix(b"==").or_else(|| segment.strip_suffix(b"=")).unwrap_or(segment);
            return is_alphabet(data) && (count + segment.len()) % 4 == 0;
        };
        if !is_alphabet(segment) {
            return false;
        }
        count += segment.len();
        let Some(next) = next.strip_prefix(b" ") else { return false };
        rest = next;
    }
}

/// Whether every byte is of the base64 alphabet; written without branches so that it
/// vectorises.
fn is_alphabet(bytes: &[u8]) -> bool {
    bytes.iter().fold(true, |valid, &byte| {
        valid
            & ((byte.wrapping_sub(b'A') < 26)
                | (byte.wrapping_sub(b'a') < 26)
                | (byte.wrapping_sub(b'0') < 10)
                | (byte == b'+')
                | (byte == b'/'))
    })
}

/// Walks base64 byte by byte to find what is wrong with it, if anything.
fn locate_base64_error(raw: &[u8], offset: usize) -> Result<(), Error> {
    let raw = raw.trim_ascii_end();
    let mut count = 0usize;
    let mut padding = 0usize;
    let mut index = 0;
    while index < raw.len() {
        let byte = raw[index];
        let valid = match byte {
            b'\r' if raw.get(index + 1) == Some(&b'\n') => {
                index += 1;
                continue;
            }
            b'\n' if raw.get(index + 1) == Some(&b' ') => {
                index += 2;
                continue;
            }
            b'=' => {
                padding += 1;
                padding <= 2
            }
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' => padding == 0,
            _ => false,
        };
        if !valid {
            // A non-ASCII character is shown and pointed at whole, not by its first byte.
            let width = match byte {
                0xF0.. => 4,
                0xE0.. => 3,
                0xC0.. => 2,
                _ => 1,
            };
            let character = &raw[index..(index + width).min(raw.len())];
            let shown = if byte == b'=' || byte.is_ascii_alphanumeric() {
                "misplaced `=` padding".to_owned()
            } else {
                format!("`{}`", excerpt(character))
            };
            return Err(Error::new(
                ErrorKind::InvalidBase64,
                Span::new(offset + index, offset + index + character.len()),
                format!("invalid base64 at {shown}: `{}`", excerpt(&unfold(raw))),
            ));
        }
        count += 1;
        index += 1;
    }
    if !count.is_multiple_of(4) {
        return Err(Error::new(
            ErrorKind::InvalidBase64,
            Span::new(offset, offset + raw.len()),
            format!("base64 length {count} is not a multiple of 4 (missing `=` padding?): `{}`", excerpt(&unfold(raw))),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Result<Record<'_>, Error>> {
        Records::new(text.as_bytes(), 0..text.len()).collect()
    }

    #[test]
    fn base64_checks_alphabet_padding_and_length() {
        assert!(check_base64(b"OjI1Og==", 0).is_ok());
        assert!(check_base64(b"OjI1\n Og==", 0).is_ok());
        assert!(check_base64(b"OjI1\r\n Og==  ", 0).is_ok());
        assert!(check_base64(b"", 0).is_ok());
        assert_eq!(check_base64(b"OjI1 Og==", 10).unwrap_err().span, Span::new(14, 15));
        assert_eq!(check_base64(b"Oj=1Og==", 0).unwrap_err().span, Span::new(3, 4));
        assert_eq!(check_base64(b"YmplCW5zZW4", 0).unwrap_err().kind, ErrorKind::InvalidBase64);
        assert!(check_base64(b"A===", 0).is_err());
    }

    proptest::proptest! {
        #[test]
        fn the_fast_base64_check_never_accepts_what_the_walk_rejects(raw in "[A-Za-z0-9+/= \r\n]{0,40}") {
            let raw = raw.as_bytes();
            if is_plain_base64(raw) {
                proptest::prop_assert!(locate_base64_error(raw, 0).is_ok(), "{:?}", String::from_utf8_lossy(raw));
            }
        }
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
    fn exporter_blocks_are_skipped_and_counted() {
        let text = "# search reference\nref: ldap://x/dc=a\n\n# search result\nsearch: 2\nresult: 0 Success\n";
        let mut records = Records::new(text.as_bytes(), 0..text.len());
        assert!(records.next().is_none());
        let tally = records.tally();
        assert_eq!(tally.exporter_blocks, 2);
        assert_eq!(tally.line_marks.line_ends, 6);
    }
}
