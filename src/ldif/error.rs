//! Problems in the input: what went wrong, where, and what to do about it.
//!
//! Every kind has a stable code (`LDIF001`...) and a reference page written as its doc
//! comment, like the rules of the catalogue. A bad record yields one [`Error`]; the reader then
//! resumes at the next record, so one broken line never hides the rest of an export. A problem
//! confined to one value (invalid base64, text in Windows-1252, a value given as a URL) yields
//! an [`Error`] too, and the record is still yielded, without that value or with it read as
//! the error says: [`ErrorKind::severity`] tells which problems cost data.

use std::borrow::Cow;

use crate::finding::Severity;
use crate::source::Span;

crate::declare_codes! {
    /// The kinds of malformed input, each with a code that never changes.
    ErrorKind;

    /// ## What it finds
    /// A block of lines that does not start with a `dn:` line and is not one of the blocks
    /// that exporters add around entries (ldapsearch `ref:` references and
    /// `search:`/`result:`/`control:`/`pagedresults:` trailers, which are skipped).
    ///
    /// ## Why it matters
    /// Without its DN the lines cannot be attached to any object. It is almost always an
    /// entry split in two by a stray blank line, or lines pasted outside any record.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=1,CN=SMTP,CN=Protocols,CN=EXBH01,...
    /// cn: 1
    ///
    /// msExchServerBindings: :25:
    /// ```
    ///
    /// ## How to fix
    /// Remove the blank line that splits the entry, or export again.
    MissingDn = ("LDIF001", "missing-dn", "Record has no dn: line"),

    /// ## What it finds
    /// A line that is neither a comment, a continuation (starting with one space), nor
    /// `attribute: value`.
    ///
    /// ## Why it matters
    /// The line's data belongs nowhere. The usual causes are a value continued on the next
    /// line without the leading space that folding requires, or raw bytes with line breaks
    /// written unencoded (`ldbsearch --show-binary`).
    ///
    /// ## Example
    /// ```ldif
    /// description:: VGhpcyB2YWx1ZSBpcyBmb2xkZWQ
    /// gYnV0IHRoZSBzcGFjZSBpcyBtaXNzaW5n
    /// ```
    ///
    /// ## How to fix
    /// Indent the continuation by one space, or export again without `--show-binary`.
    LineWithoutColon = ("LDIF002", "line-without-colon", "Line has no attribute separator"),

    /// ## What it finds
    /// A `::` value that is not valid base64: a character outside the alphabet (a space
    /// included), missing or misplaced `=` padding.
    ///
    /// ## Why it matters
    /// The value cannot be decoded, so the attribute's real content is unknown. It is left
    /// out; the rest of its record is read and analysed (in a `changetype: modify` record,
    /// where leaving a value out would change what the change does, the whole record is
    /// skipped).
    ///
    /// ## Example
    /// ```ldif
    /// msExchServerBindings:: OjI1 Og==
    /// ```
    ///
    /// ## How to fix
    /// Export again; if the file was edited by hand, re-encode the value.
    InvalidBase64 = ("LDIF003", "invalid-base64", "Value is not valid base64"),

    /// ## What it finds
    /// A line starting with a space (a continuation) where there is no line to continue: at
    /// the start of the file or of a record.
    ///
    /// ## Why it matters
    /// Folding joins a line to the one before it; with nothing before it the data is lost.
    ///
    /// ## Example
    /// ```ldif
    ///  dn: CN=EXBH01,CN=Servers,...
    /// cn: EXBH01
    /// ```
    ///
    /// ## How to fix
    /// Remove the leading space.
    OrphanContinuation = ("LDIF004", "orphan-continuation", "Continuation line with nothing to continue"),

    /// ## What it finds
    /// A `dn::` (base64) whose decoded bytes are not UTF-8, or a DN given as a URL. (A plain
    /// `dn:` in another encoding is read as Windows-1252: LDIF011.)
    ///
    /// ## Why it matters
    /// DNs identify objects and link them; base64 says the bytes are exactly the DN, and
    /// these bytes are not text, so the DN cannot be matched with the references to it and
    /// the record is not analysed.
    ///
    /// ## Example
    /// ```ldif
    /// dn:: Q049WvxyaWNoLENOPVNlcnZlcnM=
    /// ```
    ///
    /// ## How to fix
    /// Export with a tool that writes non-ASCII DNs as base64 of UTF-8 (`dn::`), such as
    /// ldifde or ldapsearch, or with `ldifde -u`.
    InvalidDn = ("LDIF005", "invalid-dn", "DN is not UTF-8 text"),

    /// ## What it finds
    /// A `version:` line anywhere but at the top of the file, or a version other than 1.
    ///
    /// ## Why it matters
    /// RFC 2849 defines version 1 only, stated once at the start; a `version:` line further
    /// down usually means two files were concatenated.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=a,...
    /// cn: a
    ///
    /// version: 1
    /// dn: CN=b,...
    /// ```
    ///
    /// ## How to fix
    /// Delete the extra `version:` line; when files were concatenated, pass them to exlint
    /// as separate files instead.
    MisplacedVersion = ("LDIF006", "misplaced-version", "Version line not at the start or not 1"),

    /// ## What it finds
    /// An attribute description that is empty or holds characters attribute names cannot
    /// have (`: value`, `msExch Server: x`).
    ///
    /// ## Why it matters
    /// The value cannot be attached to an attribute.
    ///
    /// ## Example
    /// ```ldif
    /// : :25:
    /// ```
    ///
    /// ## How to fix
    /// Restore the attribute name.
    InvalidAttributeDescription = ("LDIF007", "invalid-attribute-description", "Attribute description is malformed"),

    /// ## What it finds
    /// A change record that does not follow RFC 2849: an unknown `changetype:`, a modify
    /// record whose lines are not `add:`/`delete:`/`replace:`/`increment:` blocks ended by
    /// `-`, a value for another attribute inside such a block, a delete record with
    /// attribute lines, a modrdn without `newrdn:`/`deleteoldrdn:`, or `control:` lines not
    /// followed by `changetype:`.
    ///
    /// ## Why it matters
    /// The change cannot be applied, so the entry it targets is analysed without it.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=Internet Mail,CN=Connections,...
    /// changetype: modify
    /// replace: routingList
    /// routingList: SMTP:*;1
    /// dn: CN=Other Connector,CN=Connections,...
    /// ```
    ///
    /// ## How to fix
    /// Most often a blank line is missing between two records: add it.
    MalformedChangeRecord = ("LDIF008", "malformed-change-record", "Change record is malformed"),

    /// ## What it finds
    /// A line holding only `-` inside a record that is not a modify record.
    ///
    /// ## Why it matters
    /// `-` ends a modification in a modify record and means nothing elsewhere; seen in
    /// files that were assembled by hand from pieces of modify records.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=EXBH01,CN=Servers,...
    /// cn: EXBH01
    /// -
    /// ```
    ///
    /// ## How to fix
    /// Remove the line, or add the `changetype: modify` and `replace:` lines it belonged to.
    StraySeparator = ("LDIF009", "stray-separator", "Separator line outside a modify record"),

    /// ## What it finds
    /// A UTF-16 export (`ldifde -u`) with an unpaired surrogate or an odd number of bytes.
    ///
    /// ## Why it matters
    /// The damaged characters are replaced by U+FFFD so the rest of the file can be read;
    /// the value that held them is not what the directory holds.
    ///
    /// ## Example
    /// A file cut off in the middle of a character, or two UTF-16 files concatenated
    /// with a byte missing.
    ///
    /// ## How to fix
    /// Export again, and copy the file in binary mode.
    InvalidUtf16 = ("LDIF010", "invalid-utf16", "UTF-16 text is damaged"),

    /// ## What it finds
    /// A DN or value written as plain text (not base64) whose bytes are not UTF-8: what tools
    /// writing the ANSI code page produce. exlint reads it as Windows-1252, the code page of
    /// Western European Windows, and says so at each such DN and value.
    ///
    /// ## Why it matters
    /// RFC 2849 lets a reader accept other character sets, and the record is kept and
    /// analysed; but the file does not say which code page wrote it, so a name from another
    /// one (Central European, Cyrillic) reads wrongly, and references spelled in UTF-8 elsewhere
    /// do not match it.
    ///
    /// ## Example
    /// ```ldif
    /// dn: CN=J\xF6rg M\xFCller,OU=Users,DC=contoso,DC=com
    /// ```
    ///
    /// ## How to fix
    /// Check the names read; export again with `ldifde -u` (UTF-16) or with a tool that
    /// writes non-ASCII text as base64 of UTF-8.
    Windows1252 = ("LDIF011", "windows-1252-text", "Text is not UTF-8: read as Windows-1252"),

    /// ## What it finds
    /// A value given as a URL (`attr:< file:///...`), which exlint does not read.
    ///
    /// ## Why it matters
    /// exlint never opens a file or fetches a URL that an export names: an export is
    /// untrusted, and a URL could point at anything on the machine or the network. The value is
    /// therefore unknown to the rules; this says which one and where it would have come from.
    ///
    /// ## Example
    /// ```ldif
    /// jpegPhoto:< file:///tmp/photo.jpg
    /// ```
    ///
    /// ## How to fix
    /// Nothing, when the attribute does not matter to the analysis. Otherwise export the value
    /// itself (ldifde and ldapsearch write values inline, as base64 when needed).
    UrlNotRead = ("LDIF012", "url-value-not-read", "Value given as a URL is not read"),
}

