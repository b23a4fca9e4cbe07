//! The HTML report: snapshots of the page on the Contoso samples (its style, script and
//! embedded JSON elided: the JSON is checked against `report::json` apart), escaping of what
//! comes from the export, and the page as headless Chromium shows it: the count it shows is the
//! JSON's, the filter in the fragment filters, and the page makes no request (the browser's
//! network log holds none from the page, and the Content-Security-Policy blocks what a page
//! might try).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use exlint::analysis::analyze;
use exlint::finding::Finding;
use exlint::provenance::Invocation;
use exlint::report::{html, json};
use exlint::settings::Settings;
use exlint::source::Source;
use exlint::suppression::{Baseline, BaselineEntry, Suppression};

const LDIFDE: &str = "samples/contoso.ldf";
const UTF16: &str = "samples/contoso-utf16.ldf";
const FILTERED: &str = "samples/contoso-filtered.ldif";

/// The foundation's codes, so that snapshots do not change as the catalogue grows.
fn settings(gateway: &str) -> Settings {
    let mut settings = Settings::default();
    settings.options.gateways = vec![gateway.to_owned()];
    settings.selection.select = ["SMTP001", "SMTP002", "LDIF", "DIR"].map(String::from).to_vec();
    settings
}

/// The command line that checks `paths` with `settings`' gateways, at a fixed time, so that
/// snapshots do not change from run to run.
fn invocation(paths: &[&str], settings: &Settings) -> Invocation {
    let gateways = settings.options.gateways.iter().flat_map(|gateway| ["--gateway", gateway.as_str()]);
    let arguments =
        ["exlint", "check"].into_iter().chain(paths.iter().copied()).chain(gateways).chain(["--format", "html"]);
    Invocation {
        arguments: arguments.map(String::from).collect(),
        time: SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        digest_cache: None,
    }
}

struct Rendered {
    html: String,
    json: String,
    findings: Vec<Finding>,
}

fn render(paths: &[&str], settings: &Settings) -> Rendered {
    let sources: Vec<Source> = paths.iter().map(|path| Source::open(Path::new(path)).expect(path)).collect();
    let analysis = analyze(&sources, settings, &invocation(paths, settings)).unwrap();
    let mut html_out = Vec::new();
    html::write(&mut html_out, &analysis).unwrap();
    let mut json_out = Vec::new();
    json::write(&mut json_out, &analysis).unwrap();
    Rendered {
        html: String::from_utf8(html_out).unwrap(),
        json: String::from_utf8(json_out).unwrap(),
        findings: analysis.findings.clone(),
    }
}

/// The text between `start` (included, searched from `from`) and the next `end` after it.
fn between<'h>(html: &'h str, start: &str, end: &str) -> &'h str {
    let from = html.find(start).unwrap_or_else(|| panic!("no `{start}`")) + start.len();
    let to = from + html[from..].find(end).unwrap_or_else(|| panic!("no `{end}` after `{start}`"));
    &html[from..to]
}

const JSON_OPEN: &str = "<script type=\"application/json\" id=\"exlint-report\">";

/// The embedded JSON report, its two escapes undone.
fn embedded_json(html: &str) -> String {
    between(html, JSON_OPEN, "</script>").replace(r"<\/", "</").replace(r"<\u0021--", "<!--")
}

/// The page with its constant style and script and its JSON elided, for snapshots.
fn readable(html: &str) -> String {
    let elide = |html: &str, start: &str, end: &str, what: &str| {
        let body = between(html, start, end);
        html.replacen(&format!("{start}{body}{end}"), &format!("{start}/* {what} */{end}"), 1)
    };
    let html = elide(html, "<style>", "</style>", "src/report/html/html.css");
    let html = elide(&html, JSON_OPEN, "</script>", "the JSON report");
    elide(&html, "<script>", "</script>", "src/report/html/html.js")
}

#[test]
fn contoso_page() {
    let rendered = render(&[LDIFDE], &settings("EXMB01"));
    assert_eq!(embedded_json(&rendered.html), rendered.json, "the page embeds the JSON report");
    assert_eq!(render(&[LDIFDE], &settings("EXMB01")).html, rendered.html, "deterministic");
    insta::assert_snapshot!("contoso_gateway_exmb01_html", readable(&rendered.html));
}

