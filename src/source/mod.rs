//! The text exlint analyses, where it came from, and how to point into it.
//!
//! A [`Source`] owns the bytes of one input: the memory-mapped file when it is UTF-8, or one
//! transcoded buffer when it is UTF-16 (`ldifde -u`). Everything downstream borrows from it and
//! refers to it with [`Span`]s, byte ranges of that text. Users never see byte offsets: they see
//! `file:line:column`, computed by [`Source::position`] from a line index built on first use.

mod compressed;
mod content;
mod encoding;
mod input;
mod line_index;

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::OnceLock;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use sha2::{Digest, Sha256};

pub use compressed::{Compression, Error as DecompressionError, Limit};
pub use content::{Format, NotAnExport};
pub use encoding::Encoding;
pub use input::{InputError, OpenOptions, open};
use line_index::LineIndex;
pub use line_index::LineMarks;

/// A byte range of a [`Source`]'s text.
///
/// `usize`, not `u32`: a transcoded UTF-16 export can pass 4 GiB.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: usize,
    pub len: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, len: end.saturating_sub(start) }
    }

    pub fn end(self) -> usize {
        self.start + self.len
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end().max(other.end()))
    }
}

impl From<Span> for SourceSpan {
    fn from(span: Span) -> Self {
        SourceSpan::new(span.start.into(), span.len)
    }
}

/// A 1-based line and column. Columns count characters, so they mean the same before and after
/// a UTF-16 export is transcoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Bytes that could not be transcoded and were replaced by U+FFFD.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodingProblem {
    pub span: Span,
    pub message: String,
}

/// Index of a [`Source`] among the inputs of one analysis.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceId(pub usize);

/// A span in one of several sources.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub source: SourceId,
    pub span: Span,
}

impl Location {
    /// Whether `other` lies within this location.
    pub fn contains(self, other: Location) -> bool {
        self.source == other.source && self.span.start <= other.span.start && other.span.end() <= self.span.end()
    }
}

enum Storage {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl Storage {
    fn bytes(&self) -> &[u8] {
        match self {
            Storage::Mapped(map) => map,
            Storage::Owned(bytes) => bytes,
        }
    }
}

/// One input: its name, its text as UTF-8 bytes, and its line index.
pub struct Source {
    name: String,
    storage: Storage,
    /// Bytes at the start of `storage` that are not text (a UTF-8 byte-order mark).
    skip: usize,
    encoding: Encoding,
    /// What the text is an export of.
    format: Format,
    /// How the bytes as read were compressed, if they were: positions are then in the
    /// decompressed text.
    compression: Option<Compression>,
    /// The first bytes of the input before transcoding, for what they tell of its content.
    head: Box<[u8]>,
    size: u64,
    problems: Vec<EncodingProblem>,
    lines: OnceLock<LineIndex>,
    original: Original,
    identity: Option<FileIdentity>,
}

/// Bytes of an input's start kept to tell what it is: a tar archive says so at byte 257.
const HEAD: usize = 264;

/// What tells one version of a file from another without reading it, as git's index does: its
/// device and inode, its size, and the times its content and its inode last changed (the
/// latter cannot be set back by any tool, so a file rewritten in place is seen as new).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FileIdentity {
    device: u64,
    inode: u64,
    size: u64,
    modified_ns: i128,
    changed_ns: i128,
}

impl FileIdentity {
    #[cfg(unix)]
    fn of(metadata: &std::fs::Metadata) -> Option<FileIdentity> {
        use std::os::unix::fs::MetadataExt;
        let nanoseconds =
            |seconds: i64, nanoseconds: i64| i128::from(seconds) * 1_000_000_000 + i128::from(nanoseconds);
        Some(FileIdentity {
            device: metadata.dev(),
            inode: metadata.ino(),
            size: metadata.size(),
            modified_ns: nanoseconds(metadata.mtime(), metadata.mtime_nsec()),
            changed_ns: nanoseconds(metadata.ctime(), metadata.ctime_nsec()),
        })
    }

    #[cfg(not(unix))]
    fn of(_metadata: &std::fs::Metadata) -> Option<FileIdentity> {
        None
    }
}

impl fmt::Display for FileIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {} {} {}", self.device, self.inode, self.size, self.modified_ns, self.changed_ns)
    }
}

/// Where the input's bytes as read can be found again, for their SHA-256: the storage itself
/// (UTF-8), the file (UTF-16 transcoded as it was read, never held whole), or nowhere, its
/// digest taken before transcoding (UTF-16 in memory).
enum Original {
    Storage,
    File(File),
    Digest([u8; 32]),
}

