//! RFC 2849 productions over the bytes of one line, as nom parsers.
//!
//! The reader finds lines and records with `memchr`; these parsers take a line apart. Each is
//! headed by the production it implements, and by how it is more lenient than the RFC where
//! real exporters demand it.

use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case, take_while, take_while1};
use nom::combinator::{opt, recognize, success, value};
use nom::multi::many0_count;
use nom::sequence::preceded;
use nom::{IResult, Parser};

use super::record::ValueForm;

/// `FILL = *SPACE`
fn fill(input: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while(|byte| byte == b' ').parse(input)
}

/// `AttributeType = ldap-oid / (ALPHA *(attr-type-chars))`, `attr-type-chars = ALPHA / DIGIT / "-"`
///
/// Lenient: `.` for OIDs, `_` seen in scripts' output, and `@` for Samba ldb's special records
/// (`@IDXATTR`), which ldbsearch exports.
fn is_type_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'@')
}

/// `opt-char = attr-type-chars`
///
/// Lenient: any printable ASCII but `;` and `:`, because AD's ranged retrieval writes options
/// such as `range=0-1499` and `range=1500-*`.
fn is_option_char(byte: u8) -> bool {
    byte.is_ascii_graphic() && byte != b';' && byte != b':'
}

/// An attribute description as written, and where its type ends and its options begin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Description<'a> {
    pub(super) text: &'a [u8],
    pub(super) type_len: usize,
}

/// `AttributeDescription = AttributeType [";" options]`, `options = option / (option ";" options)`
pub(super) fn attribute_description(input: &[u8]) -> IResult<&[u8], Description<'_>> {
    (take_while1(is_type_char), recognize(many0_count(preceded(tag(";"), take_while1(is_option_char)))))
        .map(|(kind, options): (&[u8], &[u8])| Description {
            text: &input[..kind.len() + options.len()],
            type_len: kind.len(),
        })
        .parse(input)
}

/// `value-spec = ":" (FILL 0*1(SAFE-STRING) / ":" FILL (BASE64-STRING) / "<" FILL url)`
///
/// Returns the form; the value is what remains, up to the end of the logical line.
pub(super) fn value_spec(input: &[u8]) -> IResult<&[u8], ValueForm> {
    let (input, form) = preceded(
        tag(":"),
        alt((value(ValueForm::Base64, tag(":")), value(ValueForm::Url, tag("<")), success(ValueForm::Plain))),
    )
    .parse(input)?;
    let (input, _) = fill(input)?;
    Ok((input, form))
}

/// `attrval-spec = AttributeDescription value-spec SEP`, and likewise `dn-spec`, the
/// `changetype:` line and mod-spec heads, which share its shape.
pub(super) fn attrval_spec(line: &[u8]) -> IResult<&[u8], (Description<'_>, ValueForm)> {
    (attribute_description, value_spec).parse(line)
}

/// The parts of a `control:` line before its value.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct ControlHead<'a> {
    pub(super) oid: &'a [u8],
    pub(super) critical: Option<bool>,
    /// The value's form; the value is what the parser leaves.
    pub(super) form: Option<ValueForm>,
}

/// `control = "control:" FILL ldap-oid 0*1(1*SPACE ("true" / "false")) 0*1(value-spec) SEP`
///
/// Applied to what follows `control:`.
pub(super) fn control_body(input: &[u8]) -> IResult<&[u8], ControlHead<'_>> {
    let ldap_oid = take_while1(|byte: u8| byte.is_ascii_digit() || byte == b'.');
    let criticality = opt(preceded(
        take_while1(|byte| byte == b' '),
        alt((value(true, tag_no_case("true")), value(false, tag_no_case("false")))),
    ));
    (ldap_oid, criticality, opt(value_spec))
        .map(|(oid, critical, form)| ControlHead { oid, critical, form })
        .parse(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attrval_spec_accepts_fill_and_options() {
        assert_eq!(
            attrval_spec(b"cn: x"),
            Ok((&b"x"[..], (Description { text: b"cn", type_len: 2 }, ValueForm::Plain)))
        );
        assert_eq!(
            attrval_spec(b"cn:x"),
            Ok((&b"x"[..], (Description { text: b"cn", type_len: 2 }, ValueForm::Plain)))
        );
        assert_eq!(
            attrval_spec(b"cn:   x "),
            Ok((&b"x "[..], (Description { text: b"cn", type_len: 2 }, ValueForm::Plain)))
        );
        assert_eq!(attrval_spec(b"cn:"), Ok((&b""[..], (Description { text: b"cn", type_len: 2 }, ValueForm::Plain))));
        assert_eq!(
            attrval_spec(b"member;range=1500-*: CN=a"),
            Ok((&b"CN=a"[..], (Description { text: b"member;range=1500-*", type_len: 6 }, ValueForm::Plain)))
        );
        assert_eq!(
            attrval_spec(b"ou;lang-ja;phonetic:: 5Za2"),
            Ok((&b"5Za2"[..], (Description { text: b"ou;lang-ja;phonetic", type_len: 2 }, ValueForm::Base64)))
        );
        assert_eq!(
            attrval_spec(b"jpegPhoto:< file:///x"),
            Ok((&b"file:///x"[..], (Description { text: b"jpegPhoto", type_len: 9 }, ValueForm::Url)))
        );
        assert_eq!(
            attrval_spec(b"2.5.4.3: x"),
            Ok((&b"x"[..], (Description { text: b"2.5.4.3", type_len: 7 }, ValueForm::Plain)))
        );
    }

    #[test]
    fn attrval_spec_rejects_what_is_not_a_description() {
        assert!(attrval_spec(b": x").is_err());
        assert!(attrval_spec(b"sn x: y").is_err());
        assert!(attrval_spec(b"no colon here").is_err());
        assert!(attrval_spec(b"\tcn: x").is_err());
    }

    #[test]
    fn control_body_takes_oid_criticality_and_value() {
        assert_eq!(
            control_body(b"1.2.840.113556.1.4.805 true"),
            Ok((&b""[..], ControlHead { oid: b"1.2.840.113556.1.4.805", critical: Some(true), form: None }))
        );
        assert_eq!(control_body(b"1.2.3"), Ok((&b""[..], ControlHead { oid: b"1.2.3", critical: None, form: None })));
        assert_eq!(
            control_body(b"1.2.3 false:: MAMCAQE="),
            Ok((&b"MAMCAQE="[..], ControlHead { oid: b"1.2.3", critical: Some(false), form: Some(ValueForm::Base64) }))
        );
        assert_eq!(
            control_body(b"1.2.3 true: dn:cn=x"),
            Ok((&b"dn:cn=x"[..], ControlHead { oid: b"1.2.3", critical: Some(true), form: Some(ValueForm::Plain) }))
        );
    }
}
