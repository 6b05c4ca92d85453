//! The `keyless` binary: argument parsing, dispatch, rendering and exit codes. All the
//! work happens in the library crates; each subcommand is one call into them.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

use std::process::ExitCode;

use clap::Parser;

mod cli;
mod commands;
mod output;

use cli::{Cli, ColorChoice, Command};
use output::{err, paint, CliError, ERROR, GOOD};

/// What a command found: decides the exit status.
pub enum Outcome {
    /// Nothing wrong (0).
    Clean,
    /// Findings of severity error (1).
    Findings,
    /// The exit status of a command keyless ran (`sandbox -- COMMAND`).
    Exit(u8),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print and exit 0; usage errors exit 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.color {
        ColorChoice::Always => anstream::ColorChoice::Always.write_global(),
        ColorChoice::Never => anstream::ColorChoice::Never.write_global(),
        ColorChoice::Auto => {}
    }
    match run(cli.command) {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Ok(Outcome::Exit(code)) => ExitCode::from(code),
        Err(e) => {
            err(&format!("{}: {}\n", paint(ERROR, "error"), e.message));
            if let Some(h) = e.hint {
                err(&format!("{}: {h}\n", paint(GOOD, "hint")));
            }
            ExitCode::from(2)
        }
    }
}

/// `--format json` and `--json` are one choice whichever a command documents first; this
/// folds `--format` into the flags the commands read.
fn unify_formats(command: &mut Command) {
    use cli::{OutputFormat, PolicyCommand, ScanFormat};
    match command {
        Command::Doctor(a) => a.json |= a.format.is_json(),
        Command::Init(a) => a.json |= a.format.is_json(),
        Command::Models(a) => a.json |= a.format == Some(OutputFormat::Json),
        Command::Profiles(a) => a.json |= a.format.is_json(),
        Command::Sandbox(a) => a.json |= a.format.is_json(),
        Command::Scan(a) => match a.format {
            Some(ScanFormat::Json) => a.json = true,
            Some(ScanFormat::Sarif) => a.sarif = true,
            _ => {}
        },
        Command::Policy { command } => match command {
            PolicyCommand::Lint(a) => a.json |= a.format.is_json(),
            PolicyCommand::Simulate(a) => a.json |= a.format.is_json(),
            PolicyCommand::Check(a) => a.json |= a.format.is_json(),
            PolicyCommand::Bedrock(a) if a.json => a.format = cli::FormatArg::Json,
            PolicyCommand::Trust(a) if a.json => a.format = cli::FormatArg::Json,
            _ => {}
        },
        _ => {}
    }
}

fn run(mut command: Command) -> Result<Outcome, CliError> {
    unify_formats(&mut command);
    match command {
        Command::Doctor(args) => commands::doctor::run(args),
        Command::Init(args) => commands::init::run(*args),
        Command::Models(args) => commands::models::run(args),
        Command::Profiles(args) => commands::profiles::run(args),
        Command::Policy { command } => commands::policy::run(command),
        Command::Scan(args) => commands::scan::run(*args),
        Command::Hook { command } => commands::scan::hook(command),
        Command::Sandbox(args) => commands::sandbox::run(*args),
        Command::Completions { shell } => commands::docs::completions(shell),
        Command::Man => commands::docs::man(),
        Command::GenerateDocs { check, root } => commands::docs::generate(check, &root),
    }
}
