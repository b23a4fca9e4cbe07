//! The command line: `exlint check`, `exlint rules`, `exlint explain`, and what a shell
//! needs (`exlint completions`, `exlint man`).

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use miette::{Context as _, IntoDiagnostic, miette};

use indicatif::{ProgressBar, ProgressStyle};

use crate::analysis::{self, analyze_with_progress};
use crate::catalogue::{self, Code};
use crate::config::ConfigFile;
use crate::exchange::lifecycle::Date;
use crate::finding::Severity;
use crate::output::write_atomically;
use crate::provenance::Invocation;
use crate::report::controls::escape_controls;
use crate::report::{self, human, statistics};
use crate::settings::{Settings, is_drive, known_pattern};
use crate::source::{self, InputError, Limit, OpenOptions, Source};
use crate::suppression::Baseline;

/// Offline analyzer for Active Directory exports of Microsoft Exchange configuration.
///
/// exlint reads exports of the configuration partition (ldifde, ldapsearch, Samba ldbsearch,
/// csvde), also gzipped or zipped, builds the Exchange organization's mail routing from them
/// (routing groups, servers, SMTP virtual servers, connectors) and reports what Microsoft's
/// Exchange Server Analyzer would have found, pointing at the lines of the export.
#[derive(Debug, Parser)]
#[command(name = "exlint", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When to colour output: `auto` colours a terminal unless `NO_COLOR` is set (or
    /// `CLICOLOR_FORCE` asks for colour anyway); `always` and `never` override both.
    #[arg(long, value_enum, global = true, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream that is or is not a terminal, given `NO_COLOR` and
    /// `CLICOLOR_FORCE` as <https://no-color.org> and <https://bixense.com/clicolors/> define
    /// them: set and not empty (and not `0`, for `CLICOLOR_FORCE`).
    pub fn colors(self, terminal: bool) -> bool {
        let set = |name: &str| std::env::var_os(name).is_some_and(|value| !value.is_empty() && value != "0");
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto if set("NO_COLOR") => false,
            ColorChoice::Auto => terminal || set("CLICOLOR_FORCE"),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse exports and report findings.
    ///
    /// Exit status: 0 when no finding is at or above --fail-on, 1 when one is, 2 on a usage
    /// error or an input that cannot be read or is not an export (a PDF, an image, an empty
    /// file...): the other inputs are still analysed and reported. Malformed records are
    /// findings (LDIF001 and CSV001 and up, severity error); every other record is still
    /// analysed.
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
    /// Print a shell's completion script for exlint (`source <(exlint completions bash)`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print exlint's man page, in roff (`exlint man > exlint.1; man ./exlint.1`), or a
    /// subcommand's (`exlint man check > exlint-check.1`).
    Man {
        /// The subcommand whose page to print: `check`, `rules`, ...
        subcommand: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Exports to analyse: LDIF or csvde CSV, in UTF-8 or UTF-16 (`ldifde -u`, `csvde -u`),
    /// as they are or gzipped or zipped (every file of a zip archive is an input of its own);
    /// `-` reads standard input. Several files are merged into one directory.
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
    /// The day end of support is judged against, YYYY-MM-DD (default: the day exlint's
    /// lifecycle table was reviewed, so that a report does not change with the clock).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<Date>,
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
    /// Do not show the progress bar (shown on a terminal while inputs over 1 MB on disk are
    /// opened and decompressed, and while text over 50 MB is read).
    #[arg(long, short)]
    pub quiet: bool,
    /// The most a compressed input may decompress to, in bytes or with K, M or G
    /// (powers of 1024); a zip bomb stops there.
    #[arg(long, value_name = "SIZE", default_value_t = Limit::default())]
    pub max_decompressed_size: Limit,
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
    /// An input could not be read or is not an export; the others were analysed.
    Refused,
}

/// Runs a command, writing its output to `stdout` (or `--output`). Errors are usage errors
/// or unreadable inputs.
pub fn run(cli: Cli, stdout: &mut dyn Write) -> miette::Result<Outcome> {
    match cli.command {
        Command::Check(args) => check(*args, cli.color, stdout),
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
        Command::Completions { shell } => {
            let mut buffer = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "exlint", &mut buffer);
            written(stdout.write_all(&buffer))?;
            Ok(Outcome::Clean)
        }
        Command::Man { subcommand } => {
            let command = Cli::command();
            let page = match subcommand {
                None => command,
                Some(name) => {
                    let found = command.find_subcommand(&name).cloned().ok_or_else(|| {
                        let names: Vec<&str> = command.get_subcommands().map(|sub| sub.get_name()).collect();
                        miette!(help = format!("one of: {}", names.join(", ")), "no subcommand named `{name}`")
                    })?;
                    // Named as the root page's SEE ALSO and SUBCOMMANDS sections refer to it.
                    let name = format!("exlint-{}", found.get_name());
                    found.name(name).version(env!("CARGO_PKG_VERSION"))
                }
            };
            written(clap_mangen::Man::new(page).render(stdout))?;
            Ok(Outcome::Clean)
        }
    }
}

