//! Inputs as customers send them, end to end: gzipped and zipped exports read as they are,
//! named for what they hold, their positions in the decompressed text; files that are not
//! exports refused by their content (exit 2) while the other inputs are still analysed.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::{exlint, tempdir};
use predicates::prelude::*;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        archive.start_file(*name, options).unwrap();
        archive.write_all(bytes).unwrap();
    }
    archive.finish().unwrap().into_inner()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn sample(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

fn json(command: &mut Command) -> serde_json::Value {
    serde_json::from_slice(&command.output().unwrap().stdout).unwrap()
}

/// `(code, line, column)` of each finding.
fn located(report: &serde_json::Value) -> Vec<(String, u64, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            let number = |key: &str| finding[key].as_u64().unwrap();
            (finding["code"].as_str().unwrap().to_owned(), number("line"), number("column"))
        })
        .collect()
}

#[test]
fn a_gzipped_export_is_read_as_it_is_whatever_its_name() {
    let dir = tempdir();
    let plain = json(exlint().args(["check", "samples/contoso.ldf", "--format", "json"]));
    for name in ["contoso.ldf.gz", "contoso.ldf", "export"] {
        let path = write(&dir, name, &gzip(&sample("samples/contoso.ldf")));
        let report = json(exlint().arg("check").arg(&path).args(["--format", "json"]));
        assert_eq!(located(&report), located(&plain), "{name}: positions are those of the decompressed text");
        assert_eq!(report["inputs"][0]["compression"], "gzip");
        assert_eq!(report["provenance"]["inputs"][0]["bytes"], std::fs::metadata(&path).unwrap().len());
    }
    let path = write(&dir, "contoso.ldf.gz", &gzip(&sample("samples/contoso.ldf")));
    exlint()
        .arg("check")
        .arg(&path)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!("[{}:468:1]", path.display())))
        .stdout(predicate::str::contains("gzip, sha256").and(predicate::str::contains("in the decompressed text")));
}

#[test]
fn a_gzipped_utf16_export_is_transcoded_too() {
    let dir = tempdir();
    let path = write(&dir, "contoso-utf16.ldf.gz", &gzip(&sample("samples/contoso-utf16.ldf")));
    let report = json(exlint().arg("check").arg(&path).args(["--format", "json"]));
    assert_eq!(report["inputs"][0]["encoding"], "utf-16le");
    let utf16 = json(exlint().args(["check", "samples/contoso-utf16.ldf", "--format", "json"]));
    assert_eq!(located(&report), located(&utf16));
}

#[test]
fn every_export_of_a_zip_archive_is_an_input_of_its_own() {
    let dir = tempdir();
    let archive = zip(&[
        ("exports/contoso.ldf", &sample("samples/contoso.ldf")),
        ("filtered.ldif", &sample("samples/contoso-filtered.ldif")),
    ]);
    let path = write(&dir, "mail from the customer.zip", &archive);
    let report = json(exlint().arg("check").arg(&path).args(["--format", "json"]));
    let names: Vec<&str> =
        report["inputs"].as_array().unwrap().iter().map(|input| input["path"].as_str().unwrap()).collect();
    let zip_name = path.display().to_string();
    assert_eq!(names, [format!("{zip_name}:exports/contoso.ldf"), format!("{zip_name}:filtered.ldif")]);
    assert!(report["inputs"].as_array().unwrap().iter().all(|input| input["compression"] == "zip"));
    let separate =
        json(exlint().args(["check", "samples/contoso.ldf", "samples/contoso-filtered.ldif", "--format", "json"]));
    assert_eq!(located(&report), located(&separate));
    exlint()
        .arg("check")
        .arg(&path)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!("[{zip_name}:exports/contoso.ldf:468:1]")));
}

