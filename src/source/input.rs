//! From a path on the command line to the exports it holds: the file itself, the file
//! decompressed (gzip), or every file of a zip archive, each refused when its content shows it
//! is not an export.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use super::compressed::{self, Compression, Limit};
use super::content::{NotAnExport, not_an_export};
use super::{Source, Storage, map_file};

/// How inputs are opened.
#[derive(Clone, Copy, Debug, Default)]
pub struct OpenOptions {
    /// The most a compressed input may decompress to.
    pub limit: Limit,
}

/// Why an input gives no export to analyse.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read `{name}`: {error}")]
    Io { name: String, error: io::Error },
    #[error("`{name}` {error}")]
    Compressed { name: String, error: compressed::Error },
    #[error("`{name}` is an empty export: it holds no record")]
    Empty { name: String },
    #[error("`{name}` is {what}, not an LDIF or CSV export")]
    NotAnExport { name: String, what: String },
}

/// The exports `path` holds, in order: one for a file, one per file of a zip archive (named
/// `archive.zip:inner.ldf`). Each is refused, with what it looks like, when it is not an
/// export. `progress` is told the bytes of compressed input consumed while decompressing.
pub fn open(path: &Path, options: OpenOptions, progress: &dyn Fn(usize)) -> Vec<Result<Source, InputError>> {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        return match io::stdin().lock().read_to_end(&mut bytes) {
            Err(error) => vec![Err(InputError::Io { name: "<stdin>".to_owned(), error })],
            Ok(_) => match Compression::sniff(&bytes) {
                Some(compression) => {
                    Decompression::new(options, progress).sources("<stdin>".to_owned(), compression, &bytes, 0)
                }
                None => vec![checked(Source::from_bytes("<stdin>", bytes))],
            },
        };
    }
    let name = path.display().to_string();
    let io_error = |error| vec![Err(InputError::Io { name: name.clone(), error })];
    let head = match read_head(path) {
        Ok(head) => head,
        Err(error) => return io_error(error),
    };
    match Compression::sniff(&head) {
        None => {
            vec![Source::open(path).map_err(|error| InputError::Io { name: name.clone(), error }).and_then(checked)]
        }
        Some(compression) => {
            let compressed = match read_whole(path) {
                Ok(bytes) => bytes,
                Err(error) => return io_error(error),
            };
            Decompression::new(options, progress).sources(name, compression, compressed.bytes(), 0)
        }
    }
}

/// Decompressing one input, archives inside it included, within one budget: the limit counts
/// every byte decompressed, however deep.
struct Decompression<'p> {
    options: OpenOptions,
    left: std::cell::Cell<u64>,
    progress: &'p dyn Fn(usize),
}

/// How deep archives may nest: an export gzipped inside a zip archive is read, anything deeper
/// (or a zip quine) is not.
const NESTING: usize = 1;

impl<'p> Decompression<'p> {
    fn new(options: OpenOptions, progress: &'p dyn Fn(usize)) -> Decompression<'p> {
        Decompression { options, left: std::cell::Cell::new(options.limit.0), progress }
    }

    /// The sources a compressed input named `name` holds, `nesting` archives deep.
    fn sources(
        &self,
        name: String,
        compression: Compression,
        compressed: &[u8],
        nesting: usize,
    ) -> Vec<Result<Source, InputError>> {
        let failed = |error| {
            let error = match error {
                compressed::Error::TooLarge { .. } => compressed::Error::TooLarge { limit: self.options.limit },
                error => error,
            };
            vec![Err(InputError::Compressed { name: name.clone(), error })]
        };
        let limit = Limit(self.left.get());
        match compression {
            Compression::Gzip => match compressed::gunzip(compressed, limit, self.progress) {
                Ok(bytes) => {
                    self.left.set(self.left.get() - bytes.len() as u64);
                    match Compression::sniff(&bytes) {
                        Some(inner) => self.nested(name, inner, &bytes, nesting),
                        None => vec![checked(Source::decompressed(name, bytes, compression, Some(compressed)))],
                    }
                }
                Err(error) => failed(error),
            },
            Compression::Zip => match compressed::unzip(compressed, limit, self.progress) {
                Ok(members) => {
                    self.left
                        .set(self.left.get() - members.iter().map(|member| member.bytes.len() as u64).sum::<u64>());
                    if let Some(what) = office_document(&members) {
                        return vec![Err(InputError::NotAnExport { name, what: what.to_owned() })];
                    }
                    if members.is_empty() {
                        let what = "a zip archive with no file in it".into();
                        return vec![Err(InputError::NotAnExport { name, what })];
                    }
                    members
                        .into_iter()
                        .flat_map(|member| {
                            let inner = format!("{name}:{}", printable(&member.name));
                            match Compression::sniff(&member.bytes) {
                                Some(compression) => self.nested(inner, compression, &member.bytes, nesting),
                                None => {
                                    vec![checked(Source::decompressed(inner, member.bytes, Compression::Zip, None))]
                                }
                            }
                        })
                        .collect()
                }
                Err(error) => failed(error),
            },
        }
    }

    /// An archive inside an archive: read one level deep, refused deeper.
    fn nested(
        &self,
        name: String,
        compression: Compression,
        bytes: &[u8],
        nesting: usize,
    ) -> Vec<Result<Source, InputError>> {
        if nesting >= NESTING {
            let what = format!("a {compression} archive nested in archives too deep to read (extract it first)");
            return vec![Err(InputError::NotAnExport { name, what })];
        }
        self.sources(name, compression, bytes, nesting + 1)
    }
}

/// Office Open XML documents are zip archives with `[Content_Types].xml` at the top, and the
/// application's folder beside it (ECMA-376 part 2).
fn office_document(members: &[compressed::Member]) -> Option<&'static str> {
    members.iter().any(|member| member.name == "[Content_Types].xml").then(|| {
        let has = |folder: &str| members.iter().any(|member| member.name.starts_with(folder));
        if has("word/") {
            "a Word document"
        } else if has("xl/") {
            "an Excel workbook"
        } else if has("ppt/") {
            "a PowerPoint presentation"
        } else {
            "an Office Open XML document"
        }
    })
}

/// The source, or why it is not an export.
fn checked(source: Source) -> Result<Source, InputError> {
    match not_an_export(source.head(), source.text()) {
        None => Ok(source),
        Some(NotAnExport::Empty) => Err(InputError::Empty { name: source.name().to_owned() }),
        Some(what) => Err(InputError::NotAnExport { name: source.name().to_owned(), what: what.to_string() }),
    }
}

/// The first bytes of a file, enough for any signature.
fn read_head(path: &Path) -> io::Result<Vec<u8>> {
    let file = File::open(path)?;
    if file.metadata()?.is_dir() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "is a directory"));
    }
    let mut head = Vec::with_capacity(16);
    file.take(16).read_to_end(&mut head)?;
    Ok(head)
}

/// A whole compressed file: mapped when it can be.
fn read_whole(path: &Path) -> io::Result<Storage> {
    let file = File::open(path)?;
    if file.metadata()?.is_file() {
        return Ok(Storage::Mapped(map_file(&file)?));
    }
    let mut bytes = Vec::new();
    (&file).read_to_end(&mut bytes)?;
    Ok(Storage::Owned(bytes))
}

/// A name from inside an archive, which anyone may have written, with its control characters
/// escaped (`\u{1b}`), so that no report writes them raw to a terminal.
fn printable(name: &str) -> String {
    name.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
}
