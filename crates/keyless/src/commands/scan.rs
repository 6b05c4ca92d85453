//! `keyless scan` and `keyless hook install`.

use std::collections::BTreeMap;

use keyless_aws::{AwsError, CallerIdentity, ErrorKind, KeyPair, Target};
use keyless_rules::Severity;
use keyless_scan::git::Status;
use keyless_scan::history::{scan_history, Introduction, Origin, Progress};
use keyless_scan::report::{self, Baseline};
use keyless_scan::tree::{scan_staged, scan_tree, Options, Report};
use std::io::IsTerminal;

use crate::cli::{HookCommand, ScanArgs};
use crate::output::{self, out, paint, CliError, BOLD, DIM, ERROR, GOOD, INFO, WARNING};
use crate::Outcome;

fn label(s: Severity) -> String {
    match s {
        Severity::Error => paint(ERROR, "error"),
        Severity::Warning => paint(WARNING, "warning"),
        Severity::Info => paint(INFO, "info"),
    }
}

/// The first sentence of a rule's `## Fix` section.
fn fix_of(id: &str) -> Option<String> {
    let fix = keyless_scan::registry::lookup(id)?.section("Fix")?;
    Some(
        fix.split(". ")
            .next()?
            .replace('\n', " ")
            .trim_end_matches('.')
            .to_string(),
    )
}

/// What STS said of each key pair, by the index of its findings in the report.
type Verified = BTreeMap<usize, Verification>;

/// STS's answer for one key pair.
#[derive(Debug, Clone)]
enum Verification {
    Live(CallerIdentity),
    NotLive(AwsError),
    Unknown(AwsError),
}

impl Verification {
    fn from(r: Result<CallerIdentity, AwsError>) -> Self {
        match r {
            Ok(id) => Self::Live(id),
            // The codes STS gives a key that does not work.
            Err(e)
                if e.kind == ErrorKind::Service
                    && matches!(
                        e.code.as_deref(),
                        Some(
                            "InvalidClientTokenId"
                                | "SignatureDoesNotMatch"
                                | "ExpiredToken"
                                | "ExpiredTokenException"
                                | "UnrecognizedClientException"
                        )
                    ) =>
            {
                Self::NotLive(e)
            }
            Err(e) => Self::Unknown(e),
        }
    }

    fn line(&self) -> String {
        match self {
            Self::Live(id) => format!(
                "{}: the key is live and belongs to {} (account {}); deactivate it now",
                paint(ERROR, "verified with STS"),
                id.arn,
                id.account
            ),
            Self::NotLive(e) => format!(
                "verified with STS: not live ({}) in the commercial AWS partition (GovCloud and China keys are checked there too); still remove it",
                e.code.as_deref().unwrap_or("refused")
            ),
            Self::Unknown(e) => format!("verified with STS: could not tell ({e})"),
        }
    }

    fn json(&self) -> serde_json::Value {
        match self {
            Self::Live(id) => serde_json::json!({
                "live": true, "account": id.account, "arn": id.arn, "user_id": id.user_id,
            }),
            Self::NotLive(e) => serde_json::json!({
                "live": false, "code": e.code, "message": e.message,
            }),
            Self::Unknown(e) => serde_json::json!({
                "live": null, "code": e.code, "message": e.message,
            }),
        }
    }
}