#[test]
fn utf16_page() {
    let rendered = render(&[UTF16], &settings("EXMB01"));
    assert_eq!(embedded_json(&rendered.html), rendered.json);
    insta::assert_snapshot!("contoso_utf16_gateway_exmb01_html", readable(&rendered.html));
}

#[test]
fn filtered_page() {
    let rendered = render(&[FILTERED], &settings("EXMB01"));
    assert_eq!(embedded_json(&rendered.html), rendered.json);
    insta::assert_snapshot!("contoso_filtered_gateway_exmb01_html", readable(&rendered.html));
}

/// A hybrid organization of 2026: receive connectors under their servers, Send connectors in
/// the routing group, accepted domains under the organization, each with its findings.
#[test]
fn modern_page() {
    let rendered = render(&["samples/contoso-2019.ldf"], &settings("EX01"));
    assert_eq!(embedded_json(&rendered.html), rendered.json);
    for shown in ["accepted domain", "Send connector", "receive connector", "All Domains", "anonymous relay allowed"] {
        assert!(rendered.html.contains(shown), "the page does not show `{shown}`");
    }
    insta::assert_snapshot!("contoso_2019_html", readable(&rendered.html));
}

/// One suppression used, one that matches nothing, one expired; a baseline that knows the
/// SMTP002 finding and one that is gone.
#[test]
fn suppressed_and_baselined_page() {
    let plain = render(&[LDIFDE], &settings("EXMB01"));
    let smtp002 = plain.findings.iter().find(|finding| finding.code == "SMTP002").unwrap();
    let mut settings = settings("EXMB01");
    let suppression = |dn: &str, reason: &str, expires: Option<&str>, line: usize| Suppression {
        code: "SMTP001".to_owned(),
        dn: Some(dn.to_owned()),
        fingerprint: None,
        reason: reason.to_owned(),
        expires: expires.map(str::to_owned),
        origin: format!("exlint.toml:{line}"),
    };
    let exeu01 = "CN=1,CN=SMTP,CN=Protocols,CN=EXEU01,CN=Servers,CN=Europe Administrative Group,\
                  CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com";
    let exbh01 = "CN=2,CN=SMTP,CN=Protocols,CN=EXBH01,CN=Servers,CN=First Administrative Group,\
                  CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com";
    settings.suppressions = vec![
        suppression(exeu01, "port `587` takes submissions from partners", Some("2099-12-31"), 1),
        suppression("CN=EXMB01,CN=Servers", "nothing to suppress here", None, 6),
        suppression(exbh01, "accepted until the partner moved", Some("2020-01-31"), 10),
    ];
    let mut baseline = Baseline::of(std::slice::from_ref(smtp002));
    baseline.findings.push(BaselineEntry {
        fingerprint: "00000000000000000000000000000000".to_owned(),
        code: "SMTP001".to_owned(),
        dn: None,
        message: "fixed since".to_owned(),
    });
    settings.baseline = Some(baseline);
    let rendered = render(&[LDIFDE], &settings);
    let json: serde_json::Value = serde_json::from_str(&rendered.json).unwrap();
    assert_eq!(json["findings"].as_array().unwrap().len(), 1);
    assert_eq!(json["suppressed"].as_array().unwrap().len(), 1);
    assert_eq!(json["unused_suppressions"].as_array().unwrap().len(), 2);
    assert_eq!(embedded_json(&rendered.html), rendered.json);
    insta::assert_snapshot!("contoso_suppressed_baselined_html", readable(&rendered.html));
}

