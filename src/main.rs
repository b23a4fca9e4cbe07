use std::io::{self, IsTerminal};
use std::process::ExitCode;

use clap::Parser;
use exlint::cli::{Cli, Outcome, run};

#[cfg(feature = "heap-stats")]
mod heap_stats;

#[cfg(feature = "heap-stats")]
#[global_allocator]
static ALLOCATOR: heap_stats::Counting = heap_stats::Counting;

#[allow(clippy::print_stderr)]
fn main() -> ExitCode {
    let cli = Cli::parse();
    // Errors go to stderr unwrapped, so that a message stays one line to read or grep.
    // Setting it fails only if a hook is already set, and nothing else sets one.
    let color = cli.color.colors(io::stderr().is_terminal());
    let _ = miette::set_hook(Box::new(move |_| {
        Box::new(miette::MietteHandlerOpts::new().wrap_lines(false).color(color).build())
    }));
    let outcome = run(cli, &mut io::stdout().lock());
    #[cfg(feature = "heap-stats")]
    eprintln!("exlint: peak heap {} bytes", heap_stats::peak());
    match outcome {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Ok(Outcome::Refused) => ExitCode::from(2),
        Err(report) => {
            eprintln!("{report:?}");
            ExitCode::from(2)
        }
    }
}
