//! What `keyless doctor --live` learnt from AWS, as plain data, and what each AWS error
//! means. The probes themselves run in the binary (through `keyless-aws`); the findings
//! (`KD5xx`) read this report, so they stay pure functions that tests can feed.

/// How a probe failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// AWS answered with an error.
    Service,
    /// No answer before the deadline.
    Timeout,
    /// No connection (DNS, refused, TLS).
    Network,
    /// An answer that is not AWS's.
    BadResponse,
    /// No credentials.
    Credentials,
}

/// A failed probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The kind.
    pub kind: FailureKind,
    /// AWS's error code.
    pub code: Option<String>,
    /// AWS's message (or a description).
    pub message: String,
    /// HTTP status.
    pub status: Option<u16>,
}

/// The credentials the SDK chain resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveCredentials {
    /// The provider, in words (`assumed role`, `IAM Identity Center (SSO)`...).
    pub source: String,
    /// The access key ID, redacted.
    pub key_id: String,
    /// Long-lived (`AKIA`) rather than temporary.
    pub long_lived: bool,
    /// Unix seconds when they expire.
    pub expires: Option<i64>,
}

/// STS's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveIdentity {
    /// Account.
    pub account: String,
    /// ARN.
    pub arn: String,
}

/// One model Claude Code will call, and what Bedrock said of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveModel {
    /// The variable it comes from (`ANTHROPIC_MODEL`).
    pub variable: String,
    /// The ID, exactly as Claude Code will send it.
    pub id: String,
    /// The region it is called in (the background model may have its own).
    pub region: String,
    /// GetInferenceProfile: the destination regions (when the ID is a profile).
    pub profile: Option<Result<Vec<String>, Failure>>,
    /// The streaming invocation (`None` with `--no-invoke`).
    pub invoke: Option<Result<(), Failure>>,
}

/// Everything the live probes found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveReport {
    /// The profile probed.
    pub profile: String,
    /// The region probed.
    pub region: String,
    /// The endpoint override, when one was used.
    pub endpoint: Option<String>,
    /// The credentials, or why none.
    pub credentials: Result<LiveCredentials, Failure>,
    /// STS GetCallerIdentity.
    pub identity: Option<Result<LiveIdentity, Failure>>,
    /// ListInferenceProfiles: how many system-defined profiles the region offers.
    pub list_profiles: Option<Result<usize, Failure>>,
    /// The models.
    pub models: Vec<LiveModel>,
}

impl LiveReport {
    /// When the credentials could not be resolved, no probe can have been signed: one that
    /// got no answer from AWS (a deadline, a connection error) was waiting on the same
    /// credential chain, not on the endpoint. Each such failure becomes "not sent: no
    /// credentials", so the report names one cause (KD501) instead of an unreachable
    /// endpoint per probe.
    pub fn attribute_unsigned_probes(&mut self) {
        if self.credentials.is_ok() {
            return;
        }
        let settle = |f: &mut Failure| {
            if f.kind != FailureKind::Service {
                f.kind = FailureKind::Credentials;
                f.code = None;
                f.status = None;
                f.message = "not sent: no credentials".into();
            }
        };
        if let Some(Err(f)) = self.identity.as_mut() {
            settle(f);
        }
        if let Some(Err(f)) = self.list_profiles.as_mut() {
            settle(f);
        }
        for m in &mut self.models {
            if let Some(Err(f)) = m.profile.as_mut() {
                settle(f);
            }
            if let Some(Err(f)) = m.invoke.as_mut() {
                settle(f);
            }
        }
    }
}

/// What an AWS error means for a Claude Code setup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    /// `AccessDeniedException` from identity policy: the action and resource it names.
    AccessDenied {
        /// `bedrock:InvokeModelWithResponseStream`.
        action: String,
        /// The resource ARN.
        resource: String,
    },
    /// An explicit deny in a service control policy.
    DeniedByScp,
    /// "The provided model identifier is invalid."
    InvalidModelId,
    /// "... with on-demand throughput isn't supported ..."
    OnDemandNotSupported,
    /// The Anthropic use-case form, or model access not granted.
    ModelAccess,
    /// AWS Marketplace permissions or subscription.
    Marketplace,
    /// The model reached end of life.
    EndOfLife,
    /// Expired session token.
    ExpiredToken,
    /// Unknown key, wrong secret.
    InvalidCredentials,
    /// Clock skew.
    ClockSkew,
    /// Throttling.
    Throttled,
    /// No endpoint, no answer, or garbage.
    Unreachable,
    /// No credentials at all: the request never left (KD501 reports it once, from the
    /// credentials probe).
    NoCredentials,
    /// Anything else.
    Other,
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let rest = &s[i..];
    Some(rest[..rest.find(end).unwrap_or(rest.len())].trim())
}

