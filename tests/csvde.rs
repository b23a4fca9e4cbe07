//! csvde exports end to end. `samples/contoso.csv` is the Contoso forest of
//! `samples/contoso-full.ldf` as `csvde -f contoso.csv -d "CN=Microsoft Exchange,..."` writes
//! it (a header of every attribute found, `DN` first; fields with commas quoted; multi-valued
//! attributes joined by `;`; binary values as `X'hex'`; CRLF line ends), derived here and
//! written again by `EXLINT_BLESS=1 cargo test --test csvde`. On it every rule gives the same
//! findings as on the same entries in LDIF, pointing at rows and columns of the CSV.

mod common;

use std::path::Path;

use common::{BLESS, check_generated, exlint};
use exlint::analysis::analyze;
use exlint::config::ConfigFile;
use exlint::finding::Finding;
use exlint::ldif::{self, Record, ValueForm};
use exlint::provenance::Invocation;
use exlint::settings::Settings;
use exlint::source::Source;
use predicates::prelude::*;

const FULL: &str = "samples/contoso-full.ldf";
const CSV: &str = "samples/contoso.csv";

/// The part of the full export that is Contoso's forest.
fn contoso(record: &Record<'_>) -> bool {
    record.dn.text.to_ascii_lowercase().replace(' ', "").ends_with(",dc=contoso,dc=com")
}

/// A field as csvde writes it: quoted when it holds a comma, a quote, a line end or blanks
/// at its ends, quotes doubled.
fn field(text: &str) -> String {
    let quoted = text.contains([',', '"', '\n', '\r']) || text.trim() != text;
    if quoted { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_owned() }
}

/// A value as csvde writes it: text as it is, binary (what ldifde wrote in base64 and is not
/// printable UTF-8) as `X'hex'`.
fn value(form: ValueForm, bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) if form != ValueForm::Base64 || !text.contains(|c: char| c.is_control()) => text.to_owned(),
        _ => format!("X'{}'", bytes.iter().map(|byte| format!("{byte:02x}")).collect::<String>()),
    }
}

