//! The command line: `exlint check`, `exlint rules`, `exlint explain`.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, Parser, Subcommand, ValueEnum};
use miette::{Context as _, IntoDiagnostic, miette};

use indicatif::{ProgressBar, ProgressStyle};

use crate::analysis::{self, analyze_with_progress};
use crate::catalogue::{self, Code};
use crate::config::ConfigFile;
use crate::finding::Severity;
use crate::output::write_atomically;
use crate::provenance::Invocation;
use crate::report::controls::escape_controls;
use crate::report::{self, human, statistics};
use crate::settings::{Settings, is_drive, known_pattern};
use crate::source::Source;
use crate::suppression::Baseline;

/// Offline analyzer for Active Directory LDIF exports of Microsoft Exchange configuration.
///
/// exlint reads exports of the configuration partition (ldifde, ldapsearch, Samba ldbsearch),
/// builds the Exchange organization's mail routing from them (routing groups, servers, SMTP
/// virtual servers, connectors) and reports what Microsoft's Exchange Server Analyzer would
/// have found, pointing at the lines of the export.
#[derive(Debug, Parser)]
#[command(name = "exlint", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse LDIF exports and report findings.
    ///
    /// Exit status: 0 when no finding is at or above --fail-on, 1 when one is, 2 on a usage
    /// error or an input that cannot be read at all. Malformed records are findings (LDIF001
    /// and up, severity error); every other record is still analysed.
    Check(Box<CheckArgs>),
    /// List every code exlint reports: the rules, and the reader's and index's diagnostics.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Print the reference page of a code (`SMTP001`) or rule name (`multiple-port-bindings`).
    Explain {
        /// A code or a rule name, in any case.
        code: String,
    },
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// LDIF exports to analyse, in UTF-8 or UTF-16 (`ldifde -u`); `-` reads standard input.
    /// Several files are merged into one directory.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// A server that sends mail outside the organization (repeatable, any case). Rules that
    /// need to know (SMTP002...) are otherwise reported as not evaluated.
    #[arg(long = "gateway", value_name = "NAME")]
    pub gateways: Vec<String>,
    /// A host outside Exchange that Internet mail goes through (a spam filter, the ISP's relay),
    /// by name or IP address (repeatable).
    #[arg(long = "non-exchange-gateway", value_name = "HOST")]
    pub non_exchange_gateways: Vec<String>,
    /// The organization is Small Business Server, whose defaults differ.
    #[arg(long)]
    pub sbs: bool,
    /// The drive Windows is installed on (default `C:`).
    #[arg(long, value_name = "DRIVE")]
    pub system_drive: Option<String>,
    /// Report only these codes or code prefixes (`SMTP`, `CONN001`), comma-separated.
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not report these codes or code prefixes, comma-separated.
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// The configuration file; by default `exlint.toml` in the current folder or the nearest
    /// folder above it. The command line wins over the file.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to FILE instead of standard output, whole or not at all: it is written
    /// beside FILE and renamed over it when complete, so a failure leaves FILE as it was.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit with status 1 when a finding is at or above this severity.
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Do not show the progress bar (shown on a terminal for inputs over 50 MB).
    #[arg(long, short)]
    pub quiet: bool,
    /// Report only findings that are not in this baseline (written by `--write-baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the fingerprints of the findings reported to FILE, as a baseline for later runs
    /// (whole or not at all, as `--output`).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Print counts per rule and severity, objects per class, bytes and entries read, and time
    /// taken, on standard error.
    #[arg(long)]
    pub statistics: bool,
}

/// The formats of `exlint check`'s report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Findings with the offending lines, for people.
    Human,
    /// One JSON document (see docs/formats.md).
    Json,
    /// Markdown to paste into a ticket: summary, findings by server with the lines of the
    /// export, what was not evaluated or was suppressed.
    Markdown,
    /// The topology as a Graphviz graph (`dot -Tsvg`), objects with findings coloured by
    /// severity.
    Dot,
    /// The topology as a Mermaid flowchart, objects with findings coloured by severity.
    Mermaid,
    /// One self-contained HTML page: findings with their lines, the organization's tree, rule
    /// pages, a filter; needs nothing from the network.
    Html,
    /// SARIF 2.1.0, for code-scanning dashboards and SARIF viewers (see docs/formats.md).
    Sarif,
}

