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
                Some(compression) => decompressed("<stdin>".to_owned(), compression, &bytes, options, progress),
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
            decompressed(name, compression, compressed.bytes(), options, progress)
        }
    }
}

/// The sources a compressed input holds.
fn decompressed(
    name: String,
    compression: Compression,
    compressed: &[u8],
    options: OpenOptions,
    progress: &dyn Fn(usize),
) -> Vec<Result<Source, InputError>> {
    let failed = |error| vec![Err(InputError::Compressed { name: name.clone(), error })];
    match compression {
        Compression::Gzip => match compressed::gunzip(compressed, options.limit, progress) {
            Ok(bytes) => {
                let source = Source::decompressed(name, bytes, compression, Some(compressed));
                vec![checked(source)]
            }
            Err(error) => failed(error),
        },
        Compression::Zip => match compressed::unzip(compressed, options.limit, progress) {
            Ok(members) => {
                if let Some(what) = office_document(&members) {
                    return vec![Err(InputError::NotAnExport { name, what: what.to_owned() })];
                }
                if members.is_empty() {
                    return vec![Err(InputError::NotAnExport {
                        name,
                        what: "a zip archive with no file in it".into(),
                    })];
                }
                members
                    .into_iter()
                    .map(|member| {
                        let inner = format!("{name}:{}", member.name);
                        checked(Source::decompressed(inner, member.bytes, compression, None))
                    })
                    .collect()
            }
            Err(error) => failed(error),
        },
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