fn derive() -> String {
    let text = std::fs::read(FULL).unwrap();
    let records: Vec<Record<'_>> = ldif::records(&text).map(Result::unwrap).filter(contoso).collect();
    let mut columns: Vec<String> = Vec::new();
    for record in &records {
        for attribute in record.attributes().unwrap() {
            if !columns.iter().any(|column| column.eq_ignore_ascii_case(attribute.description())) {
                columns.push(attribute.description().to_owned());
            }
        }
    }
    let mut out =
        std::iter::once("DN".to_owned()).chain(columns.iter().cloned()).collect::<Vec<_>>().join(",") + "\r\n";
    for record in &records {
        let attributes = record.attributes().unwrap();
        let mut row = vec![field(&record.dn.text)];
        for column in &columns {
            let values: Vec<String> = attributes
                .iter()
                .filter(|attribute| attribute.description().eq_ignore_ascii_case(column))
                .map(|attribute| value(attribute.value.form(), &attribute.value.bytes()))
                .collect();
            row.push(field(&values.join(";")));
        }
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

#[test]
fn the_csv_sample_is_derived_from_the_full_export() {
    let mut stale = Vec::new();
    check_generated(Path::new(CSV), &derive(), &mut stale);
    assert!(stale.is_empty(), "stale, run `{BLESS} --test csvde`: {stale:?}");
}

/// The full export's configuration, for Contoso's servers only.
fn settings() -> Settings {
    let file = ConfigFile::find(Some(Path::new("samples/contoso-full.toml"))).unwrap().unwrap();
    let mut settings = file.settings().unwrap();
    settings.options.gateways.retain(|gateway| gateway != "FBEX01");
    settings
}

/// What each finding says, whatever the format it was read from.
fn said(findings: &[Finding]) -> Vec<String> {
    let mut said: Vec<String> = findings
        .iter()
        .map(|finding| {
            format!("{} {} {:?} {}", finding.code, finding.dn.as_deref().unwrap_or(""), finding.server, finding.message)
        })
        .collect();
    said.sort();
    said
}

#[test]
fn the_csv_export_gives_the_findings_of_the_same_ldif() {
    let text = std::fs::read(FULL).unwrap();
    let mut ldif_part = Vec::new();
    for record in ldif::records(&text).map(Result::unwrap).filter(contoso) {
        ldif_part.extend_from_slice(&text[record.span.start..record.span.end()]);
        ldif_part.extend_from_slice(b"\r\n\r\n");
    }
    let invocation = Invocation::default();
    let ldif = [Source::from_bytes("contoso.ldf", ldif_part)];
    let csv = [Source::open(Path::new(CSV)).unwrap()];
    let from_ldif = analyze(&ldif, &settings(), &invocation).unwrap();
    let from_csv = analyze(&csv, &settings(), &invocation).unwrap();
    assert_eq!(from_csv.inputs[0].entries, from_ldif.inputs[0].entries);
    assert!(from_ldif.findings.len() > 20, "the part holds most rules' findings: {}", from_ldif.findings.len());
    assert_eq!(said(&from_csv.findings), said(&from_ldif.findings));
    assert_eq!(from_csv.not_evaluated, from_ldif.not_evaluated);
}

#[test]
fn findings_point_at_the_row_and_column_of_the_csv() {
    let csv = std::fs::read_to_string(CSV).unwrap();
    let output = exlint().args(["check", CSV, "--format", "json", "--gateway", "EXBH01"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["inputs"][0]["format"], "csvde");
    let finding = report["findings"].as_array().unwrap().iter().find(|finding| finding["code"] == "SMTP001").unwrap();
    let line = csv.lines().nth(finding["line"].as_u64().unwrap() as usize - 1).unwrap();
    let column = finding["column"].as_u64().unwrap() as usize - 1;
    let at: String = line.chars().skip(column).collect();
    // The virtual server's bindings, two values of one field: the finding points at the first.
    assert!(at.starts_with(":25:;:587:,"), "{at}");
    assert_eq!(finding["evidence"][0]["attribute"], "msExchServerBindings");
    assert_eq!(finding["evidence"][1]["value"], ":587:");
    exlint()
        .args(["check", CSV, "--gateway", "EXBH01"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!("[{CSV}:")));
}

#[test]
fn a_malformed_row_is_reported_and_the_other_rows_analysed() {
    let dir = common::tempdir();
    let csv = std::fs::read_to_string(CSV).unwrap();
    let mut lines: Vec<&str> = csv.split_inclusive("\r\n").collect();
    let broken = "\"CN=Broken,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com\",top,extra\r\n";
    lines.insert(2, broken);
    let path = dir.join("broken.csv");
    std::fs::write(&path, lines.concat()).unwrap();
    let output = exlint().arg("check").arg(&path).args(["--gateway", "EXBH01", "--format", "json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors = report["inputs"][0]["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["code"], "CSV002");
    assert_eq!(errors[0]["line"], 3);
    assert!(errors[0]["message"].as_str().unwrap().starts_with("the row has 3 fields, the header "));
    let codes: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"SMTP001") && codes.contains(&"ROUTE001"), "the other rows are analysed: {codes:?}");
}

#[test]
fn csvde_exports_are_read_in_utf16_gzipped_and_zipped() {
    let dir = common::tempdir();
    let csv = std::fs::read_to_string(CSV).unwrap();
    let located = |path: &Path| -> Vec<(String, u64, u64)> {
        let output = exlint().arg("check").arg(path).args(["--format", "json"]).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(report["inputs"][0]["format"], "csvde");
        let findings = report["findings"].as_array().unwrap().iter();
        findings
            .map(|f| {
                (f["code"].as_str().unwrap().to_owned(), f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap())
            })
            .collect()
    };
    let plain = located(Path::new(CSV));
    // csvde -u writes UTF-16LE with a byte-order mark.
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(csv.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let path = dir.join("contoso-u.csv");
    std::fs::write(&path, utf16).unwrap();
    assert_eq!(located(&path), plain);
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut encoder, csv.as_bytes()).unwrap();
    let path = dir.join("contoso.csv.gz");
    std::fs::write(&path, encoder.finish().unwrap()).unwrap();
    assert_eq!(located(&path), plain);
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    archive.start_file("export/contoso.csv", zip::write::SimpleFileOptions::default()).unwrap();
    std::io::Write::write_all(&mut archive, csv.as_bytes()).unwrap();
    let path = dir.join("contoso.zip");
    std::fs::write(&path, archive.finish().unwrap().into_inner()).unwrap();
    assert_eq!(located(&path), plain);
}

#[test]
fn a_csv_reordered_in_a_spreadsheet_is_read_by_its_dn_column() {
    let dir = common::tempdir();
    let path = dir.join("reordered.csv");
    let dn = "CN=EXBH01,CN=Servers,CN=First Administrative Group,CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com";
    std::fs::write(&path, format!("objectClass,cn,DN\r\ntop;server;msExchExchangeServer,EXBH01,\"{dn}\"\r\n")).unwrap();
    let output = exlint().arg("check").arg(&path).args(["--format", "json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["inputs"][0]["format"], "csvde");
    assert_eq!(report["inputs"][0]["entries"], 1);
    assert_eq!(report["inputs"][0]["errors"], serde_json::json!([]));
}
