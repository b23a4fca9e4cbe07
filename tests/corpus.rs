#![allow(clippy::print_stderr)] // a skipped test says so on stderr
//! Conformance of the LDIF reader on `../shared/corpus/ldif`: for every file of
//! `EXPECTED.tsv`, the outcome (ok or error) and, for files that should read cleanly, the
//! number of records with a `dn:` line. Every file must agree. A file reads as an error when
//! the reader reports a problem of severity error (data lost); a warning (text read as
//! Windows-1252) or a note (a URL value not read) keeps it ok.
//!
//! The corpus is not part of the repository. The test looks for it in `$EXLINT_CORPUS`, then
//! in `shared/corpus` beside any folder above this crate; it is skipped, saying so, when it
//! is absent, unless `EXLINT_REQUIRE_CORPUS=1` makes that a failure (as in CI).

use std::path::PathBuf;

use exlint::finding::Severity;
use exlint::source::Source;

fn corpus() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("EXLINT_CORPUS") {
        return Some(PathBuf::from(dir));
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.ancestors().map(|dir| dir.join("shared/corpus")).find(|dir| dir.is_dir())
}

fn required() -> bool {
    std::env::var("EXLINT_REQUIRE_CORPUS").is_ok_and(|value| value == "1")
}

#[test]
fn ldif_corpus_matches_expected_outcomes() {
    let Some(corpus) = corpus() else {
        assert!(!required(), "EXLINT_REQUIRE_CORPUS=1 but ../shared/corpus was not found (set EXLINT_CORPUS)");
        eprintln!("skipped: ../shared/corpus not found (set EXLINT_CORPUS to run the conformance test)");
        return;
    };
    let expected = std::fs::read_to_string(corpus.join("ldif/EXPECTED.tsv")).expect("EXPECTED.tsv");
    let mut mismatches = Vec::new();
    let mut checked = 0;
    for row in expected.lines().skip(1) {
        let fields: Vec<&str> = row.split('\t').collect();
        let [file, outcome, entries, ..] = fields[..] else { panic!("bad row {row}") };
        let source = Source::open(&corpus.join("ldif").join(file)).expect(file);
        let mut records = 0;
        let mut errors = source.encoding_problems().len();
        let mut first_error = None;
        for item in exlint::ldif::records(source.text()) {
            match item {
                Ok(_) => records += 1,
                Err(error) if error.kind.severity() < Severity::Error => {}
                Err(error) => {
                    errors += 1;
                    first_error.get_or_insert_with(|| {
                        format!("{} at {}: {}", error.kind.code(), source.position(error.span.start), error.message)
                    });
                }
            }
        }
        checked += 1;
        let actual_outcome = if errors == 0 { "ok" } else { "error" };
        let matches = actual_outcome == outcome && (outcome == "error" || entries == records.to_string());
        if !matches {
            mismatches.push(format!(
                "{file}: expected {outcome}/{entries}, got {actual_outcome}/{records}{}",
                first_error.map(|e| format!(" ({e})")).unwrap_or_default(),
            ));
        }
    }
    assert_eq!(checked, 201, "EXPECTED.tsv should list 201 files");
    assert!(mismatches.is_empty(), "{} of {checked} files differ:\n{}", mismatches.len(), mismatches.join("\n"));
}
