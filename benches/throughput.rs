//! Throughput and memory of `exlint check` beside `wc -l`, on generated exports.
//!
//! ```text
//! scripts/bench                                   # 100M, 1G and 4G; UTF-16 for 100M and 1G
//! scripts/bench --sizes 100M,1G --utf16 1G --runs 9
//! ```
//!
//! (`scripts/bench` runs `cargo bench --features heap-stats --bench throughput -- ARGS`.)
//!
//! Exports are generated once into `target/bench/` by `examples/generate_export.rs`, the same
//! bytes every time. Each command runs once to warm the page cache, then `--runs` times; the
//! table gives the median wall time, throughput (MB = 10^6 bytes of the file as stored), the
//! peak heap (from the `heap-stats` build's counting allocator, so the pages of the mapped
//! file are not counted) and the peak resident set (GNU time), and the ratio to `wc -l` on the
//! same file. It also checks that one thread and all threads give byte-identical reports, and
//! that the UTF-16 export gives the findings of its UTF-8 twin. Timed here, never in tests.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a benchmark prints its table

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const EXLINT: &str = env!("CARGO_BIN_EXE_exlint");

struct Measure {
    median_seconds: f64,
    peak_rss_bytes: u64,
    /// Reported by the `heap-stats` build; `None` for other programs.
    peak_heap_bytes: Option<u64>,
}

struct Options {
    sizes: Vec<String>,
    utf16_sizes: Vec<String>,
    runs: usize,
}

fn options() -> Options {
    let mut options = Options { sizes: list("100M,1G,4G"), utf16_sizes: list("100M,1G"), runs: 5 };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--sizes" => options.sizes = list(&args.next().expect("--sizes 100M,1G")),
            "--utf16" => options.utf16_sizes = list(&args.next().expect("--utf16 1G (or none)")),
            "--runs" => options.runs = args.next().expect("--runs N").parse().expect("--runs takes a number"),
            _ => {} // cargo passes `--bench`
        }
    }
    options
}

fn list(text: &str) -> Vec<String> {
    text.split(',').filter(|size| !size.is_empty() && *size != "none").map(str::to_owned).collect()
}