/// Names, values and DNs from the export are text on the page and cannot end the JSON's
/// script element.
#[test]
fn what_the_export_says_is_escaped() {
    let sample = std::fs::read_to_string("samples/SMTP001/fires.ldif").unwrap();
    let hostile = sample.replace(
        "adminDisplayName: Default SMTP Virtual Server",
        "adminDisplayName: </script><script>alert(1)</script><!--<script>",
    );
    assert_ne!(hostile, sample);
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile.ldif");
    std::fs::write(&path, hostile).unwrap();
    let path = path.to_str().unwrap();
    let mut settings = settings("EXBH01");
    settings.options.gateways.clear();
    let rendered = render(&[path], &settings);
    assert!(rendered.findings.iter().any(|finding| finding.message.contains("alert(1)")), "the name is in a message");
    let json_body = between(&rendered.html, JSON_OPEN, "</script>");
    assert!(!json_body.contains("</") && !json_body.contains("<!--"), "{json_body}");
    let page = rendered.html.replacen(json_body, "", 1);
    assert_eq!(page.matches("<script").count(), 2, "the JSON's and the page's own, nothing else");
    assert_eq!(page.matches("</script>").count(), 2);
    assert!(!page.contains("<!--"));
    assert!(rendered.html.contains("&lt;/script&gt;&lt;script&gt;alert(1)"));
    assert_eq!(embedded_json(&rendered.html), rendered.json);
}

// --- The page in a browser --------------------------------------------------------------------

/// Headless Chromium, when installed.
fn chromium() -> Option<PathBuf> {
    common::outside_tool(&["chromium", "chromium-browser"], None, "Debian package `chromium`")
}

/// What the browser made of a page.
struct Visit {
    /// The DOM once the page's script has run.
    dom: String,
    /// Requests the page made (the browser's own, for updates and the like, left out).
    requests: Vec<String>,
    /// The browser's log, with the page's console messages.
    log: String,
}

impl Visit {
    /// Opens `page` (with `fragment`, `#...` or empty) in a fresh headless Chromium. Every
    /// request goes to a proxy on a closed loopback port, so that nothing leaves the machine
    /// whatever the browser tries; the network log still records each request.
    fn of(browser: &Path, page: &Path, fragment: &str) -> Visit {
        let name = page.file_stem().unwrap().to_string_lossy();
        let fragment_name: String = fragment.chars().filter(char::is_ascii_alphanumeric).collect();
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("chromium-{name}-{fragment_name}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let net_log = dir.join("net-log.json");
        let mut child = Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--proxy-server=http://127.0.0.1:9",
                "--proxy-bypass-list=<-loopback>",
                "--enable-logging=stderr",
                "--v=0",
                "--virtual-time-budget=5000",
                "--dump-dom",
            ])
            .arg(format!("--user-data-dir={}", dir.join("profile").display()))
            .arg(format!("--log-net-log={}", net_log.display()))
            .arg(format!("file://{}{fragment}", page.canonicalize().unwrap().display()))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chromium starts");
        // Read both pipes while waiting: a page's DOM outgrows a pipe's buffer, and a browser
        // that cannot write would never finish.
        let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                pipe.read_to_end(&mut bytes).unwrap();
                bytes
            })
        };
        let stdout = drain(Box::new(child.stdout.take().unwrap()));
        let stderr = drain(Box::new(child.stderr.take().unwrap()));
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > Duration::from_secs(120) {
                child.kill().unwrap();
                panic!("chromium did not finish with {}", page.display());
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        let output = std::process::Output { status, stdout: stdout.join().unwrap(), stderr: stderr.join().unwrap() };
        let log = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "chromium failed: {log}");
        Visit { dom: String::from_utf8(output.stdout).unwrap(), requests: page_requests(&net_log), log }
    }

    /// The count the page shows and the finding cards it shows, in its findings section.
    fn shown(&self) -> (usize, usize) {
        let count = between(&self.dom, "<span id=\"shown-count\">", "<").parse().unwrap();
        let findings = between(&self.dom, "<section id=\"findings\">", "<section id=\"servers\">");
        let cards = findings.matches("<article class=\"finding ").count();
        let hidden =
            findings.split("<article ").filter(|tag| tag.split('>').next().unwrap().contains("filtered-out")).count();
        (count, cards - hidden)
    }

    fn total(&self) -> usize {
        between(&self.dom, "<span id=\"total-count\">", "<").parse().unwrap()
    }

    fn policy_violations(&self) -> Vec<&str> {
        self.log.lines().filter(|line| line.contains("Content Security Policy")).collect()
    }
}

