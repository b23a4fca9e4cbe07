//! What the reader yields: records, attribute lines and values, each with its span.
//!
//! Values are kept as the raw bytes of the file (a borrowed slice, possibly holding fold
//! sequences) and are unfolded and base64-decoded only when asked: an export is mostly values
//! nobody reads. Their spans always cover the raw lines, so a report points at what the user
//! sees in the file, not at decoded bytes.

use std::borrow::Cow;

use base64::Engine as _;

use crate::source::Span;

/// How a value was written after the attribute description.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueForm {
    /// `attr: text`
    Plain,
    /// `attr:: base64`
    Base64,
    /// `attr:< url`: a reference to outside data, kept as the URL and never read.
    Url,
}

/// One value as written in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value<'a> {
    form: ValueForm,
    /// From after the separator and FILL to the end of the logical line. Borrowed from the
    /// file; it still holds fold sequences (`\n ` or `\r\n `) when `folded`.
    raw: Cow<'a, [u8]>,
    folded: bool,
    /// The raw bytes in the file.
    pub span: Span,
}

impl<'a> Value<'a> {
    pub(crate) fn new(form: ValueForm, raw: Cow<'a, [u8]>, folded: bool, span: Span) -> Self {
        Value { form, raw, folded, span }
    }

    /// A value made by exlint, not read (the result of an `increment:` modification).
    pub fn computed(text: String, span: Span) -> Value<'static> {
        Value { form: ValueForm::Plain, raw: Cow::Owned(text.into_bytes()), folded: false, span }
    }

    pub fn form(&self) -> ValueForm {
        self.form
    }

    /// The value's bytes: unfolded, and decoded when it was base64. For a URL, the URL.
    /// Borrowed from the file when nothing had to be done to them.
    pub fn bytes(&self) -> Cow<'a, [u8]> {
        let unfolded = match &self.raw {
            Cow::Borrowed(raw) if !self.folded => Cow::Borrowed(*raw),
            raw if self.folded => Cow::Owned(unfold(raw)),
            raw => Cow::Owned(raw.to_vec()),
        };
        match self.form {
            ValueForm::Plain => unfolded,
            // The URL form allows FILL before the URL only; trailing blanks are not part of it.
            ValueForm::Url => Cow::Owned(unfolded.trim_ascii_end().to_vec()),
            // The reader validated the base64 before yielding the value, so decoding cannot fail.
            ValueForm::Base64 => Cow::Owned(BASE64.decode(unfolded.trim_ascii_end()).unwrap_or_default()),
        }
    }

    /// The value as text. Plain text that is not UTF-8 was written in the ANSI code page and
    /// is read as Windows-1252 (the reader reports it, LDIF011); decoded base64 that is not
    /// UTF-8 is binary, with invalid sequences replaced by U+FFFD.
    pub fn text(&self) -> Cow<'a, str> {
        let bytes = self.bytes();
        if std::str::from_utf8(&bytes).is_err() && self.form == ValueForm::Plain {
            return Cow::Owned(windows_1252(&bytes));
        }
        match bytes {
            Cow::Borrowed(bytes) => String::from_utf8_lossy(bytes),
            Cow::Owned(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Cow::Owned(text),
                Err(error) => Cow::Owned(String::from_utf8_lossy(error.as_bytes()).into_owned()),
            },
        }
    }

    /// Whether the value is plain text that is not UTF-8, which [`Value::text`] reads as
    /// Windows-1252.
    pub fn is_windows_1252(&self) -> bool {
        self.form == ValueForm::Plain && std::str::from_utf8(&self.bytes()).is_err()
    }
}

/// Bytes of Windows-1252 (what ldifde and other tools writing the ANSI code page of Western
/// European Windows produce) as text.
pub(super) fn windows_1252(bytes: &[u8]) -> String {
    encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned()
}

/// LDIF base64: the standard alphabet with canonical `=` padding (RFC 2849 note 10).
pub(super) const BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireCanonical),
);

/// Removes fold sequences: a line end (LF or CR LF) and the one space that follows it.
pub(super) fn unfold(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(newline) = memchr::memchr(b'\n', rest) {
        let line = &rest[..newline];
        out.extend_from_slice(line.strip_suffix(b"\r").unwrap_or(line));
        rest = &rest[newline + 1..];
        rest = rest.strip_prefix(b" ").unwrap_or(rest);
    }
    out.extend_from_slice(rest);
    out
}

/// One `description: value` line (possibly folded over several lines).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute<'a> {
    /// The attribute description as written: the type and its options (`member;range=0-1499`).
    description: Cow<'a, str>,
    type_len: usize,
    pub value: Value<'a>,
    /// The whole logical line.
    pub span: Span,
}

impl<'a> Attribute<'a> {
    pub(crate) fn new(description: Cow<'a, str>, type_len: usize, value: Value<'a>, span: Span) -> Self {
        Attribute { description, type_len, value, span }
    }

