//! `keyless policy lint | simulate | bedrock | trust | check`.

use std::path::{Path, PathBuf};

use keyless_catalog::Date;
use keyless_iam::claude_code;
use keyless_iam::evaluate::{suggested_statement, Explanation, StatementRef};
use keyless_iam::generate::{self, BedrockOptions, Format, TrustSubject};
use keyless_iam::lint::{self, PolicyType};
use keyless_iam::{CompiledPolicy, Context, Decision, Policy, PolicySet, Request};
use keyless_rules::Severity;
use serde_json::{json, Value};

use crate::cli::{
    BedrockArgs, CheckArgs, FormatArg, PolicyCommand, PolicyLintArgs, PolicyTypeArg, SimulateArgs,
    TrustArgs,
};
use crate::output::{self, err, out, paint, CliError, BOLD, DIM, ERROR, GOOD, INFO, WARNING};
use crate::Outcome;

pub fn run(command: PolicyCommand) -> Result<Outcome, CliError> {
    match command {
        PolicyCommand::Lint(a) => lint_cmd(a),
        PolicyCommand::Simulate(a) => simulate(*a),
        PolicyCommand::Bedrock(a) => bedrock(a),
        PolicyCommand::Trust(a) => trust(*a),
        PolicyCommand::Check(a) => check(a),
    }
}

/// Reads and parses a policy file; errors name the file, line and column.
fn load(path: &Path) -> Result<Policy, CliError> {
    let text = keyless_config::fs::read_text(path)?.ok_or_else(|| {
        CliError::new(format!("{}: no such file", path.display())).hint("check the path")
    })?;
    Policy::parse(&text).map_err(|e| {
        CliError::new(format!(
            "{}:{}:{}: {}",
            path.display(),
            e.loc.line,
            e.loc.column,
            e.message
        ))
        .hint("IAM would reject this policy too; fix it at that position")
    })
}

fn compile(path: &Path) -> Result<CompiledPolicy, CliError> {
    Ok(CompiledPolicy::new(
        path.display().to_string(),
        &load(path)?,
    ))
}

/// `--scp` values: each one level of the organisation tree, root first; `a.json,b.json`
/// puts several policies at one level.
fn scp_levels(args: &[PathBuf]) -> Result<Vec<Vec<CompiledPolicy>>, CliError> {
    args.iter()
        .map(|level| {
            level
                .to_string_lossy()
                .split(',')
                .filter(|p| !p.is_empty())
                .map(|p| compile(Path::new(p)))
                .collect()
        })
        .collect()
}

fn severity_label(s: Severity) -> String {
    match s {
        Severity::Error => paint(ERROR, "error"),
        Severity::Warning => paint(WARNING, "warning"),
        Severity::Info => paint(INFO, "info"),
    }
}

