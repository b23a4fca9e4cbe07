//! Where a report comes from: the inputs (name, size, SHA-256), the versions of exlint and of
//! its rule catalogue, the command line, and when it was made. Every format carries it, so a
//! report attached to a ticket says what it is about and can be reproduced.
//!
//! The time is `SOURCE_DATE_EPOCH` when set (<https://reproducible-builds.org/specs/source-date-epoch/>),
//! so that the same inputs and command give a byte-identical report.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rayon::prelude::*;
use serde::Serialize;

use crate::catalogue;
use crate::source::{FileIdentity, Source};

/// How exlint was run: the facts of a report that the inputs do not hold. By default no command
/// line, at the start of 1970: what a library caller gets unless it says otherwise, the same on
/// every run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invocation {
    /// The command line, program name first.
    pub arguments: Vec<String>,
    /// When the report is made.
    pub time: SystemTime,
    /// Where digests of big inputs are kept between runs, if anywhere: see [`DigestCache`].
    pub digest_cache: Option<PathBuf>,
}

impl Default for Invocation {
    fn default() -> Invocation {
        Invocation { arguments: Vec::new(), time: SystemTime::UNIX_EPOCH, digest_cache: None }
    }
}

impl Invocation {
    /// This process's command line (the program by name), at `SOURCE_DATE_EPOCH` when set, now otherwise.
    pub fn current() -> Result<Invocation, String> {
        let time = match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(epoch) => epoch_time(&epoch)?,
            Err(_) => SystemTime::now(),
        };
        // The program by its name, not the path it was run from, so that reports made on
        // different machines compare equal.
        let arguments = std::env::args()
            .enumerate()
            .map(|(index, argument)| match index {
                0 => std::path::Path::new(&argument)
                    .file_stem()
                    .map_or(argument.clone(), |stem| stem.to_string_lossy().into_owned()),
                _ => argument,
            })
            .collect();
        Ok(Invocation { arguments, time, digest_cache: DigestCache::folder() })
    }
}

/// Seconds since 1970 as `SOURCE_DATE_EPOCH` gives them.
fn epoch_time(epoch: &str) -> Result<SystemTime, String> {
    let seconds: u64 = epoch
        .trim()
        .parse()
        .map_err(|_| format!("SOURCE_DATE_EPOCH must be a number of seconds since 1970, not `{epoch}`"))?;
    Ok(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds))
}

/// What a report is about and how it was made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Provenance {
    pub tool: &'static str,
    pub version: &'static str,
    /// Changes whenever a rule is added or changes code, name, severity or title.
    pub catalogue_version: u32,
    pub command_line: Vec<String>,
    /// RFC 3339, UTC, to the second.
    pub generated: String,
    #[serde(skip)]
    pub time: SystemTime,
    pub inputs: Vec<InputProvenance>,
}

/// One input as read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InputProvenance {
    pub path: String,
    /// Size of the file as read, before transcoding.
    pub bytes: u64,
    pub encoding: &'static str,
    /// `gzip` or `zip` when the input was decompressed: its lines and columns are then those of
    /// the decompressed text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compression: Option<&'static str>,
    /// SHA-256 of the file as read, in hexadecimal: what `sha256sum` prints (for a file of a
    /// zip archive, of that file decompressed).
    pub sha256: String,
}

impl InputProvenance {
    /// The encoding, and the compression when there was one, as one label (`utf-8, gzip`).
    pub fn encoding_label(&self) -> String {
        match self.compression {
            Some(compression) => format!("{}, {compression}", self.encoding),
            None => self.encoding.to_owned(),
        }
    }
}