    /// The same line with another value (what a modification computed).
    pub fn with_value(&self, value: Value<'a>) -> Attribute<'a> {
        Attribute { description: self.description.clone(), type_len: self.type_len, value, span: self.span }
    }

    /// The attribute type without options, as written (`member`).
    pub fn name(&self) -> &str {
        &self.description[..self.type_len]
    }

    /// The full description (`member;range=0-1499`).
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Options after the type (`binary`, `range=0-1499`, `lang-de`).
    pub fn options(&self) -> impl Iterator<Item = &str> {
        self.description[self.type_len..].split(';').skip(1)
    }

    /// Whether the type is `name`, ignoring case and options.
    pub fn is(&self, name: &str) -> bool {
        self.name().eq_ignore_ascii_case(name)
    }
}

/// The `dn:` line of a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnLine<'a> {
    /// The DN as text: unfolded, decoded when base64, valid UTF-8.
    pub text: Cow<'a, str>,
    pub value: Value<'a>,
    /// The whole `dn:` line.
    pub span: Span,
}

/// The change types of RFC 2849 and those Microsoft adds for schema updates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeType {
    Add,
    Delete,
    Modify,
    ModRdn,
    ModDn,
    NtdsSchemaAdd,
    NtdsSchemaDelete,
    NtdsSchemaModify,
    NtdsSchemaModRdn,
}

impl ChangeType {
    pub(super) fn parse(keyword: &str) -> Option<ChangeType> {
        const KEYWORDS: [(&str, ChangeType); 9] = [
            ("add", ChangeType::Add),
            ("delete", ChangeType::Delete),
            ("modify", ChangeType::Modify),
            ("modrdn", ChangeType::ModRdn),
            ("moddn", ChangeType::ModDn),
            ("ntdsschemaadd", ChangeType::NtdsSchemaAdd),
            ("ntdsschemadelete", ChangeType::NtdsSchemaDelete),
            ("ntdsschemamodify", ChangeType::NtdsSchemaModify),
            ("ntdsschemamodrdn", ChangeType::NtdsSchemaModRdn),
        ];
        KEYWORDS.iter().find(|(word, _)| word.eq_ignore_ascii_case(keyword)).map(|&(_, kind)| kind)
    }
}

/// A `control:` line of a change record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Control<'a> {
    pub oid: String,
    pub critical: Option<bool>,
    pub value: Option<Value<'a>>,
    pub span: Span,
}

/// `add:`, `delete:`, `replace:` or `increment:` in a modify record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModOp {
    Add,
    Delete,
    Replace,
    Increment,
}

/// One mod-spec of a modify record: the operation, the attribute, and its value lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Modification<'a> {
    pub op: ModOp,
    pub attribute: Cow<'a, str>,
    pub values: Vec<Attribute<'a>>,
    pub span: Span,
}

/// What a record says, by kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body<'a> {
    /// A content record or an add: the entry's attribute lines, in file order.
    Attributes(Vec<Attribute<'a>>),
    Delete,
    Modify(Vec<Modification<'a>>),
    /// modrdn / moddn.
    Rename {
        new_rdn: Value<'a>,
        delete_old_rdn: bool,
        new_superior: Option<Value<'a>>,
    },
}

/// A record that has a `dn:` line: an entry, or a change record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record<'a> {
    pub dn: DnLine<'a>,
    pub controls: Vec<Control<'a>>,
    /// `None` for a content record.
    pub change: Option<ChangeType>,
    pub body: Body<'a>,
    /// From the `dn:` line to the end of the record's last line.
    pub span: Span,
}

impl<'a> Record<'a> {
    /// The attribute lines when the record describes an entry (content record or add).
    pub fn attributes(&self) -> Option<&[Attribute<'a>]> {
        match &self.body {
            Body::Attributes(attributes) => Some(attributes),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unfolds_lf_and_crlf_folds() {
        assert_eq!(unfold(b"ab\n cd\r\n ef"), b"abcdef");
        assert_eq!(unfold(b"ab\n  cd"), b"ab cd");
        assert_eq!(unfold(b"plain"), b"plain");
    }

    #[test]
    fn decodes_folded_base64_lazily() {
        let value = Value::new(ValueForm::Base64, Cow::Borrowed(b"OjI1\r\n Og=="), true, Span::new(0, 11));
        assert_eq!(&*value.bytes(), b":25:");
        assert_eq!(value.text(), ":25:");
    }

    #[test]
    fn attribute_names_ignore_options_and_case() {
        let value = Value::new(ValueForm::Plain, Cow::Borrowed(b"x"), false, Span::default());
        let attribute = Attribute::new(Cow::Borrowed("member;range=0-1499"), 6, value, Span::default());
        assert!(attribute.is("MEMBER"));
        assert_eq!(attribute.name(), "member");
        assert_eq!(attribute.options().collect::<Vec<_>>(), ["range=0-1499"]);
    }
}
