//! Throughput and peak memory of `exlint check` beside `wc -l`, on generated exports.
//!
//! ```text
//! cargo bench --bench throughput                          # 100M and 1G, 5 runs each
//! cargo bench --bench throughput -- --sizes 100M --runs 9
//! ```
//!
//! Exports are generated once into `target/bench/` by `examples/generate_export.rs` (the same
//! bytes every time). Each command runs `--runs` times with warm page cache; the table gives
//! the median wall time, throughput in MB/s (MB = 10^6 bytes), the largest peak resident set
//! (GNU time's `%M`) and the ratio to `wc -l`. Timed here, never in tests.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a benchmark prints its table

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

struct Measure {
    median_seconds: f64,
    peak_rss_kib: u64,
}

fn main() {
    let mut sizes = vec!["100M".to_owned(), "1G".to_owned()];
    let mut runs = 5;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--sizes" => sizes = args.next().expect("--sizes 100M,1G").split(',').map(str::to_owned).collect(),
            "--runs" => runs = args.next().expect("--runs N").parse().expect("--runs takes a number"),
            _ => {} // cargo passes `--bench`
        }
    }
    let exlint = env!("CARGO_BIN_EXE_exlint");
    println!("| export | lines | command | median wall | MB/s | peak RSS | × wc -l |");
    println!("|---|---:|---|---:|---:|---:|---:|");
    for size in &sizes {
        let file = export(size);
        let bytes = std::fs::metadata(&file).expect("export").len();
        let lines = count_lines(&file);
        let wc = measure(runs, "wc", &["-l".as_ref(), file.as_os_str()]);
        let check = measure(
            runs,
            exlint,
            &[
                "check".as_ref(),
                "--format".as_ref(),
                "json".as_ref(),
                "--fail-on".as_ref(),
                "never".as_ref(),
                file.as_os_str(),
            ],
        );
        for (name, result) in [("wc -l", &wc), ("exlint check --format json", &check)] {
            println!(
                "| {size} ({:.0} MB) | {lines} | `{name}` | {:.3} s | {:.0} | {:.0} MiB | {:.1} |",
                bytes as f64 / 1e6,
                result.median_seconds,
                bytes as f64 / 1e6 / result.median_seconds,
                result.peak_rss_kib as f64 / 1024.0,
                result.median_seconds / wc.median_seconds,
            );
        }
    }
}

/// The export of that size, generated on first use.
fn export(size: &str) -> PathBuf {
    let file = Path::new("target/bench").join(format!("export-{size}.ldf"));
    if !file.exists() {
        std::fs::create_dir_all("target/bench").expect("target/bench");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let status = Command::new(cargo)
            .args(["run", "--release", "--quiet", "--example", "generate_export", "--", "--size", size, "--output"])
            .arg(&file)
            .status()
            .expect("cargo run --example generate_export");
        assert!(status.success(), "generating {}", file.display());
    }
    file
}

fn count_lines(file: &Path) -> String {
    let output = Command::new("wc").arg("-l").arg(file).output().expect("wc");
    String::from_utf8_lossy(&output.stdout).split_whitespace().next().unwrap_or("?").to_owned()
}

/// Runs a command `runs` times (after one warm-up run) under GNU time.
fn measure(runs: usize, program: &str, args: &[&std::ffi::OsStr]) -> Measure {
    let rss_file = std::env::temp_dir().join(format!("exlint-bench-rss-{}", std::process::id()));
    let mut seconds = Vec::new();
    let mut peak_rss_kib = 0;
    for run in 0..=runs {
        let start = Instant::now();
        let status = Command::new("/usr/bin/time")
            .args(["-f", "%M", "-o"])
            .arg(&rss_file)
            .arg(program)
            .args(args)
            .stdout(Stdio::null())
            .status()
            .expect("GNU time at /usr/bin/time (Debian package `time`)");
        let elapsed = start.elapsed().as_secs_f64();
        assert!(status.success(), "{program} failed");
        if run > 0 {
            seconds.push(elapsed);
            let rss = std::fs::read_to_string(&rss_file).expect("time -o");
            peak_rss_kib = peak_rss_kib.max(rss.trim().lines().last().unwrap_or("0").parse().unwrap_or(0));
        }
    }
    let _ = std::fs::remove_file(&rss_file);
    seconds.sort_by(f64::total_cmp);
    Measure { median_seconds: seconds[seconds.len() / 2], peak_rss_kib }
}