impl Source {
    /// Opens a file; `-` reads standard input. A UTF-8 file is mapped; a UTF-16 file is read
    /// part by part and transcoded, never mapped.
    pub fn open(path: &Path) -> io::Result<Source> {
        let name = path.display().to_string();
        if path.as_os_str() == "-" {
            let mut bytes = Vec::new();
            io::stdin().lock().read_to_end(&mut bytes)?;
            return Ok(Source::from_bytes("<stdin>", bytes));
        }
        let file = File::open(path)?;
        let metadata = file.metadata()?;
        if metadata.is_dir() {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "is a directory"));
        }
        // Zero-length files cannot be mapped on every platform, and pipes or devices cannot be
        // mapped at all: read those.
        if metadata.len() == 0 || !metadata.is_file() {
            let mut bytes = Vec::new();
            (&file).read_to_end(&mut bytes)?;
            return Ok(Source::from_bytes(name, bytes));
        }
        let mut head = [0; HEAD];
        let head_len = (metadata.len() as usize).min(head.len());
        (&file).read_exact(&mut head[..head_len])?;
        let head = &head[..head_len];
        let encoding = Encoding::sniff(head);
        match encoding.utf16_little_endian() {
            #[cfg(any(unix, windows))]
            Some(little_endian) => {
                let range = encoding.bom_len() as u64..metadata.len();
                let (text, problems) = encoding::utf16_to_utf8(&file, range, little_endian)?;
                let source = Source::new(name, Storage::Owned(text), 0, encoding, metadata.len(), problems);
                Ok(Source {
                    original: Original::File(file),
                    identity: FileIdentity::of(&metadata),
                    head: head.into(),
                    ..source
                })
            }
            _ => {
                let source = Source::of_bytes(name, Storage::Mapped(map_file(&file)?));
                Ok(Source { identity: FileIdentity::of(&metadata), ..source })
            }
        }
    }

    /// A source held in memory (standard input, tests).
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Source {
        Source::of_bytes(name.into(), Storage::Owned(bytes))
    }

    /// A source of bytes at hand: as they are when UTF-8, transcoded when UTF-16.
    fn of_bytes(name: String, storage: Storage) -> Source {
        let raw = storage.bytes();
        let size = raw.len() as u64;
        let encoding = Encoding::sniff(raw);
        let head: Box<[u8]> = raw[..raw.len().min(HEAD)].into();
        match encoding.utf16_little_endian() {
            None => Source { head, ..Source::new(name, storage, encoding.bom_len(), encoding, size, Vec::new()) },
            Some(little_endian) => {
                let Ok((text, problems)) = encoding::utf16_to_utf8(raw, encoding.bom_len() as u64..size, little_endian);
                let digest = Sha256::digest(raw).into();
                let source = Source::new(name, Storage::Owned(text), 0, encoding, size, problems);
                Source { original: Original::Digest(digest), head, ..source }
            }
        }
    }

    /// A source decompressed in memory. Its size and SHA-256 are those of `compressed` when
    /// the input is a compressed file of its own (gzip), of the decompressed bytes when it is
    /// one file of an archive (zip), as `unzip -p archive inner | sha256sum` says.
    fn decompressed(name: String, bytes: Vec<u8>, compression: Compression, compressed: Option<&[u8]>) -> Source {
        let source = Source { compression: Some(compression), ..Source::of_bytes(name, Storage::Owned(bytes)) };
        match compressed {
            Some(compressed) => Source {
                size: compressed.len() as u64,
                original: Original::Digest(Sha256::digest(compressed).into()),
                ..source
            },
            None => source,
        }
    }

    fn new(
        name: String,
        storage: Storage,
        skip: usize,
        encoding: Encoding,
        size: u64,
        problems: Vec<EncodingProblem>,
    ) -> Source {
        let format = Format::of(&storage.bytes()[skip..]);
        Source {
            name,
            storage,
            skip,
            encoding,
            format,
            compression: None,
            head: Box::default(),
            size,
            problems,
            lines: OnceLock::new(),
            original: Original::Storage,
            identity: None,
        }
    }

    /// The file's identity, for a regular file opened by path on a Unix system.
    pub fn identity(&self) -> Option<FileIdentity> {
        self.identity
    }

    /// SHA-256 of the input as read, before transcoding: what `sha256sum` says of the file.
    pub fn sha256(&self) -> io::Result<[u8; 32]> {
        Ok(match &self.original {
            Original::Storage => Sha256::digest(self.storage.bytes()).into(),
            Original::File(file) => Sha256::digest(&*map_file(file)?).into(),
            Original::Digest(digest) => *digest,
        })
    }

    /// The name shown to users: the path as given, or `<stdin>`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The text, as UTF-8 bytes (or whatever 8-bit bytes the file holds), without a BOM.
    pub fn text(&self) -> &[u8] {
        &self.storage.bytes()[self.skip..]
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// What the text is an export of, told from its first line.
    pub fn format(&self) -> Format {
        self.format
    }

    /// How the input was compressed, if it was: its positions are then in the decompressed
    /// text.
    pub fn compression(&self) -> Option<Compression> {
        self.compression
    }

    /// The first bytes of the input as read, before transcoding.
    pub fn head(&self) -> &[u8] {
        &self.head
    }

    /// Size of the input as read, before transcoding: of the compressed file for a gzipped
    /// input, of the decompressed file for a member of a zip archive.
    pub fn size(&self) -> u64 {
        self.size
    }

    pub fn encoding_problems(&self) -> &[EncodingProblem] {
        &self.problems
    }

    /// Gives the source its line index from the marks a reader recorded while reading it, in
    /// order, part by part, from the start of the text to its end. Without it, the index is
    /// built by a pass of its own when a position is first asked for.
    pub fn set_line_marks(&self, parts: Vec<LineMarks>) {
        let _ = self.lines.set(LineIndex::from_parts(parts));
    }

    fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(self.text()))
    }

    /// Line and column of a byte offset of the text.
    pub fn position(&self, offset: usize) -> Position {
        let text = self.text();
        let offset = offset.min(text.len());
        let (line, line_start) = self.lines().line_of(text, offset);
        let column = char_count(&text[line_start..offset]) + 1;
        Position { line: line + 1, column }
    }

    /// Position of the last character of a span (its start when empty).
    pub fn end_position(&self, span: Span) -> Position {
        self.position(span.end().saturating_sub(1).max(span.start))
    }

    /// The text of the lines a span touches, without their line ends.
    pub fn lines_of(&self, span: Span) -> &[u8] {
        let text = self.text();
        let index = self.lines();
        let (first, _) = index.line_of(text, span.start.min(text.len()));
        let (last, _) = index.line_of(text, span.end().saturating_sub(1).max(span.start).min(text.len()));
        let start = index.line_start(text, first);
        let end = index.line_end(text, last);
        &text[start..end]
    }
}

