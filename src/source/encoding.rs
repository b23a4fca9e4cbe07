//! Byte-order marks, and UTF-16 exports (`ldifde -u`) turned into UTF-8 once.

use std::convert::Infallible;
use std::fmt;
use std::fs::File;
use std::io;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};

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

    /// Whether the text must be transcoded, and in which byte order.
    pub(super) fn utf16_little_endian(self) -> Option<bool> {
        match self {
            Encoding::Utf8 | Encoding::Utf8Bom => None,
            Encoding::Utf16Le | Encoding::Utf16LeUnmarked => Some(true),
            Encoding::Utf16Be => Some(false),
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Where UTF-16 bytes come from: memory (or a mapping), borrowed as it is, or a file, read part
/// by part into a buffer.
pub(super) trait ReadAt: Sync {
    /// What reading can fail with: nothing, for memory.
    type Error: Send;

    /// The bytes of `range`, borrowed from `self` or read into `buffer`.
    fn read_at<'b>(&'b self, range: Range<u64>, buffer: &'b mut Vec<u8>) -> Result<&'b [u8], Self::Error>;
}

impl ReadAt for [u8] {
    type Error = Infallible;

    fn read_at<'b>(&'b self, range: Range<u64>, _: &'b mut Vec<u8>) -> Result<&'b [u8], Infallible> {
        Ok(&self[range.start as usize..range.end as usize])
    }
}

impl ReadAt for File {
    type Error = io::Error;

    fn read_at<'b>(&'b self, range: Range<u64>, buffer: &'b mut Vec<u8>) -> io::Result<&'b [u8]> {
        buffer.clear();
        buffer.resize((range.end - range.start) as usize, 0);
        read_exact_at(self, buffer, range.start)?;
        Ok(buffer)
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buffer: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buffer: &mut [u8], mut offset: u64) -> io::Result<()> {
    while !buffer.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buffer, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            read => {
                buffer = &mut buffer[read..];
                offset += read as u64;
            }
        }
    }
    Ok(())
}

/// UTF-16 bytes of one part to transcode: about a megabyte, so that what is read stays in
/// cache while it is transcoded.
const PART: u64 = 1 << 20;

/// The parts transcoded so far, appended in order.
struct Committed<E> {
    text: Vec<u8>,
    problems: Vec<EncodingProblem>,
    /// The part whose turn it is to be appended.
    next: usize,
    error: Option<E>,
}

/// Transcodes `range` of `input` with one worker per thread. Each worker takes the next part,
/// reads and transcodes it into buffers of its own, then waits for its turn to append the
/// result to the text: the input is read once and the text written once, which is what the
/// time goes on. Unpaired surrogates and an odd final byte become U+FFFD and are reported with
/// the span of the replacement, so the records around them are still read.
pub(super) fn utf16_to_utf8<R: ReadAt + ?Sized>(
    input: &R,
    range: Range<u64>,
    little_endian: bool,
) -> Result<(Vec<u8>, Vec<EncodingProblem>), R::Error> {
    transcode_in_parts(input, range, little_endian, PART)
}

fn transcode_in_parts<R: ReadAt + ?Sized>(
    input: &R,
    range: Range<u64>,
    little_endian: bool,
    part_size: u64,
) -> Result<(Vec<u8>, Vec<EncodingProblem>), R::Error> {
    let units_end = range.end - (range.end - range.start) % 2;
    let parts = (units_end - range.start).div_ceil(part_size) as usize;
    let capacity = (units_end - range.start) as usize / 2 * 9 / 8;
    let committed =
        Mutex::new(Committed { text: Vec::with_capacity(capacity), problems: Vec::new(), next: 0, error: None });
    let turn = Condvar::new();
    let next_part = AtomicUsize::new(0);
    let worker = || {
        let (mut buffer, mut text, mut problems) = (Vec::new(), Vec::new(), Vec::new());
        loop {
            let part = next_part.fetch_add(1, Ordering::Relaxed);
            if part >= parts {
                return;
            }
            let from = range.start + part as u64 * part_size;
            let to = (from + part_size).min(units_end);
            // One unit either side of the part settles surrogate pairs cut by its bounds.
            let read = from.saturating_sub(2).max(range.start)..(to + 2).min(units_end);
            let outcome = input.read_at(read.clone(), &mut buffer).map(|units| {
                let lead = (from - read.start) as usize;
                let walker = Walker::new(units, lead, lead + (to - from) as usize, little_endian);
                text.clear();
                problems.clear();
                walker.run(&mut text, &mut problems);
            });
            let mut state = committed.lock().unwrap_or_else(PoisonError::into_inner);
            while state.next != part {
                state = turn.wait(state).unwrap_or_else(PoisonError::into_inner);
            }
            match outcome {
                Ok(()) => {
                    let base = state.text.len();
                    state.text.extend_from_slice(&text);
                    state.problems.extend(problems.drain(..).map(|problem| EncodingProblem {
                        span: Span::new(base + problem.span.start, base + problem.span.end()),
                        ..problem
                    }));
                }
                Err(error) => {
                    state.error.get_or_insert(error);
                }
            }
            state.next += 1;
            turn.notify_all();
        }
    };
    let threads = rayon::current_num_threads().clamp(1, parts.max(1));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(worker);
        }
    });
    let Committed { mut text, mut problems, error, .. } =
        committed.into_inner().unwrap_or_else(PoisonError::into_inner);
    if let Some(error) = error {
        return Err(error);
    }
    if units_end < range.end {
        let mut buffer = Vec::new();
        let byte = input.read_at(units_end..range.end, &mut buffer)?.first().copied().unwrap_or(0);
        let start = text.len();
        text.extend_from_slice(REPLACEMENT);
        problems.push(EncodingProblem {
            span: Span::new(start, text.len()),
            message: format!("the UTF-16 text ends with a lone byte `0x{byte:02X}`"),
        });
    }
    Ok((text, problems))
}