/// Checks every AWS key pair in the report with STS, concurrently.
fn verify(report: &Report, args: &ScanArgs) -> Result<Verified, CliError> {
    let pairs = keyless_scan::pairs::key_pairs(&report.findings);
    let mut verified = Verified::new();
    if pairs.is_empty() {
        return Ok(verified);
    }
    let secret = |i: usize| report.findings[i].finding.secret.clone();
    let keys = pairs
        .iter()
        .map(|p| KeyPair {
            access_key_id: secret(p.key_id),
            secret_access_key: secret(p.secret),
            session_token: p.session_token.map(secret),
        })
        .collect();
    let target = Target {
        endpoint_url: args.endpoint_url.clone(),
        region: Some("us-east-1".into()),
        ..Target::default()
    };
    let rt = keyless_aws::client::runtime()
        .map_err(|e| CliError::new(format!("cannot start the network runtime: {e}")))?;
    let results = rt.block_on(keyless_aws::verify_key_pairs(keys, &target));
    for (p, r) in pairs.iter().zip(results) {
        let v = Verification::from(r);
        for i in [Some(p.key_id), Some(p.secret), p.session_token]
            .into_iter()
            .flatten()
        {
            verified.insert(i, v.clone());
        }
    }
    Ok(verified)
}

/// Adds each finding's verification to the JSON report (matched by place, since the report
/// leaves out findings in the baseline and one key can appear in many files).
fn add_verification(json: &mut serde_json::Value, report: &Report, verified: &Verified) {
    let place = |path: &str, inside: Option<&str>, line: usize, column: usize| {
        format!("{path}:{}:{line}:{column}", inside.unwrap_or(""))
    };
    let by_place: BTreeMap<String, serde_json::Value> = verified
        .iter()
        .map(|(&i, v)| {
            let f = &report.findings[i];
            let inside = f.finding.inside.as_deref();
            (
                place(&f.path, inside, f.finding.line, f.finding.column),
                v.json(),
            )
        })
        .collect();
    if let Some(list) = json["findings"].as_array_mut() {
        for f in list {
            let key = place(
                f["path"].as_str().unwrap_or_default(),
                f["inside"].as_str(),
                f["line"].as_u64().unwrap_or_default() as usize,
                f["column"].as_u64().unwrap_or_default() as usize,
            );
            if let Some(v) = by_place.get(&key) {
                f["verified"] = v.clone();
            }
        }
    }
}

