//! `keyless init`.

use keyless_catalog::Date;
use keyless_config::aws::AwsFiles;
use keyless_config::claude::Scope;
use keyless_config::edit::plan as plan_edits;
use keyless_config::Environment;
use keyless_setup::{plan, Credentials, InitOptions};
use serde_json::json;

use crate::cli::{InitArgs, ScopeArg};
use crate::output::{
    self, ask, confirm, display_path, interactive, out, paint, render_diff, CliError, BOLD, GOOD,
    WARNING,
};
use crate::Outcome;

const DEFAULT_PROFILE: &str = "claude-bedrock";

/// Asks until the answer is not empty (three tries; end of input stops at once).
fn ask_required(question: &str, default: Option<&str>) -> Result<String, CliError> {
    for _ in 0..3 {
        match ask(question, default) {
            Some(v) => return Ok(v),
            None => output::err("  a value is required\n"),
        }
    }
    Err(CliError::new(format!("no answer for `{question}`"))
        .hint("pass the value as a flag; `keyless init --help` lists them"))
}

fn credentials(
    args: &InitArgs,
    region: &str,
    profile_exists: bool,
    prompt: bool,
) -> Result<Credentials, CliError> {
    if args.existing {
        return Ok(Credentials::Existing);
    }
    if args.instance_role {
        return Ok(Credentials::InstanceRole);
    }
    if let Some(role_arn) = &args.role_arn {
        return Ok(Credentials::Role {
            role_arn: role_arn.clone(),
            source_profile: args.source_profile.clone(),
            credential_source: args.credential_source.clone(),
        });
    }
    let sso_given = args.sso_start_url.is_some()
        || args.sso_account_id.is_some()
        || args.sso_role_name.is_some()
        || args.sso_region.is_some();
    if !sso_given && !prompt {
        if profile_exists {
            return Ok(Credentials::Existing);
        }
        return Err(CliError::new("choose how the profile gets credentials").hint(
            "pass --sso-start-url/--sso-region/--sso-account-id/--sso-role-name (IAM Identity Center), \
             --role-arn with --source-profile or --credential-source, --instance-role, or --existing",
        ));
    }
    if !sso_given && prompt {
        output::err(&format!(
            "How should the profile get credentials?\n  1) IAM Identity Center (SSO)  2) assume a role  3) this machine's own role (EC2/ECS/Lambda){}\n",
            if profile_exists { "  4) keep the profile as it is" } else { "" }
        ));
        match ask("Choice", Some(if profile_exists { "4" } else { "1" })).as_deref() {
            Some("2") => {
                let role_arn = ask_required("Role ARN", None)?;
                let source =
                    ask_required("Source profile (whose credentials assume the role)", None)?;
                return Ok(Credentials::Role {
                    role_arn,
                    source_profile: Some(source),
                    credential_source: None,
                });
            }
            Some("3") => return Ok(Credentials::InstanceRole),
            Some("4") if profile_exists => return Ok(Credentials::Existing),
            Some("1") => {}
            _ => return Err(CliError::new("no credential source chosen")),
        }
    }
    let need = |v: &Option<String>,
                flag: &str,
                question: &str,
                default: Option<&str>|
     -> Result<String, CliError> {
        match v {
            Some(v) => Ok(v.clone()),
            None if prompt => ask_required(question, default),
            None => Err(CliError::new(format!("{flag} is required for SSO")).hint(
                "SSO needs --sso-start-url, --sso-region, --sso-account-id and --sso-role-name",
            )),
        }
    };
    let start_url = need(
        &args.sso_start_url,
        "--sso-start-url",
        "SSO start URL (https://ORG.awsapps.com/start)",
        None,
    )?;
    let sso_region = need(&args.sso_region, "--sso-region", "SSO region", Some(region))?;
    let account_id = need(
        &args.sso_account_id,
        "--sso-account-id",
        "AWS account ID",
        None,
    )?;
    let role_name = need(
        &args.sso_role_name,
        "--sso-role-name",
        "Permission set (role) name",
        None,
    )?;
    Ok(Credentials::Sso {
        start_url,
        sso_region,
        account_id,
        role_name,
        session_name: args.sso_session.clone(),
    })
}

