//! `keyless sandbox`: serve a local Bedrock, or run a command against one.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use keyless_aws::{KeyPair, Target};
use keyless_sandbox::principals::role_of_session;
use keyless_sandbox::{Call, Config, Policies, Principal, State};

use crate::cli::SandboxArgs;
use crate::output::{self, out, paint, CliError, DIM, ERROR, GOOD};
use crate::Outcome;

fn read_all(paths: &[std::path::PathBuf]) -> Result<Vec<(String, String)>, CliError> {
    paths
        .iter()
        .map(|p| {
            let text = keyless_config::fs::read_text(p)?
                .ok_or_else(|| CliError::new(format!("{}: no such policy file", p.display())))?;
            Ok((p.display().to_string(), text))
        })
        .collect()
}

/// The generator's placeholder account (`keyless policy bedrock` without `--account`) is
/// the sandbox's own account, said once on stderr; any other placeholder account is
/// refused with its file and line. Without this, every call a generated policy was meant
/// to allow is denied, and the denial never names the placeholder.
fn fill_placeholder_accounts(
    files: Vec<(String, String)>,
    account: &str,
) -> Result<Vec<(String, String)>, CliError> {
    let placeholder = format!(":{}:", keyless_iam::generate::ACCOUNT_PLACEHOLDER);
    let kp109 = keyless_iam::lint::registry::lookup("placeholder-account")
        .expect("the placeholder-account lint is registered");
    files
        .into_iter()
        .map(|(name, text)| {
            let text = if text.contains(&placeholder) {
                output::err(&format!(
                    "{} {name}: its ARNs hold the placeholder account {}; the sandbox reads it as its own account {account} (--account). Before attaching the policy in AWS, generate it with `--account ID`.\n",
                    paint(output::WARNING, "note:"),
                    keyless_iam::generate::ACCOUNT_PLACEHOLDER,
                ));
                text.replace(&placeholder, &format!(":{account}:"))
            } else {
                text
            };
            if let Ok(policy) = keyless_iam::Policy::parse(&text) {
                let cx = keyless_iam::lint::LintContext::new(
                    &policy,
                    keyless_iam::lint::PolicyType::Identity,
                );
                if let Some(f) = (kp109.check)(&cx).first() {
                    return Err(CliError::new(format!(
                        "{name}:{}:{}: {}",
                        f.loc.line, f.loc.column, f.message
                    ))
                    .hint(format!("{}; nothing was started", f.fix.as_deref().unwrap_or(""))));
                }
            }
            Ok((name, text))
        })
        .collect()
}

fn read_policies(args: &SandboxArgs, account: &str) -> Result<Policies, CliError> {
    let policies = fill_placeholder_accounts(read_all(&args.policies)?, account)?;
    let scps = fill_placeholder_accounts(read_all(&args.scps)?, account)?;
    Ok(Policies::with_scps(&policies, &scps)?)
}

/// An SSO profile's sign-in: the token `aws sso login` cached, with the profile's account
/// and role. `None` for a profile that is not SSO; an error when it has not logged in.
fn sso_sign_in(
    files: &keyless_config::aws::AwsFiles,
    env: &keyless_config::Environment,
    profile: &str,
) -> Result<Option<keyless_sandbox::principals::SsoGrant>, CliError> {
    let Ok(keyless_config::aws::CredentialSource::Sso { session, start_url }) =
        files.credential_source(env, profile)
    else {
        return Ok(None);
    };
    let p = files.profile(profile);
    let get = |k: &str| p.as_ref().and_then(|p| p.get(k)).map(str::to_string);
    let (Some(account_id), Some(role_name), Some(identifier)) = (
        get("sso_account_id"),
        get("sso_role_name"),
        session.or(start_url),
    ) else {
        return Ok(None);
    };
    let login = || {
        CliError::new(format!(
            "profile `{profile}` has not logged in to IAM Identity Center (no valid cached token)"
        ))
        .hint(format!("aws sso login --profile {profile}"))
    };
    let path = keyless_config::aws::sso_cache_path(env, &identifier);
    let text = keyless_config::fs::read_text(&path)?.ok_or_else(login)?;
    let root = keyless_config::json::parse(&text).map_err(|_| login())?;
    let field = |k: &str| {
        root.get(k)
            .and_then(|m| m.node.as_str())
            .map(str::to_string)
    };
    let expires = field("expiresAt").and_then(|t| keyless_config::time::parse_rfc3339(&t));
    let token = field("accessToken").ok_or_else(login)?;
    if expires.is_none_or(|t| t <= keyless_sandbox::http::now()) {
        return Err(login());
    }
    Ok(Some(keyless_sandbox::principals::SsoGrant {
        token,
        account_id,
        role_name,
        policies: Arc::new(Policies::default()),
    }))
}

