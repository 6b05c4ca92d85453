//! Who is calling and what they may do: SigV4 authentication against the principals the
//! sandbox knows, IAM authorisation of one action on one resource (recorded as a check),
//! and the resolution of a model string to what Bedrock would invoke. The handlers
//! (`bedrock`, `sts`) call into this layer; it calls none of them.

use keyless_catalog::{diagnose, Verdict};
use keyless_catalog::{Catalog, Date};
use keyless_iam::{Context, Decision, PolicyKind, Request};

use crate::errors::{sts_error_body, BedrockError};
use crate::http::{now, HttpRequest, HttpResponse};
use crate::principals::Principal;
use crate::sigv4::{self, SignedRequest};
use crate::state::{Call, Check, State};

fn sts_code(code: &str) -> &str {
    // STS names the same failures differently from the JSON services.
    match code {
        "UnrecognizedClientException" => "InvalidClientTokenId",
        "InvalidSignatureException" => "SignatureDoesNotMatch",
        "ExpiredTokenException" => "ExpiredToken",
        "IncompleteSignatureException" => "IncompleteSignature",
        "MissingAuthenticationTokenException" => "MissingAuthenticationToken",
        c => c,
    }
}

/// Verifies the signature and finds the principal.
pub(crate) fn authenticate(
    state: &State,
    req: &HttpRequest,
    service: &str,
) -> Result<(Principal, sigv4::Authorization), BedrockError> {
    let Some(value) = req.header("authorization") else {
        return Err(BedrockError::missing_authentication());
    };
    let auth = sigv4::parse_authorization(value)?;
    if !Catalog::looks_like_region(&auth.region) {
        return Err(BedrockError::new(
            "InvalidSignatureException",
            403,
            "Credential should be scoped to a valid region. ",
        ));
    }
    if auth.service != service {
        return Err(BedrockError::new(
            "InvalidSignatureException",
            403,
            format!("Credential should be scoped to correct service: '{service}'. "),
        ));
    }
    let Some(principal) = state.registry.get(&auth.access_key_id) else {
        return Err(BedrockError::unrecognized_client());
    };
    let signed = SignedRequest {
        method: &req.method,
        path: &req.path,
        query: &req.query,
        headers: &req.headers,
        body: &req.body,
    };
    let now = now();
    sigv4::verify(&signed, &auth, &principal.secret, now)?;
    if let Some(token) = &principal.session_token {
        if req.header("x-amz-security-token") != Some(token.as_str()) {
            return Err(BedrockError::unrecognized_client());
        }
    }
    if principal.expires.is_some_and(|e| e <= now) {
        return Err(BedrockError::expired_token());
    }
    Ok((principal, auth))
}

/// An STS-shaped authentication failure.
pub(crate) fn sts_auth_failure(
    state: &State,
    req: &HttpRequest,
    request_id: &str,
) -> Result<(Principal, sigv4::Authorization), HttpResponse> {
    authenticate(state, req, "sts").map_err(|f| HttpResponse {
        status: f.status,
        headers: vec![
            ("content-type".into(), "text/xml".into()),
            ("x-amzn-requestid".into(), request_id.into()),
        ],
        body: sts_error_body(sts_code(&f.code), &f.message, request_id),
    })
}