/// Classifies a failure by AWS's code and message (`shared/reference/claude-bedrock.md` §6).
pub fn classify(f: &Failure) -> Cause {
    if f.kind != FailureKind::Service {
        return match f.kind {
            FailureKind::Credentials => Cause::NoCredentials,
            _ => Cause::Unreachable,
        };
    }
    let code = f.code.as_deref().unwrap_or("");
    let m = f.message.as_str();
    let lower = m.to_ascii_lowercase();
    if lower.contains("signature expired")
        || lower.contains("not yet current")
        || code == "RequestExpired"
    {
        return Cause::ClockSkew;
    }
    if lower.contains("aws-marketplace")
        || lower.contains("marketplace")
        || code.starts_with("MPAgreement")
    {
        return Cause::Marketplace;
    }
    if lower.contains("use case details")
        || code == "FTUFormNotFilled"
        || lower.contains("don't have access to the model")
    {
        return Cause::ModelAccess;
    }
    if lower.contains("reached the end of its life") {
        return Cause::EndOfLife;
    }
    match code {
        "AccessDeniedException" | "AccessDenied" => {
            if lower.contains("service control policy") {
                return Cause::DeniedByScp;
            }
            if let (Some(action), Some(resource)) = (
                between(m, "not authorized to perform: ", " on resource: "),
                between(m, " on resource: ", " "),
            ) {
                return Cause::AccessDenied {
                    action: action.to_string(),
                    resource: resource.to_string(),
                };
            }
            Cause::Other
        }
        "ValidationException" if lower.contains("model identifier is invalid") => {
            Cause::InvalidModelId
        }
        "ValidationException" if lower.contains("on-demand throughput") => {
            Cause::OnDemandNotSupported
        }
        "ExpiredToken" | "ExpiredTokenException" => Cause::ExpiredToken,
        "UnrecognizedClientException"
        | "InvalidClientTokenId"
        | "SignatureDoesNotMatch"
        | "InvalidSignatureException" => Cause::InvalidCredentials,
        "ThrottlingException" | "Throttling" | "TooManyRequestsException" => Cause::Throttled,
        _ => Cause::Other,
    }
}

impl LiveReport {
    /// Every failure with the probe it came from (`credentials`, `sts:GetCallerIdentity`,
    /// `invoke ANTHROPIC_MODEL`...).
    pub fn failures(&self) -> Vec<(String, &Failure)> {
        let mut out = Vec::new();
        if let Err(f) = &self.credentials {
            out.push(("resolving credentials".to_string(), f));
        }
        if let Some(Err(f)) = &self.identity {
            out.push(("sts:GetCallerIdentity".to_string(), f));
        }
        if let Some(Err(f)) = &self.list_profiles {
            out.push(("bedrock:ListInferenceProfiles".to_string(), f));
        }
        for m in &self.models {
            if let Some(Err(f)) = &m.profile {
                out.push((
                    format!("bedrock:GetInferenceProfile for {} ({})", m.variable, m.id),
                    f,
                ));
            }
            if let Some(Err(f)) = &m.invoke {
                out.push((
                    format!("streaming invocation of {} ({})", m.variable, m.id),
                    f,
                ));
            }
        }
        out
    }

    /// One finding per failure with a given cause, made by `make(probe, "Code: message")`.
    pub fn findings_for(
        &self,
        want: fn(&Cause) -> bool,
        make: impl Fn(&str, &str) -> crate::Finding,
    ) -> Vec<crate::Finding> {
        self.failures_with(want)
            .into_iter()
            .map(|(probe, f, _)| {
                let message = match &f.code {
                    Some(code) => format!("{code}: {}", f.message),
                    None => f.message.clone(),
                };
                make(&probe, &message)
            })
            .collect()
    }

    /// The models whose invocation failed with a given cause.
    pub fn models_failing(&self, want: fn(&Cause) -> bool) -> Vec<&LiveModel> {
        self.models
            .iter()
            .filter(|m| matches!(&m.invoke, Some(Err(f)) if want(&classify(f))))
            .collect()
    }

    /// The failures with a given cause.
    pub fn failures_with(&self, want: fn(&Cause) -> bool) -> Vec<(String, &Failure, Cause)> {
        self.failures()
            .into_iter()
            .filter_map(|(probe, f)| {
                let c = classify(f);
                want(&c).then_some((probe, f, c))
            })
            .collect()
    }
}