fn human(
    report: &Report,
    args: &ScanArgs,
    baseline: &Baseline,
    verified: &Verified,
) -> (String, bool) {
    let mut s = String::new();
    let mut failing = false;
    for (index, f) in report.findings.iter().enumerate() {
        if baseline.contains(&f.finding.fingerprint()) {
            continue;
        }
        let shown = report::show(&f.finding.secret, args.show_secrets);
        let mut head = format!(
            "{}{}: {} `{shown}`",
            label(f.finding.severity),
            paint(BOLD, format!("[{}]", f.finding.id)),
            f.finding.name
        );
        if let Some(d) = &f.finding.detail {
            head.push_str(&format!(" ({d})"));
        }
        s.push_str(&head);
        s.push('\n');
        let mut loc = format!("{}:{}:{}", f.path, f.finding.line, f.finding.column);
        if let Some(i) = &f.finding.inside {
            loc.push_str(&format!(" ({i})"));
        }
        if !f.finding.layers.is_empty() {
            loc.push_str(&format!(" (decoded: {})", f.finding.layers.join(", ")));
        }
        let status = f
            .status
            .map(|st| format!(" {}", paint(DIM, format!("[{}]", st.as_str()))))
            .unwrap_or_default();
        s.push_str(&format!("  {} {loc}{status}\n", paint(INFO, "-->")));
        if let Some(v) = verified.get(&index) {
            s.push_str(&format!("   {} {}\n", paint(INFO, "="), v.line()));
        }
        match &f.finding.allowed {
            Some(reason) => s.push_str(&format!("   {} allowed: {reason}\n", paint(INFO, "="))),
            None => {
                failing = true;
                if let Some(fix) = fix_of(f.finding.id) {
                    s.push_str(&format!("   {} fix: {fix}\n", paint(INFO, "=")));
                }
                if let Some(origin) = &f.origin {
                    for line in history_lines(origin) {
                        s.push_str(&format!("   {} {line}\n", paint(INFO, "=")));
                    }
                }
                if f.status == Some(Status::Tracked) {
                    s.push_str(&format!("   {} the file is tracked: deleting it does not remove the key from git history; rotate the key\n", paint(INFO, "=")));
                }
            }
        }
        s.push('\n');
    }
    for f in &report.file_findings {
        failing |= f.severity == Severity::Error;
        s.push_str(&format!(
            "{}{}: {}\n  {} {}\n\n",
            label(f.severity),
            paint(BOLD, format!("[{}]", f.id)),
            f.message,
            paint(INFO, "-->"),
            f.path
        ));
    }
    if args.verbose {
        for (p, why) in &report.skipped {
            s.push_str(&format!("{} {p}: {why}\n", paint(DIM, "skipped")));
        }
    } else if !report.skipped.is_empty() {
        // One line per reason: a tree with a hundred images is not a hundred lines of news.
        let mut reasons: Vec<(&str, usize)> = Vec::new();
        for (_, why) in &report.skipped {
            let reason = why.split(':').next().unwrap_or(why).trim();
            match reasons.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, n)) => *n += 1,
                None => reasons.push((reason, 1)),
            }
        }
        let list: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
        s.push_str(&format!(
            "{} {}: {}; --verbose lists them\n",
            paint(DIM, "skipped"),
            output::count(report.skipped.len(), "file", "files"),
            list.join(", ")
        ));
    }
    let shown: Vec<_> = report
        .findings
        .iter()
        .filter(|f| !baseline.contains(&f.finding.fingerprint()))
        .collect();
    let allowed = shown.iter().filter(|f| f.finding.allowed.is_some()).count();
    let count = shown.len() - allowed;
    let mut extra = String::new();
    if allowed > 0 {
        extra.push_str(&format!("; {allowed} allowed by comment"));
    }
    let in_baseline = report.findings.len() - shown.len();
    if in_baseline > 0 {
        extra.push_str(&format!("; {in_baseline} in the baseline"));
    }
    if !report.skipped.is_empty() {
        extra.push_str(&format!("; {} skipped", report.skipped.len()));
    }
    let summary = format!(
        "{}, {} in {} ({}){extra}\n",
        output::count(count, "credential finding", "credential findings"),
        output::count(report.file_findings.len(), "file finding", "file findings"),
        output::count(report.files, "file", "files"),
        output::count(report.bytes as usize, "byte", "bytes"),
    );
    if count == 0 && report.file_findings.is_empty() {
        s.push_str(&format!(
            "{} no credentials found: {summary}",
            paint(GOOD, "ok:")
        ));
    } else {
        s.push_str(&format!("{}: {summary}", paint(BOLD, "summary")));
    }
    (s, failing)
}

/// A one-line progress display on stderr when it is a terminal; nothing when piped.
fn progress_bar() -> impl Fn(Progress) + Sync {
    let tty = std::io::stderr().is_terminal();
    move |p: Progress| {
        if !tty {
            return;
        }
        let line = match p.total {
            Some(t) if t > 0 => {
                let width = 30;
                let filled = p.done * width / t;
                format!(
                    "{:>8} [{}{}] {}/{t}",
                    p.phase,
                    "=".repeat(filled),
                    " ".repeat(width - filled),
                    p.done
                )
            }
            _ => format!("{:>8} {}…", p.phase, p.done),
        };
        output::err(&format!("\r\x1b[2K{line}"));
    }
}