/// The sandbox's account: `--account`, else an SSO profile's `sso_account_id` (its role's
/// account, which the policies' ARNs must name), else 123456789012.
fn sandbox_account(args: &SandboxArgs) -> String {
    if let Some(a) = &args.account {
        return a.clone();
    }
    let env = keyless_config::Environment::from_process();
    args.profile
        .as_deref()
        .and_then(|profile| {
            keyless_config::aws::AwsFiles::load(&env)
                .ok()?
                .profile(profile)?
                .get("sso_account_id")
                .map(str::to_string)
        })
        .unwrap_or_else(|| "123456789012".into())
}

/// Trusts what `--profile` resolves to: its credentials as a principal, and, for a role,
/// the role itself (so sessions the command assumes through the sandbox's STS get the same
/// policies).
fn trust_profile(
    rt: &tokio::runtime::Runtime,
    state: &State,
    profile: &str,
    policies: Arc<Policies>,
    upstream: Option<&str>,
) -> Result<String, CliError> {
    let env = keyless_config::Environment::from_process();
    let files = keyless_config::aws::AwsFiles::load(&env)?;
    if files.profile(profile).is_none() {
        return Err(CliError::new(format!(
            "no profile `{profile}` in ~/.aws/config or ~/.aws/credentials"
        ))
        .hint("`keyless profiles` lists them; `keyless init` writes one"));
    }
    if let Some(sign_in) = sso_sign_in(&files, &env, profile)? {
        let arn = format!(
            "arn:aws:sts::{}:assumed-role/{}/keyless-sandbox",
            sign_in.account_id, sign_in.role_name
        );
        state.sso.add(keyless_sandbox::principals::SsoGrant {
            policies,
            ..sign_in
        });
        return Ok(arn);
    }
    let target = Target {
        profile: Some(profile.to_string()),
        deadline: Duration::from_secs(20),
        ..Target::default()
    };
    let creds = rt
        .block_on(keyless_aws::resolve_credentials(&target))
        .map_err(|e| {
            CliError::new(format!(
                "profile `{profile}`: cannot resolve credentials: {e}"
            ))
            .hint(
                "`keyless doctor` explains the profile; an SSO profile needs `aws sso login` first",
            )
        })?;
    let c = creds.credentials();
    let (arn, user_id) = match upstream {
        Some(url) => {
            let pair = KeyPair {
                access_key_id: c.access_key_id().to_string(),
                secret_access_key: c.secret_access_key().to_string(),
                session_token: c.session_token().map(str::to_string),
            };
            let t = Target {
                endpoint_url: Some(url.to_string()),
                region: Some("us-east-1".into()),
                ..Target::default()
            };
            rt.block_on(keyless_aws::verify_key_pair(&pair, &t))
                .map_err(|e| {
                    CliError::new(format!(
                        "the STS at {url} does not know profile `{profile}`'s credentials: {e}"
                    ))
                })
                .map(|id| (id.arn, id.user_id))?
        }
        None => (
            format!("arn:aws:iam::{}:user/{profile}", state.config.account),
            // A stable unique ID for GetCallerIdentity, in the shape of an IAM user's.
            format!(
                "AIDA{}",
                &keyless_config::sha1_hex(profile.as_bytes())[..16].to_uppercase()
            ),
        ),
    };
    if let Some(role) = role_of_session(&arn) {
        state.registry.add_role(&role, policies.clone());
    }
    state.registry.add(
        c.access_key_id(),
        Principal {
            arn: arn.clone(),
            secret: c.secret_access_key().to_string(),
            session_token: c.session_token().map(str::to_string),
            expires: c.expiry().and_then(|t| {
                t.duration_since(std::time::UNIX_EPOCH)
                    .ok()
                    .map(|d| d.as_secs() as i64)
            }),
            user_id,
            policies,
        },
    );
    Ok(arn)
}

/// One line per call: status, operation, and for a refusal, why.
fn report(calls: &[Call], dropped: u64) -> String {
    let mut s = format!(
        "{} {}\n",
        paint(GOOD, "keyless sandbox:"),
        output::count(calls.len(), "call", "calls")
    );
    for c in calls {
        let status = if c.status < 400 {
            paint(GOOD, c.status.to_string())
        } else {
            paint(ERROR, c.status.to_string())
        };
        let mut line = format!("  {status} {}", c.operation);
        if let Some(e) = &c.error {
            line.push_str(&format!(" {}", paint(ERROR, e)));
        }
        if let Some(denied) = c.checks.iter().find(|k| k.decision != "Allowed") {
            line.push_str(&format!(
                ": {} on {} ({})",
                denied.action,
                denied.resource,
                denied
                    .statement
                    .clone()
                    .unwrap_or_else(|| "no statement allows it".into())
            ));
        } else if let Some(m) = &c.model {
            line.push_str(&format!(" {}", paint(DIM, m)));
        }
        s.push_str(&line);
        s.push('\n');
    }
    if dropped > 0 {
        s.push_str(&format!(
            "  … and {dropped} more {}, answered but not kept\n",
            if dropped == 1 { "call" } else { "calls" }
        ));
    }
    s
}

