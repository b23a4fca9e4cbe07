//! The whole path on any bytes, as `exlint check` runs it: read (UTF-8 or UTF-16), index,
//! topology, every rule, then every report format rendered, the human report with every
//! snippet (miette replaces one it cannot read by a note).
#![no_main]

use exlint::analysis::analyze;
use exlint::provenance::Invocation;
use exlint::report::{dot, html, human, json, markdown, mermaid, sarif};
use exlint::settings::Settings;
use exlint::source::Source;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let sources = [Source::from_bytes("fuzz.ldif", bytes.to_vec())];
    let mut settings = Settings::default();
    // A gateway makes the rules that need one look; the first server's name is as good as any.
    settings.options.gateways = vec!["EXBH01".into()];
    let analysis = match analyze(&sources, &settings, &Invocation::default()) {
        Ok(analysis) => analysis,
        Err(_) => match analyze(&sources, &Settings::default(), &Invocation::default()) {
            Ok(analysis) => analysis,
            Err(_) => return,
        },
    };
    let mut out = Vec::new();
    human::write(&mut out, &analysis, human::Style { color: true, width: 80 }).unwrap();
    // miette writes this instead of a snippet when the excerpt it reads lacks a label's lines.
    assert!(!String::from_utf8_lossy(&out).contains("Failed to read contents for label"));
    json::write(&mut out, &analysis).unwrap();
    sarif::write(&mut out, &analysis).unwrap();
    markdown::write(&mut out, &analysis).unwrap();
    html::write(&mut out, &analysis).unwrap();
    dot::write(&mut out, &analysis).unwrap();
    mermaid::write(&mut out, &analysis).unwrap();
});
