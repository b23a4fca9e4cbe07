//! Byte-order marks, and UTF-16 exports (`ldifde -u`) turned into UTF-8 once.

use std::fmt;

use rayon::prelude::*;
use wide::{i16x8, u8x16};

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

/// Transcodes in parallel parts. A first pass counts each part's UTF-8 length, so that a
/// second pass can write every part straight into its own slice of one buffer. Unpaired
/// surrogates and an odd final byte become U+FFFD and are reported with the span of the
/// replacement, so the records around them are still read.
fn utf16_to_utf8(bytes: &[u8], little_endian: bool) -> (Vec<u8>, Vec<EncodingProblem>) {
    let units = &bytes[..bytes.len() - bytes.len() % 2];
    let odd_byte = (bytes.len() % 2 == 1).then(|| bytes[bytes.len() - 1]);
    let parts = split_units(units, little_endian, rayon::current_num_threads() * 4);
    let lengths: Vec<usize> =
        parts.par_iter().map(|part| Walker::new(&units[part.clone()], little_endian).run(&mut [], 0).0).collect();
    let replacement_len = if odd_byte.is_some() { REPLACEMENT.len() } else { 0 };
    let mut text = vec![0; lengths.iter().sum::<usize>() + replacement_len];
    let mut slices = Vec::with_capacity(parts.len());
    let mut rest = text.as_mut_slice();
    let mut base = 0;
    for &length in &lengths {
        let (slice, tail) = rest.split_at_mut(length);
        slices.push((slice, base));
        rest = tail;
        base += length;
    }
    let mut problems: Vec<EncodingProblem> = parts
        .into_par_iter()
        .zip(slices)
        .flat_map_iter(|(part, (slice, base))| Walker::new(&units[part], little_endian).run(slice, base).1)
        .collect();
    if let Some(byte) = odd_byte {
        let start = text.len() - replacement_len;
        text[start..].copy_from_slice(REPLACEMENT);
        problems.push(EncodingProblem {
            span: Span::new(start, text.len()),
            message: format!("the UTF-16 text ends with a lone byte `0x{byte:02X}`"),
        });
    }
    (text, problems)
}

const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();

/// Byte ranges of about equal size, none of which starts inside a surrogate pair.
fn split_units(units: &[u8], little_endian: bool, parts: usize) -> Vec<std::ops::Range<usize>> {
    let step = (units.len() / parts.max(1) + 1).next_multiple_of(2);
    let mut bounds = vec![0];
    let mut at = step;
    while at < units.len() {
        let low_surrogate = (0xDC00..=0xDFFF).contains(&unit(units, at, little_endian));
        bounds.push(if low_surrogate { at + 2 } else { at });
        at = bounds[bounds.len() - 1] + step;
    }
    bounds.push(units.len());
    bounds.windows(2).map(|pair| pair[0]..pair[1]).filter(|range| !range.is_empty()).collect()
}

fn unit(units: &[u8], at: usize, little_endian: bool) -> u16 {
    let pair = [units[at], units[at + 1]];
    if little_endian { u16::from_le_bytes(pair) } else { u16::from_be_bytes(pair) }
}

/// Walks the units of one part, counting or writing its UTF-8.
struct Walker<'a> {
    units: &'a [u8],
    little_endian: bool,
}

impl<'a> Walker<'a> {
    fn new(units: &'a [u8], little_endian: bool) -> Walker<'a> {
        Walker { units, little_endian }
    }

    /// Writes the part's UTF-8 into `out` (or only counts it, when `out` is empty) and returns
    /// its length and the replacements made; `base` is where `out` starts in the whole text.
    fn run(&self, out: &mut [u8], base: usize) -> (usize, Vec<EncodingProblem>) {
        let write = !out.is_empty();
        let mut problems = Vec::new();
        let mut at = 0;
        let mut written = 0;
        while at < self.units.len() {
            if let Some(ascii) = self.ascii_block(at) {
                if write {
                    out[written..written + 16].copy_from_slice(&ascii);
                }
                at += 32;
                written += 16;
                continue;
            }
            let first = unit(self.units, at, self.little_endian);
            let next = (at + 2 < self.units.len()).then(|| unit(self.units, at + 2, self.little_endian));
            let (decoded, consumed) = match (first, next) {
                (0xD800..=0xDBFF, Some(low @ 0xDC00..=0xDFFF)) => {
                    let scalar = 0x10000 + ((u32::from(first) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    (char::from_u32(scalar), 4)
                }
                _ => (char::from_u32(u32::from(first)), 2),
            };
            let encoded = match decoded {
                Some(c) => c.len_utf8(),
                None => REPLACEMENT.len(),
            };
            if write {
                let target = &mut out[written..written + encoded];
                match decoded {
                    Some(c) => {
                        c.encode_utf8(target);
                    }
                    None => {
                        target.copy_from_slice(REPLACEMENT);
                        problems.push(EncodingProblem {
                            span: Span::new(base + written, base + written + encoded),
                            message: format!("unpaired UTF-16 surrogate `0x{first:04X}`"),
                        });
                    }
                }
            }
            at += consumed;
            written += encoded;
        }
        (written, problems)
    }

    /// The 16 units at `at` as UTF-8, when all 16 are ASCII: two SIMD lanes narrowed to one.
    /// Most of an export is ASCII, so this is the path nearly every byte takes. (Only when the
    /// file's byte order is the machine's; other files take the unit-by-unit path.)
    fn ascii_block(&self, at: usize) -> Option<[u8; 16]> {
        if self.little_endian != cfg!(target_endian = "little") {
            return None;
        }
        let bytes: [u8; 32] = self.units.get(at..at + 32)?.try_into().ok()?;
        let [low, high]: [i16x8; 2] = bytemuck::cast(bytes);
        // ASCII units have no bit set above the seventh.
        let above_ascii = (low | high) & i16x8::splat(!0x7F);
        (above_ascii.to_array() == [0; 8]).then(|| u8x16::narrow_i16x8(low, high).to_array())
    }
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
    fn parts_never_split_a_surrogate_pair() {
        let text: String = "a😀".repeat(1000);
        let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        for parts in [1, 2, 3, 7, 64, 999] {
            let ranges = split_units(&bytes, true, parts);
            assert!(
                ranges
                    .iter()
                    .all(|range| range.start % 2 == 0 && !(0xDC00..=0xDFFF).contains(&unit(&bytes, range.start, true)))
            );
            assert_eq!(ranges.last().unwrap().end, bytes.len());
        }
        assert_eq!(utf16_to_utf8(&bytes, true).0, text.as_bytes());
    }

    proptest::proptest! {
        #[test]
        fn transcodes_like_the_standard_library(units in proptest::collection::vec(proptest::prop_oneof![0u16..0x80, 0u16..0xFFFF, 0xD800u16..0xE000], 0..200)) {
            let bytes: Vec<u8> = units.iter().flat_map(|unit| unit.to_le_bytes()).collect();
            let expected: String = char::decode_utf16(units.iter().copied()).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect();
            let (text, problems) = utf16_to_utf8(&bytes, true);
            proptest::prop_assert_eq!(text, expected.as_bytes());
            proptest::prop_assert_eq!(problems.len(), char::decode_utf16(units.iter().copied()).filter(Result::is_err).count());
        }
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