/// Where a finding from history came from, and what to do about it.
fn history_lines(origin: &Origin) -> Vec<String> {
    let mut lines = Vec::new();
    let describe = |i: &Introduction| match (&i.commit, i.time) {
        (Some(c), Some(t)) => format!(
            "commit {} ({}) at {}",
            &c[..12.min(c.len())],
            keyless_config::time::format_rfc3339(t),
            i.path
        ),
        _ => format!("{} (a reference to the object itself)", i.path),
    };
    if let Some(first) = origin.introduced.first() {
        lines.push(format!("introduced in {}", describe(first)));
    }
    if let Some(rule) = origin.introduced.iter().find_map(|i| i.ignored_by.as_ref()) {
        lines.push(format!(
            "the file was ignored ({rule}) when it was committed: it was force-added (`git add -f`)"
        ));
    }
    let more = origin.introduced.len().saturating_sub(1);
    if more > 0 {
        lines.push(format!(
            "also introduced in {}{}",
            origin.introduced[1..]
                .iter()
                .take(3)
                .map(describe)
                .collect::<Vec<_>>()
                .join("; "),
            if more > 3 {
                format!(" and {} more", more - 3)
            } else {
                String::new()
            }
        ));
    }
    lines.push("in git history: deleting the file or rewriting history does not make the key safe (clones, forks and caches keep it); rotate the key now".into());
    lines
}