impl Provenance {
    /// Hashes the inputs (in parallel with each other, big files found in the digest cache
    /// taken from there) and records the invocation. An input that cannot be read again is
    /// named with the error.
    pub fn collect(sources: &[Source], invocation: &Invocation) -> Result<Provenance, (String, io::Error)> {
        let cache = invocation.digest_cache.as_deref().map(DigestCache::load);
        let inputs: Vec<InputProvenance> = sources
            .par_iter()
            .map(|source| {
                let cached = source.identity().and_then(|identity| cache.as_ref()?.get(identity));
                let sha256 = match cached {
                    Some(digest) => digest.to_owned(),
                    None => hex(&source.sha256().map_err(|error| (source.name().to_owned(), error))?),
                };
                Ok(InputProvenance {
                    path: source.name().to_owned(),
                    bytes: source.size(),
                    encoding: source.encoding().label(),
                    compression: source.compression().map(|compression| compression.label()),
                    sha256,
                })
            })
            .collect::<Result<_, _>>()?;
        if let Some(mut cache) = cache {
            let identities = sources.iter().map(Source::identity);
            for (identity, input) in identities.zip(&inputs) {
                if let Some(identity) = identity.filter(|_| input.bytes >= DigestCache::SMALLEST) {
                    cache.put(identity, &input.sha256);
                }
            }
            // A cache that cannot be written only costs the next run the time to hash again.
            let _ = cache.save();
        }
        Ok(Provenance {
            tool: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
            catalogue_version: catalogue::VERSION,
            command_line: invocation.arguments.clone(),
            generated: humantime::format_rfc3339_seconds(invocation.time).to_string(),
            time: invocation.time,
            inputs,
        })
    }