impl ErrorKind {
    /// How much the problem costs: an error loses data (a record, or a value), a warning reads
    /// data in a way the file does not state, info only says what was not read on purpose.
    pub fn severity(self) -> Severity {
        match self {
            ErrorKind::Windows1252 => Severity::Warning,
            ErrorKind::UrlNotRead => Severity::Info,
            _ => Severity::Error,
        }
    }
}

/// A malformed record, located in the file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub kind: ErrorKind,
    /// Lower-case, with the offending text in backticks.
    pub message: String,
    /// The offending bytes.
    pub span: Span,
    /// What to do about it.
    pub hint: Cow<'static, str>,
}

impl Error {
    pub(super) fn new(kind: ErrorKind, span: Span, message: String) -> Error {
        Error { kind, message, span, hint: Cow::Borrowed(default_hint(kind)) }
    }

    pub(super) fn with_hint(mut self, hint: impl Into<Cow<'static, str>>) -> Error {
        self.hint = hint.into();
        self
    }
}

fn default_hint(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::MissingDn => "every record starts with `dn:`; a blank line may have split an entry in two",
        ErrorKind::LineWithoutColon => {
            "a continued value needs one leading space on each following line; is the space missing?"
        }
        ErrorKind::InvalidBase64 => "after `::` only A-Z, a-z, 0-9, `+`, `/` and final `=` padding may appear",
        ErrorKind::OrphanContinuation => "a line starting with a space continues the line above it; remove the space",
        ErrorKind::InvalidDn => "non-ASCII DNs must be written as `dn::` followed by base64 of their UTF-8 bytes",
        ErrorKind::MisplacedVersion => "`version: 1` may only open the file; were two files concatenated?",
        ErrorKind::InvalidAttributeDescription => {
            "an attribute name is letters, digits and hyphens, optionally followed by `;options`"
        }
        ErrorKind::MalformedChangeRecord => "see RFC 2849 change records; a blank line may be missing between records",
        ErrorKind::StraySeparator => "`-` only ends a modification inside a `changetype: modify` record",
        ErrorKind::InvalidUtf16 => "export again and copy the file in binary mode",
        ErrorKind::Windows1252 => {
            "check the text read; `ldifde -u` writes UTF-16, and base64 of UTF-8 (`::`) says the encoding"
        }
        ErrorKind::UrlNotRead => "exlint never opens or fetches a URL; export the value inline if it matters",
    }
}

/// The offending text for a message: at most 60 characters of it, lossily decoded, with
/// line ends shown as `⏎`.
pub(crate) fn excerpt(bytes: &[u8]) -> String {
    const LIMIT: usize = 60;
    let text = String::from_utf8_lossy(bytes);
    let mut out: String = text.chars().take(LIMIT).map(|c| if c == '\n' { '⏎' } else { c }).collect();
    out.retain(|c| c != '\r');
    if text.chars().count() > LIMIT {
        out.push('…');
    }
    out
}
