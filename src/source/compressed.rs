//! Exports as customers mail them: gzipped, or zipped with other files. Both are told by their
//! first bytes and decompressed in memory, never to a temporary file, up to a limit that stops
//! a zip bomb from filling the memory.

use std::fmt;
use std::io::{self, Cursor, Read, Seek, SeekFrom};

/// How an input was compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    Gzip,
    /// A member of a zip archive.
    Zip,
}

impl Compression {
    /// Decides from the first bytes: `1F 8B` for gzip (RFC 1952), `PK 03 04` (a local file
    /// header) or `PK 05 06` (the end record of an empty archive) for zip.
    pub fn sniff(head: &[u8]) -> Option<Compression> {
        match head {
            [0x1F, 0x8B, ..] => Some(Compression::Gzip),
            [b'P', b'K', 3, 4, ..] | [b'P', b'K', 5, 6, ..] => Some(Compression::Zip),
            _ => None,
        }
    }

    /// The name used in reports.
    pub fn label(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zip => "zip",
        }
    }
}

impl fmt::Display for Compression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The most bytes one compressed input may decompress to, in all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit(pub u64);

impl Default for Limit {
    /// 4 GiB: more than any configuration partition, less than a bomb.
    fn default() -> Limit {
        Limit(4 << 30)
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
        match UNITS.iter().find(|(unit, _)| self.0 >= *unit && self.0.is_multiple_of(*unit)) {
            Some((unit, name)) => write!(f, "{} {name}", self.0 / unit),
            None => write!(f, "{} bytes", self.0),
        }
    }
}

impl std::str::FromStr for Limit {
    type Err = String;

    /// A number of bytes, with an optional `K`, `M` or `G` (powers of 1024, `KiB`... also taken).
    fn from_str(text: &str) -> Result<Limit, String> {
        let text = text.trim();
        let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
        let (number, unit) = text.split_at(digits);
        let shift = match unit.trim().to_ascii_uppercase().as_str() {
            "" | "B" => 0,
            "K" | "KB" | "KIB" => 10,
            "M" | "MB" | "MIB" => 20,
            "G" | "GB" | "GIB" => 30,
            _ => return Err(format!("`{text}` is not a size: write bytes, or a number with K, M or G")),
        };
        let number: u64 = number.parse().map_err(|_| format!("`{text}` is not a size: it needs a number"))?;
        number.checked_mul(1 << shift).map(Limit).ok_or_else(|| format!("`{text}` is too large"))
    }
}

/// Why a compressed input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("decompresses to more than {limit} (--max-decompressed-size): a zip bomb, or an export too big to read")]
    TooLarge { limit: Limit },
    #[error("is a damaged {compression} file: {error}")]
    Damaged { compression: Compression, error: String },
}

/// Decompresses a gzip stream (all its members, as `gzip -d` does), calling `progress` with
/// the compressed bytes consumed.
pub(super) fn gunzip(compressed: &[u8], limit: Limit, progress: &dyn Fn(usize)) -> Result<Vec<u8>, Error> {
    let reader = flate2::read::MultiGzDecoder::new(Counted { inner: Cursor::new(compressed), progress });
    read_bounded(reader, limit, Compression::Gzip)
}

/// One file of a zip archive, decompressed.
pub(super) struct Member {
    /// Its path inside the archive.
    pub(super) name: String,
    pub(super) bytes: Vec<u8>,
}

/// Decompresses every file of a zip archive (folders skipped), in the archive's order, the
/// limit counting all of them; `progress` is told the compressed bytes consumed.
pub(super) fn unzip(compressed: &[u8], limit: Limit, progress: &dyn Fn(usize)) -> Result<Vec<Member>, Error> {
    let damaged =
        |error: zip::result::ZipError| Error::Damaged { compression: Compression::Zip, error: error.to_string() };
    let mut archive = zip::ZipArchive::new(Counted { inner: Cursor::new(compressed), progress }).map_err(damaged)?;
    let mut members = Vec::new();
    let mut left = limit.0;
    for index in 0..archive.len() {
        let file = archive.by_index(index).map_err(damaged)?;
        if file.is_dir() {
            continue;
        }
        let name = file.name().map_err(damaged)?.into_owned();
        let bytes = read_bounded(file, Limit(left), Compression::Zip).map_err(|error| match error {
            Error::TooLarge { .. } => Error::TooLarge { limit },
            error => error,
        })?;
        left -= bytes.len() as u64;
        members.push(Member { name, bytes });
    }
    Ok(members)
}

/// Reads at most `limit` bytes; one more is an error, so that nothing past the limit is ever
/// held in memory.
fn read_bounded(reader: impl Read, limit: Limit, compression: Compression) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    reader
        .take(limit.0.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|error| Error::Damaged { compression, error: error.to_string() })?;
    if bytes.len() as u64 > limit.0 {
        return Err(Error::TooLarge { limit });
    }
    Ok(bytes)
}

/// A reader that tells how far it has read, for the progress bar.
struct Counted<'p, R> {
    inner: R,
    progress: &'p dyn Fn(usize),
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buffer)?;
        (self.progress)(read);
        Ok(read)
    }
}

impl<R: Seek> Seek for Counted<'_, R> {
    fn seek(&mut self, position: SeekFrom) -> io::Result<u64> {
        self.inner.seek(position)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn gzip_is_decompressed_within_the_limit() {
        let compressed = gzip(b"dn: CN=a\n");
        assert_eq!(Compression::sniff(&compressed), Some(Compression::Gzip));
        assert_eq!(gunzip(&compressed, Limit(9), &|_| {}).unwrap(), b"dn: CN=a\n");
        let error = gunzip(&compressed, Limit(8), &|_| {}).unwrap_err();
        assert!(matches!(error, Error::TooLarge { limit: Limit(8) }), "{error}");
    }

    #[test]
    fn a_bomb_stops_at_the_limit() {
        let compressed = gzip(&vec![b'a'; 50 << 20]);
        assert!(compressed.len() < 100 << 10);
        let error = gunzip(&compressed, Limit(1 << 20), &|_| {}).unwrap_err();
        assert_eq!(
            error.to_string(),
            "decompresses to more than 1 MiB (--max-decompressed-size): a zip bomb, or an export too big to read"
        );
    }

    #[test]
    fn sizes_are_read_with_units() {
        assert_eq!("4G".parse(), Ok(Limit(4 << 30)));
        assert_eq!("512 MiB".parse(), Ok(Limit(512 << 20)));
        assert_eq!("1000".parse(), Ok(Limit(1000)));
        assert!("lots".parse::<Limit>().is_err());
        assert_eq!(Limit::default().to_string(), "4 GiB");
    }
}