/// Evaluates one action on one resource for a principal and records it.
pub(crate) fn authorize(
    state: &State,
    principal: &Principal,
    call: &mut Call,
    action: &str,
    resource: &str,
    region: &str,
    extra: &[(&str, &str)],
) -> Result<(), BedrockError> {
    let mut context = Context::default();
    context.insert("aws:RequestedRegion", vec![region.to_string()]);
    for (k, v) in extra {
        context.insert(k, vec![v.to_string()]);
    }
    let request = Request {
        principal: principal.arn.clone(),
        action: action.to_string(),
        resource: resource.to_string(),
        resource_account: Some(state.config.account.clone()),
        context,
    };
    let ex = principal.policies.set.evaluate(&request);
    let statement = ex
        .denied_by
        .first()
        .or(ex.allowed_by.first())
        .map(|s| s.to_string());
    call.checks.push(Check {
        action: action.into(),
        resource: resource.into(),
        context: extra
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        region: region.into(),
        decision: ex.decision.as_str().into(),
        statement,
    });
    // AWS names the kind of policy in the message.
    let kind = |k: PolicyKind| match k {
        PolicyKind::Identity => "identity-based policy",
        PolicyKind::Scp => "service control policy",
        PolicyKind::Rcp => "resource control policy",
        PolicyKind::PermissionBoundary => "permissions boundary",
        PolicyKind::Session => "session policy",
        PolicyKind::Resource => "resource-based policy",
    };
    match ex.decision {
        Decision::Allowed => Ok(()),
        Decision::ExplicitlyDenied => Err(BedrockError::access_denied(
            &principal.arn,
            action,
            resource,
            true,
            kind(
                ex.denied_by
                    .first()
                    .map(|s| s.kind)
                    .unwrap_or(PolicyKind::Identity),
            ),
        )),
        Decision::ImplicitlyDenied => Err(BedrockError::access_denied(
            &principal.arn,
            action,
            resource,
            false,
            kind(ex.missing_allow_in.unwrap_or(PolicyKind::Identity)),
        )),
    }
}

/// What a model string names, from a region, as Bedrock resolves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A system-defined inference profile: its ID, the base model, its destinations
    /// (an empty string for global routing).
    Profile {
        /// The profile ID.
        id: String,
        /// The base model ID.
        model: String,
        /// Destination regions.
        destinations: Vec<String>,
    },
    /// A base model invoked on demand in the region.
    Model(String),
}

/// Resolves a model string from `region` or gives Bedrock's error for it.
pub fn resolve_model(input: &str, region: &str, account: &str) -> Result<Target, BedrockError> {
    // ARNs name the same things; the account and region must be the caller's.
    let id = if let Some(rest) = input.strip_prefix("arn:") {
        let parts: Vec<&str> = rest.splitn(5, ':').collect();
        if parts.len() != 5 || parts[1] != "bedrock" || parts[2] != region {
            return Err(BedrockError::invalid_model());
        }
        match parts[4].split_once('/') {
            Some(("inference-profile", id)) if parts[3] == account => id.to_string(),
            Some(("foundation-model", id)) if parts[3].is_empty() => id.to_string(),
            _ => return Err(BedrockError::invalid_model()),
        }
    } else {
        input.to_string()
    };
    let catalog = Catalog::embedded();
    let today = Date::today();
    let d = diagnose(catalog, &id, Some(region), today);
    let verdicts: Vec<Verdict> = d.problems.iter().map(|p| p.verdict).collect();
    let Some(model) = d.model.as_ref() else {
        return Err(BedrockError::invalid_model());
    };
    if verdicts.iter().any(|v| v.is_invalid_identifier()) {
        return Err(BedrockError::invalid_model());
    }
    if verdicts.contains(&Verdict::EndOfLife) {
        return Err(BedrockError::end_of_life());
    }
    if verdicts.contains(&Verdict::NeedsInferenceProfile) {
        return Err(BedrockError::on_demand_not_supported(&id));
    }
    if let Some(p) = model.profiles.iter().find(|p| p.id == id) {
        if !p.sources.iter().any(|s| s == region) {
            return Err(BedrockError::invalid_model());
        }
        return Ok(Target::Profile {
            id: p.id.clone(),
            model: model.id.clone(),
            destinations: if p.prefix == "global" {
                vec![String::new()]
            } else {
                p.destinations.clone()
            },
        });
    }
    if id == model.id && model.on_demand {
        return Ok(Target::Model(model.id.clone()));
    }
    Err(BedrockError::invalid_model())
}