#[allow(unsafe_code)]
fn map_file(file: &File) -> io::Result<memmap2::Mmap> {
    // SAFETY: the map is read-only. If another process truncates or rewrites the file while
    // exlint runs, reads may see the new bytes or fault; exlint is a short-lived reader of
    // exports that nobody edits in place, the same trade-off ripgrep makes for speed.
    unsafe { memmap2::Mmap::map(file) }
}

/// Characters in a UTF-8 byte string: bytes that do not continue a sequence. A stray byte of
/// an invalid sequence counts as one character.
fn char_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Source")
            .field("name", &self.name)
            .field("encoding", &self.encoding)
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

/// Answers miette from the line index: a bisection and a local slice, never a scan from byte 0
/// (miette's own impls for byte slices rescan the whole input on every call).
impl SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.text();
        let start = span.offset();
        let end = start + span.len();
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let index = self.lines();
        let (first_line, first_line_start) = index.line_of(text, start);
        let (last_line, _) = index.line_of(text, end.saturating_sub(1).max(start));
        let context_first = first_line.saturating_sub(context_lines_before);
        let context_last = (last_line + context_lines_after).min(index.last_line());
        let from = index.line_start(text, context_first);
        let to = index.line_end(text, context_last);
        let column = if context_lines_before == 0 { start - first_line_start } else { 0 };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &text[from..to],
            SourceSpan::new(from.into(), to - from),
            context_first,
            column,
            context_last - context_first + 1,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let source = Source::from_bytes("t", "ab\ncé d\r\n\nx".as_bytes().to_vec());
        assert_eq!(source.position(0), Position { line: 1, column: 1 });
        assert_eq!(source.position(3), Position { line: 2, column: 1 });
        // "é" is two bytes but one column.
        assert_eq!(source.position(7), Position { line: 2, column: 4 });
        assert_eq!(source.position(11), Position { line: 4, column: 1 });
        assert_eq!(source.position(99), Position { line: 4, column: 2 });
    }

    #[test]
    fn lines_of_a_span_exclude_line_ends() {
        let source = Source::from_bytes("t", b"one\r\ntwo\r\nthree".to_vec());
        assert_eq!(source.lines_of(Span::new(6, 7)), b"two");
        assert_eq!(source.lines_of(Span::new(1, 7)), b"one\r\ntwo");
    }

    #[test]
    fn utf8_bom_is_not_text() {
        let source = Source::from_bytes("t", b"\xEF\xBB\xBFdn: x".to_vec());
        assert_eq!(source.text(), b"dn: x");
        assert_eq!(source.encoding(), Encoding::Utf8Bom);
        assert_eq!(source.size(), 8);
    }

    #[test]
    fn sha256_is_of_the_bytes_as_read() {
        let utf8 = b"\xEF\xBB\xBFdn: x".to_vec();
        let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain("dn: x".bytes().flat_map(|b| [b, 0])).collect();
        for bytes in [utf8, utf16] {
            let source = Source::from_bytes("t", bytes.clone());
            assert_eq!(source.text(), b"dn: x");
            assert_eq!(source.sha256().unwrap(), <[u8; 32]>::from(Sha256::digest(&bytes)));
        }
    }

    #[test]
    fn miette_reads_spans_with_context() {
        let source = Source::from_bytes("t", b"a\nbb\nccc\ndddd\n".to_vec());
        let contents = source.read_span(&Span::new(5, 8).into(), 1, 1).unwrap();
        assert_eq!(contents.data(), b"bb\nccc\ndddd");
        assert_eq!(contents.line(), 1);
        assert_eq!(contents.line_count(), 3);
        assert_eq!(contents.name(), Some("t"));
    }
}