const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();

fn unit(units: &[u8], at: usize, little_endian: bool) -> u16 {
    let pair = [units[at], units[at + 1]];
    if little_endian { u16::from_le_bytes(pair) } else { u16::from_be_bytes(pair) }
}

/// Walks the units of one part and writes its UTF-8.
struct Walker<'a> {
    /// The part's units, with the unit before and after it when there are such.
    units: &'a [u8],
    /// Where the part starts in `units`.
    start: usize,
    /// Where it ends: a surrogate pair that begins before may end after.
    end: usize,
    little_endian: bool,
}

impl<'a> Walker<'a> {
    fn new(units: &'a [u8], start: usize, end: usize, little_endian: bool) -> Walker<'a> {
        Walker { units, start, end, little_endian }
    }

    fn run(&self, text: &mut Vec<u8>, problems: &mut Vec<EncodingProblem>) {
        text.reserve((self.end - self.start) / 2 + 16);
        let mut at = self.start;
        // A pair cut by the part's start was written by the part before.
        if at >= 2 && self.is_high(at - 2) && at < self.units.len() && self.is_low(at) {
            at += 2;
        }
        while at < self.end {
            if at + 32 <= self.end
                && let Some(ascii) = self.ascii_block(at)
            {
                text.extend_from_slice(&ascii);
                at += 32;
                continue;
            }
            let first = unit(self.units, at, self.little_endian);
            let (decoded, consumed) = match first {
                0xD800..=0xDBFF if at + 2 < self.units.len() && self.is_low(at + 2) => {
                    let low = unit(self.units, at + 2, self.little_endian);
                    let scalar = 0x10000 + ((u32::from(first) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    (char::from_u32(scalar), 4)
                }
                _ => (char::from_u32(u32::from(first)), 2),
            };
            match decoded {
                Some(c) => text.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
                None => {
                    let start = text.len();
                    text.extend_from_slice(REPLACEMENT);
                    problems.push(EncodingProblem {
                        span: Span::new(start, text.len()),
                        message: format!("unpaired UTF-16 surrogate `0x{first:04X}`"),
                    });
                }
            }
            at += consumed;
        }
    }

    fn is_high(&self, at: usize) -> bool {
        (0xD800..=0xDBFF).contains(&unit(self.units, at, self.little_endian))
    }

    fn is_low(&self, at: usize) -> bool {
        (0xDC00..=0xDFFF).contains(&unit(self.units, at, self.little_endian))
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

    /// Transcodes what follows a byte-order mark, in parts of `part_size` bytes.
    fn transcode(bytes: &[u8], little_endian: bool, part_size: u64) -> (Vec<u8>, Vec<EncodingProblem>) {
        let Ok(transcoded) = transcode_in_parts(bytes, 2..bytes.len() as u64, little_endian, part_size);
        transcoded
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
        let (le, problems) = transcode(&utf16le(text), true, PART);
        assert_eq!(le, text.as_bytes());
        assert!(problems.is_empty());
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(transcode(&be, false, PART).0, text.as_bytes());
    }

    #[test]
    fn parts_never_split_a_surrogate_pair() {
        let text: String = "a😀bc😀😀 long enough to take the ASCII path sixteen units at a time 😀".repeat(50);
        let bytes = utf16le(&text);
        for part_size in [2, 4, 6, 10, 32, 34, 1000, PART] {
            let (transcoded, problems) = transcode(&bytes, true, part_size);
            assert_eq!(String::from_utf8(transcoded).unwrap(), text, "parts of {part_size} bytes");
            assert!(problems.is_empty());
        }
    }

    #[test]
    fn reads_files_part_by_part() {
        let text = "dn: CN=Zürich,O=😀\r\ncn: x\r\n".repeat(5000);
        let path = std::env::temp_dir().join(format!("exlint-utf16-{}.ldf", std::process::id()));
        std::fs::write(&path, utf16le(&text)).unwrap();
        let file = File::open(&path).unwrap();
        let length = file.metadata().unwrap().len();
        let (transcoded, _) = transcode_in_parts(&file, 2..length, true, 4096).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(transcoded, text.as_bytes());
    }

    proptest::proptest! {
        #[test]
        fn transcodes_like_the_standard_library(
            units in proptest::collection::vec(proptest::prop_oneof![0u16..0x80, 0u16..0xFFFF, 0xD800u16..0xE000], 0..200),
            half_part in 1u64..40,
        ) {
            let mut bytes = vec![0xFF, 0xFE];
            bytes.extend(units.iter().flat_map(|unit| unit.to_le_bytes()));
            let expected: String = char::decode_utf16(units.iter().copied()).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect();
            let (text, problems) = transcode(&bytes, true, half_part * 2);
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
        let (text, problems) = transcode(&bytes, true, PART);
        assert_eq!(text, "a\u{FFFD}b\u{FFFD}".as_bytes());
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].span, Span::new(1, 4));
        assert!(problems[0].message.contains("0xD800"));
        assert!(problems[1].message.contains("0x41"));
    }
}
