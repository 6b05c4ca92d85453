//! `keyless profiles`.

use keyless_config::aws::AwsFiles;
use keyless_config::Environment;
use keyless_doctor::Context;
use serde_json::json;

use crate::cli::JsonArg;
use crate::output::{self, out, paint, CliError, BOLD, DIM, ERROR, GOOD};
use crate::Outcome;

pub fn run(args: JsonArg) -> Result<Outcome, CliError> {
    // The profile and region Claude Code will use: the shell environment with every
    // settings layer's `env` applied.
    let cx = Context::load(Environment::from_process(), super::now()?)?;
    let aws: &AwsFiles = &cx.aws;
    let active = cx.profile_name();
    let rows: Vec<_> = aws
        .profile_names()
        .into_iter()
        .map(|name| {
            let profile = aws.profile(&name);
            // The region each profile would use on its own (no environment override).
            let region = profile
                .as_ref()
                .and_then(|p| p.get("region").map(str::to_string));
            let source = aws.profile_credential_source(&name);
            (name, region, source)
        })
        .collect();
    if args.json {
        let v = json!({
            "schema": 1,
            "active_profile": active,
            "region": cx.region(),
            "config_file": aws.config.path.display().to_string(),
            "credentials_file": aws.credentials.path.display().to_string(),
            "profiles": rows.iter().map(|(name, region, source)| json!({
                "name": name,
                "region": region,
                "credential_source": source.as_ref().map(|s| s.kind()).unwrap_or("invalid"),
                "problem": source.as_ref().err().map(|p| p.message.clone()),
            })).collect::<Vec<_>>(),
        });
        out(&output::json(&v));
        return Ok(Outcome::Clean);
    }
    let mut s = String::new();
    if rows.is_empty() {
        s.push_str(&format!(
            "no AWS profiles in {} or {}\n{}: `keyless init` creates one\n",
            aws.config.path.display(),
            aws.credentials.path.display(),
            paint(GOOD, "hint")
        ));
    } else {
        let w = rows.iter().map(|r| r.0.len()).max().unwrap_or(4).max(7);
        s.push_str(&paint(
            BOLD,
            format!("  {:w$}  {:30}  {}\n", "PROFILE", "CREDENTIALS", "REGION"),
        ));
        for (name, region, source) in &rows {
            let mark = if *name == active {
                paint(GOOD, "*")
            } else {
                " ".into()
            };
            let kind = match source {
                Ok(k) => k.kind().to_string(),
                Err(_) => paint(ERROR, "invalid"),
            };
            s.push_str(&format!(
                "{mark} {name:w$}  {kind:30}  {}\n",
                region.as_deref().unwrap_or("-")
            ));
        }
        s.push_str(&paint(DIM, "\n* the profile Claude Code uses (AWS_PROFILE from its settings or the shell, else default)\n"));
    }
    out(&s);
    Ok(Outcome::Clean)
}
