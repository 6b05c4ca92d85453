//! Writing to the terminal: styles (only where colour is wanted), a quiet exit on a
//! closed pipe, and the error type every command returns.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use anstyle::{AnsiColor, Style};

/// Styles. anstream strips them when colour is off (not a terminal, NO_COLOR, --color never).
pub const ERROR: Style = AnsiColor::Red.on_default().bold();
/// Warning style.
pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
/// Info style.
pub const INFO: Style = AnsiColor::Cyan.on_default().bold();
/// Emphasis.
pub const BOLD: Style = Style::new().bold();
/// Dimmed text.
pub const DIM: Style = Style::new().dimmed();
/// Good news and hints.
pub const GOOD: Style = AnsiColor::Green.on_default().bold();
/// Added lines in a diff.
pub const ADDED: Style = AnsiColor::Green.on_default();
/// Removed lines in a diff.
pub const REMOVED: Style = AnsiColor::Red.on_default();

/// Wraps `text` in `style`.
pub fn paint(style: Style, text: impl std::fmt::Display) -> String {
    format!("{style}{text}{style:#}")
}

/// A failure to run (exit status 2): what went wrong and, when known, what to do next.
#[derive(Debug)]
pub struct CliError {
    /// What failed.
    pub message: String,
    /// What to do next.
    pub hint: Option<String>,
}

impl CliError {
    /// An error without a hint.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl From<keyless_iam::generate::GenerateError> for CliError {
    fn from(e: keyless_iam::generate::GenerateError) -> Self {
        Self::new(e.to_string()).hint(e.hint())
    }
}

impl From<keyless_sandbox::principals::PolicyFileError> for CliError {
    fn from(e: keyless_sandbox::principals::PolicyFileError) -> Self {
        Self::new(e.to_string()).hint(e.hint())
    }
}

impl From<keyless_scan::ScanError> for CliError {
    fn from(e: keyless_scan::ScanError) -> Self {
        Self::new(e.to_string()).hint(e.hint())
    }
}

impl From<keyless_config::FileError> for CliError {
    fn from(e: keyless_config::FileError) -> Self {
        let hint = if e.line.is_some() {
            "fix the file at that line, then run the command again; keyless wrote nothing"
        } else {
            "keyless wrote nothing"
        };
        Self::new(e.to_string()).hint(hint)
    }
}

/// `1 error`, `2 errors`: a count with its noun in the right number.
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// Writes `text` to stdout. A closed pipe (`keyless models | head`) ends the program
/// quietly with status 0, as Unix tools do.
pub fn out(text: &str) {
    let mut stdout = anstream::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        if e.kind() == io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
}

/// Writes `text` to stderr (diagnostics, progress, prompts).
pub fn err(text: &str) {
    let mut stderr = anstream::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
    let _ = stderr.flush();
}

/// Serialises `value` as pretty JSON followed by a newline.
pub fn json(value: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("a serde_json::Value always serialises");
    s.push('\n');
    s
}

/// Whether a person is at the keyboard (stdin and stderr are terminals).
pub fn interactive() -> bool {
    io::stdin().is_terminal() && io::stderr().is_terminal()
}

/// Asks a yes/no question on stderr; `default` is the answer to an empty line.
pub fn confirm(question: &str, default: bool) -> bool {
    err(&format!(
        "{question} {} ",
        if default { "[Y/n]" } else { "[y/N]" }
    ));
    let mut line = String::new();
    if io::stdin().read_line(&mut line).is_err() {
        return false;
    }
    match line.trim().to_ascii_lowercase().as_str() {
        "" => default,
        "y" | "yes" => true,
        _ => false,
    }
}

/// Asks for a value on stderr, showing `default`; an empty line takes the default.
pub fn ask(question: &str, default: Option<&str>) -> Option<String> {
    match default {
        Some(d) => err(&format!("{question} [{d}]: ")),
        None => err(&format!("{question}: ")),
    }
    let mut line = String::new();
    io::stdin().read_line(&mut line).ok()?;
    let v = line.trim();
    if v.is_empty() {
        default.map(str::to_string)
    } else {
        Some(v.to_string())
    }
}

/// `path` with the home directory shown as `~`.
pub fn display_path(path: &Path, home: Option<&Path>) -> String {
    keyless_config::env::display_path(path, home)
}

/// A coloured unified diff.
pub fn render_diff(diff: &str) -> String {
    let mut s = String::new();
    for line in diff.lines() {
        let styled = if line.starts_with("+++") || line.starts_with("---") {
            paint(BOLD, line)
        } else if line.starts_with('+') {
            paint(ADDED, line)
        } else if line.starts_with('-') {
            paint(REMOVED, line)
        } else if line.starts_with("@@") {
            paint(INFO, line)
        } else {
            line.to_string()
        };
        s.push_str(&styled);
        s.push('\n');
    }
    s
}
