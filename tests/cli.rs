#![allow(clippy::print_stderr)] // a skipped half of a test says so
//! The command line as a user runs it: exit codes, formats, output files, standard input,
//! errors with `file:line:column`, determinism.

use std::time::Duration;

mod common;

use assert_cmd::Command;
use common::{exlint, tempdir};
use predicates::prelude::*;
use sha2::Digest;

fn stdout_of(command: &mut Command) -> String {
    String::from_utf8(command.output().unwrap().stdout).unwrap()
}

#[test]
fn the_readme_commands_work() {
    // Exit code 1: the sample has warnings by design (a smart host on EXEU01's virtual server,
    // no connector back from Europe), and warnings fail by default.
    exlint()
        .args(["check", "samples/contoso.ldf"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("SMTP001 (non-default)"))
        .stdout(predicate::str::contains("[samples/contoso.ldf:468:1]"))
        .stdout(predicate::str::contains("not evaluated: SMTP002"));
    let json = stdout_of(exlint().args(["check", "samples/contoso.ldf", "--gateway", "EXBH01", "--format", "json"]));
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["schema_version"], 1);
    let codes: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(codes.iter().filter(|&&code| code == "SMTP001").count(), 2, "{codes:?}");
    let not_evaluated = report["not_evaluated"].as_array().unwrap();
    assert!(not_evaluated.iter().all(|rule| rule["code"] != "SMTP002"), "SMTP002 is evaluated with a gateway");
}

#[test]
fn exit_codes_follow_fail_on() {
    // The foundation's rules only, so that the catalogue's growth does not move these numbers.
    let check = |args: &[&str]| {
        let output = exlint().args(["check", "samples/contoso.ldf", "--select", "SMTP001,SMTP002"]).args(args).output();
        output.unwrap().status.code()
    };
    assert_eq!(check(&[]), Some(0), "non-default findings are below the default threshold");
    assert_eq!(check(&["--gateway", "exmb01"]), Some(1), "a warning meets the default threshold");
    assert_eq!(check(&["--fail-on", "non-default"]), Some(1));
    assert_eq!(check(&["--fail-on", "info"]), Some(1));
    assert_eq!(check(&["--gateway", "EXMB01", "--fail-on", "error"]), Some(0));
    assert_eq!(check(&["--gateway", "EXMB01", "--fail-on", "never"]), Some(0));
}

#[test]
fn usage_errors_exit_2() {
    exlint()
        .args(["check", "samples/contoso.ldf", "--gateway", "EXBH99"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("no server named `EXBH99`"))
        .stderr(predicate::str::contains("servers found: EXBH01, EXEU01, EXMB01"));
    exlint().args(["check"]).assert().code(2);
    exlint().args(["check", "samples/contoso.ldf", "--format", "xml"]).assert().code(2);
    exlint().args(["explain", "SMTP999"]).assert().code(2).stderr(predicate::str::contains("exlint rules"));
}

#[test]
fn unreadable_inputs_exit_2() {
    exlint()
        .args(["check", "samples/absent.ldf"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read `samples/absent.ldf`"));
    exlint().args(["check", "samples"]).assert().code(2).stderr(predicate::str::contains("is a directory"));
}

#[test]
fn malformed_records_are_errors_and_the_rest_is_analysed() {
    let dir = tempdir();
    let path = dir.join("broken.ldif");
    let good = std::fs::read_to_string("samples/SMTP001/fires.ldif").unwrap();
    std::fs::write(&path, format!("dn: CN=x,O=y\ndescription:: not base64!\n\n{good}")).unwrap();
    let output = exlint().arg("check").arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains(&format!("[{}:2:18]", path.display())), "{stdout}");
    assert!(stdout.contains("LDIF003 (error)"), "{stdout}");
    assert!(stdout.contains("SMTP001 (non-default)"), "the good records are still analysed:\n{stdout}");
    let json = stdout_of(exlint().arg("check").arg(&path).args(["--format", "json"]));
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["inputs"][0]["errors"][0]["line"], 2);
    assert_eq!(report["inputs"][0]["errors"][0]["column"], 18);
    // The record with the bad value is kept, without that value.
    assert_eq!(report["inputs"][0]["entries"], 2);
}

#[test]
fn standard_input_and_output_files() {
    // The foundation's rules only, so that the catalogue's growth does not move these numbers.
    let sample = std::fs::read("samples/contoso.ldf").unwrap();
    exlint()
        .args(["check", "-", "--format", "json", "--select", "SMTP001,SMTP002"])
        .write_stdin(sample)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("\"path\": \"<stdin>\""));
    let dir = tempdir();
    let report = dir.join("report.json");
    exlint()
        .args(["check", "samples/contoso-utf16.ldf", "--format", "json", "--select", "SMTP001,SMTP002", "--output"])
        .arg(&report)
        .assert()
        .code(0)
        .stdout("");
    let written: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(written["inputs"][0]["encoding"], "utf-16le");
    assert_eq!(written["findings"].as_array().unwrap().len(), 2);
}

