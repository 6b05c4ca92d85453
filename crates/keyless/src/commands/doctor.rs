//! `keyless doctor`.

use keyless_config::edit::plan;
use keyless_config::Environment;
use keyless_doctor::live::{Failure, FailureKind, LiveReport};
use keyless_doctor::{docs, registry, Context, Finding};
use keyless_rules::Severity;
use serde_json::json;

use crate::cli::DoctorArgs;
use crate::output::{
    self, confirm, display_path, interactive, out, paint, render_diff, CliError, BOLD, DIM, ERROR,
    GOOD, INFO, WARNING,
};
use crate::Outcome;

/// JSON schema version of `doctor --json`.
pub const SCHEMA: u32 = 1;

pub fn run(args: DoctorArgs) -> Result<Outcome, CliError> {
    if let Some(id) = &args.explain {
        let rule = registry::lookup(id).ok_or_else(|| {
            CliError::new(format!("no finding `{id}`"))
                .hint("`keyless doctor --json` lists the IDs; docs/findings.md documents them all")
        })?;
        out(&format!(
            "# {} {}\n\n{}",
            rule.id,
            rule.name,
            docs::explain(rule)
        ));
        return Ok(Outcome::Clean);
    }
    let now = super::now()?;
    let mut cx = Context::load(Environment::from_process(), now)?;
    if args.live {
        if !(args.timeout > 0.0 && args.timeout <= 600.0) {
            return Err(CliError::new("--timeout must be between 0 and 600 seconds"));
        }
        let opts = keyless_doctor::probe::ProbeOptions {
            timeout: std::time::Duration::from_secs_f64(args.timeout),
            endpoint_url: args.endpoint_url.clone(),
            invoke: !args.no_invoke,
        };
        cx.live = Some(
            keyless_doctor::probe::probe(&cx, &opts).map_err(|e| CliError::new(e.to_string()))?,
        );
    }
    let findings = keyless_doctor::run(&cx);
    if args.fix {
        return fix(&cx, &findings, &args, now);
    }
    if args.json {
        out(&output::json(&to_json(&cx, &findings)));
    } else {
        out(&human(&cx, &findings));
    }
    Ok(outcome(&findings))
}