pub fn run(args: InitArgs) -> Result<Outcome, CliError> {
    let env = Environment::from_process();
    let now = super::now()?;
    let today = Date::from_unix(now);
    let aws = AwsFiles::load(&env)?;
    let prompt = !args.yes && !args.json && interactive();
    let home = env.home().map(|p| p.to_path_buf());

    let profile = match &args.profile {
        Some(p) => p.clone(),
        None if prompt => ask(
            "AWS profile name",
            Some(env.get("AWS_PROFILE").unwrap_or(DEFAULT_PROFILE)),
        )
        .unwrap_or_default(),
        None => env
            .get("AWS_PROFILE")
            .unwrap_or(DEFAULT_PROFILE)
            .to_string(),
    };
    let existing = aws.profile(&profile);
    let default_region = env
        .get("AWS_REGION")
        .or_else(|| existing.as_ref().and_then(|p| p.get("region")))
        .unwrap_or("us-east-1")
        .to_string();
    let region = match &args.region {
        Some(r) => r.clone(),
        None if prompt => ask("Bedrock region", Some(&default_region)).unwrap_or(default_region),
        None => default_region,
    };
    let model = match &args.model {
        Some(m) => m.clone(),
        None if prompt => ask(
            "Primary model (alias or ID; `keyless models` lists them)",
            Some("sonnet"),
        )
        .unwrap_or_else(|| "sonnet".into()),
        None => "sonnet".into(),
    };
    let background_model = args
        .background_model
        .clone()
        .unwrap_or_else(|| "haiku".into());
    let credentials = credentials(&args, &region, existing.is_some(), prompt)?;
    let scope = match args.scope {
        ScopeArg::User => Scope::User,
        ScopeArg::Project => Scope::Project,
        ScopeArg::Local => Scope::Local,
    };
    let opts = InitOptions {
        profile: profile.clone(),
        region: region.clone(),
        model,
        background_model,
        allow_unknown_model: args.allow_unknown_model,
        credentials,
        scope,
    };
    let p = plan(&env, &opts, today).map_err(|e| {
        let mut c = CliError::new(e.message);
        c.hint = e.hint;
        c
    })?;
    let changes = plan_edits(&p.edits)?;

    if args.json && args.dry_run {
        out(&output::json(&json!({
            "schema": 1,
            "profile": profile,
            "region": region,
            "model": p.model_id,
            "background_model": p.background_model_id,
            "notes": p.notes,
            "changes": changes.iter().map(|c| json!({"file": c.path.display().to_string(), "created": c.before.is_none(), "diff": c.diff()})).collect::<Vec<_>>(),
        })));
        return Ok(Outcome::Clean);
    }
    if !args.json {
        for note in &p.notes {
            output::err(&format!("{}: {note}\n", paint(WARNING, "note")));
        }
    }
    if changes.is_empty() {
        if args.json {
            out(&output::json(
                &json!({"schema": 1, "changed": [], "model": p.model_id, "background_model": p.background_model_id}),
            ));
        } else {
            out(&format!(
                "{} already set up: nothing to change\n",
                paint(GOOD, "ok:")
            ));
        }
        return Ok(Outcome::Clean);
    }
    if !args.json {
        for c in &changes {
            out(&render_diff(&c.diff()));
        }
    }
    if args.dry_run {
        out(&format!(
            "dry run: {} would change; nothing written\n",
            output::count(changes.len(), "file", "files")
        ));
        return Ok(Outcome::Clean);
    }
    if !args.yes {
        if !interactive() {
            return Err(CliError::new(
                "refusing to write without confirmation: stdin is not a terminal",
            )
            .hint("review with `keyless init --dry-run ...`, then add --yes"));
        }
        if !confirm("Write these changes?", true) {
            out("nothing written\n");
            return Ok(Outcome::Clean);
        }
    }
    let mut written = Vec::new();
    for c in &changes {
        let w = c.write()?;
        if !args.json {
            let backup = w
                .backup
                .as_ref()
                .map(|b| format!(" (backup: {})", display_path(b, home.as_deref())))
                .unwrap_or_default();
            out(&format!(
                "{} {}{backup}\n",
                paint(GOOD, "wrote"),
                display_path(&c.path, home.as_deref())
            ));
        }
        written.push(json!({"file": c.path.display().to_string(), "backup": w.backup.map(|b| b.display().to_string()), "created": w.created}));
    }
    if args.json {
        out(&output::json(
            &json!({"schema": 1, "changed": written, "model": p.model_id, "background_model": p.background_model_id}),
        ));
        return Ok(Outcome::Clean);
    }
    let mut next = String::from("\nNext:\n");
    if matches!(opts.credentials, Credentials::Sso { .. }) {
        next.push_str(&format!(
            "  {}   log in (Claude Code re-runs it when credentials expire)\n",
            paint(BOLD, format!("aws sso login --profile {profile}"))
        ));
    }
    next.push_str(&format!(
        "  {}                  check the whole setup\n",
        paint(BOLD, "keyless doctor")
    ));
    next.push_str(&format!(
        "  {}                          start Claude Code on Bedrock\n",
        paint(BOLD, "claude")
    ));
    out(&next);
    Ok(Outcome::Clean)
}