/// URLs of the requests a page made, from Chromium's network log: requests with an initiator
/// (the page's origin, `null` for a file). The browser's own requests have none.
fn page_requests(net_log: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(net_log).unwrap();
    // A log cut short by the browser's exit lacks its closing brackets.
    let log: serde_json::Value = serde_json::from_str(&text)
        .or_else(|_| serde_json::from_str(&format!("{}]}}", text.trim_end().trim_end_matches(','))))
        .expect("the network log is JSON");
    let start_job = &log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"];
    log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|event| &event["type"] == start_job)
        .filter(|event| event["params"]["initiator"].as_str().is_some_and(|initiator| initiator != "not an origin"))
        .map(|event| event["params"]["url"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// How many findings of the JSON report the filter keeps: those whose code, server, DN,
/// message and severity hold every word, in any case.
fn expected(json: &serde_json::Value, filter: &str) -> usize {
    let words: Vec<String> = filter.split_whitespace().map(str::to_lowercase).collect();
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| {
            let text = ["code", "server", "dn", "message", "severity"]
                .map(|field| finding[field].as_str().unwrap_or_default().to_lowercase())
                .join(" ");
            words.iter().all(|word| text.contains(word.as_str()))
        })
        .count()
}

/// The whole catalogue on the Contoso sample, written as a file.
fn write_contoso_page(name: &str) -> (PathBuf, Rendered) {
    let mut settings = settings("EXMB01");
    settings.selection.select.clear();
    let rendered = render(&[LDIFDE], &settings);
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, &rendered.html).unwrap();
    (path, rendered)
}

#[test]
fn the_browser_shows_the_json_count_and_filters_from_the_fragment() {
    let Some(browser) = chromium() else { return };
    let (page, rendered) = write_contoso_page("contoso-report.html");
    let json: serde_json::Value = serde_json::from_str(&rendered.json).unwrap();
    let total = json["findings"].as_array().unwrap().len();
    assert!(total >= 3);

    let visit = Visit::of(&browser, &page, "");
    assert_eq!(visit.shown(), (total, total));
    assert_eq!(visit.total(), total);
    assert_eq!(visit.requests, Vec::<String>::new(), "the page requested nothing");
    assert_eq!(visit.policy_violations(), Vec::<&str>::new(), "the page's own style and script are allowed");

    for (fragment, filter) in [("#filter=EXBH01", "EXBH01"), ("#filter=non-default%20exeu01", "non-default exeu01")] {
        let wanted = expected(&json, filter);
        assert!(0 < wanted && wanted < total, "`{filter}` keeps some findings");
        let visit = Visit::of(&browser, &page, fragment);
        assert_eq!(visit.shown(), (wanted, wanted), "{fragment}");
        assert_eq!(visit.total(), total);
        assert_eq!(visit.requests, Vec::<String>::new());
    }
}

/// The network log sees a request a page makes, and the report's policy blocks one smuggled
/// into it.
#[test]
fn the_policy_blocks_requests_the_page_did_not_plan() {
    let Some(browser) = chromium() else { return };
    let (_, rendered) = write_contoso_page("contoso-probe.html");
    let probe = "<img src=\"http://exlint-probe.invalid/probe.png\" alt=\"\">";
    let smuggled = rendered.html.replacen("<main>", &format!("<main>{probe}"), 1);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let with_policy = dir.join("smuggled-with-policy.html");
    std::fs::write(&with_policy, &smuggled).unwrap();
    let policy = between(&smuggled, "<meta http-equiv=\"Content-Security-Policy\"", ">\n");
    let without_policy = dir.join("smuggled-without-policy.html");
    std::fs::write(&without_policy, smuggled.replacen(policy, " name=\"no-policy\"", 1)).unwrap();

    let visit = Visit::of(&browser, &without_policy, "");
    assert_eq!(visit.requests, ["http://exlint-probe.invalid/probe.png"], "the network log sees the page's requests");

    let visit = Visit::of(&browser, &with_policy, "");
    assert_eq!(visit.requests, Vec::<String>::new(), "the policy blocked the request");
    assert!(visit.policy_violations().iter().any(|line| line.contains("probe.png")), "{}", visit.log);
    assert_eq!(visit.shown().0, rendered.findings.len(), "the page's own script still ran");
}
