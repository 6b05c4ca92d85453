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

/// Writes (or with `check`, compares) the generated references: each family's page
/// (`docs/findings.md`, `docs/policy-lints.md`, `docs/scan-rules.md`) and every rule's own
/// page under `docs/rules/`.
pub fn generate(check: bool, root: &Path) -> Result<Outcome, CliError> {
    let mut docs = vec![
        (
            "docs/findings.md".to_string(),
            keyless_doctor::docs::findings_markdown(),
        ),
        (
            "docs/policy-lints.md".to_string(),
            keyless_iam::lint::docs_markdown(),
        ),
        (
            "docs/scan-rules.md".to_string(),
            keyless_scan::report::docs_markdown(),
        ),
    ];
    for (name, page) in keyless_doctor::docs::pages()
        .into_iter()
        .chain(keyless_iam::lint::pages())
        .chain(keyless_scan::report::pages())
    {
        docs.push((format!("docs/rules/{name}"), page));
    }
    let mut stale = Vec::new();
    let mut fresh = 0;
    for (rel, want) in docs {
        let path = root.join(rel);
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        if have == want {
            fresh += 1;
            continue;
        }
        if check {
            stale.push(path.display().to_string());
            continue;
        }
        std::fs::create_dir_all(path.parent().unwrap_or(root))
            .map_err(|e| CliError::new(e.to_string()))?;
        std::fs::write(&path, want)
            .map_err(|e| CliError::new(format!("{}: {e}", path.display())))?;
        out(&format!("wrote {}\n", path.display()));
    }
    if !stale.is_empty() {
        return Err(CliError::new(format!("out of date: {}", stale.join(", ")))
            .hint("run `cargo run -p keyless -- generate-docs`"));
    }
    out(&format!("{fresh} generated files were up to date\n"));
    Ok(Outcome::Clean)
}