pub fn run(args: SandboxArgs) -> Result<Outcome, CliError> {
    if let Some(record) = &args.emit_policy {
        let text = keyless_config::fs::read_text(record)?
            .ok_or_else(|| CliError::new(format!("{}: no such record file", record.display())))?;
        let v = keyless_config::json::parse(&text)
            .map_err(|e| CliError::new(format!("{}: {e}", record.display())))?;
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| CliError::new(format!("{}: {e}", record.display())))?;
        if v.pointer(&["calls"]).is_none() {
            return Err(CliError::new(format!(
                "{}: not a keyless sandbox record (no `calls`)",
                record.display()
            ))
            .hint("write one with `keyless sandbox --record FILE ...`"));
        }
        out(&output::json(&keyless_sandbox::emit::policy_from_record(
            &value,
            args.include_denied,
        )));
        let refused = keyless_sandbox::emit::refused_calls(&value);
        if !refused.is_empty() && !args.include_denied {
            output::err(&format!(
                "{} {} left out ({}); --include-denied adds them\n",
                paint(DIM, "note:"),
                output::count(refused.len(), "refused call", "refused calls"),
                refused
                    .iter()
                    .take(3)
                    .map(|(op, st, e)| format!("{op} {st} {e}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        return Ok(Outcome::Clean);
    }
    let account = sandbox_account(&args);
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CliError::new(format!(
            "--account {}: an account ID is 12 digits",
            account
        )));
    }
    if args.profile.is_none() && !args.policies.is_empty() {
        return Err(CliError::new(
            "--policy needs --profile: the policies are attached to that profile's principal",
        )
        .hint("keyless sandbox --profile NAME --policy FILE -- COMMAND"));
    }
    let policies = Arc::new(read_policies(&args, &account)?);
    let upstream = args.sts_endpoint.clone().or_else(|| {
        std::env::var("AWS_ENDPOINT_URL_STS")
            .ok()
            .filter(|v| !v.is_empty())
    });
    let state = Arc::new(State::new(Config {
        account: account.clone(),
        answer: args.answer.clone(),
        sts_upstream: upstream.clone(),
        record: args.record.clone(),
        ..Config::default()
    }));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::new(format!("cannot start the server runtime: {e}")))?;
    let mut principal = None;
    if let Some(profile) = &args.profile {
        principal = Some(trust_profile(
            &rt,
            &state,
            profile,
            policies,
            upstream.as_deref(),
        )?);
    }
    let listener = rt
        .block_on(async { keyless_sandbox::server::bind(([127, 0, 0, 1], args.port).into()) })
        .map_err(|e| CliError::new(format!("cannot listen on 127.0.0.1:{}: {e}", args.port)))?;
    let running = rt
        .block_on(async { keyless_sandbox::start(listener, state.clone()) })
        .map_err(|e| CliError::new(format!("cannot serve: {e}")))?;
    let url = running.url();
    let outcome = if args.command.is_empty() {
        out(&format!("{url}\n"));
        let _ = std::io::stdout().flush();
        if let Some(p) = &principal {
            output::err(&format!(
                "{} trusting {p}; Ctrl-C to stop\n",
                paint(DIM, "keyless sandbox:")
            ));
        }
        rt.block_on(async {
            #[cfg(unix)]
            {
                use tokio::signal::unix::{signal, SignalKind};
                match signal(SignalKind::terminate()) {
                    Ok(mut term) => {
                        tokio::select! {
                            _ = tokio::signal::ctrl_c() => {}
                            _ = term.recv() => {}
                        }
                    }
                    Err(_) => {
                        let _ = tokio::signal::ctrl_c().await;
                    }
                }
            }
            #[cfg(not(unix))]
            {
                let _ = tokio::signal::ctrl_c().await;
            }
        });
        Outcome::Clean
    } else {
        let mut cmd = std::process::Command::new(&args.command[0]);
        cmd.args(&args.command[1..])
            .env("ANTHROPIC_BEDROCK_BASE_URL", &url)
            .env("AWS_ENDPOINT_URL_BEDROCK", &url)
            .env("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", &url)
            .env("AWS_ENDPOINT_URL_STS", &url)
            .env("AWS_ENDPOINT_URL_SSO", &url);
        if let Some(p) = &args.profile {
            cmd.env("AWS_PROFILE", p);
        }
        let status = cmd.status().map_err(|e| {
            CliError::new(format!("cannot run `{}`: {e}", args.command[0]))
                .hint("check that the command is installed and on PATH")
        })?;
        let code = status.code().unwrap_or(128 + 15).clamp(0, 255) as u8;
        Outcome::Exit(code)
    };
    rt.block_on(running.stop());
    if args.json {
        output::err(&output::json(&state.record_json()));
    } else {
        output::err(&report(&state.calls(), state.dropped()));
    }
    match state.write_record() {
        Ok(Some(p)) => output::err(&format!(
            "{} {}\n",
            paint(DIM, "record written to"),
            p.display()
        )),
        Ok(None) => {}
        Err(e) => return Err(CliError::from(e)),
    }
    Ok(outcome)
}
