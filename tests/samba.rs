//! A real directory: `tests/samba/export.sh` provisions a throwaway Samba AD domain controller,
//! extends its schema with the Exchange 2003 schema, loads `samples/contoso.ldf` into it and
//! exports it with `ldbsearch` and, over LDAP, with `ldapsearch` (plain, `-LLL`, paged,
//! filtered; one export holds every partition). Each export must read with no malformed record
//! and with the entry count its tool reported, hold every value of the hand-written sample it
//! corresponds to, and give the same findings as that sample.
//!
//! The stage needs root and Debian's packages, which the script installs when missing. Where it
//! cannot run it is skipped, saying so, unless `EXLINT_REQUIRE_SAMBA=1` makes that a failure
//! (as in CI). `EXLINT_SAMBA_KEEP=DIR` keeps the exports and the domain controller in DIR
//! (`docs/testing.md`).

mod common;

use std::collections::BTreeSet;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use exlint::directory::DnKey;
use exlint::ldif;
use exlint::source::Source;

const SCRIPT: &str = "tests/samba/export.sh";

/// The sample the script loads into the domain controller.
const LOADED: &str = "samples/contoso.ldf";

/// The script's exit status when the stage cannot run on this machine.
const CANNOT_RUN: i32 = 77;

/// No gateway (SMTP002 not evaluated), then each server in turn (SMTP002 fires for EXMB01).
const GATEWAYS: [&[&str]; 4] = [&[], &["EXBH01"], &["EXMB01"], &["EXEU01"]];

/// Values Samba gives each object itself, which the script does not load from the sample.
const ASSIGNED_BY_SAMBA: [&str; 5] = ["objectGUID", "whenCreated", "whenChanged", "uSNCreated", "uSNChanged"];

/// One line of the script's `exports.tsv`.
struct Export {
    path: PathBuf,
    /// The hand-written sample of the same organization, in `samples/`.
    sample: String,
    /// As the exporting tool reported it.
    entries: usize,
    command: String,
}

/// Where the script writes: a temporary folder removed at the end, failed or not, or the
/// folder `EXLINT_SAMBA_KEEP` names, kept.
struct Workspace {
    path: PathBuf,
    keep: bool,
}

