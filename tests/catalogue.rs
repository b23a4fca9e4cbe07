//! Meta-tests over every code exlint reports: codes and names well-formed and unique, the
//! registry in code order, every code in a family, every reference page complete, samples and
//! snapshots present, the messages of every finding in house style, and everything derived from
//! the catalogue fresh: the pages in `docs/rules/`, the README's table of codes and the
//! catalogue's version.
//!
//! `EXLINT_BLESS=1 cargo test --test catalogue` rewrites what is derived; nothing of it is
//! edited by hand.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{BLESS, check_generated};
use exlint::catalogue::{FAMILIES, Family, catalogue};

const GENERATED: &str = "<!-- Generated from the source by `EXLINT_BLESS=1 cargo test --test catalogue`: edit the doc comment, not this file. -->\n\n";

#[test]
fn codes_and_names_are_well_formed_and_unique() {
    let codes = catalogue();
    let mut seen_codes = BTreeSet::new();
    let mut seen_names = BTreeSet::new();
    for code in codes {
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
            let path = common::sample_path(code.code, sample);
            assert!(Path::new(&path).is_file(), "{path} (or .ldif) is missing");
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
    for code in codes {
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
    assert!(stale.is_empty(), "stale, run `{BLESS} --test catalogue`: {stale:?}");
}

#[test]
fn the_registry_lists_the_rules_in_code_order_by_family() {
    let codes = catalogue();
    let mut last: Option<(usize, &str)> = None;
    for code in codes {
        let family = Family::of(code.code)
            .unwrap_or_else(|| panic!("{}: no family in `catalogue::FAMILIES` has its prefix", code.code));
        let position = FAMILIES.iter().position(|known| known == family).unwrap();
        if let Some((previous, previous_code)) = last {
            assert!(
                (previous, previous_code) < (position, code.code),
                "{} comes after {previous_code}: list the registry (src/rules/mod.rs) in code order, families as in `FAMILIES`",
                code.code
            );
        }
        last = Some((position, code.code));
    }
    for family in FAMILIES {
        assert!(codes.iter().any(|code| Family::of(code.code) == Some(family)), "family {} has no code", family.prefix);
    }
}

#[test]
fn every_rule_is_the_file_named_after_it() {
    for rule in exlint::rules::RULES {
        let path = format!("src/rules/{}.rs", rule.name.replace('-', "_"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{}: {path} is missing", rule.code));
        let name = rule.name.replace('-', "_").to_uppercase();
        assert!(text.contains(&format!("pub static {name} = Rule {{")), "{path} does not declare `{name}`");
        assert!(text.contains(&format!("code: \"{}\"", rule.code)), "{path} does not declare {}", rule.code);
    }
}

#[test]
fn every_code_has_its_snapshots() {
    let missing: Vec<String> = catalogue()
        .iter()
        .flat_map(|code| {
            ["human", "json"].map(|kind| format!("tests/snapshots/rules__{}_fires_{kind}.snap", code.code))
        })
        .filter(|path| !Path::new(path).is_file())
        .collect();
    assert!(
        missing.is_empty(),
        "missing, run `INSTA_UPDATE=always cargo test --test rules` and review what it wrote: {missing:?}"
    );
}

/// The README's section on codes, between its markers.
fn readme_codes() -> String {
    let rules = exlint::rules::RULES.len();
    let mut text = format!(
        "{rules} rules, one page each in [`docs/rules/`](docs/rules/README.md) (`exlint explain CODE`), with\n\
         ExBPA's severity (error, warning, non-default, info) and title, what is approximated offline and\n\
         which option changes it:\n\n| family | codes | what |\n|---|---|---|\n"
    );
    for family in FAMILIES {
        let codes: Vec<&str> =
            catalogue().iter().filter(|code| Family::of(code.code) == Some(family)).map(|code| code.code).collect();
        let range = match codes[..] {
            [one] => one.to_owned(),
            [first, second] => format!("{first}, {second}"),
            [first, .., last] => format!("{first}–{last}"),
            [] => String::new(),
        };
        text.push_str(&format!("| {} | {range} | {} |\n", family.prefix, family.about));
    }
    text
}

#[test]
fn the_readme_lists_the_codes() {
    const START: &str = "<!-- codes: generated by `EXLINT_BLESS=1 cargo test --test catalogue` -->\n";
    const END: &str = "<!-- /codes -->\n";
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme.find(START).expect("README.md has the codes' start marker") + START.len();
    let end = readme[start..].find(END).expect("README.md has the codes' end marker") + start;
    let expected = format!("{}{}{}", &readme[..start], readme_codes(), &readme[end..]);
    let mut stale = Vec::new();
    check_generated(Path::new("README.md"), &expected, &mut stale);
    assert!(stale.is_empty(), "the README's table of codes is stale, run `{BLESS} --test catalogue`");
}

#[test]
fn messages_follow_the_house_style() {
    for code in catalogue() {
        let path = common::sample_path(code.code, "fires");
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

/// The digest of the catalogue that a version stands for: every code's code, name, severity and
/// title, in catalogue order.
fn digest() -> String {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    for code in catalogue() {
        hasher.update(format!("{}\t{}\t{}\t{}\n", code.code, code.name, code.severity, code.title));
    }
    hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Reports name the catalogue by its version; a changed catalogue gets the next version, which
/// blessing appends to `src/catalogue-versions.tsv`.
#[test]
fn the_catalogue_version_names_this_catalogue() {
    let path = Path::new("src/catalogue-versions.tsv");
    let versions = std::fs::read_to_string(path).unwrap();
    let digest = digest();
    let last = versions.lines().last().and_then(|line| line.split_once('\t'));
    let expected = match last {
        Some((_, known)) if known == digest => versions.clone(),
        _ => format!("{versions}{}\t{digest}\n", exlint::catalogue::VERSION + 1),
    };
    let mut stale = Vec::new();
    check_generated(path, &expected, &mut stale);
    assert!(stale.is_empty(), "the catalogue changed, run `{BLESS} --test catalogue` to give it the next version");
    assert_eq!(last.map(|(version, _)| version.to_owned()), Some(exlint::catalogue::VERSION.to_string()));
}
