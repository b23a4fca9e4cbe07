//! Where a report comes from: the inputs (name, size, SHA-256), the versions of exlint and of
//! its rule catalogue, the command line, and when it was made. Every format carries it, so a
//! report attached to a ticket says what it is about and can be reproduced.
//!
//! The time is `SOURCE_DATE_EPOCH` when set (<https://reproducible-builds.org/specs/source-date-epoch/>),
//! so that the same inputs and command give a byte-identical report.

use std::io;
use std::time::{Duration, SystemTime};

use rayon::prelude::*;
use serde::Serialize;

use crate::catalogue;
use crate::source::Source;

/// How exlint was run: the facts of a report that the inputs do not hold. By default no command
/// line, at the start of 1970: what a library caller gets unless it says otherwise, the same on
/// every run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invocation {
    /// The command line, program name first.
    pub arguments: Vec<String>,
    /// When the report is made.
    pub time: SystemTime,
}

impl Default for Invocation {
    fn default() -> Invocation {
        Invocation { arguments: Vec::new(), time: SystemTime::UNIX_EPOCH }
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
        Ok(Invocation { arguments, time })
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
    /// SHA-256 of the file as read, in hexadecimal: what `sha256sum` prints.
    pub sha256: String,
}

impl Provenance {
    /// Hashes the inputs (in parallel with each other) and records the invocation. An input
    /// that cannot be read again is named with the error.
    pub fn collect(sources: &[Source], invocation: &Invocation) -> Result<Provenance, (String, io::Error)> {
        let inputs = sources
            .par_iter()
            .map(|source| {
                Ok(InputProvenance {
                    path: source.name().to_owned(),
                    bytes: source.size(),
                    encoding: source.encoding().label(),
                    sha256: source
                        .sha256()
                        .map_err(|error| (source.name().to_owned(), error))?
                        .iter()
                        .map(|byte| format!("{byte:02x}"))
                        .collect(),
                })
            })
            .collect::<Result<_, _>>()?;
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

#[cfg(test)]
mod tests {
    use super::*;

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
        };
        let provenance = Provenance::collect(&[], &invocation).unwrap();
        assert_eq!(provenance.command(), r"exlint check 'my export.ldf' --gateway EXBH01 'it'\''s'");
        assert_eq!(provenance.generated, "1970-01-01T00:00:00Z");
    }
}