fn outcome(findings: &[Finding]) -> Outcome {
    if findings.iter().any(|f| f.severity == Severity::Error) {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}

fn to_json(cx: &Context, findings: &[Finding]) -> serde_json::Value {
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    json!({
        "schema": SCHEMA,
        "context": {
            "bedrock_mode": cx.bedrock_mode(),
            "profile": cx.profile_name(),
            "region": cx.region(),
            "catalog_as_of": cx.catalog.as_of.to_string(),
        },
        "findings": findings.iter().map(|f| json!({
            "id": f.id,
            "name": f.name,
            "severity": f.severity.as_str(),
            "message": f.message,
            "file": f.file.as_ref().map(|p| p.display().to_string()),
            "line": f.line,
            "why": f.why,
            "fix": f.fix.as_ref().map(|x| json!({
                "description": x.description,
                "command": x.command,
                "automatic": !x.edits.is_empty(),
            })),
        })).collect::<Vec<_>>(),
        "live": cx.live.as_ref().map(|l| live_json(l, cx.now)),
        "summary": { "error": count(Severity::Error), "warning": count(Severity::Warning), "info": count(Severity::Info) },
    })
}

fn failure_json(f: &Failure) -> serde_json::Value {
    json!({"code": f.code, "message": f.message, "status": f.status})
}

fn live_json(l: &LiveReport, now: i64) -> serde_json::Value {
    let result = |r: Result<serde_json::Value, &Failure>| match r {
        Ok(v) => json!({"ok": true, "value": v}),
        Err(f) => json!({"ok": false, "error": failure_json(f)}),
    };
    json!({
        "profile": l.profile,
        "region": l.region,
        "endpoint": l.endpoint,
        "credentials": result(l.credentials.as_ref().map(|c| json!({
            "source": c.source,
            "access_key_id": c.key_id,
            "long_lived": c.long_lived,
            "expires": c.expires.map(keyless_config::time::format_rfc3339),
            "expires_in_seconds": c.expires.map(|e| e - now),
        }))),
        "identity": l.identity.as_ref().map(|r| result(r.as_ref().map(|i| json!({"account": i.account, "arn": i.arn})))),
        "inference_profiles": l.list_profiles.as_ref().map(|r| result(r.as_ref().map(|n| json!(n)))),
        "models": l.models.iter().map(|m| json!({
            "variable": m.variable,
            "id": m.id,
            "region": m.region,
            "profile": m.profile.as_ref().map(|r| result(r.as_ref().map(|d| json!({"destinations": d})))),
            "invoke": m.invoke.as_ref().map(|r| result(r.as_ref().map(|_| json!(null)))),
        })).collect::<Vec<_>>(),
    })
}

/// A failed probe in one phrase: AWS's code, or what happened.
fn brief(f: &Failure) -> String {
    match (&f.code, f.kind) {
        (Some(c), _) => c.clone(),
        (None, FailureKind::Credentials) => "not sent: no credentials".into(),
        (None, FailureKind::Timeout) => "no answer before the deadline".into(),
        (None, _) => f.message.clone(),
    }
}

/// What the live probes saw, before the findings.
fn live_human(l: &LiveReport, now: i64) -> String {
    let mark = |ok: bool| {
        if ok {
            paint(GOOD, "ok  ")
        } else {
            paint(ERROR, "fail")
        }
    };
    let mut s = format!(
        "{}\n",
        paint(
            BOLD,
            format!(
                "live: profile {} · region {}{}",
                l.profile,
                l.region,
                l.endpoint
                    .as_ref()
                    .map(|e| format!(" · endpoint {e}"))
                    .unwrap_or_default()
            )
        )
    );
    match &l.credentials {
        Ok(c) => {
            let life = match c.expires {
                Some(e) if e > now => format!("temporary, expire in {} min", (e - now) / 60),
                Some(_) => "expired".to_string(),
                None if c.long_lived => "long-lived".to_string(),
                None => "no expiry given".to_string(),
            };
            s.push_str(&format!(
                "  {} credentials  {} · {} · {life}\n",
                mark(true),
                c.source,
                c.key_id
            ));
        }
        Err(f) => s.push_str(&format!("  {} credentials  {}\n", mark(false), f.message)),
    }
    if let Some(r) = &l.identity {
        match r {
            Ok(i) => s.push_str(&format!("  {} identity     {}\n", mark(true), i.arn)),
            Err(f) => s.push_str(&format!("  {} identity     {}\n", mark(false), brief(f))),
        }
    }
    if let Some(r) = &l.list_profiles {
        match r {
            Ok(n) => s.push_str(&format!(
                "  {} profiles     {n} system-defined inference profiles\n",
                mark(true)
            )),
            Err(f) => s.push_str(&format!("  {} profiles     {}\n", mark(false), brief(f))),
        }
    }
    for m in &l.models {
        let (ok, what) = match &m.invoke {
            Some(Ok(())) => (true, "invoked (max_tokens 1)".to_string()),
            Some(Err(f)) => (false, brief(f)),
            None => match &m.profile {
                Some(Ok(d)) => (true, format!("routes to {}", d.join(", "))),
                Some(Err(f)) => (false, brief(f)),
                None => (true, "not invoked (--no-invoke)".to_string()),
            },
        };
        let region = if m.region == l.region {
            String::new()
        } else {
            format!(" (in {})", m.region)
        };
        s.push_str(&format!(
            "  {} {}  {}{region} · {what}\n",
            mark(ok),
            m.variable,
            m.id
        ));
    }
    s.push('\n');
    s
}

fn severity_label(s: Severity) -> String {
    match s {
        Severity::Error => paint(ERROR, "error"),
        Severity::Warning => paint(WARNING, "warning"),
        Severity::Info => paint(INFO, "info"),
    }
}

/// The human report.
pub fn human(cx: &Context, findings: &[Finding]) -> String {
    let home = cx.env.home();
    let mut s = String::new();
    s.push_str(&paint(
        DIM,
        format!(
            "keyless doctor · profile {} · region {} · Bedrock mode {}\n\n",
            cx.profile_name(),
            cx.region().unwrap_or_else(|| "(none)".into()),
            if cx.bedrock_mode() { "on" } else { "off" }
        ),
    ));
    if let Some(l) = &cx.live {
        s.push_str(&live_human(l, cx.now));
    }
    for f in findings {
        s.push_str(&format!(
            "{}{}: {}\n",
            severity_label(f.severity),
            paint(BOLD, format!("[{}]", f.id)),
            f.message
        ));
        if let Some(file) = &f.file {
            let loc = match f.line {
                Some(l) => format!("{}:{l}", display_path(file, home)),
                None => display_path(file, home),
            };
            s.push_str(&format!("  {} {loc}\n", paint(INFO, "-->")));
        }
        s.push_str(&format!("   {} why: {}\n", paint(INFO, "="), f.why));
        if let Some(fix) = &f.fix {
            let mut line = format!("   {} fix: {}", paint(INFO, "="), fix.description);
            if let Some(cmd) = &fix.command {
                line.push_str(&format!(": {}", paint(BOLD, cmd)));
            } else if !fix.edits.is_empty() {
                line.push_str(&paint(DIM, " (keyless doctor --fix)"));
            }
            s.push_str(&line);
            s.push('\n');
        }
        s.push('\n');
    }
    let count = |sev: Severity| findings.iter().filter(|f| f.severity == sev).count();
    let (e, w, i) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    if findings.is_empty() {
        s.push_str(&format!("{} no problems found\n", paint(GOOD, "ok:")));
    } else {
        s.push_str(&format!(
            "{}: {}, {}, {}\n",
            paint(BOLD, "summary"),
            output::count(e, "error", "errors"),
            output::count(w, "warning", "warnings"),
            output::count(i, "note", "notes")
        ));
        let auto = findings
            .iter()
            .filter(|f| f.fix.as_ref().is_some_and(|x| !x.edits.is_empty()))
            .count();
        if auto > 0 {
            s.push_str(&format!(
                "{}: `keyless doctor --fix` applies {} of these fixes (it shows the diff first)\n",
                paint(GOOD, "hint"),
                auto
            ));
        }
    }
    s
}

fn fix(
    cx: &Context,
    findings: &[Finding],
    args: &DoctorArgs,
    now: i64,
) -> Result<Outcome, CliError> {
    let edits: Vec<_> = findings
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .flat_map(|f| f.edits.clone())
        .collect();
    let changes = plan(&edits)?;
    let home = cx.env.home();
    if changes.is_empty() {
        out(&human(cx, findings));
        out(&format!(
            "{} nothing that --fix can change mechanically\n",
            paint(GOOD, "fix:")
        ));
        return Ok(outcome(findings));
    }
    for c in &changes {
        out(&render_diff(&c.diff()));
    }
    if args.dry_run {
        out(&format!(
            "{} dry run: {} would change; nothing written\n",
            paint(GOOD, "fix:"),
            output::count(changes.len(), "file", "files")
        ));
        return Ok(outcome(findings));
    }
    if !args.yes {
        if !interactive() {
            return Err(CliError::new(
                "refusing to write without confirmation: stdin is not a terminal",
            )
            .hint("review the diff above, then run `keyless doctor --fix --yes`"));
        }
        if !confirm("Apply these changes?", false) {
            out("nothing written\n");
            return Ok(outcome(findings));
        }
    }
    for c in &changes {
        let w = c.write()?;
        let backup = w
            .backup
            .map(|b| format!(" (backup: {})", display_path(&b, home)))
            .unwrap_or_default();
        let path = display_path(&c.path, home);
        out(&match c.mode {
            Some((_, mode)) if c.before.as_deref() == Some(c.after.as_str()) => {
                format!("{} {path} to {mode:04o}\n", paint(GOOD, "set the mode of"))
            }
            _ => format!("{} {path}{backup}\n", paint(GOOD, "wrote")),
        });
    }
    // Report what is left.
    let cx = Context::load(cx.env.clone(), now)?;
    let left = keyless_doctor::run(&cx);
    out("\n");
    out(&human(&cx, &left));
    Ok(outcome(&left))
}