pub fn run(args: ScanArgs) -> Result<Outcome, CliError> {
    if let Some(id) = &args.explain {
        let rule = keyless_scan::registry::lookup(id).ok_or_else(|| {
            CliError::new(format!("no scan rule `{id}`"))
                .hint("docs/scan-rules.md lists every rule (KS101–KS108, KS201–KS203)")
        })?;
        out(&format!(
            "# {} {}\n\n{}",
            rule.id,
            rule.name,
            rule.doc_markdown()
        ));
        return Ok(Outcome::Clean);
    }
    let opts = Options {
        binary: args.binary,
        max_file_size: args.max_file_size,
        ..Options::default()
    };
    let baseline = match &args.baseline {
        Some(p) => {
            let text = keyless_config::fs::read_text(p)?
                .ok_or_else(|| CliError::new(format!("{}: no such baseline file", p.display())))?;
            Baseline::parse(&text).map_err(|e| {
                let hint = e.hint();
                CliError::new(format!("{}: {e}", p.display())).hint(hint)
            })?
        }
        None => Baseline::default(),
    };
    let report = if args.history {
        let progress = progress_bar();
        let r = scan_history(&args.path, args.since.as_deref(), &opts, &progress)
            .map_err(CliError::from);
        if std::io::stderr().is_terminal() {
            output::err("\r\x1b[2K");
        }
        r?
    } else if args.staged {
        scan_staged(&args.path, &opts)?
    } else if let Some(file) = &args.commit_msg {
        let text = keyless_config::fs::read_text(file)?.ok_or_else(|| {
            CliError::new(format!("{}: no such file", file.display()))
                .hint("Git passes the message file to the commit-msg hook: keyless scan --commit-msg \"$1\"")
        })?;
        keyless_scan::tree::scan_commit_message(&text, &opts)
    } else {
        if !args.path.exists() {
            return Err(CliError::new(format!(
                "{}: no such file or directory",
                args.path.display()
            )));
        }
        scan_tree(&args.path, &opts)
    };
    if let Some(p) = &args.write_baseline {
        let w =
            keyless_config::fs::write_atomic(p, &output::json(&report::baseline_json(&report)))?;
        output::err(&format!(
            "{} {} ({} findings)\n",
            paint(GOOD, "wrote baseline"),
            w.path.display(),
            report.findings.len()
        ));
    }
    let failing_findings = report
        .findings
        .iter()
        .any(|f| f.finding.allowed.is_none() && !baseline.contains(&f.finding.fingerprint()))
        || report
            .file_findings
            .iter()
            .any(|f| f.severity == Severity::Error);
    let verified = if args.verify {
        verify(&report, &args)?
    } else {
        Verified::new()
    };
    if args.sarif {
        out(&output::json(&report::sarif_report(
            &report,
            args.show_secrets,
            &baseline,
            env!("CARGO_PKG_VERSION"),
        )));
    } else if args.json {
        let mut json = report::json_report(&report, args.show_secrets, &baseline);
        add_verification(&mut json, &report, &verified);
        out(&output::json(&json));
    } else {
        out(&human(&report, &args, &baseline, &verified).0);
    }
    Ok(if failing_findings && args.write_baseline.is_none() {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// The first line after the shebang of every hook keyless writes: how `hook install`
/// recognises its own hook (to update it) from another tool's (left alone without --force).
const HOOK_MARK: &str = "# Installed by `keyless hook install`";

/// A hook script: `keyless ARGS` from PATH, else the binary that installed the hook (Git
/// runs hooks with the PATH of whatever started it, which in a GUI client or an editor is
/// often not the shell's), else a message saying why the commit stops.
fn hook_script(installer: Option<&std::path::Path>, what: &str, args: &str) -> String {
    let quote = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
    let mut s = format!(
        "#!/bin/sh\n{HOOK_MARK}: refuse commits that add AWS, Bedrock or Anthropic credentials {what}.\n\
         # Skip once with `git commit --no-verify`; mark a reviewed line with `keyless:allow <reason>`.\n\
         if command -v keyless >/dev/null 2>&1; then exec keyless {args}; fi\n"
    );
    let mut missing = "keyless is not on PATH".to_string();
    if let Some(p) = installer.and_then(|p| p.to_str()) {
        s.push_str(&format!(
            "if [ -x {q} ]; then exec {q} {args}; fi\n",
            q = quote(p)
        ));
        missing = format!("keyless is not on PATH and {p} is gone");
    }
    s.push_str(&format!(
        "echo {} >&2\nexit 1\n",
        quote(&format!(
            "keyless hook: {missing}; install keyless (or run `keyless hook install` again), or commit with --no-verify"
        ))
    ));
    s
}

/// The hooks `keyless hook install` writes: the staged files, and the message.
const HOOKS: &[(&str, &str, &str)] = &[
    ("pre-commit", "in their files", "scan --staged"),
    ("commit-msg", "in their message", "scan --commit-msg \"$1\""),
];

pub fn hook(command: HookCommand) -> Result<Outcome, CliError> {
    let HookCommand::Install { force } = command;
    let installer = std::env::current_exe().ok();
    // Check every hook before writing any: another tool's hook stops the install whole.
    let mut plan = Vec::new();
    for (name, what, args) in HOOKS {
        let out_git = std::process::Command::new("git")
            .args(["rev-parse", "--git-path", &format!("hooks/{name}")])
            .output();
        let path = match out_git {
            Ok(o) if o.status.success() => {
                std::path::PathBuf::from(String::from_utf8_lossy(&o.stdout).trim())
            }
            _ => {
                return Err(CliError::new("not inside a git repository")
                    .hint("run `keyless hook install` at the root of your repository"))
            }
        };
        let script = hook_script(installer.as_deref(), what, args);
        match keyless_config::fs::read_text(&path)? {
            Some(existing) if existing == script => {
                out(&format!(
                    "{} {} already runs keyless\n",
                    paint(GOOD, "ok:"),
                    path.display()
                ));
                continue;
            }
            Some(existing) => {
                let ours = existing
                    .lines()
                    .nth(1)
                    .is_some_and(|l| l.starts_with(HOOK_MARK));
                if !force && !ours {
                    return Err(CliError::new(format!(
                        "{} exists and is not keyless's",
                        path.display()
                    ))
                    .hint(format!("add `keyless {args}` to it yourself, or pass --force to replace it (a backup is kept)")));
                }
            }
            None => {}
        }
        plan.push((path, script));
    }
    for (path, script) in plan {
        let w = keyless_config::fs::write_atomic(&path, &script)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
                .map_err(|e| CliError::new(format!("{}: {e}", path.display())))?;
        }
        let backup = w
            .backup
            .map(|b| format!(" (previous hook saved as {})", b.display()))
            .unwrap_or_default();
        out(&format!(
            "{} {}{backup}\n",
            paint(GOOD, "installed"),
            path.display()
        ));
    }
    Ok(Outcome::Clean)
}
