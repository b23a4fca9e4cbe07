//! RFC 2849 productions over the bytes of one line, as nom parsers.
//!
//! The reader finds lines and records with `memchr`; these parsers take a line apart. Each is
//! headed by the production it implements, and by how it is more lenient than the RFC where
//! real exporters demand it.

use nom::branch::alt;
use nom::bytes::complete::{tag_no_case, take_while1};
use nom::combinator::{opt, value};
use nom::error::{Error, ErrorKind};
use nom::sequence::preceded;
use nom::{IResult, Parser};

use super::record::ValueForm;

/// `AttributeType = ldap-oid / (ALPHA *(attr-type-chars))`, `attr-type-chars = ALPHA / DIGIT / "-"`
///
/// Lenient: `.` for OIDs, `_` seen in scripts' output, and `@` for Samba ldb's special records
/// (`@IDXATTR`), which ldbsearch exports.
const fn is_type_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'@')
}

/// `opt-char = attr-type-chars`
///
/// Lenient: any printable ASCII but `;` and `:`, because AD's ranged retrieval writes options
/// such as `range=0-1499` and `range=1500-*`.
const fn is_option_char(byte: u8) -> bool {
    byte.is_ascii_graphic() && byte != b';' && byte != b':'
}

/// A byte class as a table: every line of an export goes through these tests, and a lookup is
/// the cheapest test there is. (A macro, because a `const fn` cannot call a function pointer.)
macro_rules! table {
    ($class:ident) => {{
        let mut table = [false; 256];
        let mut byte = 0;
        while byte < 256 {
            table[byte] = $class(byte as u8);
            byte += 1;
        }
        table
    }};
}

const TYPE_CHARS: [bool; 256] = table!(is_type_char);
const OPTION_CHARS: [bool; 256] = table!(is_option_char);

/// How many leading bytes of `input` are in `class`.
fn span_of(input: &[u8], class: &[bool; 256]) -> usize {
    input.iter().position(|&byte| !class[usize::from(byte)]).unwrap_or(input.len())
}

/// An attribute description as written, and where its type ends and its options begin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Description<'a> {
    pub(super) text: &'a [u8],
    pub(super) type_len: usize,
}

/// `AttributeDescription = AttributeType [";" options]`, `options = option / (option ";" options)`
///
/// Written out rather than combined (it is `take_while1` then `many0(";" take_while1)`): it
/// runs on every line of an export, and the combinators cost four times as much.
pub(super) fn attribute_description(input: &[u8]) -> IResult<&[u8], Description<'_>> {
    let type_len = span_of(input, &TYPE_CHARS);
    if type_len == 0 {
        return Err(nom::Err::Error(Error::new(input, ErrorKind::TakeWhile1)));
    }
    let mut end = type_len;
    // A `;` belongs to the description only when an option follows it.
    while input.get(end) == Some(&b';') {
        let option = span_of(&input[end + 1..], &OPTION_CHARS);
        if option == 0 {
            break;
        }
        end += 1 + option;
    }
    Ok((&input[end..], Description { text: &input[..end], type_len }))
}

/// `value-spec = ":" (FILL 0*1(SAFE-STRING) / ":" FILL (BASE64-STRING) / "<" FILL url)`,
/// `FILL = *SPACE`
///
/// Returns the form; the value is what remains, up to the end of the logical line.
pub(super) fn value_spec(input: &[u8]) -> IResult<&[u8], ValueForm> {
    let Some(rest) = input.strip_prefix(b":") else {
        return Err(nom::Err::Error(Error::new(input, ErrorKind::Tag)));
    };
    let (form, rest) = match rest {
        [b':', rest @ ..] => (ValueForm::Base64, rest),
        [b'<', rest @ ..] => (ValueForm::Url, rest),
        rest => (ValueForm::Plain, rest),
    };
    let fill = rest.iter().position(|&byte| byte != b' ').unwrap_or(rest.len());
    Ok((&rest[fill..], form))
}

/// `attrval-spec = AttributeDescription value-spec SEP`, and likewise `dn-spec`, the
/// `changetype:` line and mod-spec heads, which share its shape.
pub(super) fn attrval_spec(line: &[u8]) -> IResult<&[u8], (Description<'_>, ValueForm)> {
    let (rest, description) = attribute_description(line)?;
    let (rest, form) = value_spec(rest)?;
    Ok((rest, (description, form)))
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
    use nom::bytes::complete::{tag, take_while};
    use nom::combinator::{recognize, success};
    use nom::multi::many0_count;

    use super::*;

    /// The productions as nom combinators: the specification the written-out parsers follow.
    fn attrval_spec_by_combinators(line: &[u8]) -> IResult<&[u8], (Description<'_>, ValueForm)> {
        let description =
            (take_while1(is_type_char), recognize(many0_count(preceded(tag(";"), take_while1(is_option_char))))).map(
                |(kind, options): (&[u8], &[u8])| Description {
                    text: &line[..kind.len() + options.len()],
                    type_len: kind.len(),
                },
            );
        let value_spec = preceded(
            tag(":"),
            alt((value(ValueForm::Base64, tag(":")), value(ValueForm::Url, tag("<")), success(ValueForm::Plain))),
        );
        (description, value_spec, take_while(|byte| byte == b' ')).map(|(d, form, _)| (d, form)).parse(line)
    }

    proptest::proptest! {
        #[test]
        fn written_out_parsers_follow_the_combinators(line in "[a-zA-Z0-9;:<= .@_\\-]{0,24}") {
            let line = line.as_bytes();
            let written = attrval_spec(line).ok();
            let combined = attrval_spec_by_combinators(line).ok();
            proptest::prop_assert_eq!(written, combined);
        }
    }

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
