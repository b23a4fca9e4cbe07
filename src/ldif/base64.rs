//! RFC 2849's `BASE64-STRING`, checked when a record is read so that a bad value is reported
//! where it is, though it is decoded only when asked for.

use memchr::memchr;

use super::error::{Error, ErrorKind, excerpt};
use super::record::unfold;
use crate::source::Span;

/// `BASE64-STRING = [*(BASE64-CHAR) [BASE64-CHAR "="] ...]`: the standard alphabet, length a
/// multiple of four, `=` only as the last one or two characters. `raw` may hold fold sequences;
/// trailing blanks are tolerated. `offset` is where `raw` starts in the text, for the error.
pub(super) fn check_base64(raw: &[u8], offset: usize) -> Result<(), Error> {
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
}