#[test]
fn output_files_are_written_whole_or_not_at_all() {
    let dir = tempdir();
    let names = || {
        let mut names: Vec<String> =
            std::fs::read_dir(&*dir).unwrap().map(|entry| entry.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        names
    };
    // A complete report replaces the old one, however much longer the old one was.
    let report = dir.join("report.md");
    std::fs::write(&report, "old report\n".repeat(10_000)).unwrap();
    for option in ["--output", "--write-baseline"] {
        let target = if option == "--output" { report.clone() } else { dir.join("baseline.json") };
        exlint().args(["check", "samples/contoso.ldf", "--format", "markdown", option]).arg(&target).assert().code(1);
        assert!(!std::fs::read_to_string(&target).unwrap().contains("old report"));
    }
    assert!(std::fs::read_to_string(&report).unwrap().starts_with("# exlint report"));
    // A target that cannot be replaced stays as it was, and nothing is left beside it.
    let folder = dir.join("a folder");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("inside"), "kept").unwrap();
    for option in ["--output", "--write-baseline"] {
        exlint()
            .args(["check", "samples/contoso.ldf", option])
            .arg(&folder)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("cannot write"));
        assert_eq!(std::fs::read_to_string(folder.join("inside")).unwrap(), "kept");
    }
    exlint().args(["check", "samples/contoso.ldf", "--output"]).arg(dir.join("missing/report.txt")).assert().code(2);
    assert_eq!(names(), ["a folder", "baseline.json", "report.md"]);
}

#[test]
fn reports_are_deterministic_and_plain_when_piped() {
    let run = |threads: &str, format: &str| {
        stdout_of(exlint().env("RAYON_NUM_THREADS", threads).args([
            "check",
            "samples/contoso.ldf",
            "samples/contoso-filtered.ldif",
            "--gateway",
            "EXMB01",
            "--format",
            format,
        ]))
    };
    for format in ["human", "json"] {
        let first = run("1", format);
        assert_eq!(first, run("1", format));
        assert_eq!(first, run("2", format));
        assert_eq!(first, run("8", format));
        assert!(!first.contains('\u{1b}'), "no colour codes in a pipe");
    }
}

#[test]
fn url_values_are_never_opened() {
    // Reading a FIFO with no writer blocks forever: if exlint opened the URL, this would time out.
    let dir = tempdir();
    let fifo = dir.join("fifo");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let ldif = dir.join("url.ldif");
    std::fs::write(&ldif, format!("dn: CN=a,O=x\njpegPhoto:< file://{}\n", fifo.display())).unwrap();
    exlint().arg("check").arg(&ldif).timeout(Duration::from_secs(10)).assert().code(0);
}

