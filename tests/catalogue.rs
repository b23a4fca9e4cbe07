//! Meta-tests over every code exlint reports: codes and names well-formed and unique, every
//! reference page complete and its copy in `docs/rules/` fresh, samples present, and the
//! messages of every finding in house style.
//!
//! `EXLINT_BLESS=1 cargo test --test catalogue` rewrites `docs/rules/` from the doc comments.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use exlint::catalogue::catalogue;

const GENERATED: &str = "<!-- Generated from the source by `EXLINT_BLESS=1 cargo test --test catalogue`: edit the doc comment, not this file. -->\n\n";

fn bless() -> bool {
    std::env::var("EXLINT_BLESS").is_ok_and(|value| value == "1")
}

/// Compares a generated file with the one in the repository, or writes it when blessing.
fn check_generated(path: &Path, expected: &str, stale: &mut Vec<String>) {
    if bless() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, expected).unwrap();
    } else if std::fs::read_to_string(path).ok().as_deref() != Some(expected) {
        stale.push(path.display().to_string());
    }
}

#[test]
fn codes_and_names_are_well_formed_and_unique() {
    let codes = catalogue();
    let mut seen_codes = BTreeSet::new();
    let mut seen_names = BTreeSet::new();
    for code in &codes {
        let (prefix, digits) = code.code.split_at(code.code.len() - 3);
        assert!(
            (3..=5).contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_uppercase()),
            "{}: a code is 3 to 5 capitals (`ROUTE`) and 3 digits",
            code.code
        );
        assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{}: a code ends in 3 digits", code.code);
        assert!(
            code.name
                .split('-')
                .all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
            "{}: name `{}` is not kebab-case",
            code.code,
            code.name
        );
        assert!(seen_codes.insert(code.code), "{} is declared twice", code.code);
        assert!(seen_names.insert(code.name), "name {} is used twice", code.name);
        let first = code.title.chars().next().unwrap();
        assert!(first.is_uppercase() && !code.title.ends_with('.'), "{}: title `{}`", code.code, code.title);
    }
}

#[test]
fn every_page_has_its_sections() {
    for code in catalogue() {
        assert!(code.missing_sections().is_empty(), "{} lacks {:?}", code.code, code.missing_sections());
    }
}

#[test]
fn every_code_has_samples() {
    for code in catalogue() {
        for sample in ["fires", "clean"] {
            let path = format!("samples/{}/{sample}.ldif", code.code);
            assert!(Path::new(&path).is_file(), "{path} is missing");
        }
    }
}

#[test]
fn docs_are_generated_from_the_source() {
    let codes = catalogue();
    let mut stale = Vec::new();
    let mut index = String::from("# Codes\n\n");
    index.push_str(GENERATED);
    index
        .push_str("Every code `exlint check` reports: the rules of the catalogue, then the reader's diagnostics for\n");
    index.push_str("malformed records, then what the directory index notices. `exlint rules` prints this table and\n");
    index.push_str("`exlint explain CODE` prints a page.\n\n");
    index.push_str("| Code | Name | Severity | Origin | Title |\n|---|---|---|---|---|\n");
    for code in &codes {
        check_generated(
            &Path::new("docs/rules").join(format!("{}.md", code.code)),
            &format!("{GENERATED}{}", code.page()),
            &mut stale,
        );
        index.push_str(&format!(
            "| [{0}]({0}.md) | `{1}` | {2} | {3} | {4} |\n",
            code.code, code.name, code.severity, code.origin, code.title
        ));
    }
    index.push_str("\n## Out of reach\n\n");
    index.push_str("ExBPA checks about mail routing that an export cannot answer, because they read the live\n");
    index.push_str("servers; exlint leaves them out. Titles in brackets are ours, where only the body of the topic\n");
    index.push_str("could be found.\n\n| Check | Needs | Source |\n|---|---|---|\n");
    for check in exlint::catalogue::OUT_OF_REACH {
        let source = match check.source.starts_with("http") {
            true => format!("<{}>", check.source),
            false => check.source.to_owned(),
        };
        index.push_str(&format!("| {} | {} | {source} |\n", check.title, check.needs));
    }
    check_generated(Path::new("docs/rules/README.md"), &index, &mut stale);
    let known: BTreeSet<String> =
        codes.iter().map(|code| format!("{}.md", code.code)).chain(["README.md".to_owned()]).collect();
    for file in std::fs::read_dir("docs/rules").unwrap() {
        let name = file.unwrap().file_name().to_string_lossy().into_owned();
        assert!(known.contains(&name), "docs/rules/{name} belongs to no code");
    }
    assert!(stale.is_empty(), "stale, run `EXLINT_BLESS=1 cargo test --test catalogue`: {stale:?}");
}

#[test]
fn messages_follow_the_house_style() {
    for code in catalogue() {
        let path = format!("samples/{}/fires.ldif", code.code);
        let run = common::check_with(&[&path], &common::sample_settings(code.code));
        for finding in &run.findings {
            let first = finding.message.chars().next().unwrap();
            assert!(
                !first.is_uppercase() && !finding.message.ends_with('.'),
                "{}: message `{}` must start in lower case and not end with a period",
                finding.code,
                finding.message
            );
            for evidence in &finding.evidence {
                assert!(
                    !evidence.note.chars().next().is_some_and(char::is_uppercase) && !evidence.note.ends_with('.'),
                    "{}: evidence note `{}`",
                    finding.code,
                    evidence.note
                );
            }
        }
    }
}

#[test]
fn every_rule_says_what_it_could_not_look_at() {
    // Every rule needs something (virtual servers, connectors, limits, an option) that an
    // export without Exchange lacks; a rule that reported nothing here would hide that it
    // never looked.
    let run = common::check(&["samples/no-exchange.ldif"], &[]);
    assert!(run.findings.is_empty(), "{}", run.human);
    let not_evaluated: BTreeSet<&str> =
        run.json["not_evaluated"].as_array().unwrap().iter().map(|rule| rule["code"].as_str().unwrap()).collect();
    for rule in exlint::rules::RULES {
        assert!(not_evaluated.contains(rule.code), "{} reports nothing and does not say why", rule.code);
    }
}

/// What each `catalogue::VERSION` stands for: a digest of every code's code, name, severity and
/// title, in catalogue order. Changing the catalogue fails the test below until the version is
/// raised and its digest added here, so that reports that name a catalogue version name one
/// catalogue.
const VERSIONS: &[(u32, &str)] = &[(2, "57b6b5fe2061491c7f5a4340584d47721ea44b8d3e1cf48d4a37ae76e77dbebe")];

#[test]
fn the_catalogue_version_names_this_catalogue() {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    for code in catalogue() {
        hasher.update(format!("{}\t{}\t{}\t{}\n", code.code, code.name, code.severity, code.title));
    }
    let digest: String = hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect();
    assert_eq!(
        VERSIONS.last(),
        Some(&(exlint::catalogue::VERSION, digest.as_str())),
        "the catalogue changed: raise `catalogue::VERSION` and add ({}, \"{digest}\") to VERSIONS",
        exlint::catalogue::VERSION + 1
    );
}
