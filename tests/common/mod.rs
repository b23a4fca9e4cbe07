//! Running exlint's library on files, as the tests need it.
#![allow(dead_code)] // each test binary uses part of this module

use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use std::io::{self, Write};

use exlint::analysis::{Analysis, analyze};
use exlint::config::ConfigFile;
use exlint::finding::Finding;
use exlint::provenance::Invocation;
use exlint::report::{human, json};
use exlint::settings::Settings;
use exlint::source::Source;

/// What `exlint check` makes of some files.
pub(crate) struct Run {
    pub findings: Vec<Finding>,
    /// The human report, without colour, 100 columns wide.
    pub human: String,
    pub json: serde_json::Value,
    pub json_text: String,
    pub entries: Vec<usize>,
}

/// Checks files with default settings, but for the gateways named.
pub(crate) fn check(paths: &[&str], gateways: &[&str]) -> Run {
    let mut settings = Settings::default();
    settings.options.gateways = gateways.iter().map(|gateway| gateway.to_string()).collect();
    check_with(paths, &settings)
}

/// The settings of a code's samples: `samples/<CODE>/exlint.toml`, when there is one, with
/// that code selected alone besides the reader's and the index's, so that a rule's snapshots
/// do not change when other rules come and go.
pub(crate) fn sample_settings(code: &str) -> Settings {
    let path = format!("samples/{code}/exlint.toml");
    let mut settings = if Path::new(&path).exists() {
        let file = ConfigFile::find(Some(Path::new(&path))).unwrap().unwrap();
        file.settings().unwrap_or_else(|error| panic!("{path}: {error}"))
    } else {
        Settings::default()
    };
    settings.selection.select = [code, "LDIF", "DIR"].map(String::from).to_vec();
    settings
}

/// Analyses files as `exlint check FILE...` would at a fixed time, so that reports are the
/// same on every run, and hands the analysis to `use_it`.
fn with_analysis<T>(paths: &[&str], settings: &Settings, use_it: impl FnOnce(&Analysis<'_>) -> T) -> T {
    let invocation = Invocation {
        arguments: ["exlint", "check"].iter().chain(paths).map(|argument| argument.to_string()).collect(),
        time: UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        digest_cache: None,
    };
    let sources: Vec<Source> = paths.iter().map(|path| Source::open(Path::new(path)).expect(path)).collect();
    let analysis = analyze(&sources, settings, &invocation).expect("gateways name servers of the export");
    use_it(&analysis)
}

/// The human and JSON reports on some files, and the findings.
pub(crate) fn check_with(paths: &[&str], settings: &Settings) -> Run {
    with_analysis(paths, settings, |analysis| {
        let json_text = render_analysis(analysis, json::write);
        Run {
            findings: analysis.findings.clone(),
            human: render_analysis(analysis, |out, analysis| {
                human::write(out, analysis, human::Style { color: false, width: 100 })
            }),
            json: serde_json::from_str(&json_text).unwrap(),
            json_text,
            entries: analysis.inputs.iter().map(|input| input.entries).collect(),
        }
    })
}

/// A report format's writer.
pub(crate) type Writer = fn(&mut dyn Write, &Analysis<'_>) -> io::Result<()>;

/// The report a format writes on some files.
pub(crate) fn render(paths: &[&str], settings: &Settings, writer: Writer) -> String {
    with_analysis(paths, settings, |analysis| render_analysis(analysis, writer))
}

fn render_analysis(
    analysis: &Analysis<'_>,
    writer: impl Fn(&mut dyn Write, &Analysis<'_>) -> io::Result<()>,
) -> String {
    let mut out = Vec::new();
    writer(&mut out, analysis).unwrap();
    String::from_utf8(out).unwrap()
}

/// `(code, server, line)` of each finding, in report order.
pub(crate) fn summary(run: &Run) -> Vec<(String, Option<String>, u64)> {
    run.json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            (
                finding["code"].as_str().unwrap().to_owned(),
                finding["server"].as_str().map(str::to_owned),
                finding["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// An outside tool a test drives (a browser, a validator): the first of `names` on the `PATH`,
/// or the path in the environment variable `override_path` when set. Without it the test is
/// skipped with a message, unless `EXLINT_REQUIRE_TOOLS=1` (as in CI), which makes it fail.
pub(crate) fn outside_tool(names: &[&str], override_path: Option<&str>, install: &str) -> Option<PathBuf> {
    if let Some(path) = override_path.and_then(std::env::var_os) {
        return Some(PathBuf::from(path));
    }
    let paths = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&paths)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|path| path.is_file());
    if found.is_none() {
        let required = std::env::var("EXLINT_REQUIRE_TOOLS").is_ok_and(|value| value == "1");
        assert!(!required, "EXLINT_REQUIRE_TOOLS=1 and no `{}` on the PATH ({install})", names[0]);
        #[allow(clippy::print_stderr)] // the skipped test says so
        {
            eprintln!("skipped: no `{}` on the PATH ({install})", names[0]);
        }
    }
    found
}

/// The command that rewrites whatever the tests derive from the source (docs, tables, samples).
pub(crate) const BLESS: &str = "EXLINT_BLESS=1 cargo test";

/// Compares a file derived from the source with the one in the repository, or writes it when
/// `EXLINT_BLESS=1`; the stale ones are added to `stale`.
pub(crate) fn check_generated(path: &Path, expected: &str, stale: &mut Vec<String>) {
    if std::fs::read_to_string(path).ok().as_deref() == Some(expected) {
        return;
    }
    // Only what changed is written, so that tests reading a derived file while another
    // blesses it never see it half-written.
    if std::env::var("EXLINT_BLESS").is_ok_and(|value| value == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, expected).unwrap();
    } else {
        stale.push(path.display().to_string());
    }
}

/// A temporary folder, removed with everything in it when the test is done with it.
pub(crate) struct TempDir(std::path::PathBuf);

impl std::ops::Deref for TempDir {
    type Target = std::path::Path;

    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub(crate) fn tempdir() -> TempDir {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let serial = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("exlint-cli-{}-{serial}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

/// exlint as a user runs it to reproduce a report: at a fixed `SOURCE_DATE_EPOCH`, and without
/// the digest cache in the user's home.
pub(crate) fn exlint() -> assert_cmd::Command {
    let mut command = assert_cmd::Command::cargo_bin("exlint").unwrap();
    command.timeout(Duration::from_secs(60)).env("SOURCE_DATE_EPOCH", "1700000000").env("EXLINT_CACHE_DIR", "");
    command
}

/// A code's `fires` or `clean` sample: `samples/<CODE>/<kind>.ldif`, or `.csv` for the csvde
/// reader's codes.
pub(crate) fn sample_path(code: &str, kind: &str) -> String {
    let ldif = format!("samples/{code}/{kind}.ldif");
    if Path::new(&ldif).is_file() { ldif } else { format!("samples/{code}/{kind}.csv") }
}