fn lint_cmd(a: PolicyLintArgs) -> Result<Outcome, CliError> {
    if let Some(id) = &a.explain {
        let rule = lint::registry::lookup(id).ok_or_else(|| {
            CliError::new(format!("no lint rule `{id}`")).hint("docs/policy-lints.md lists them")
        })?;
        out(&format!(
            "# {} {}\n\n{}",
            rule.id,
            rule.name,
            lint::explain(rule)
        ));
        return Ok(Outcome::Clean);
    }
    // Parse everything first: a malformed file stops the run before any output.
    let policies: Vec<(PathBuf, Policy)> = a
        .files
        .iter()
        .map(|f| load(f).map(|p| (f.clone(), p)))
        .collect::<Result<_, _>>()?;
    let mut any_error = false;
    let mut files_json = Vec::new();
    let mut text = String::new();
    let mut counts = [0usize; 3];
    for (path, policy) in &policies {
        let kind = match a.kind {
            Some(PolicyTypeArg::Identity) => PolicyType::Identity,
            Some(PolicyTypeArg::Trust) => PolicyType::Trust,
            Some(PolicyTypeArg::Resource) => PolicyType::Resource,
            None => PolicyType::detect(policy),
        };
        let findings = lint::lint(policy, kind);
        for f in &findings {
            any_error |= f.severity == Severity::Error;
            counts[match f.severity {
                Severity::Error => 0,
                Severity::Warning => 1,
                Severity::Info => 2,
            }] += 1;
            text.push_str(&format!(
                "{}{}: {}\n",
                severity_label(f.severity),
                paint(BOLD, format!("[{}]", f.id)),
                f.message
            ));
            text.push_str(&format!(
                "  {} {}:{}:{}\n",
                paint(INFO, "-->"),
                path.display(),
                f.loc.line,
                f.loc.column
            ));
            if let Some(fix) = &f.fix {
                text.push_str(&format!("   {} fix: {fix}\n", paint(INFO, "=")));
            }
            text.push('\n');
        }
        files_json.push(json!({
            "file": path.display().to_string(),
            "type": format!("{kind:?}").to_ascii_lowercase(),
            "findings": findings.iter().map(|f| json!({
                "id": f.id, "name": f.name, "severity": f.severity.as_str(), "message": f.message,
                "line": f.loc.line, "column": f.loc.column, "fix": f.fix,
            })).collect::<Vec<_>>(),
        }));
    }
    if a.json {
        out(&output::json(&json!({"schema": 1, "files": files_json})));
    } else {
        if counts.iter().sum::<usize>() == 0 {
            text.push_str(&format!(
                "{} no problems found in {} polic{}\n",
                paint(GOOD, "ok:"),
                policies.len(),
                if policies.len() == 1 { "y" } else { "ies" }
            ));
        } else {
            text.push_str(&format!(
                "{}: {}, {}, {}\n",
                paint(BOLD, "summary"),
                output::count(counts[0], "error", "errors"),
                output::count(counts[1], "warning", "warnings"),
                output::count(counts[2], "note", "notes")
            ));
        }
        out(&text);
    }
    Ok(if any_error {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

fn statement_json(s: &StatementRef) -> Value {
    json!({"policy_type": s.kind.as_str(), "policy": s.policy, "statement": s.index + 1, "sid": s.sid})
}

fn explanation_json(e: &Explanation, req: &Request) -> Value {
    json!({
        "allowed_by": e.allowed_by.iter().map(statement_json).collect::<Vec<_>>(),
        "denied_by": e.denied_by.iter().map(statement_json).collect::<Vec<_>>(),
        "near_misses": e.near_misses.iter().map(|(s, m)| json!({"statement": statement_json(s), "reason": m.to_string()})).collect::<Vec<_>>(),
        "missing_allow_in": e.missing_allow_in.map(|k| k.as_str()),
        "suggested_statement": (e.decision == Decision::ImplicitlyDenied).then(|| serde_json::from_str::<Value>(&suggested_statement(req)).expect("valid JSON")),
    })
}

fn explanation_text(e: &Explanation, req: &Request) -> String {
    let mut s = String::new();
    let (label, style) = match e.decision {
        Decision::Allowed => ("Allowed", GOOD),
        Decision::ImplicitlyDenied => ("ImplicitlyDenied", WARNING),
        Decision::ExplicitlyDenied => ("ExplicitlyDenied", ERROR),
    };
    s.push_str(&format!(
        "{} on {} {}: {}\n",
        paint(BOLD, &req.action),
        req.resource,
        paint(DIM, format!("(as {})", req.principal)),
        paint(style, label)
    ));
    for st in &e.allowed_by {
        s.push_str(&format!("  allowed by {st}\n"));
    }
    for st in &e.denied_by {
        s.push_str(&format!("  denied by {st}\n"));
    }
    if e.decision == Decision::ImplicitlyDenied {
        if let Some(kind) = e.missing_allow_in {
            s.push_str(&format!("  no {} allows it\n", kind.as_str()));
        }
        for (st, why) in &e.near_misses {
            s.push_str(&format!("  close: {st}: {why}\n"));
        }
        s.push_str(&format!(
            "  {}: add to the {}:\n",
            paint(GOOD, "fix"),
            e.missing_allow_in.map(|k| k.as_str()).unwrap_or("policy")
        ));
        for line in suggested_statement(req).lines() {
            s.push_str(&format!("    {line}\n"));
        }
    }
    s
}

fn simulate(a: SimulateArgs) -> Result<Outcome, CliError> {
    let mut context = Context::default();
    for kv in &a.context {
        let (k, v) = kv.split_once('=').ok_or_else(|| {
            CliError::new(format!("--context `{kv}` is not KEY=VALUE"))
                .hint("for example --context aws:SourceIp=203.0.113.7")
        })?;
        context.push(k.trim(), v.to_string());
    }
    if !a.action.contains(':') {
        return Err(CliError::new(format!(
            "--action `{}` is not of the form service:Action",
            a.action
        )));
    }
    let set = PolicySet {
        identity: a
            .policies
            .iter()
            .map(|p| compile(p))
            .collect::<Result<_, _>>()?,
        resource: a.resource_policy.as_deref().map(compile).transpose()?,
        scps: scp_levels(&a.scps.files)?,
        rcps: a
            .rcps
            .iter()
            .map(|p| compile(p))
            .collect::<Result<_, _>>()?,
        boundary: a.boundary.as_deref().map(compile).transpose()?,
        session: a.session_policy.as_deref().map(compile).transpose()?,
    };
    let req = Request {
        principal: a.principal,
        action: a.action,
        resource: a.resource,
        resource_account: a.resource_account,
        context,
    };
    let e = set.evaluate(&req);
    if a.json {
        out(&output::json(
            &json!({"schema": 1, "decision": e.decision.as_str(), "explanation": explanation_json(&e, &req)}),
        ));
    } else {
        out(&explanation_text(&e, &req));
    }
    Ok(if e.decision == Decision::Allowed {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

fn format(f: FormatArg) -> Format {
    match f {
        FormatArg::Json => Format::Json,
        FormatArg::Terraform => Format::Terraform,
        FormatArg::Cloudformation => Format::CloudFormation,
    }
}

/// The models and region of the setup on this machine, for `policy bedrock` without
/// `--model` / `--region`: what the doctor reads, with init's defaults where it has none.
/// Returns them with a sentence saying where they came from.
fn setup_defaults(now: i64) -> (Vec<String>, Vec<String>, String) {
    let cx = keyless_doctor::Context::load(keyless_config::Environment::from_process(), now).ok();
    let mut models: Vec<String> = Vec::new();
    let mut from: Vec<&str> = Vec::new();
    if let Some(cx) = &cx {
        for name in keyless_config::vars::model_variables() {
            let Some(value) = cx.var(name).map(|e| e.value.trim().to_string()) else {
                continue;
            };
            // Only strings that name a catalog model: the generator needs to know it.
            if keyless_catalog::Catalog::embedded()
                .resolve(&value, None, cx.today)
                .is_some()
                && !models.contains(&value)
            {
                models.push(value);
                from.push(name);
            }
        }
    }
    let region = cx.as_ref().and_then(|cx| cx.region());
    let said = format!(
        "models {} ({}), region {} ({})",
        if models.is_empty() {
            "sonnet, haiku".to_string()
        } else {
            models.join(", ")
        },
        if from.is_empty() {
            "keyless init's defaults".to_string()
        } else {
            format!("from {}", from.join(", "))
        },
        region.as_deref().unwrap_or("us-east-1"),
        if region.is_some() {
            "your setup's"
        } else {
            "the default"
        },
    );
    if models.is_empty() {
        models = vec!["sonnet".into(), "haiku".into()];
    }
    (
        models,
        vec![region.unwrap_or_else(|| "us-east-1".into())],
        said,
    )
}

fn bedrock(a: BedrockArgs) -> Result<Outcome, CliError> {
    let now = super::now()?;
    let today = Date::from_unix(now);
    let (mut models, mut regions) = (a.models, a.regions);
    if models.is_empty() || regions.is_empty() {
        let (default_models, default_regions, said) = setup_defaults(now);
        let mut took = Vec::new();
        if models.is_empty() {
            models = default_models;
            took.push("--model");
        }
        if regions.is_empty() {
            regions = default_regions;
            took.push("--region");
        }
        err(&format!(
            "{}: without {}: {said}\n",
            paint(WARNING, "note"),
            took.join(" and ")
        ));
    }
    let opts = BedrockOptions {
        models,
        regions,
        account: a.account.clone(),
        claude_code: a.claude_code,
        marketplace: a.marketplace,
    };
    let (policy, notes) = generate::bedrock_policy(&opts, today)?;
    for n in notes {
        err(&format!("{}: {n}\n", paint(WARNING, "note")));
    }
    if a.account.is_none() && matches!(a.format, FormatArg::Json) {
        err(&format!(
            "{}: ARNs carry the placeholder {}; replace it with your account ID (or pass --account, or use --format terraform|cloudformation)\n",
            paint(WARNING, "note"),
            generate::ACCOUNT_PLACEHOLDER
        ));
    }
    out(&generate::render(
        &policy,
        format(a.format),
        if matches!(a.format, FormatArg::Cloudformation) {
            "ClaudeBedrockPolicy"
        } else {
            "claude_bedrock"
        },
    ));
    Ok(Outcome::Clean)
}

fn trust(a: TrustArgs) -> Result<Outcome, CliError> {
    let subject = if let Some(repo) = a.github {
        let qualifier = match (&a.branch, &a.environment, a.pull_request) {
            (_, Some(env), _) => format!("environment:{env}"),
            (_, _, true) => "pull_request".into(),
            (b, _, _) => format!("ref:refs/heads/{}", b.as_deref().unwrap_or("main")),
        };
        TrustSubject::GitHub {
            repo,
            qualifier,
            ids: a.owner_id.zip(a.repo_id),
        }
    } else if let Some(project) = a.gitlab {
        TrustSubject::GitLab {
            project,
            branch: a.gitlab_ref.unwrap_or_else(|| "main".into()),
            host: a.gitlab_host,
        }
    } else if a.ec2 {
        TrustSubject::Service("ec2")
    } else if a.lambda {
        TrustSubject::Service("lambda")
    } else if a.ecs {
        TrustSubject::Service("ecs")
    } else {
        return Err(CliError::new("say who may assume the role")
            .hint("pass --github OWNER/REPO, --gitlab GROUP/PROJECT, --ec2, --lambda or --ecs"));
    };
    let policy = generate::trust_policy(&subject, a.account.as_deref())?;
    out(&generate::render(
        &policy,
        format(a.format),
        if matches!(a.format, FormatArg::Cloudformation) {
            "TrustPolicy"
        } else {
            "trust"
        },
    ));
    Ok(Outcome::Clean)
}

fn check(a: CheckArgs) -> Result<Outcome, CliError> {
    let today = Date::from_unix(super::now()?);
    let set = PolicySet {
        identity: a
            .files
            .iter()
            .map(|p| compile(p))
            .collect::<Result<_, _>>()?,
        scps: scp_levels(&a.scps.files)?,
        boundary: a.boundary.as_deref().map(compile).transpose()?,
        ..Default::default()
    };
    let (routes, notes) = generate::routes(&a.models, std::slice::from_ref(&a.region), today)?;
    let results = claude_code::check(&set, &routes, &a.principal);
    let failed: Vec<_> = results
        .iter()
        .filter(|r| r.required && r.explanation.decision != Decision::Allowed)
        .collect();
    if a.json {
        out(&output::json(&json!({
            "schema": 1,
            "ok": failed.is_empty(),
            "calls": results.iter().map(|r| json!({
                "call": r.call, "action": r.action, "resource": r.resource, "required": r.required,
                "decision": r.explanation.decision.as_str(),
                "explanation": explanation_json(&r.explanation, &{
                    let mut req = Request { principal: a.principal.clone(), action: r.action.clone(), resource: r.resource.clone(), ..Default::default() };
                    if let Some(p) = &r.through_profile {
                        req.context.insert("bedrock:InferenceProfileArn", vec![p.clone()]);
                    }
                    req
                }),
            })).collect::<Vec<_>>(),
        })));
        return Ok(if failed.is_empty() {
            Outcome::Clean
        } else {
            Outcome::Findings
        });
    }
    for n in notes {
        err(&format!("{}: {n}\n", paint(WARNING, "note")));
    }
    let mut s = format!(
        "Claude Code's calls from {} as {}:\n\n",
        paint(BOLD, &a.region),
        a.principal
    );
    for r in &results {
        let mark = match (r.explanation.decision, r.required) {
            (Decision::Allowed, _) => paint(GOOD, "allowed"),
            (_, false) => paint(WARNING, "denied (optional)"),
            (Decision::ExplicitlyDenied, _) => paint(ERROR, "DENIED (explicit deny)"),
            _ => paint(ERROR, "DENIED"),
        };
        s.push_str(&format!(
            "  {mark:<18} {} {}\n",
            r.action,
            paint(DIM, format!("{} — {}", r.resource, r.call))
        ));
        for st in &r.explanation.denied_by {
            s.push_str(&format!("      denied by {st}\n"));
        }
    }
    if failed.is_empty() {
        s.push_str(&format!(
            "\n{} every call Claude Code needs is allowed\n",
            paint(GOOD, "ok:")
        ));
    } else {
        s.push_str(&format!(
            "\n{}: {} of the calls Claude Code needs are denied. Add:\n",
            paint(ERROR, "error"),
            failed.len()
        ));
        let missing_list = failed
            .iter()
            .any(|r| r.action == "bedrock:ListInferenceProfiles");
        // As tight as `policy bedrock` writes it: the profiles on their own, and each
        // profile's foundation models only through that profile.
        let mut groups: Vec<(Option<&str>, Vec<&str>)> = Vec::new();
        for r in failed
            .iter()
            .filter(|r| r.action != "bedrock:ListInferenceProfiles")
        {
            let key = r.through_profile.as_deref();
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, resources)) => resources.push(&r.resource),
                None => groups.push((key, vec![&r.resource])),
            }
        }
        groups.sort();
        let mut statements = Vec::new();
        for (through, mut resources) in groups {
            resources.sort();
            resources.dedup();
            let mut st = json!({"Effect": "Allow", "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"], "Resource": resources});
            if let Some(profile) = through {
                st["Condition"] = json!({"StringEquals": {"bedrock:InferenceProfileArn": profile}});
            }
            statements.push(st);
        }
        if missing_list {
            statements.push(json!({"Effect": "Allow", "Action": "bedrock:ListInferenceProfiles", "Resource": "*"}));
        }
        for st in statements {
            for line in serde_json::to_string_pretty(&st)
                .expect("serialises")
                .lines()
            {
                s.push_str(&format!("    {line}\n"));
            }
        }
        s.push_str(&format!(
            "{}: `keyless policy bedrock --model {} --region {} --claude-code` writes a complete least-privilege policy\n",
            paint(GOOD, "hint"),
            a.models.join(" --model "),
            a.region
        ));
    }
    out(&s);
    Ok(if failed.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}
