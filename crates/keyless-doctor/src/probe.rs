//! `keyless doctor --live`: the probes, run in parallel, each with its deadline, through the
//! AWS SDK (`keyless-aws`). Their answers become a [`LiveReport`] that the `KD5xx` findings
//! read. The binary only parses the flags into [`ProbeOptions`] and renders the result.

use std::time::Duration;

use keyless_aws::{bedrock, client, AwsError, ErrorKind, Target};
use tokio::time::timeout;

use crate::live::{Failure, FailureKind, LiveCredentials, LiveIdentity, LiveModel, LiveReport};
use crate::Context;

/// How to probe.
#[derive(Debug, Clone)]
pub struct ProbeOptions {
    /// Each probe's deadline.
    pub timeout: Duration,
    /// Send every request here instead of AWS (a `keyless sandbox`).
    pub endpoint_url: Option<String>,
    /// Make the one-token streaming call per model (`false`: `--no-invoke`).
    pub invoke: bool,
}

/// Why the probes could not run at all (a probe that fails is a finding, not this).
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    /// The async runtime the SDK needs could not start.
    #[error("cannot start the network runtime: {0}")]
    Runtime(#[source] std::io::Error),
}

fn failure(e: AwsError) -> Failure {
    Failure {
        kind: match e.kind {
            ErrorKind::Service => FailureKind::Service,
            ErrorKind::Timeout => FailureKind::Timeout,
            ErrorKind::Network => FailureKind::Network,
            ErrorKind::BadResponse => FailureKind::BadResponse,
            ErrorKind::Credentials => FailureKind::Credentials,
        },
        code: e.code,
        message: e.message,
        status: e.status,
    }
}

fn late() -> Failure {
    Failure {
        kind: FailureKind::Timeout,
        code: None,
        message: "no answer before the deadline".into(),
        status: None,
    }
}

/// Runs a probe with a deadline of its own: a hung connection cannot hold up the report.
async fn bounded<T>(
    deadline: Duration,
    f: impl std::future::Future<Output = Result<T, AwsError>>,
) -> Result<T, Failure> {
    match timeout(deadline, f).await {
        Ok(r) => r.map_err(failure),
        Err(_) => Err(late()),
    }
}

/// Probes AWS as Claude Code will use it.
pub fn probe(cx: &Context, opts: &ProbeOptions) -> Result<LiveReport, ProbeError> {
    // Claude Code applies its settings' `env` to its own process; so does this one, so that
    // the SDK sees exactly what Claude Code's SDK sees (keyless is single-threaded here).
    for (k, v) in &cx.effective_env {
        if k.starts_with("AWS_") {
            std::env::set_var(k, &v.value);
        }
    }
    if let Some(url) = &opts.endpoint_url {
        // For the SDK's own STS and SSO calls inside the credential chain too.
        std::env::set_var("AWS_ENDPOINT_URL", url);
    }
    let deadline = opts.timeout;
    let region = cx.region().unwrap_or_else(|| "us-east-1".into());
    let profile = cx.profile_name();
    let target = Target {
        profile: Some(profile.clone()),
        region: Some(region.clone()),
        endpoint_url: opts.endpoint_url.clone(),
        deadline,
        ..Target::default()
    };
    let models = cx.called_models(&region);
    let rt = client::runtime().map_err(ProbeError::Runtime)?;
    let report = rt.block_on(async {
        let config = client::sdk_config(&target).await;
        // One SDK configuration per region a model is called in.
        let mut configs = std::collections::BTreeMap::new();
        for (_, _, r) in &models {
            if !configs.contains_key(r) {
                let c = if *r == region {
                    config.clone()
                } else {
                    client::sdk_config(&Target {
                        region: Some(r.clone()),
                        ..target.clone()
                    })
                    .await
                };
                configs.insert(r.clone(), c);
            }
        }
        let creds = bounded(deadline, keyless_aws::credentials_of(&config, deadline));
        let identity = bounded(deadline, keyless_aws::identity_of(&config));
        let list = bounded(deadline, async {
            bedrock::list_inference_profiles(&config)
                .await
                .map(|l| l.len())
        });
        let model_probes =
            futures_util::future::join_all(models.iter().map(|(var, id, model_region)| {
                let config = configs[model_region].clone();
                let is_profile = cx
                    .catalog
                    .models
                    .iter()
                    .any(|m| m.profiles.iter().any(|p| p.id == *id));
                let no_invoke = !opts.invoke;
                async move {
                    let get = async {
                        if is_profile {
                            Some(
                                bounded(deadline, bedrock::get_inference_profile(&config, id))
                                    .await
                                    .map(|p| p.destinations),
                            )
                        } else {
                            None
                        }
                    };
                    let invoke = async {
                        if no_invoke {
                            None
                        } else {
                            Some(
                                bounded(deadline, bedrock::invoke_stream_probe(&config, id))
                                    .await
                                    .map(|_| ()),
                            )
                        }
                    };
                    let (profile, invoke) = tokio::join!(get, invoke);
                    LiveModel {
                        variable: var.clone(),
                        id: id.clone(),
                        region: model_region.clone(),
                        profile,
                        invoke,
                    }
                }
            }));
        let (creds, identity, list, models) = tokio::join!(creds, identity, list, model_probes);
        LiveReport {
            profile: profile.clone(),
            region: region.clone(),
            endpoint: opts.endpoint_url.clone(),
            credentials: creds.map(|c| LiveCredentials {
                source: c.source().to_string(),
                key_id: keyless_config::redact(&c.access_key_id),
                long_lived: c.long_lived(),
                expires: c.expiry.and_then(|t| {
                    t.duration_since(std::time::UNIX_EPOCH)
                        .ok()
                        .map(|d| d.as_secs() as i64)
                }),
            }),
            identity: Some(identity.map(|i| LiveIdentity {
                account: i.account,
                arn: i.arn,
            })),
            list_profiles: Some(list),
            models,
        }
    });
    let mut report = report;
    report.attribute_unsigned_probes();
    Ok(report)
}