#[test]
fn rules_and_explain() {
    exlint()
        .arg("rules")
        .assert()
        .code(0)
        // Columns are as wide as the longest code and name of the catalogue.
        .stdout(predicate::str::is_match("SMTP001 +multiple-port-bindings").unwrap())
        .stdout(predicate::str::contains("LDIF003"));
    let listed: serde_json::Value =
        serde_json::from_str(&stdout_of(exlint().args(["rules", "--format", "json"]))).unwrap();
    assert_eq!(listed[1]["code"], "SMTP002");
    assert_eq!(listed[1]["severity"], "warning");
    exlint()
        .args(["explain", "no-outbound-connector"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("# SMTP002 `no-outbound-connector`"))
        .stdout(predicate::str::contains("## How to fix"));
}

#[test]
fn help_documents_the_exit_codes() {
    exlint()
        .args(["check", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Exit status: 0 when no finding is at or above --fail-on"))
        .stdout(predicate::str::contains("--gateway <NAME>"));
    exlint().arg("--version").assert().code(0).stdout(predicate::str::starts_with("exlint "));
}

/// An export over the 50 MB above which a progress bar may show.
fn big_export(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("big.ldif");
    let mut text = String::with_capacity(56_000_000);
    let mut index = 0;
    while text.len() < 55_000_000 {
        text.push_str(&format!(
            "dn: CN=user {index},OU=People,DC=contoso,DC=com\ncn: user {index}\ndescription: {}\n\n",
            "x".repeat(60)
        ));
        index += 1;
    }
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn progress_shows_on_a_terminal_only() {
    let dir = tempdir();
    let big = big_export(&dir);
    // A pipe never gets a progress bar, whatever the format.
    for format in ["human", "json"] {
        exlint().arg("check").arg(&big).args(["--format", format]).assert().code(0).stderr("");
    }
    if std::process::Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped the terminal half: `script` (util-linux) is not installed");
        return;
    }
    let on_terminal = |extra: &str| {
        let log = dir.join("terminal.log");
        let exe = env!("CARGO_BIN_EXE_exlint");
        let command = format!("{exe} check {} --format json {extra} > /dev/null", big.display());
        let status = std::process::Command::new("script").args(["-q", "-c", &command]).arg(&log).status().unwrap();
        assert!(status.success());
        std::fs::read_to_string(&log).unwrap()
    };
    assert!(on_terminal("").contains("reading"), "a terminal shows the bar");
    assert!(!on_terminal("--quiet").contains("reading"), "--quiet hides it");
    // A gzipped export shows the bar while it is decompressed, then while it is read.
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut encoder, &std::fs::read(&big).unwrap()).unwrap();
    std::fs::write(&big, encoder.finish().unwrap()).unwrap();
    let shown = on_terminal("");
    assert!(shown.contains("opening") && shown.contains("reading"), "{shown}");
}

#[test]
fn configuration_is_found_upward_and_the_command_line_wins() {
    let dir = tempdir();
    let nested = dir.join("a/b");
    std::fs::create_dir_all(&nested).unwrap();
    let config =
        "gateways = [\"EXMB01\"]\nselect = [\"SMTP001\", \"SMTP002\"]\n\n[rules.SMTP001]\nseverity = \"error\"\n";
    std::fs::write(dir.join("exlint.toml"), config).unwrap();
    let sample = std::fs::canonicalize("samples/contoso.ldf").unwrap();
    let report = |args: &[&str]| -> serde_json::Value {
        let output = exlint()
            .current_dir(&nested)
            .arg("check")
            .arg(&sample)
            .args(["--format", "json"])
            .args(args)
            .output()
            .unwrap();
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let found = report(&[]);
    assert_eq!(found["summary"], serde_json::json!({"error": 2, "warning": 1, "non-default": 0, "info": 0}));
    let overridden = report(&["--gateway", "EXBH01"]);
    assert_eq!(overridden["summary"]["warning"], 0, "--gateway replaces the file's gateways");
    let selected = report(&["--select", "smtp002"]);
    assert_eq!(selected["findings"].as_array().unwrap().len(), 1, "--select replaces the file's selection");
    let ignored = report(&["--ignore", "SMTP"]);
    assert_eq!(ignored["findings"], serde_json::json!([]));
    assert_eq!(ignored["not_evaluated"], serde_json::json!([]));
}

#[test]
fn configuration_errors_point_into_the_file() {
    let dir = tempdir();
    let config = dir.join("exlint.toml");
    std::fs::write(&config, "gateways = [\"EXBH01\"]\nsmal-business-server = true\n").unwrap();
    exlint()
        .args(["check", "samples/contoso.ldf", "--config"])
        .arg(&config)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown field `smal-business-server`"))
        .stderr(predicate::str::contains(format!("{}:2:1", config.display())));
    std::fs::write(&config, "[rules.SMTP099]\nenabled = false\n").unwrap();
    exlint()
        .args(["check", "samples/contoso.ldf", "--config"])
        .arg(&config)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`[rules.SMTP099]` names no code"));
    exlint()
        .args(["check", "samples/contoso.ldf", "--select", "SMTP9"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no code starts with `SMTP9`"));
}

#[test]
fn rule_samples_run_with_their_configuration() {
    exlint()
        .args(["check", "samples/SMTP002/fires.ldif", "--config", "samples/SMTP002/exlint.toml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("SMTP002 (warning)"));
}

fn json_of(command: &mut Command) -> serde_json::Value {
    serde_json::from_str(&stdout_of(command)).unwrap()
}

#[test]
fn reports_say_where_they_come_from() {
    let report = json_of(exlint().args(["check", "samples/contoso.ldf", "--format", "json"]));
    let provenance = &report["provenance"];
    assert_eq!(provenance["generated"], "2023-11-14T22:13:20Z");
    assert_eq!(
        provenance["command_line"],
        serde_json::json!(["exlint", "check", "samples/contoso.ldf", "--format", "json"])
    );
    let sha256 = provenance["inputs"][0]["sha256"].as_str().unwrap();
    let expected: String = sha2::Sha256::digest(std::fs::read("samples/contoso.ldf").unwrap())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    assert_eq!(sha256, expected);
    let utf16 = json_of(exlint().args(["check", "samples/contoso-utf16.ldf", "--format", "json"]));
    let expected: String = sha2::Sha256::digest(std::fs::read("samples/contoso-utf16.ldf").unwrap())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    assert_eq!(utf16["provenance"]["inputs"][0]["sha256"], expected.as_str(), "the file as read, not as transcoded");
    let human = stdout_of(exlint().args(["check", "samples/contoso.ldf"]));
    assert!(human.contains(&format!("samples/contoso.ldf: 34136 bytes, utf-8, sha256 {sha256}")), "{human}");
    assert!(human.contains("2023-11-14T22:13:20Z: exlint check samples/contoso.ldf"), "{human}");
    // Without SOURCE_DATE_EPOCH the report says when it was made.
    let now =
        json_of(exlint().env_remove("SOURCE_DATE_EPOCH").args(["check", "samples/contoso.ldf", "--format", "json"]));
    assert!(now["provenance"]["generated"].as_str().unwrap() > "2026-01-01", "{}", now["provenance"]);
    exlint()
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .args(["check", "samples/contoso.ldf"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("SOURCE_DATE_EPOCH must be a number"));
}

#[test]
fn suppressed_findings_are_listed_apart_and_stale_suppressions_reported() {
    let dir = tempdir();
    let all = json_of(exlint().args([
        "check",
        "samples/contoso.ldf",
        "--gateway",
        "EXMB01",
        "--select",
        "SMTP001,SMTP002",
        "--format",
        "json",
    ]));
    let findings = all["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 3);
    let smtp002 = findings.iter().find(|finding| finding["code"] == "SMTP002").unwrap();
    let config = format!(
        r#"gateways = ["EXMB01"]
select = ["SMTP001", "SMTP002"]

[[suppress]]
code = "SMTP001"
dn = "cn=2, cn=smtp, cn=protocols, cn=exbh01, cn=servers, cn=first administrative group, cn=administrative groups, cn=contoso, cn=microsoft exchange, cn=services, cn=configuration, dc=contoso, dc=com"
reason = "the partner relay listens on 2525 by contract"
expires = 2099-12-31

[[suppress]]
code = "SMTP002"
fingerprint = "{}"
reason = "EXMB01 sends through the smart host"

[[suppress]]
code = "SMTP001"
dn = "CN=1,CN=SMTP,CN=Protocols,CN=EXMB01,CN=Servers,CN=First Administrative Group,CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com"
reason = "nothing to suppress here"

[[suppress]]
code = "SMTP001"
dn = "CN=1,CN=SMTP,CN=Protocols,CN=EXEU01,CN=Servers,CN=Europe Administrative Group,CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com"
reason = "accepted until the migration"
expires = 2023-01-31
"#,
        smtp002["fingerprint"].as_str().unwrap()
    );
    std::fs::write(dir.join("exlint.toml"), config).unwrap();
    let sample = std::fs::canonicalize("samples/contoso.ldf").unwrap();
    let run = |format: &str| {
        exlint().current_dir(&*dir).arg("check").arg(&sample).args(["--format", format]).output().unwrap()
    };
    let output = run("json");
    assert_eq!(
        output.status.code(),
        Some(0),
        "suppressed findings do not fail the run; the non-default one is below --fail-on"
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let reported: Vec<&str> =
        report["findings"].as_array().unwrap().iter().map(|f| f["server"].as_str().unwrap()).collect();
    assert_eq!(reported, ["EXEU01"], "the expired suppression no longer applies");
    let suppressed = report["suppressed"].as_array().unwrap();
    assert_eq!(suppressed.len(), 2);
    assert_eq!(suppressed[0]["code"], "SMTP001");
    assert_eq!(suppressed[0]["suppression"]["reason"], "the partner relay listens on 2525 by contract");
    assert_eq!(suppressed[0]["suppression"]["expires"], "2099-12-31");
    assert_eq!(suppressed[1]["code"], "SMTP002");
    assert_eq!(suppressed[1]["fingerprint"], smtp002["fingerprint"]);
    let unused: Vec<(&str, &str)> = report["unused_suppressions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|unused| (unused["origin"].as_str().unwrap(), unused["why"].as_str().unwrap()))
        .collect();
    let config = dir.join("exlint.toml").display().to_string();
    assert_eq!(unused, [(format!("{config}:15").as_str(), "no-match"), (format!("{config}:20").as_str(), "expired")]);
    let human = String::from_utf8(run("human").stdout).unwrap();
    assert!(human.contains("suppressed: SMTP001 at "), "{human}");
    assert!(human.contains(&format!("({config}:4: the partner relay listens on 2525 by contract)")), "{human}");
    assert!(
        human.contains(&format!("unused suppression at {config}:15: SMTP001 on `CN=1,CN=SMTP,CN=Protocols,CN=EXMB01")),
        "{human}"
    );
    assert!(human.contains(&format!("expired suppression at {config}:20")), "{human}");
}

#[test]
fn suppressions_must_say_what_and_why() {
    let dir = tempdir();
    let config = dir.join("exlint.toml");
    for (text, message) in [
        ("[[suppress]]\ncode = \"SMTP001\"\ndn = \"CN=x\"\n", "missing field `reason`"),
        (
            "[[suppress]]\ncode = \"SMTP001\"\nreason = \"ok\"\n",
            "a suppression names the object (`dn`) or the finding (`fingerprint`)",
        ),
        ("[[suppress]]\ncode = \"SMTP999\"\ndn = \"CN=x\"\nreason = \"ok\"\n", "`SMTP999` is not a code"),
        ("[[suppress]]\ncode = \"SMTP001\"\ndn = \"CN=x\"\nreason = \" \"\n", "a suppression says why"),
        ("[[suppress]]\ncode = \"SMTP001\"\ndn = \"CN=x\"\nreason = \"ok\"\nexpires = \"soon\"\n", "expected a day"),
        ("[[suppress]]\ncode = \"SMTP001\"\ndn = \"CN=x\"\nreason = \"ok\"\nowner = \"me\"\n", "unknown field `owner`"),
    ] {
        std::fs::write(&config, text).unwrap();
        exlint()
            .args(["check", "samples/contoso.ldf", "--config"])
            .arg(&config)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message))
            .stderr(predicate::str::contains(format!("{}:", config.display())));
    }
}

#[test]
fn a_baseline_shows_only_new_findings() {
    let dir = tempdir();
    let baseline = dir.join("baseline.json");
    let check = |sample: &str, args: &[&str]| {
        exlint()
            .args(["check", sample, "--gateway", "EXMB01", "--select", "SMTP001,SMTP002", "--format", "json"])
            .args(args)
            .output()
            .unwrap()
    };
    let first = check("samples/contoso.ldf", &["--write-baseline", baseline.to_str().unwrap()]);
    let first: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(first["findings"].as_array().unwrap().len(), 3, "writing a baseline still reports");
    let written: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert_eq!(written["exlint_baseline"], 1);
    assert_eq!(written["findings"].as_array().unwrap().len(), 3);
    // The same directory exported again in UTF-16: nothing new.
    let again = check("samples/contoso-utf16.ldf", &["--baseline", baseline.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(0));
    let again: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(again["findings"], serde_json::json!([]));
    assert_eq!(again["baseline"], serde_json::json!({"known": 3, "fixed": 0}));
    // An export in which one problem is fixed and another appears.
    let text = std::fs::read_to_string("samples/contoso.ldf")
        .unwrap()
        .replace("msExchServerBindings:: OjU4Nzo=\r\n", "")
        .replacen(
            "msExchServerBindings:: OjI1Og==\r\n",
            "msExchServerBindings:: OjI1Og==\r\nmsExchServerBindings: 10.0.0.1:26:\r\n",
            1,
        );
    let changed = dir.join("changed.ldf");
    std::fs::write(&changed, text).unwrap();
    let output = check(changed.to_str().unwrap(), &["--baseline", baseline.to_str().unwrap()]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let new: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["server"].as_str().unwrap()).collect();
    assert_eq!(new, ["EXBH01"], "EXEU01's second binding is gone, EXBH01's first virtual server has one");
    assert_eq!(report["baseline"]["fixed"], 1, "{}", report["baseline"]);
    std::fs::write(&baseline, "{\"exlint_baseline\": 7, \"findings\": []}").unwrap();
    exlint()
        .args(["check", "samples/contoso.ldf", "--baseline"])
        .arg(&baseline)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a baseline"));
}

#[test]
fn statistics_go_to_standard_error() {
    let output = exlint().args(["check", "samples/contoso.ldf", "--format", "json", "--statistics"]).output().unwrap();
    let _: serde_json::Value = serde_json::from_slice(&output.stdout).expect("standard output is still JSON");
    let statistics = String::from_utf8(output.stderr).unwrap();
    assert!(statistics.contains("read: 1 file, 34136 bytes, 32 entries"), "{statistics}");
    assert!(statistics.contains("SMTP001  non-default        2          0"), "{statistics}");
    assert!(statistics.contains("protocolCfgSMTPServer"), "{statistics}");
    assert!(statistics.contains("MB/s"), "{statistics}");
}

#[test]
fn big_inputs_are_hashed_once() {
    let dir = tempdir();
    let export = big_export(&dir);
    let cache = dir.join("cache");
    let digest = |cache: &std::path::Path| {
        let report =
            json_of(exlint().env("EXLINT_CACHE_DIR", cache).arg("check").arg(&export).args(["--format", "json"]));
        report["provenance"]["inputs"][0]["sha256"].as_str().unwrap().to_owned()
    };
    let first = digest(&cache);
    let kept = std::fs::read_to_string(cache.join("sha256")).unwrap();
    assert!(kept.ends_with(&format!(" {first}\n")), "{kept}");
    assert_eq!(digest(&cache), first);
    assert_eq!(std::fs::read_to_string(cache.join("sha256")).unwrap(), kept, "nothing new to keep");
    let expected: String =
        sha2::Sha256::digest(std::fs::read(&export).unwrap()).iter().map(|byte| format!("{byte:02x}")).collect();
    assert_eq!(first, expected);
    // Small inputs are not kept: hashing them costs less than the cache.
    exlint().env("EXLINT_CACHE_DIR", dir.join("small")).args(["check", "samples/contoso.ldf"]).assert().code(1);
    assert!(!dir.join("small").exists());
}

/// The fenced block after `marker` in a document.
fn block_after(document: &str, marker: &str) -> String {
    let text = std::fs::read_to_string(document).unwrap();
    let after = &text[text.find(marker).unwrap_or_else(|| panic!("{document}: no {marker}"))..];
    let start = after.find("```").unwrap();
    let body = &after[start..];
    let body = &body[body.find('\n').unwrap() + 1..];
    body[..body.find("```").unwrap()].to_owned()
}

#[test]
fn the_documented_configurations_are_valid() {
    let dir = tempdir();
    for (document, marker) in [("docs/config.md", "## The whole file"), ("README.md", "### Configuration")] {
        let config = dir.join("exlint.toml");
        std::fs::write(&config, block_after(document, marker)).unwrap();
        let output = exlint().args(["check", "samples/contoso.ldf", "--config"]).arg(&config).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(matches!(output.status.code(), Some(0 | 1)), "{document}: {stderr}");
    }
}

/// End of support is judged against a fixed day, not the clock: the reviewed day by default,
/// or the day `--as-of` (or `as-of` in `exlint.toml`) names.
#[test]
fn end_of_support_is_judged_as_of_a_day() {
    let exchange_2019 = "samples/VER003/fires-2019.ldif";
    let check = |extra: &[&str]| {
        let mut command = exlint();
        command.args(["check", exchange_2019, "--select", "VER003", "--format", "json"]).args(extra);
        let report: serde_json::Value = serde_json::from_str(&stdout_of(&mut command)).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["message"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let reviewed = check(&[]);
    assert_eq!(reviewed.len(), 1);
    assert!(
        reviewed[0].contains("whose support ended on 2025-10-14") && reviewed[0].contains("(judged as of 2026-12-04)")
    );
    assert_eq!(check(&["--as-of", "2025-06-30"]), Vec::<String>::new(), "supported until 2025-10-14");
    let during_updates = check(&["--as-of", "2026-01-15"]);
    assert!(during_updates[0].contains("paid Extended Security Updates run until 2026-04-14"), "{during_updates:?}");
    exlint()
        .args(["check", exchange_2019, "--as-of", "2026-02-30"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`2026-02-30` is not a date written YYYY-MM-DD"));
    let config = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("as-of.toml");
    std::fs::write(&config, "as-of = \"2025-13-01\"\n").unwrap();
    exlint()
        .args(["check", exchange_2019, "--config"])
        .arg(&config)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`2025-13-01` is not a date written YYYY-MM-DD"));
    std::fs::write(&config, "as-of = \"2025-06-30\"\n").unwrap();
    let mut command = exlint();
    command.args(["check", exchange_2019, "--select", "VER003", "--config"]).arg(&config);
    command.assert().code(0);
}