fn main() {
    let options = options();
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    // A run as a user repeats it: the export's SHA-256 (provenance) kept from the warm-up run in
    // a digest cache of the benchmark's own; and a first run, which computes it.
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-digest-cache");
    let cached = vec![("EXLINT_CACHE_DIR", path(&cache))];
    let uncached = vec![("EXLINT_CACHE_DIR", String::new())];
    println!("| export | encoding | lines | command | threads | median wall | MB/s | peak heap | peak RSS | × wc -l |");
    println!("|---|---|---:|---|---:|---:|---:|---:|---:|---:|");
    for size in &options.sizes {
        let utf8 = export(size, false);
        let lines = count_lines(&utf8);
        let wc = measure(options.runs, "wc", &["-l".to_owned(), path(&utf8)], &[]);
        let all = measure(options.runs, EXLINT, &check_args(&utf8), &cached);
        let hashed = measure(options.runs, EXLINT, &check_args(&utf8), &uncached);
        let one_thread = [cached.clone(), vec![("RAYON_NUM_THREADS", "1".to_owned())]].concat();
        let one = measure(options.runs, EXLINT, &check_args(&utf8), &one_thread);
        let report = report_of(&utf8, None);
        assert_eq!(report, report_of(&utf8, Some(1)), "{size}: one thread and all threads disagree");
        row(size, "UTF-8", &utf8, &lines, "wc -l", 1, &wc, &wc);
        row(size, "UTF-8", &utf8, &lines, CHECK, threads, &all, &wc);
        row(size, "UTF-8", &utf8, &lines, HASHING, threads, &hashed, &wc);
        row(size, "UTF-8", &utf8, &lines, CHECK, 1, &one, &wc);
        if options.utf16_sizes.contains(size) {
            let utf16 = export(size, true);
            let measured = measure(options.runs, EXLINT, &check_args(&utf16), &cached);
            let hashed = measure(options.runs, EXLINT, &check_args(&utf16), &uncached);
            assert_eq!(findings(&report_of(&utf16, None)), findings(&report), "{size}: UTF-16 and UTF-8 disagree");
            row(size, "UTF-16LE", &utf16, &lines, CHECK, threads, &measured, &wc);
            row(size, "UTF-16LE", &utf16, &lines, HASHING, threads, &hashed, &wc);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn row(
    size: &str,
    encoding: &str,
    file: &Path,
    lines: &str,
    command: &str,
    threads: usize,
    result: &Measure,
    wc: &Measure,
) {
    let bytes = std::fs::metadata(file).expect("export").len() as f64;
    let heap = match result.peak_heap_bytes {
        Some(heap) => format!("{:.1} MiB ({:.1}%)", heap as f64 / MIB, heap as f64 / bytes * 100.0),
        None => "-".to_owned(),
    };
    println!(
        "| {size} ({:.0} MB) | {encoding} | {lines} | `{command}` | {threads} | {:.3} s | {:.0} | {heap} | {:.0} MiB | {:.1} |",
        bytes / 1e6,
        result.median_seconds,
        bytes / 1e6 / result.median_seconds,
        result.peak_rss_bytes as f64 / MIB,
        result.median_seconds / wc.median_seconds,
    );
}

const MIB: f64 = 1024.0 * 1024.0;
const CHECK: &str = "exlint check --format json";
const HASHING: &str = "exlint check --format json, SHA-256 not cached";

fn path(file: &Path) -> String {
    file.display().to_string()
}

fn check_args(file: &Path) -> Vec<String> {
    ["check", "--format", "json", "--fail-on", "never", "--quiet"]
        .iter()
        .map(|arg| arg.to_string())
        .chain([path(file)])
        .collect()
}

/// The export of that size, generated on first use.
fn export(size: &str, utf16: bool) -> PathBuf {
    let suffix = if utf16 { "-utf16" } else { "" };
    let file = Path::new("target/bench").join(format!("export-{size}{suffix}.ldf"));
    if !file.exists() {
        std::fs::create_dir_all("target/bench").expect("target/bench");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let mut command = Command::new(cargo);
        command
            .args(["run", "--release", "--quiet", "--example", "generate_export", "--", "--size", size, "--output"])
            .arg(&file);
        if utf16 {
            command.arg("--utf16");
        }
        assert!(
            command.status().expect("cargo run --example generate_export").success(),
            "generating {}",
            file.display()
        );
    }
    file
}

fn count_lines(file: &Path) -> String {
    let output = Command::new("wc").arg("-l").arg(file).output().expect("wc");
    String::from_utf8_lossy(&output.stdout).split_whitespace().next().unwrap_or("?").to_owned()
}

/// The JSON report, for comparisons.
fn report_of(file: &Path, threads: Option<usize>) -> String {
    let mut command = Command::new(EXLINT);
    // The report says when it was made: a fixed time, so that two reports can be compared.
    command.args(check_args(file)).env("SOURCE_DATE_EPOCH", "0").stderr(Stdio::null());
    if let Some(threads) = threads {
        command.env("RAYON_NUM_THREADS", threads.to_string());
    }
    String::from_utf8(command.output().expect("exlint").stdout).expect("UTF-8 report")
}

/// The findings of a report, without what describes the input file itself.
fn findings(report: &str) -> serde_json::Value {
    let mut report: serde_json::Value = serde_json::from_str(report).expect("JSON report");
    let findings = report["findings"].take();
    serde_json::json!([findings
        .as_array()
        .expect("findings")
        .iter()
        .map(|finding| {
            let mut finding = finding.clone();
            finding["path"] = serde_json::Value::Null;
            for evidence in finding["evidence"].as_array_mut().into_iter().flatten() {
                evidence["path"] = serde_json::Value::Null;
            }
            finding
        })
        .collect::<Vec<_>>()])
}

/// Runs a command `runs` times (after one warm-up run) under GNU time.
fn measure(runs: usize, program: &str, args: &[String], env: &[(&str, String)]) -> Measure {
    let stats = std::env::temp_dir().join(format!("exlint-bench-{}", std::process::id()));
    let mut seconds = Vec::new();
    let mut peak_rss_bytes = 0;
    let mut peak_heap_bytes = None;
    for run in 0..=runs {
        let mut command = Command::new("/usr/bin/time");
        command
            .args(["-f", "%M", "-o"])
            .arg(&stats)
            .arg(program)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        command.envs(env.iter().map(|(name, value)| (name, value)));
        let start = Instant::now();
        let output = command.output().expect("GNU time at /usr/bin/time (Debian package `time`)");
        let elapsed = start.elapsed().as_secs_f64();
        assert!(output.status.success(), "{program} failed: {}", String::from_utf8_lossy(&output.stderr));
        if run == 0 {
            continue;
        }
        seconds.push(elapsed);
        let rss_kib: u64 =
            std::fs::read_to_string(&stats).expect("time -o").trim().lines().last().unwrap_or("0").parse().unwrap_or(0);
        peak_rss_bytes = peak_rss_bytes.max(rss_kib * 1024);
        let heap = String::from_utf8_lossy(&output.stderr)
            .lines()
            .find_map(|line| line.strip_prefix("exlint: peak heap ")?.strip_suffix(" bytes")?.parse::<u64>().ok());
        if let Some(heap) = heap {
            peak_heap_bytes = Some(peak_heap_bytes.unwrap_or(0).max(heap));
        }
    }
    let _ = std::fs::remove_file(&stats);
    seconds.sort_by(f64::total_cmp);
    Measure { median_seconds: seconds[seconds.len() / 2], peak_rss_bytes, peak_heap_bytes }
}
