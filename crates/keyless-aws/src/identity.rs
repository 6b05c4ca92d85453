//! Who the credentials are: which provider in the SDK's chain supplied them, how long they
//! last, and what STS says they belong to.

use std::time::SystemTime;

use aws_credential_types::provider::ProvideCredentials;
use aws_credential_types::Credentials;

use crate::client::{sdk_config, Target};
use crate::error::{chain_message, AwsError, ErrorKind};

/// Credentials as the SDK's default chain resolved them. The secret stays inside.
#[derive(Debug, Clone)]
pub struct ResolvedCredentials {
    /// The SDK provider's own name (`ProfileFile`, `SSO`, `AssumeRoleProvider`...).
    pub provider: String,
    /// The access key ID (a key ID is not a secret, but callers still redact it).
    pub access_key_id: String,
    /// When they stop working, if they expire.
    pub expiry: Option<SystemTime>,
    /// The region the SDK resolved beside them.
    pub region: String,
    credentials: Credentials,
}

impl ResolvedCredentials {
    /// Long-lived IAM user keys (`AKIA`), as opposed to temporary ones (`ASIA`).
    pub fn long_lived(&self) -> bool {
        self.access_key_id.starts_with("AKIA")
    }

    /// The provider in words a person recognises.
    pub fn source(&self) -> &'static str {
        source_of(&self.provider)
    }

    /// The credentials themselves, for a caller that signs with them (the sandbox trusts them).
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }
}

/// Names the SDK's providers the way AWS's documentation does.
pub fn source_of(provider: &str) -> &'static str {
    match provider {
        "EnvironmentVariable" | "Environment" => "environment variables",
        "ProfileFile" => "static keys in a profile",
        "SSO" => "IAM Identity Center (SSO)",
        "AssumeRoleProvider" => "assumed role",
        "CredentialProcess" => "credential_process",
        "WebIdentityToken" => "web identity (OIDC)",
        "EcsContainer" | "ECS" | "HttpCredentialProvider" => "container credentials",
        "IMDSv2" | "Imds" | "IMDS" => "instance metadata (EC2 role)",
        "Login" => "aws login (console credentials)",
        "Static" | "static" => "static credentials",
        _ => "another provider",
    }
}

/// What STS GetCallerIdentity says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerIdentity {
    /// The 12-digit account.
    pub account: String,
    /// The principal's ARN.
    pub arn: String,
    /// The unique ID (`AIDA...` for a user, `AROA...:session` for a role).
    pub user_id: String,
}

impl CallerIdentity {
    /// The account's root user: it can do anything and cannot be limited by IAM policy.
    pub fn is_root(&self) -> bool {
        self.arn.ends_with(":root")
    }

    /// An IAM user (as opposed to a role session or a federated user).
    pub fn is_iam_user(&self) -> bool {
        self.arn.contains(":user/")
    }
}

/// A key pair to check, as found by `keyless scan`.
#[derive(Debug, Clone)]
pub struct KeyPair {
    /// `AKIA...` / `ASIA...`.
    pub access_key_id: String,
    /// The 40-character secret.
    pub secret_access_key: String,
    /// The session token, for temporary keys.
    pub session_token: Option<String>,
}

/// Resolves the credentials for a target through the SDK's default chain.
pub async fn resolve_credentials(target: &Target) -> Result<ResolvedCredentials, AwsError> {
    credentials_of(&sdk_config(target).await, target.deadline).await
}

/// Resolves the credentials of an SDK configuration, within `deadline`.
pub async fn credentials_of(
    config: &aws_config::SdkConfig,
    deadline: std::time::Duration,
) -> Result<ResolvedCredentials, AwsError> {
    let region = config
        .region()
        .map(|r| r.to_string())
        .unwrap_or_else(|| "us-east-1".into());
    let Some(provider) = config.credentials_provider() else {
        return Err(AwsError {
            kind: ErrorKind::Credentials,
            code: None,
            message: "no credential provider is configured".into(),
            status: None,
        });
    };
    let creds = match tokio::time::timeout(deadline, provider.provide_credentials()).await {
        Err(_) => {
            return Err(AwsError {
                kind: ErrorKind::Timeout,
                code: None,
                message: "resolving credentials took longer than the deadline".into(),
                status: None,
            })
        }
        Ok(Err(e)) => {
            return Err(AwsError {
                kind: ErrorKind::Credentials,
                code: None,
                message: chain_message(&e),
                status: None,
            })
        }
        Ok(Ok(c)) => c,
    };
    Ok(ResolvedCredentials {
        provider: provider_name(&creds),
        access_key_id: creds.access_key_id().to_string(),
        expiry: creds.expiry(),
        region,
        credentials: creds,
    })
}

fn provider_name(c: &Credentials) -> String {
    // `Credentials`' Debug output is the only public place the provider name appears; it
    // never includes the secret.
    let d = format!("{c:?}");
    d.split("provider_name: \"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or("unknown")
        .to_string()
}

/// STS GetCallerIdentity with an SDK configuration's credentials.
pub async fn identity_of(config: &aws_config::SdkConfig) -> Result<CallerIdentity, AwsError> {
    let sts = aws_sdk_sts::Client::new(config);
    let out = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(AwsError::from_sdk)?;
    Ok(CallerIdentity {
        account: out.account().unwrap_or_default().to_string(),
        arn: out.arn().unwrap_or_default().to_string(),
        user_id: out.user_id().unwrap_or_default().to_string(),
    })
}

/// STS GetCallerIdentity with the target's own credentials.
pub async fn caller_identity(target: &Target) -> Result<CallerIdentity, AwsError> {
    identity_of(&sdk_config(target).await).await
}

/// STS GetCallerIdentity with a found key pair: whether it is live, and whose it is.
/// GetCallerIdentity needs no permission, so any live key answers; it changes nothing and
/// only appears in the key owner's CloudTrail.
pub async fn verify_key_pair(pair: &KeyPair, target: &Target) -> Result<CallerIdentity, AwsError> {
    let creds = Credentials::new(
        &pair.access_key_id,
        &pair.secret_access_key,
        pair.session_token.clone(),
        None,
        "keyless-scan",
    );
    let base = sdk_config(&Target {
        profile: None,
        ..target.clone()
    })
    .await;
    let config = base
        .into_builder()
        .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(creds))
        .build();
    identity_of(&config).await
}

/// [`verify_key_pair`] for many pairs at once, concurrently; results in the pairs' order.
pub async fn verify_key_pairs(
    pairs: Vec<KeyPair>,
    target: &Target,
) -> Vec<Result<CallerIdentity, AwsError>> {
    let mut out: Vec<Option<Result<CallerIdentity, AwsError>>> =
        (0..pairs.len()).map(|_| None).collect();
    let mut set = tokio::task::JoinSet::new();
    for (i, pair) in pairs.into_iter().enumerate() {
        let target = target.clone();
        set.spawn(async move { (i, verify_key_pair(&pair, &target).await) });
    }
    while let Some(joined) = set.join_next().await {
        if let Ok((i, r)) = joined {
            out[i] = Some(r);
        }
    }
    out.into_iter()
        .map(|r| {
            r.unwrap_or_else(|| {
                Err(AwsError {
                    kind: ErrorKind::Credentials,
                    code: None,
                    message: "the check did not complete".into(),
                    status: None,
                })
            })
        })
        .collect()
}