/// Reports and failures for the `KD5xx` tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// A report where everything worked: SSO credentials, a role session, one model.
    pub fn report() -> LiveReport {
        LiveReport {
            profile: "dev".into(),
            region: "us-east-1".into(),
            endpoint: None,
            credentials: Ok(LiveCredentials {
                source: "IAM Identity Center (SSO)".into(),
                key_id: "ASIA…WXYZ".into(),
                long_lived: false,
                expires: Some(1_800_000_000),
            }),
            identity: Some(Ok(identity(
                "arn:aws:sts::123456789012:assumed-role/claude/s",
            ))),
            list_profiles: Some(Ok(12)),
            models: vec![LiveModel {
                variable: "ANTHROPIC_MODEL".into(),
                id: "us.m".into(),
                region: "us-east-1".into(),
                profile: None,
                invoke: Some(Ok(())),
            }],
        }
    }

    /// An identity.
    pub fn identity(arn: &str) -> LiveIdentity {
        LiveIdentity {
            account: "123456789012".into(),
            arn: arn.into(),
        }
    }

    /// A failure to resolve credentials.
    pub fn failure(message: &str) -> Failure {
        Failure {
            kind: FailureKind::Credentials,
            code: None,
            message: message.into(),
            status: None,
        }
    }

    /// An AWS error.
    pub fn service(code: &str, message: &str) -> Failure {
        Failure {
            kind: FailureKind::Service,
            code: Some(code.into()),
            message: message.into(),
            status: Some(400),
        }
    }

    /// Asserts that `findings` reports an invocation failing with `code` and `message`
    /// (once, naming the code) and nothing for a working report or another cause.
    pub fn flags_only(findings: fn(&LiveReport) -> Vec<crate::Finding>, code: &str, message: &str) {
        let mut r = report();
        assert!(findings(&r).is_empty());
        r.models[0].invoke = Some(Err(service(code, message)));
        let f = findings(&r);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.contains(code), "{}", f[0].message);
        let other = if code == "ValidationException" {
            service(
                "ThrottlingException",
                "Too many requests, please wait before trying again.",
            )
        } else {
            service(
                "ValidationException",
                "The provided model identifier is invalid.",
            )
        };
        r.models[0].invoke = Some(Err(other));
        assert!(findings(&r).is_empty());
    }

    /// Asserts that `findings` names the variable and the ID of a model whose invocation
    /// failed with `code` and `message`, and nothing for a working report.
    pub fn flags_model(
        findings: impl Fn(&LiveReport) -> Vec<crate::Finding>,
        code: &str,
        message: &str,
    ) {
        let mut r = report();
        assert!(findings(&r).is_empty());
        r.models[0].invoke = Some(Err(service(code, message)));
        let f = findings(&r);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.starts_with("ANTHROPIC_MODEL = `us.m`"),
            "{}",
            f[0].message
        );
    }

    /// No answer.
    pub fn timeout() -> Failure {
        Failure {
            kind: FailureKind::Timeout,
            code: None,
            message: "no answer before the deadline".into(),
            status: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::failure;
    use super::*;

    fn svc(code: &str, message: &str) -> Failure {
        Failure {
            kind: FailureKind::Service,
            code: Some(code.into()),
            message: message.into(),
            status: Some(400),
        }
    }

    #[test]
    fn bedrocks_messages_map_to_causes() {
        assert_eq!(
            classify(&svc("AccessDeniedException", "User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:us-east-1:1:inference-profile/us.x because no identity-based policy allows the bedrock:InvokeModelWithResponseStream action")),
            Cause::AccessDenied { action: "bedrock:InvokeModelWithResponseStream".into(), resource: "arn:aws:bedrock:us-east-1:1:inference-profile/us.x".into() }
        );
        assert_eq!(classify(&svc("AccessDeniedException", "User: a is not authorized to perform: bedrock:InvokeModel on resource: b with an explicit deny in a service control policy")), Cause::DeniedByScp);
        assert_eq!(
            classify(&svc(
                "ValidationException",
                "The provided model identifier is invalid."
            )),
            Cause::InvalidModelId
        );
        assert_eq!(classify(&svc("ValidationException", "Invocation of model ID anthropic.x with on-demand throughput isn\u{2019}t supported. Retry your request with the ID or ARN of an inference profile that contains this model.")), Cause::OnDemandNotSupported);
        assert_eq!(classify(&svc("ResourceNotFoundException", "Model use case details have not been submitted for this account. Fill out the Anthropic use case details form before using the model. If you have already filled out the form, try again in 15 minutes.")), Cause::ModelAccess);
        assert_eq!(classify(&svc("AccessDeniedException", "Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model.")), Cause::Marketplace);
        assert_eq!(
            classify(&svc(
                "ExpiredTokenException",
                "The security token included in the request is expired"
            )),
            Cause::ExpiredToken
        );
        assert_eq!(
            classify(&svc(
                "UnrecognizedClientException",
                "The security token included in the request is invalid."
            )),
            Cause::InvalidCredentials
        );
        assert_eq!(classify(&svc("InvalidSignatureException", "Signature expired: 20261127T080000Z is now earlier than 20261127T085500Z (20261127T090000Z - 5 min.)")), Cause::ClockSkew);
        assert_eq!(
            classify(&svc(
                "ThrottlingException",
                "Too many requests, please wait before trying again."
            )),
            Cause::Throttled
        );
        assert_eq!(classify(&svc("ResourceNotFoundException", "This model version has reached the end of its life. Please refer to the AWS documentation for more details.")), Cause::EndOfLife);
        assert_eq!(
            classify(&Failure {
                kind: FailureKind::Timeout,
                code: None,
                message: "no answer".into(),
                status: None
            }),
            Cause::Unreachable
        );
        assert_eq!(
            classify(&svc("InternalServerException", "oops")),
            Cause::Other
        );
        assert_eq!(
            classify(&failure("an error occurred while loading credentials")),
            Cause::NoCredentials
        );
    }
}