    /// The command line as a shell would take it back: arguments with spaces or quotes in
    /// single quotes.
    pub fn command(&self) -> String {
        let quote = |argument: &String| {
            let plain = !argument.is_empty()
                && argument.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./:=,@+%".contains(&b));
            if plain { argument.clone() } else { format!("'{}'", argument.replace('\'', r"'\''")) }
        };
        self.command_line.iter().map(quote).collect::<Vec<_>>().join(" ")
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// SHA-256 digests of big inputs kept between runs, by file identity (device, inode, size,
/// modification and change times, as git's index keeps them), so that a consultant who runs
/// exlint again and again on a 1 GB export does not pay 0.6 s of hashing each time. Files
/// under [`DigestCache::SMALLEST`] are hashed every time: it costs less than reading the cache.
///
/// The cache is one text file, `sha256`, in `$EXLINT_CACHE_DIR`, else `$XDG_CACHE_HOME/exlint`,
/// else `~/.cache/exlint`; `EXLINT_CACHE_DIR=` (empty) turns it off. A line per file,
/// `identity digest`, the most recent last, at most [`DigestCache::CAPACITY`] lines.
#[derive(Debug)]
pub struct DigestCache {
    path: PathBuf,
    entries: Vec<(String, String)>,
    changed: bool,
}

impl DigestCache {
    pub const SMALLEST: u64 = 8 << 20;
    pub const CAPACITY: usize = 1000;

    /// The folder the environment names, or none.
    fn folder() -> Option<PathBuf> {
        match std::env::var_os("EXLINT_CACHE_DIR") {
            Some(folder) if folder.is_empty() => None,
            Some(folder) => Some(PathBuf::from(folder)),
            None => match std::env::var_os("XDG_CACHE_HOME").filter(|folder| !folder.is_empty()) {
                Some(folder) => Some(PathBuf::from(folder).join("exlint")),
                None => std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache/exlint")),
            },
        }
    }

    /// The cache in `folder`; empty when it does not exist yet or cannot be read.
    fn load(folder: &Path) -> DigestCache {
        let path = folder.join("sha256");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let entries = text
            .lines()
            .filter_map(|line| {
                let (identity, digest) = line.rsplit_once(' ')?;
                let well_formed = digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit());
                well_formed.then(|| (identity.to_owned(), digest.to_owned()))
            })
            .collect();
        DigestCache { path, entries, changed: false }
    }

    fn get(&self, identity: FileIdentity) -> Option<&str> {
        let identity = identity.to_string();
        self.entries.iter().rev().find(|(known, _)| *known == identity).map(|(_, digest)| digest.as_str())
    }

    fn put(&mut self, identity: FileIdentity, digest: &str) {
        let identity = identity.to_string();
        if self.entries.last().is_some_and(|(known, stored)| *known == identity && stored == digest) {
            return;
        }
        self.entries.retain(|(known, _)| *known != identity);
        self.entries.push((identity, digest.to_owned()));
        let excess = self.entries.len().saturating_sub(DigestCache::CAPACITY);
        self.entries.drain(..excess);
        self.changed = true;
    }

    /// Writes the cache when it changed: to a new file renamed over the old one, so that a
    /// run that reads it at the same time sees one or the other whole.
    fn save(&self) -> io::Result<()> {
        if !self.changed {
            return Ok(());
        }
        let folder = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(folder)?;
        let text: String = self.entries.iter().map(|(identity, digest)| format!("{identity} {digest}\n")).collect();
        let temporary = folder.join(format!("sha256.{}", std::process::id()));
        std::fs::write(&temporary, text)?;
        std::fs::rename(&temporary, &self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::Digest;

    #[test]
    fn source_date_epoch_sets_the_time() {
        let time = epoch_time("1700000000").unwrap();
        assert_eq!(humantime::format_rfc3339_seconds(time).to_string(), "2023-11-14T22:13:20Z");
        assert!(epoch_time("yesterday").unwrap_err().contains("`yesterday`"));
    }

    #[test]
    fn command_lines_are_quoted_for_a_shell() {
        let invocation = Invocation {
            arguments: ["exlint", "check", "my export.ldf", "--gateway", "EXBH01", "it's"].map(String::from).to_vec(),
            time: SystemTime::UNIX_EPOCH,
            digest_cache: None,
        };
        let provenance = Provenance::collect(&[], &invocation).unwrap();
        assert_eq!(provenance.command(), r"exlint check 'my export.ldf' --gateway EXBH01 'it'\''s'");
        assert_eq!(provenance.generated, "1970-01-01T00:00:00Z");
    }

    #[test]
    fn big_inputs_digests_are_kept_until_the_file_changes() {
        let folder = std::env::temp_dir().join(format!("exlint-digest-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).unwrap();
        let file = folder.join("export.ldf");
        let text = b"dn: CN=x\n".repeat((DigestCache::SMALLEST as usize) / 9 + 1);
        std::fs::write(&file, &text).unwrap();
        let invocation = Invocation { digest_cache: Some(folder.join("cache")), ..Invocation::default() };
        let digest_of = |invocation: &Invocation| {
            let source = Source::open(&file).unwrap();
            Provenance::collect(std::slice::from_ref(&source), invocation).unwrap().inputs[0].sha256.clone()
        };
        let actual = hex(&<[u8; 32]>::from(sha2::Sha256::digest(&text)));
        assert_eq!(digest_of(&invocation), actual);
        let cache = std::fs::read_to_string(folder.join("cache/sha256")).unwrap();
        assert!(cache.ends_with(&format!(" {actual}\n")) && cache.lines().count() == 1, "{cache}");
        // The cache is what is read: a digest planted for the same file is what the next run says.
        let planted = "0".repeat(64);
        std::fs::write(folder.join("cache/sha256"), cache.replace(&actual, &planted)).unwrap();
        assert_eq!(digest_of(&invocation), planted);
        // A file written again is another file.
        std::fs::write(&file, [&text[..], b"\n"].concat()).unwrap();
        assert_ne!(digest_of(&invocation), planted);
        assert_eq!(std::fs::read_to_string(folder.join("cache/sha256")).unwrap().lines().count(), 2);
        // Without a cache, nothing is kept.
        std::fs::remove_dir_all(folder.join("cache")).unwrap();
        digest_of(&Invocation::default());
        assert!(!folder.join("cache").exists());
        std::fs::remove_dir_all(&folder).unwrap();
    }
}