/// The formats of `exlint rules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A table.
    Human,
    /// A JSON array.
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    NonDefault,
    Info,
    /// Exit 0 whatever is found.
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::NonDefault => Some(Severity::NonDefault),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

/// How a successful run ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing at or above `--fail-on`.
    Clean,
    /// Something at or above `--fail-on`.
    Findings,
}

/// Runs a command, writing its output to `stdout` (or `--output`). Errors are usage errors
/// or unreadable inputs.
pub fn run(cli: Cli, stdout: &mut dyn Write) -> miette::Result<Outcome> {
    match cli.command {
        Command::Check(args) => check(*args, stdout),
        Command::Rules { format } => {
            written(write_rules(stdout, format))?;
            Ok(Outcome::Clean)
        }
        Command::Explain { code } => {
            let found = catalogue::lookup(&code)
                .ok_or_else(|| miette!(help = "`exlint rules` lists every code", "no code or rule named `{code}`"))?;
            written(stdout.write_all(found.page().as_bytes()))?;
            Ok(Outcome::Clean)
        }
    }
}

fn check(args: CheckArgs, stdout: &mut dyn Write) -> miette::Result<Outcome> {
    let started = Instant::now();
    let sources = args
        .files
        .iter()
        .map(|path| Source::open(path).into_diagnostic().wrap_err_with(|| format!("cannot read `{}`", path.display())))
        .collect::<miette::Result<Vec<_>>>()?;
    let mut settings = settings(&args)?;
    let invocation = Invocation::current().map_err(|error| miette!("{error}"))?;
    if let Some(path) = &args.baseline {
        let text = std::fs::read_to_string(path)
            .into_diagnostic()
            .wrap_err_with(|| format!("cannot read the baseline `{}`", path.display()))?;
        let baseline = Baseline::parse(&text).map_err(|error| {
            miette!(help = "write one with `--write-baseline FILE`", "`{}` is not a baseline: {error}", path.display())
        })?;
        settings.baseline = Some(baseline);
    }
    let bar = progress_bar(&sources, args.quiet);
    let analysis = analyze_with_progress(&sources, &settings, &invocation, &|bytes| bar.inc(bytes as u64));
    bar.finish_and_clear();
    let analysis = analysis.map_err(|error| match error {
        // The servers' names come from the export: shown escaped, as in every report.
        analysis::Error::UnknownGateway(_) => miette!(
            help = "--gateway takes a server name as the export spells it",
            "{}",
            escape_controls(&error.to_string())
        ),
        analysis::Error::Digest { .. } => miette!("{error}"),
    })?;
    if let Some(path) = &args.write_baseline {
        let text = serde_json::to_string_pretty(&Baseline::of(&analysis.findings)).into_diagnostic()? + "\n";
        write_atomically(path, |out| out.write_all(text.as_bytes()))
            .into_diagnostic()
            .wrap_err_with(|| format!("cannot write the baseline `{}`", path.display()))?;
    }
    let color = args.output.is_none() && io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let report = |out: &mut dyn Write| {
        match args.format {
            Format::Human => human::write(out, &analysis, human::Style { color, width: 100 }),
            Format::Json => report::json::write(out, &analysis),
            Format::Markdown => report::markdown::write(out, &analysis),
            Format::Dot => report::dot::write(out, &analysis),
            Format::Mermaid => report::mermaid::write(out, &analysis),
            Format::Html => report::html::write(out, &analysis),
            Format::Sarif => report::sarif::write(out, &analysis),
        }?;
        out.flush()
    };
    match &args.output {
        // Whole or not at all: a failure leaves the previous report as it was.
        Some(path) => write_atomically(path, report)
            .into_diagnostic()
            .wrap_err_with(|| format!("cannot write `{}`; it is left as it was", path.display()))?,
        None => written(report(stdout))?,
    }
    if args.statistics {
        written(statistics::write(&mut io::stderr().lock(), &analysis, started.elapsed()))?;
    }
    let failed =
        args.fail_on.threshold().is_some_and(|threshold| analysis.findings.iter().any(|f| f.severity >= threshold));
    Ok(if failed { Outcome::Findings } else { Outcome::Clean })
}

