//! Completions, man page and the generated findings reference.

use std::path::Path;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::output::{out, CliError};
use crate::Outcome;

pub fn completions(shell: clap_complete::Shell) -> Result<Outcome, CliError> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "keyless", &mut buf);
    out(&String::from_utf8_lossy(&buf));
    Ok(Outcome::Clean)
}

pub fn man() -> Result<Outcome, CliError> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(|e| CliError::new(format!("cannot render the man page: {e}")))?;
    out(&String::from_utf8_lossy(&buf));
    Ok(Outcome::Clean)
}

/// Writes (or with `check`, compares) `docs/findings.md`.
pub fn generate(check: bool, root: &Path) -> Result<Outcome, CliError> {
    let path = root.join("docs/findings.md");
    let want = keyless_doctor::docs::findings_markdown();
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    if have == want {
        out(&format!("{} is up to date\n", path.display()));
        return Ok(Outcome::Clean);
    }
    if check {
        return Err(CliError::new(format!("{} is out of date", path.display()))
            .hint("run `cargo run -p keyless -- generate-docs`"));
    }
    std::fs::create_dir_all(path.parent().unwrap_or(root))
        .map_err(|e| CliError::new(e.to_string()))?;
    std::fs::write(&path, want).map_err(|e| CliError::new(format!("{}: {e}", path.display())))?;
    out(&format!("wrote {}\n", path.display()));
    Ok(Outcome::Clean)
}
