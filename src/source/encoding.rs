//! Byte-order marks, and UTF-16 exports (`ldifde -u`) turned into UTF-8 once.

use std::fmt;

use super::{EncodingProblem, Span};

/// How an input was encoded on disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 or ASCII without a byte-order mark (also any 8-bit text: bytes are kept as read).
    Utf8,
    /// UTF-8 starting with EF BB BF (Windows editors, PowerShell 5.1).
    Utf8Bom,
    /// UTF-16 little-endian with the FF FE mark (`ldifde -u`).
    Utf16Le,
    /// UTF-16 big-endian with the FE FF mark.
    Utf16Be,
    /// UTF-16 little-endian without a mark, recognised by its NUL high bytes.
    Utf16LeUnmarked,
}

impl Encoding {
    /// Decides from the first bytes. Without a byte-order mark, text whose first two characters
    /// are ASCII with NUL high bytes (`d\0n\0`) is taken for unmarked UTF-16LE: no LDIF record
    /// can start with a NUL byte.
    pub(super) fn sniff(bytes: &[u8]) -> Encoding {
        match bytes {
            [0xEF, 0xBB, 0xBF, ..] => Encoding::Utf8Bom,
            [0xFF, 0xFE, ..] => Encoding::Utf16Le,
            [0xFE, 0xFF, ..] => Encoding::Utf16Be,
            [a, 0, b, 0, ..] if a.is_ascii() && *a != 0 && b.is_ascii() && *b != 0 => Encoding::Utf16LeUnmarked,
            _ => Encoding::Utf8,
        }
    }

    pub(super) fn bom_len(self) -> usize {
        match self {
            Encoding::Utf8 | Encoding::Utf16LeUnmarked => 0,
            Encoding::Utf8Bom => 3,
            Encoding::Utf16Le | Encoding::Utf16Be => 2,
        }
    }

    /// The name used in reports.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Utf16LeUnmarked => "utf-16le-unmarked",
        }
    }

    /// UTF-8 text for a UTF-16 input, or `None` when the bytes are already the text.
    pub(super) fn transcode(self, bytes: &[u8]) -> Option<(Vec<u8>, Vec<EncodingProblem>)> {
        let little_endian = match self {
            Encoding::Utf8 | Encoding::Utf8Bom => return None,
            Encoding::Utf16Le | Encoding::Utf16LeUnmarked => true,
            Encoding::Utf16Be => false,
        };
        Some(utf16_to_utf8(&bytes[self.bom_len()..], little_endian))
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Transcodes in one pass. Unpaired surrogates and an odd final byte become U+FFFD and are
/// reported with the span of the replacement, so the records around them are still read.
fn utf16_to_utf8(bytes: &[u8], little_endian: bool) -> (Vec<u8>, Vec<EncodingProblem>) {
    let units = bytes.chunks_exact(2);
    let odd_byte = units.remainder().first().copied();
    let units = units.map(|pair| {
        let pair = [pair[0], pair[1]];
        if little_endian { u16::from_le_bytes(pair) } else { u16::from_be_bytes(pair) }
    });
    // ASCII is one byte per two; most exports are nearly all ASCII.
    let mut text = Vec::with_capacity(bytes.len() / 2 + 16);
    let mut problems = Vec::new();
    let mut utf8 = [0; 4];
    for decoded in char::decode_utf16(units) {
        match decoded {
            Ok(c) if c.is_ascii() => text.push(c as u8),
            Ok(c) => text.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes()),
            Err(unpaired) => {
                problems.push(replacement(
                    &mut text,
                    format!("unpaired UTF-16 surrogate `0x{:04X}`", unpaired.unpaired_surrogate()),
                ));
            }
        }
    }
    if let Some(byte) = odd_byte {
        problems.push(replacement(&mut text, format!("the UTF-16 text ends with a lone byte `0x{byte:02X}`")));
    }
    (text, problems)
}

fn replacement(text: &mut Vec<u8>, message: String) -> EncodingProblem {
    let start = text.len();
    text.extend_from_slice(char::REPLACEMENT_CHARACTER.encode_utf8(&mut [0; 4]).as_bytes());
    EncodingProblem { span: Span::new(start, text.len()), message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    }

    #[test]
    fn sniffs_byte_order_marks() {
        assert_eq!(Encoding::sniff(b"dn: x"), Encoding::Utf8);
        assert_eq!(Encoding::sniff(b"\xEF\xBB\xBFdn"), Encoding::Utf8Bom);
        assert_eq!(Encoding::sniff(&utf16le("dn")), Encoding::Utf16Le);
        assert_eq!(Encoding::sniff(b"\xFE\xFF\0d"), Encoding::Utf16Be);
        assert_eq!(Encoding::sniff(b"d\0n\0:\0"), Encoding::Utf16LeUnmarked);
        assert_eq!(Encoding::sniff(b""), Encoding::Utf8);
    }

    #[test]
    fn transcodes_utf16_both_ways() {
        let text = "dn: CN=Zürich,O=😀\r\n";
        let (le, problems) = Encoding::Utf16Le.transcode(&utf16le(text)).unwrap();
        assert_eq!(le, text.as_bytes());
        assert!(problems.is_empty());
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(Encoding::Utf16Be.transcode(&be).unwrap().0, text.as_bytes());
    }

    #[test]
    fn reports_bad_utf16_and_keeps_going() {
        let mut bytes = utf16le("a");
        bytes.extend([0x00, 0xD8]); // unpaired high surrogate
        bytes.extend(u16::to_le_bytes(u16::from(b'b')));
        bytes.push(0x41); // odd final byte
        let (text, problems) = Encoding::Utf16Le.transcode(&bytes).unwrap();
        assert_eq!(text, "a\u{FFFD}b\u{FFFD}".as_bytes());
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].span, Span::new(1, 4));
        assert!(problems[0].message.contains("0xD800"));
        assert!(problems[1].message.contains("0x41"));
    }
}