/// The exports the command line names, and the inputs refused, each with why. The progress bar
/// moves with the compressed bytes decompressed, and by the size of each input opened.
fn open_inputs(args: &CheckArgs) -> (Vec<Source>, Vec<InputError>, Progress) {
    let options = OpenOptions { limit: args.max_decompressed_size };
    let sizes: Vec<u64> = args.files.iter().map(|path| std::fs::metadata(path).map_or(0, |meta| meta.len())).collect();
    let bar = Progress::opening(args.quiet, sizes.iter().sum());
    let (mut sources, mut refused) = (Vec::new(), Vec::new());
    let mut done = 0;
    for (path, size) in args.files.iter().zip(sizes) {
        for opened in source::open(path, options, &|bytes| bar.bar.inc(bytes as u64)) {
            match opened {
                Ok(source) => sources.push(source),
                Err(error) => refused.push(error),
            }
        }
        done += size;
        bar.bar.set_position(done);
    }
    bar.bar.finish_and_clear();
    (sources, refused, bar)
}

/// Tells the user, on standard error, which inputs were not analysed and why.
fn report_refused(refused: &[InputError]) -> miette::Result<()> {
    let mut stderr = io::stderr().lock();
    for error in refused {
        let help = match error {
            InputError::Compressed { .. } => "raise the limit with --max-decompressed-size if the export is real",
            InputError::Io { .. } => "check the path",
            InputError::Empty { .. } | InputError::NotAnExport { .. } => {
                "exlint reads LDIF (ldifde, ldapsearch, ldbsearch) and csvde exports, also gzipped or zipped"
            }
        };
        written(writeln!(stderr, "{:?}", miette!(help = help, "{error}")))?;
    }
    Ok(())
}

fn check(args: CheckArgs, color: ColorChoice, stdout: &mut dyn Write) -> miette::Result<Outcome> {
    let started = Instant::now();
    let (sources, refused, bar) = open_inputs(&args);
    report_refused(&refused)?;
    if sources.is_empty() {
        return Ok(Outcome::Refused);
    }
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
    let bar = bar.reading(&sources);
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
    let color = args.output.is_none() && color.colors(io::stdout().is_terminal());
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
    Ok(match () {
        () if !refused.is_empty() => Outcome::Refused,
        () if failed => Outcome::Findings,
        () => Outcome::Clean,
    })
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
    if let Some(day) = args.as_of {
        options.as_of = day;
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

/// A progress bar on stderr while big inputs are decompressed, then read; hidden unless stderr
/// is a terminal, so that it never mixes with output that is piped or redirected.
struct Progress {
    bar: ProgressBar,
    shown: bool,
}

impl Progress {
    /// Text read past this size shows the bar.
    const SHOWN_ABOVE: u64 = 50_000_000;
    /// Files past this size show it while they are opened: compressed, an export holds twenty
    /// to fifty times more.
    const SHOWN_OPENING_ABOVE: u64 = Progress::SHOWN_ABOVE / 50;

    /// The bar while the inputs, `total` bytes on disk, are opened and decompressed.
    fn opening(quiet: bool, total: u64) -> Progress {
        let shown = !quiet && io::stderr().is_terminal();
        Progress { bar: Progress::styled(shown, total, Progress::SHOWN_OPENING_ABOVE, "opening"), shown }
    }

    fn styled(shown: bool, total: u64, shown_above: u64, stage: &str) -> ProgressBar {
        if !shown || total <= shown_above {
            return ProgressBar::hidden();
        }
        let template = format!("{stage:>7} {{bar:40}} {{bytes}}/{{total_bytes}} {{bytes_per_sec}} {{eta}}");
        let style = ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar());
        ProgressBar::new(total).with_style(style)
    }

    /// The bar while the text of `sources` is read.
    fn reading(self, sources: &[Source]) -> ProgressBar {
        let total: usize = sources.iter().map(|source| source.text().len()).sum();
        Progress::styled(self.shown, total as u64, Progress::SHOWN_ABOVE, "reading")
    }
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
