//! Hostile values in every report format: `tests/hostile/values.ldif` carries ESC/OSC
//! sequences, BEL, NUL, backticks, pipes, markup, invalid UTF-8 and the bidi override U+202E in
//! a server name, a display name, an FQDN and a smart host, and SMTP004 quotes them. In every
//! format the finding must still be there, and nothing the values carry may act: no control or
//! bidi character written raw, no Markdown or HTML made of a value, JSON and SARIF valid and
//! holding the values as they were.

use assert_cmd::Command;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

const HOSTILE: &str = "tests/hostile/values.ldif";
const FORMATS: [&str; 7] = ["human", "json", "sarif", "markdown", "html", "dot", "mermaid"];

fn report(format: &str) -> String {
    let output = Command::cargo_bin("exlint")
        .unwrap()
        .args(["check", HOSTILE, "--format", format])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{format}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap_or_else(|error| panic!("{format} is not UTF-8: {error}"))
}

/// Characters that act on a terminal or reorder text instead of showing.
fn is_active(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t'))
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[test]
fn no_format_writes_a_control_or_bidi_character_raw() {
    for format in FORMATS {
        let report = report(format);
        let raw: Vec<String> =
            report.char_indices().filter(|&(_, c)| is_active(c)).map(|(at, c)| format!("{c:?} at {at}")).collect();
        assert!(raw.is_empty(), "{format} writes {} raw: {}", raw.len(), raw.join(", "));
    }
}

#[test]
fn the_finding_is_still_reported_with_its_values_escaped() {
    for format in ["human", "markdown", "html", "dot", "mermaid"] {
        let report = report(format);
        assert!(report.contains("SMTP004"), "{format} lost the finding");
        for escaped in [r"\x1b]0;pwned\x07", r"\u{202e}", r"\x00"] {
            // DOT strings double a backslash: Graphviz shows one.
            let written = if format == "dot" { escaped.replace('\\', r"\\") } else { escaped.to_owned() };
            assert!(report.contains(&written), "{format} does not show {escaped}");
        }
    }
}

#[test]
fn json_and_sarif_are_valid_and_keep_the_values() {
    for format in ["json", "sarif"] {
        let document: serde_json::Value = serde_json::from_str(&report(format)).unwrap();
        let text = document.to_string();
        assert!(text.contains("SMTP004"), "{format} lost the finding");
        let messages: Vec<&str> = match format {
            "json" => document["findings"].as_array().unwrap().iter().map(|f| f["message"].as_str().unwrap()).collect(),
            _ => document["runs"][0]["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|result| result["message"]["text"].as_str().unwrap())
                .collect(),
        };
        assert!(
            messages.iter().any(|message| message.contains("\x1b]0;pwned\x07") && message.contains('\u{202e}')),
            "{format} does not hold the values as read: {messages:?}"
        );
    }
}

#[test]
fn markdown_makes_no_markup_of_a_value() {
    let markdown = report("markdown");
    let mut strong = false;
    for event in Parser::new_ext(&markdown, pulldown_cmark::Options::ENABLE_TABLES) {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => panic!("a value became HTML: {html}"),
            Event::Start(Tag::Strong | Tag::Emphasis) => strong = true,
            Event::End(TagEnd::Strong | TagEnd::Emphasis) => strong = false,
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                panic!("a value became a link: {dest_url}")
            }
            Event::Text(text) if strong => {
                assert!(text.chars().all(|c| c.is_ascii_digit()) || &*text == "total", "a value became bold: {text}");
            }
            _ => {}
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(&markdown, pulldown_cmark::Options::ENABLE_TABLES));
    assert!(!html.contains("<script") && !html.contains("<img"), "markup got through: {html}");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "{html}");
}

#[test]
fn markdown_tables_keep_their_columns() {
    let markdown = report("markdown");
    let rows: Vec<&str> = markdown.lines().filter(|line| line.starts_with("| SMTP002")).collect();
    assert_eq!(rows.len(), 1);
    let unescaped_pipes = rows[0].match_indices('|').filter(|&(at, _)| !rows[0][..at].ends_with('\\')).count();
    assert_eq!(unescaped_pipes, 3, "a value's pipe split the row: {}", rows[0]);
}

#[test]
fn html_shows_values_as_text() {
    let page = report("html");
    // The JSON report the page embeds holds the values as data, where `<\/script>` cannot end it.
    let (html, json) = page.split_once("<script type=\"application/json\"").unwrap();
    assert!(!json.contains("</script>alert"));
    assert!(!html.contains("<script>alert") && !html.contains("<img"), "markup got through");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
}

/// On a terminal the human report is coloured: its only escape sequences are then the colours
/// miette's theme writes (SGR, `ESC [ ... m`), none from a value.
#[test]
fn coloured_human_output_holds_only_its_own_colours() {
    use exlint::report::human;
    let sources = [exlint::source::Source::open(std::path::Path::new(HOSTILE)).unwrap()];
    let settings = exlint::settings::Settings::default();
    let analysis = exlint::analysis::analyze(&sources, &settings, &exlint::provenance::Invocation::default()).unwrap();
    let mut out = Vec::new();
    human::write(&mut out, &analysis, human::Style { color: true, width: 100 }).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("SMTP004") && text.contains(r"\x1b]0;pwned\x07"));
    let mut rest = text.as_str();
    let mut colours = 0;
    while let Some(at) = rest.find('\x1b') {
        let sequence = &rest[at + 1..];
        let end = sequence.find(|c: char| !(c == '[' || c == ';' || c.is_ascii_digit())).unwrap();
        assert!(
            sequence.starts_with('[') && sequence[end..].starts_with('m'),
            "not a colour: {:?}",
            &sequence[..end + 1]
        );
        colours += 1;
        rest = &sequence[end + 1..];
    }
    assert!(colours > 0, "the report was coloured");
    let others: Vec<char> = text.chars().filter(|&c| is_active(c) && c != '\x1b').collect();
    assert!(others.is_empty(), "{others:?}");
}

/// What reaches standard error from the export (object classes in `--statistics`, server
/// names when `--gateway` names none of them) is escaped too.
#[test]
fn standard_error_shows_values_escaped() {
    for args in [&["--statistics"][..], &["--gateway", "NOWHERE"][..]] {
        let output = Command::cargo_bin("exlint").unwrap().args(["check", HOSTILE]).args(args).output().unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        let raw: Vec<char> = stderr.chars().filter(|&c| is_active(c)).collect();
        assert!(raw.is_empty(), "{args:?} writes {raw:?} raw: {stderr}");
        let shown = if args[0] == "--statistics" { r"auxClass\x1b]0;class\x07" } else { r"EX`EU|01\u{202e}\x1b[5m" };
        assert!(stderr.contains(shown), "{args:?}: {stderr}");
    }
}