#[test]
fn a_zip_bomb_stops_at_the_limit_and_says_which() {
    let dir = tempdir();
    let bomb = write(&dir, "bomb.zip", &zip(&[("big.ldf", &vec![b'\n'; 20 << 20])]));
    assert!(std::fs::metadata(&bomb).unwrap().len() < 1 << 20);
    exlint()
        .arg("check")
        .arg(&bomb)
        .args(["--max-decompressed-size", "1M"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("decompresses to more than 1 MiB (--max-decompressed-size)"));
    let gz = write(&dir, "bomb.gz", &gzip(&vec![b'\n'; 20 << 20]));
    exlint()
        .arg("check")
        .arg(&gz)
        .args(["--max-decompressed-size", "64K"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`").and(predicate::str::contains("more than 64 KiB")));
    exlint().args(["check", "samples/contoso.ldf", "--max-decompressed-size", "lots"]).assert().code(2);
}

#[test]
fn what_is_not_an_export_is_named_and_refused() {
    let dir = tempdir();
    let docx = zip(&[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")]);
    let cases: [(&str, Vec<u8>, &str); 10] = [
        ("report.pdf", b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec(), "is a PDF document, not an LDIF or CSV export"),
        ("diagram.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(), "is a PNG image"),
        ("photo.jpg", b"\xFF\xD8\xFF\xE0\0\x10JFIF".to_vec(), "is a JPEG image"),
        ("anim.gif", b"GIF89a\x01\0\x01\0".to_vec(), "is a GIF image"),
        ("export.docx", docx, "is a Word document, not an LDIF or CSV export"),
        ("page.ldf", b"<!DOCTYPE html>\n<html><body>Sign in</body></html>\n".to_vec(), "is an HTML page"),
        ("export.json", b"[{\"dn\": \"CN=a\"}]\n".to_vec(), "is a JSON document"),
        ("random.ldf", (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect(), "is binary data"),
        ("empty.ldf", Vec::new(), "is an empty export"),
        ("blank.ldf", b"\r\n\r\n".to_vec(), "is an empty export"),
    ];
    for (name, bytes, message) in cases {
        let path = write(&dir, name, &bytes);
        exlint()
            .arg("check")
            .arg(&path)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(format!("`{}` {message}", path.display())));
    }
    let gzipped_pdf = write(&dir, "report.pdf.gz", &gzip(b"%PDF-1.4\n"));
    exlint().arg("check").arg(&gzipped_pdf).assert().code(2).stderr(predicate::str::contains("is a PDF document"));
    exlint()
        .arg("check")
        .arg("-")
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`<stdin>` is an empty export"));
}

#[test]
fn one_bad_input_among_several_is_reported_and_the_others_analysed() {
    let dir = tempdir();
    let pdf = write(&dir, "x.pdf", b"%PDF-1.7\n");
    let archive = write(
        &dir,
        "mixed.zip",
        &zip(&[("contoso.ldf", &sample("samples/contoso.ldf")), ("logo.png", b"\x89PNG\r\n\x1a\n")]),
    );
    let output = exlint().arg("check").arg(&pdf).arg(&archive).args(["--format", "json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains(&format!("`{}` is a PDF document", pdf.display())), "{stderr}");
    assert!(stderr.contains(&format!("`{}:logo.png` is a PNG image", archive.display())), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["inputs"].as_array().unwrap().len(), 1, "the good input is analysed");
    assert!(report["findings"].as_array().unwrap().iter().any(|finding| finding["code"] == "SMTP001"));
}

#[test]
fn compressed_standard_input_is_read_too() {
    exlint()
        .args(["check", "-"])
        .write_stdin(gzip(&sample("samples/contoso.ldf")))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("[<stdin>:468:1]"));
}

#[test]
fn an_export_gzipped_inside_a_zip_archive_is_read_and_deeper_nesting_refused() {
    let dir = tempdir();
    let gzipped = gzip(&sample("samples/contoso.ldf"));
    let path = write(&dir, "nested.zip", &zip(&[("contoso.ldf.gz", &gzipped)]));
    exlint()
        .arg("check")
        .arg(&path)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!("[{}:contoso.ldf.gz:468:1]", path.display())));
    let deep =
        write(&dir, "deep.zip", &zip(&[("inner.gz", &gzip(&zip(&[("contoso.ldf", &sample("samples/contoso.ldf"))])))]));
    exlint().arg("check").arg(&deep).assert().code(2).stderr(predicate::str::contains(format!(
        "`{}:inner.gz` is a zip archive nested in archives too deep",
        deep.display()
    )));
}

#[test]
fn the_limit_counts_every_file_of_an_archive() {
    let dir = tempdir();
    let member = gzip(&vec![b'\n'; 600 << 10]);
    let members: Vec<(String, Vec<u8>)> = (0..4).map(|index| (format!("part{index}.ldf.gz"), member.clone())).collect();
    let borrowed: Vec<(&str, &[u8])> = members.iter().map(|(name, bytes)| (name.as_str(), bytes.as_slice())).collect();
    let path = write(&dir, "parts.zip", &zip(&borrowed));
    exlint()
        .arg("check")
        .arg(&path)
        .args(["--max-decompressed-size", "2M"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("decompresses to more than 2 MiB"));
}

#[test]
fn tar_archives_are_named_and_archive_names_escaped() {
    let dir = tempdir();
    let mut tar = vec![0; 1024];
    tar[..11].copy_from_slice(b"contoso.ldf");
    tar[257..263].copy_from_slice(b"ustar\0");
    let path = write(&dir, "export.tar.gz", &gzip(&tar));
    exlint()
        .arg("check")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a tar archive (extract it first)"));
    let path = write(&dir, "names.zip", &zip(&[("evil\u{1b}[31m.ldf", &sample("samples/contoso.ldf"))]));
    let output = exlint().arg("check").arg(&path).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.contains('\u{1b}'), "no escape sequence from an archive reaches the terminal");
    assert!(stdout.contains("evil\\u{1b}[31m.ldf"), "{stdout}");
}

#[test]
fn every_table_of_inputs_says_positions_are_decompressed() {
    let dir = tempdir();
    let path = write(&dir, "contoso.ldf.gz", &gzip(&sample("samples/contoso.ldf")));
    let note = format!("Lines and columns of `{}` are those of the decompressed text.", path.display());
    exlint()
        .arg("check")
        .arg(&path)
        .args(["--format", "markdown"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(note));
    let note = format!("Lines and columns of <code>{}</code> are those of the decompressed text.", path.display());
    exlint().arg("check").arg(&path).args(["--format", "html"]).assert().code(1).stdout(predicate::str::contains(note));
    let sarif = json(exlint().arg("check").arg(&path).args(["--format", "sarif"]));
    assert_eq!(sarif["runs"][0]["artifacts"][0]["properties"]["compression"], "gzip");
}