impl Workspace {
    fn new() -> Workspace {
        let workspace = match std::env::var_os("EXLINT_SAMBA_KEEP") {
            Some(dir) => Workspace { path: PathBuf::from(dir), keep: true },
            None => {
                let path = std::env::temp_dir().join(format!("exlint-samba-{}", std::process::id()));
                Workspace { path, keep: false }
            }
        };
        std::fs::create_dir_all(&workspace.path).expect("create the export folder");
        workspace
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

fn required() -> bool {
    std::env::var("EXLINT_REQUIRE_SAMBA").is_ok_and(|value| value == "1")
}

#[test]
fn samba_exports_read_like_the_hand_written_samples() {
    let workspace = Workspace::new();
    let exports = match export(&workspace.path) {
        Ok(exports) => exports,
        Err(reason) => {
            assert!(!required(), "EXLINT_REQUIRE_SAMBA=1 but the Samba stage cannot run here: {reason}");
            // Straight to the stderr handle: libtest swallows eprintln! of a passing test, and a
            // skipped stage must be seen.
            let _ = writeln!(std::io::stderr(), "skipped: the Samba stage: {reason}");
            return;
        }
    };
    assert!(samba_stopped(&workspace.path), "export.sh left samba running");
    assert_eq!(exports.len(), 6, "export.sh lists six exports");
    let mut problems = Vec::new();
    for export in &exports {
        problems.extend(reading_problems(export));
        problems.extend(value_problems(export));
        problems.extend(finding_problems(export));
    }
    let kept = if workspace.keep {
        format!("they are in {}", workspace.path.display())
    } else {
        "set EXLINT_SAMBA_KEEP=DIR to keep them".to_owned()
    };
    let commands: Vec<String> =
        exports.iter().map(|export| format!("  {}: {}", name(export), export.command)).collect();
    assert!(
        problems.is_empty(),
        "exlint reads real exports differently:\n{}\nThe exports ({kept}):\n{}",
        problems.join("\n"),
        commands.join("\n")
    );
}

/// Runs the script into `folder`; `Err` says why the stage cannot run here.
fn export(folder: &Path) -> Result<Vec<Export>, String> {
    let log_path = folder.join("export.log");
    let log = File::create(&log_path).expect("create export.log");
    let status = Command::new("bash")
        .arg(SCRIPT)
        .arg(folder)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(log.try_clone().expect("export.log"))
        .stderr(log)
        .status()
        .map_err(|error| format!("cannot start bash: {error}"))?;
    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
    if status.code() == Some(CANNOT_RUN) {
        let reason = log.lines().rev().find_map(|line| line.strip_prefix("skipped: "));
        return Err(reason.unwrap_or("export.sh cannot run here").to_owned());
    }
    let tail: Vec<&str> = log.lines().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect();
    assert!(status.success(), "{SCRIPT} failed ({status}); the end of its output:\n{}", tail.join("\n"));
    let manifest = std::fs::read_to_string(folder.join("exports.tsv")).expect("export.sh writes exports.tsv");
    Ok(manifest
        .lines()
        .skip(1)
        .map(|line| {
            let [file, sample, entries, command] = line.split('\t').collect::<Vec<_>>()[..] else {
                panic!("bad line in exports.tsv: {line}")
            };
            let entries = entries.parse().unwrap_or_else(|_| panic!("no entry count for {file}: `{entries}`"));
            Export { path: folder.join(file), sample: sample.to_owned(), entries, command: command.to_owned() }
        })
        .collect())
}

/// Whether the samba whose pid file the script left behind is gone.
fn samba_stopped(folder: &Path) -> bool {
    let pid = std::fs::read_to_string(folder.join("dc/samba.pid")).expect("samba writes dc/samba.pid");
    let command = std::fs::read_to_string(format!("/proc/{}/comm", pid.trim())).unwrap_or_default();
    !command.starts_with("samba")
}

fn name(export: &Export) -> String {
    export.path.file_name().unwrap().to_string_lossy().into_owned()
}

fn sample_path(export: &Export) -> String {
    format!("samples/{}", export.sample)
}

/// No malformed record, and as many entries as the exporting tool reported.
fn reading_problems(export: &Export) -> Vec<String> {
    let run = common::check(&[export.path.to_str().unwrap()], &[]);
    let mut problems = Vec::new();
    let errors = &run.json["inputs"][0]["errors"];
    if errors != &serde_json::json!([]) {
        problems.push(format!("{}: malformed records: {errors}", name(export)));
    }
    if run.entries != [export.entries] {
        problems.push(format!(
            "{}: {:?} entries read, the tool reported {}",
            name(export),
            run.entries,
            export.entries
        ));
    }
    problems
}

/// Every entry of the sample is in the export, and every value loaded from `samples/contoso.ldf`
/// reads from the export as the same bytes, whatever encoding, folding or attribute order the
/// tool chose; values Samba assigns itself excepted.
fn value_problems(export: &Export) -> Vec<String> {
    let exported = entries(&export.path);
    let find = |dn: &DnKey| exported.iter().find(|entry| entry.dn == *dn);
    let mut problems = Vec::new();
    for entry in entries(Path::new(&sample_path(export))) {
        if find(&entry.dn).is_none() {
            problems.push(format!("{}: no entry `{}` of {}", name(export), entry.dn.as_str(), export.sample));
        }
    }
    for loaded in entries(Path::new(LOADED)) {
        let Some(exported) = find(&loaded.dn) else { continue };
        let attributes: BTreeSet<&str> = loaded.values.iter().map(|(attribute, _)| attribute.as_str()).collect();
        for attribute in attributes {
            if ASSIGNED_BY_SAMBA.iter().any(|assigned| assigned.eq_ignore_ascii_case(attribute)) {
                continue;
            }
            let (expected, found) = (loaded.values_of(attribute), exported.values_of(attribute));
            if expected != found {
                problems.push(format!(
                    "{}: `{attribute}` of `{}` reads {found:?}, {LOADED} has {expected:?}",
                    name(export),
                    loaded.dn.as_str()
                ));
            }
        }
    }
    problems
}

/// An entry as exlint's reader gives it.
struct ReadEntry {
    dn: DnKey,
    /// (lower-case attribute name, value bytes), in file order.
    values: Vec<(String, Vec<u8>)>,
}

impl ReadEntry {
    fn values_of(&self, attribute: &str) -> BTreeSet<String> {
        let named = self.values.iter().filter(|(name, _)| name == attribute);
        named.map(|(_, value)| String::from_utf8_lossy(value).into_owned()).collect()
    }
}

fn entries(path: &Path) -> Vec<ReadEntry> {
    let source = Source::open(path).expect("export");
    ldif::records(source.text())
        .filter_map(Result::ok)
        .map(|record| {
            let values = record
                .attributes()
                .unwrap_or_default()
                .iter()
                .map(|attribute| (attribute.name().to_ascii_lowercase(), attribute.value.bytes().into_owned()));
            ReadEntry { dn: DnKey::of(&record.dn.text), values: values.collect() }
        })
        .collect()
}

/// What a user sees of a finding, with the DN normalised: exports spell DNs their own way.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Seen {
    code: String,
    server: Option<String>,
    dn: Option<String>,
    message: String,
}

/// The same findings and the same rules not evaluated as the sample, for every gateway choice.
fn finding_problems(export: &Export) -> Vec<String> {
    let check = |path: &str, gateways: &[&str]| {
        let run = common::check(&[path], gateways);
        let findings: BTreeSet<Seen> = run
            .findings
            .into_iter()
            .map(|finding| Seen {
                code: finding.code.to_owned(),
                server: finding.server,
                dn: finding.dn.map(|dn| DnKey::of(&dn).as_str().to_owned()),
                message: finding.message,
            })
            .collect();
        (findings, run.json["not_evaluated"].clone())
    };
    let mut problems = Vec::new();
    for gateways in GATEWAYS {
        let (expected, expected_not_evaluated) = check(&sample_path(export), gateways);
        let (found, not_evaluated) = check(export.path.to_str().unwrap(), gateways);
        if found != expected {
            problems.push(format!(
                "{} with gateways {gateways:?}: findings differ from {}\n  only in the export: {:?}\n  only in the sample: {:?}",
                name(export),
                export.sample,
                found.difference(&expected).collect::<Vec<_>>(),
                expected.difference(&found).collect::<Vec<_>>(),
            ));
        }
        if not_evaluated != expected_not_evaluated {
            problems.push(format!(
                "{} with gateways {gateways:?}: not evaluated {not_evaluated}, {} gives {expected_not_evaluated}",
                name(export),
                export.sample
            ));
        }
    }
    problems
}