/// The configuration file's settings, with the command line's on top.
fn settings(args: &CheckArgs) -> miette::Result<Settings> {
    let mut settings = match ConfigFile::find(args.config.as_deref())? {
        Some(file) => file.settings().map_err(|error| miette::Report::new(*error))?,
        None => Settings::default(),
    };
    let options = &mut settings.options;
    if !args.gateways.is_empty() {
        options.gateways.clone_from(&args.gateways);
    }
    if !args.non_exchange_gateways.is_empty() {
        options.non_exchange_gateways.clone_from(&args.non_exchange_gateways);
    }
    options.small_business_server |= args.sbs;
    if let Some(drive) = &args.system_drive {
        if !is_drive(drive) {
            return Err(miette!(help = "write it like `C:`", "`--system-drive {drive}` is not a drive"));
        }
        options.system_drive = drive.to_ascii_uppercase();
    }
    for (patterns, target, flag) in [
        (&args.select, &mut settings.selection.select, "--select"),
        (&args.ignore, &mut settings.selection.ignore, "--ignore"),
    ] {
        if !patterns.is_empty() {
            *target = patterns
                .iter()
                .map(|pattern| {
                    known_pattern(pattern).ok_or_else(|| {
                        miette!(
                            help = "`exlint rules` lists every code",
                            "`{flag} {pattern}`: no code starts with `{pattern}`"
                        )
                    })
                })
                .collect::<miette::Result<_>>()?;
        }
    }
    Ok(settings)
}

/// A progress bar on stderr while big inputs are read; hidden unless stderr is a terminal,
/// so that it never mixes with output that is piped or redirected.
fn progress_bar(sources: &[Source], quiet: bool) -> ProgressBar {
    const SHOWN_ABOVE: usize = 50_000_000;
    let total: usize = sources.iter().map(|source| source.text().len()).sum();
    if quiet || total <= SHOWN_ABOVE || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template("reading {bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    ProgressBar::new(total as u64).with_style(style)
}

/// The outcome of writing output. A reader that stopped listening (`exlint rules | head`) is
/// not a failure: the rest of the output is simply not wanted.
fn written(result: io::Result<()>) -> miette::Result<()> {
    match result {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => Err(error).into_diagnostic(),
        _ => Ok(()),
    }
}

fn write_rules(out: &mut dyn Write, format: ListFormat) -> io::Result<()> {
    let codes = catalogue::catalogue();
    match format {
        ListFormat::Human => {
            let width = |field: fn(&Code) -> &str| codes.iter().map(|code| field(code).len()).max().unwrap_or(0);
            let (code_width, name_width) = (width(|code| code.code), width(|code| code.name));
            writeln!(out, "{:code_width$}  {:name_width$}  {:11}  {:9}  TITLE", "CODE", "NAME", "SEVERITY", "ORIGIN")?;
            for code in codes {
                writeln!(
                    out,
                    "{:code_width$}  {:name_width$}  {:11}  {:9}  {}",
                    code.code,
                    code.name,
                    code.severity.label(),
                    code.origin,
                    code.title
                )?;
            }
            Ok(())
        }
        ListFormat::Json => {
            #[derive(serde::Serialize)]
            struct Listed<'a> {
                code: &'a str,
                name: &'a str,
                severity: Severity,
                origin: &'a str,
                title: &'a str,
            }
            let listed: Vec<Listed<'_>> = codes
                .iter()
                .map(|code| Listed {
                    code: code.code,
                    name: code.name,
                    severity: code.severity,
                    origin: code.origin,
                    title: code.title,
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &listed)?;
            writeln!(out)
        }
    }
}
