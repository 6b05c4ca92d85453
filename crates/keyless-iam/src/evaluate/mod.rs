//! Policy evaluation, following the IAM User Guide's "Policy evaluation logic".
//!
//! 1. An explicit `Deny` in any policy that applies wins.
//! 2. Service control policies, when given, must allow. (Resource control policies
//!    always include the implicit `RCPFullAWSAccess`, so only their denies matter.)
//! 3. Same account: a resource-based policy that names the caller's user or session ARN
//!    allows on its own; one that names the role allows subject to the boundary and
//!    session policy; otherwise an identity-based policy must allow.
//!    Cross account: both the identity-based and the resource-based policy must allow.
//! 4. A permissions boundary, when given, must allow.
//! 5. A session policy, when given, must allow.
//!
//! [`PolicySet::evaluate`] returns the decision and, when asked, the explanation: the
//! statements that allowed or denied, the statements that came close and why they did
//! not apply, and for an implicit deny the statement that would have to exist.
//!
//! The files follow the work: `compile` turns a parsed policy into patterns and conditions
//! once, `matching` decides whether one statement applies to a request, this file runs the
//! evaluation logic over a [`PolicySet`], and `explain` says why.

mod compile;
mod explain;
mod matching;

pub use compile::CompiledPolicy;
use compile::{arn_account, CompiledStatement};
use explain::Collector;
pub use explain::{suggested_statement, Explanation, Mismatch, StatementRef};
use matching::{scan, PrincipalMatch, Scan};

use std::fmt;

use crate::condition::CompiledCondition;
use crate::context::Context;
use crate::policy::{Effect, Policy, PrincipalKind, Principals};
use crate::template::Template;
use crate::wildcard::Pattern;
/// The outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Allowed.
    Allowed,
    /// No statement allowed it (or a required layer did not).
    ImplicitlyDenied,
    /// A `Deny` statement applied.
    ExplicitlyDenied,
}

impl Decision {
    /// The name used in output (`Allowed`, `ImplicitlyDenied`, `ExplicitlyDenied`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allowed => "Allowed",
            Self::ImplicitlyDenied => "ImplicitlyDenied",
            Self::ExplicitlyDenied => "ExplicitlyDenied",
        }
    }
}

/// Which kind of policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PolicyKind {
    /// Identity-based (attached to the user or role).
    Identity,
    /// Resource-based (on the resource).
    Resource,
    /// Service control policy.
    Scp,
    /// Resource control policy.
    Rcp,
    /// Permissions boundary.
    PermissionBoundary,
    /// Session policy.
    Session,
}

impl PolicyKind {
    /// Human name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Identity => "identity policy",
            Self::Resource => "resource policy",
            Self::Scp => "service control policy",
            Self::Rcp => "resource control policy",
            Self::PermissionBoundary => "permissions boundary",
            Self::Session => "session policy",
        }
    }
}

/// A request to evaluate.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The caller: an IAM user, role, assumed-role session ARN, or a service principal.
    pub principal: String,
    /// `service:Action`.
    pub action: String,
    /// The resource ARN.
    pub resource: String,
    /// The account owning the resource (foundation models have no account in their ARN);
    /// defaults to the ARN's account, then the principal's.
    pub resource_account: Option<String>,
    /// Condition keys.
    pub context: Context,
}

/// All the policies that apply to a request.
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    /// Identity-based policies.
    pub identity: Vec<CompiledPolicy>,
    /// The resource-based policy.
    pub resource: Option<CompiledPolicy>,
    /// Service control policies by level of the organisation tree (root first). Every
    /// level must allow; within a level any policy may.
    pub scps: Vec<Vec<CompiledPolicy>>,
    /// Resource control policies.
    pub rcps: Vec<CompiledPolicy>,
    /// The permissions boundary.
    pub boundary: Option<CompiledPolicy>,
    /// The session policy.
    pub session: Option<CompiledPolicy>,
}

impl PolicySet {
    /// The decision only (the fast path).
    pub fn decide(&self, req: &Request) -> Decision {
        self.run(req, false).decision
    }

    /// The decision with its explanation.
    pub fn evaluate(&self, req: &Request) -> Explanation {
        self.run(req, true)
    }

    fn run(&self, req: &Request, explain: bool) -> Explanation {
        let mut col = Collector {
            on: explain,
            allowed_by: Vec::new(),
            denied_by: Vec::new(),
            near: Vec::new(),
        };
        let action_lc = req.action.to_ascii_lowercase();
        let has_boundary = self.boundary.is_some();
        let id = scan(
            PolicyKind::Identity,
            &self.identity,
            req,
            &action_lc,
            has_boundary,
            &mut col,
        );
        let res = scan(
            PolicyKind::Resource,
            &self.resource,
            req,
            &action_lc,
            has_boundary,
            &mut col,
        );
        let mut scp = Scan::default();
        let mut scp_levels_allow = true;
        for level in &self.scps {
            let l = scan(
                PolicyKind::Scp,
                level,
                req,
                &action_lc,
                has_boundary,
                &mut col,
            );
            scp.deny |= l.deny;
            scp_levels_allow &= l.allow;
        }
        let rcp = scan(
            PolicyKind::Rcp,
            &self.rcps,
            req,
            &action_lc,
            has_boundary,
            &mut col,
        );
        let pb = scan(
            PolicyKind::PermissionBoundary,
            &self.boundary,
            req,
            &action_lc,
            has_boundary,
            &mut col,
        );
        let sp = scan(
            PolicyKind::Session,
            &self.session,
            req,
            &action_lc,
            has_boundary,
            &mut col,
        );

        let finish =
            |decision: Decision, missing: Option<PolicyKind>, col: Collector| Explanation {
                decision,
                allowed_by: if decision == Decision::Allowed {
                    col.allowed_by
                } else {
                    Vec::new()
                },
                denied_by: col.denied_by,
                near_misses: col.near,
                missing_allow_in: missing,
            };
        // "No permissions are required to perform this operation … if an administrator
        // attaches a policy to your identity that explicitly denies access to
        // sts:GetCallerIdentity, you can still perform this operation." (STS API reference)
        if action_lc == "sts:getcalleridentity" {
            return finish(Decision::Allowed, None, col);
        }
        if id.deny || res.deny || scp.deny || rcp.deny || pb.deny || sp.deny {
            return finish(Decision::ExplicitlyDenied, None, col);
        }
        if aws_managed_and_immutable(req, &action_lc) {
            return finish(Decision::ImplicitlyDenied, None, col);
        }
        if !scp_levels_allow {
            return finish(Decision::ImplicitlyDenied, Some(PolicyKind::Scp), col);
        }
        let boundary_ok = self.boundary.is_none() || pb.allow;
        let session_ok = self.session.is_none() || sp.allow;
        let principal_account = arn_account(&req.principal);
        let resource_account = req
            .resource_account
            .as_deref()
            .or_else(|| arn_account(&req.resource))
            .or(principal_account);
        let same_account = principal_account.is_none() || principal_account == resource_account;
        let res_match = res.principal.unwrap_or(PrincipalMatch::No);
        let later_layers = |col: Collector| {
            if !boundary_ok {
                finish(
                    Decision::ImplicitlyDenied,
                    Some(PolicyKind::PermissionBoundary),
                    col,
                )
            } else if !session_ok {
                finish(Decision::ImplicitlyDenied, Some(PolicyKind::Session), col)
            } else {
                finish(Decision::Allowed, None, col)
            }
        };
        if same_account {
            // KMS key policies and role trust policies must themselves allow: an
            // identity policy alone never grants access to them (IAM User Guide,
            // "Policy evaluation logic", resource-based policies).
            if resource_policy_required(req) {
                return match res_match {
                    PrincipalMatch::Direct => finish(Decision::Allowed, None, col),
                    PrincipalMatch::Role => later_layers(col),
                    PrincipalMatch::Account if id.allow => later_layers(col),
                    PrincipalMatch::Account => {
                        finish(Decision::ImplicitlyDenied, Some(PolicyKind::Identity), col)
                    }
                    PrincipalMatch::No => {
                        finish(Decision::ImplicitlyDenied, Some(PolicyKind::Resource), col)
                    }
                };
            }
            if res_match == PrincipalMatch::Direct {
                return finish(Decision::Allowed, None, col);
            }
            if res_match == PrincipalMatch::Role || id.allow {
                return later_layers(col);
            }
            return finish(Decision::ImplicitlyDenied, Some(PolicyKind::Identity), col);
        }
        if !id.allow {
            return finish(Decision::ImplicitlyDenied, Some(PolicyKind::Identity), col);
        }
        if res_match == PrincipalMatch::No {
            return finish(Decision::ImplicitlyDenied, Some(PolicyKind::Resource), col);
        }
        later_layers(col)
    }
}

/// AWS-managed resources no policy can change: AWS managed policies
/// (`arn:aws:iam::aws:policy/...`), service-linked and IAM Identity Center roles
/// (`role/aws-service-role/...`, `role/aws-reserved/...`) and AWS-managed KMS aliases
/// (`alias/aws/...`). Reading them is allowed as usual; writing is not.
fn aws_managed_and_immutable(req: &Request, action_lc: &str) -> bool {
    let Some((action_service, name)) = action_lc.split_once(':') else {
        return false;
    };
    let read = ["get", "list", "describe", "generate", "simulate"]
        .iter()
        .any(|p| name.starts_with(p));
    if read {
        return false;
    }
    let mut parts = req.resource.splitn(6, ':');
    let service = parts.nth(2).unwrap_or("");
    let account = parts.nth(1).unwrap_or("");
    let resource = parts.next().unwrap_or("");
    // Only the resource's own service modifies it (`sts:AssumeRole` on a service-linked
    // role is using it, not changing it).
    if action_service != service {
        return false;
    }
    match service {
        "iam" => {
            (account == "aws" && resource.starts_with("policy/"))
                || resource.starts_with("role/aws-service-role/")
                || resource.starts_with("role/aws-reserved/")
        }
        "kms" => resource.starts_with("alias/aws/"),
        _ => false,
    }
}

/// Whether the resource's own policy must allow (KMS keys; roles, for `sts:AssumeRole*`).
fn resource_policy_required(req: &Request) -> bool {
    let mut parts = req.resource.splitn(6, ':');
    let service = parts.nth(2).unwrap_or("");
    let resource = parts.nth(2).unwrap_or("");
    (service.eq_ignore_ascii_case("kms") && resource.starts_with("key/"))
        || (service.eq_ignore_ascii_case("iam")
            && resource.starts_with("role/")
            && req
                .action
                .to_ascii_lowercase()
                .starts_with("sts:assumerole"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(name: &str, text: &str) -> CompiledPolicy {
        CompiledPolicy::new(name, &Policy::parse(text).unwrap())
    }

    fn req(action: &str, resource: &str) -> Request {
        Request {
            principal: "arn:aws:iam::111122223333:user/alice".into(),
            action: action.into(),
            resource: resource.into(),
            ..Default::default()
        }
    }

    const PROFILE: &str = "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0";

    #[test]
    fn a_suggestion_for_a_model_behind_a_profile_is_conditioned_on_the_profile() {
        let fm =
            "arn:aws:bedrock:us-east-2::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0";
        let mut r = req("bedrock:InvokeModelWithResponseStream", fm);
        r.context
            .insert("bedrock:InferenceProfileArn", vec![PROFILE.to_string()]);
        let s: serde_json::Value = serde_json::from_str(&suggested_statement(&r)).unwrap();
        assert_eq!(
            s["Condition"]["StringEquals"]["bedrock:InferenceProfileArn"],
            PROFILE
        );
        // The suggestion allows the request and nothing more direct.
        let policy = format!(r#"{{"Statement":[{s}]}}"#);
        let set = PolicySet {
            identity: vec![compile("s", &policy)],
            ..Default::default()
        };
        assert_eq!(set.decide(&r), Decision::Allowed);
        assert_eq!(
            set.decide(&req("bedrock:InvokeModelWithResponseStream", fm)),
            Decision::ImplicitlyDenied
        );
        // A request without the profile gets a plain statement.
        let plain: serde_json::Value =
            serde_json::from_str(&suggested_statement(&req("bedrock:InvokeModel", fm))).unwrap();
        assert!(plain.get("Condition").is_none());
    }

    #[test]
    fn seed_policy_denies_the_inference_profile() {
        let seed = compile(
            "seed",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["bedrock:InvokeModel","bedrock:InvokeModelWithResponseStream"],"Resource":["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-*"]}]}"#,
        );
        let set = PolicySet {
            identity: vec![seed],
            ..Default::default()
        };
        let e = set.evaluate(&req("bedrock:InvokeModelWithResponseStream", PROFILE));
        assert_eq!(e.decision, Decision::ImplicitlyDenied);
        assert_eq!(e.missing_allow_in, Some(PolicyKind::Identity));
        assert!(matches!(&e.near_misses[0].1, Mismatch::Resource { .. }));
        let fm =
            "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0";
        assert_eq!(
            set.decide(&req("bedrock:invokemodel", fm)),
            Decision::Allowed
        );
        assert_eq!(
            set.decide(&req(
                "bedrock:InvokeModel",
                &fm.replace("us-east-1", "us-west-2")
            )),
            Decision::ImplicitlyDenied
        );
    }

    #[test]
    fn deny_wins_scp_and_boundary_must_allow() {
        let allow = compile(
            "a",
            r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
        );
        let deny = compile(
            "d",
            r#"{"Statement":{"Effect":"Deny","Action":"bedrock:*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"}}}}"#,
        );
        let mut set = PolicySet {
            identity: vec![allow.clone(), deny],
            ..Default::default()
        };
        let mut r = req("bedrock:InvokeModel", PROFILE);
        assert_eq!(
            set.decide(&r),
            Decision::ExplicitlyDenied,
            "missing key + negated operator matches"
        );
        r.context
            .insert("aws:RequestedRegion", vec!["us-east-1".into()]);
        assert_eq!(set.decide(&r), Decision::Allowed);
        set.scps = vec![vec![compile(
            "scp",
            r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#,
        )]];
        let e = set.evaluate(&r);
        assert_eq!(
            (e.decision, e.missing_allow_in),
            (Decision::ImplicitlyDenied, Some(PolicyKind::Scp))
        );
        // Every level must allow: a level with no policy denies.
        set.scps = vec![vec![allow.clone()], vec![]];
        assert_eq!(set.evaluate(&r).missing_allow_in, Some(PolicyKind::Scp));
        set.scps = vec![vec![allow.clone()], vec![allow.clone()]];
        assert_eq!(set.decide(&r), Decision::Allowed);
        // Every level must allow: a level with no policy denies.
        set.scps = vec![vec![allow.clone()], vec![]];
        assert_eq!(set.evaluate(&r).missing_allow_in, Some(PolicyKind::Scp));
        set.scps = vec![vec![allow.clone()], vec![allow.clone()]];
        assert_eq!(set.decide(&r), Decision::Allowed);
        set.scps.clear();
        set.boundary = Some(compile(
            "pb",
            r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#,
        ));
        assert_eq!(
            set.evaluate(&r).missing_allow_in,
            Some(PolicyKind::PermissionBoundary)
        );
    }

    #[test]
    fn resource_policies_same_and_cross_account() {
        let bucket = "arn:aws:s3:::b/k";
        let rp = |principal: &str| {
            compile(
                "rp",
                &format!(
                    r#"{{"Statement":{{"Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}}}"#
                ),
            )
        };
        let mut r = req("s3:GetObject", bucket);
        r.resource_account = Some("111122223333".into());
        let set = PolicySet {
            resource: Some(rp("arn:aws:iam::111122223333:user/alice")),
            ..Default::default()
        };
        assert_eq!(set.decide(&r), Decision::Allowed);
        let set = PolicySet {
            resource: Some(rp("111122223333")),
            ..Default::default()
        };
        assert_eq!(
            set.decide(&r),
            Decision::ImplicitlyDenied,
            "naming the account delegates to identity policies"
        );
        r.resource_account = Some("444455556666".into());
        let set = PolicySet {
            resource: Some(rp("arn:aws:iam::111122223333:user/alice")),
            ..Default::default()
        };
        assert_eq!(
            set.evaluate(&r).missing_allow_in,
            Some(PolicyKind::Identity)
        );
        let set = PolicySet {
            resource: Some(rp("arn:aws:iam::111122223333:root")),
            identity: vec![compile(
                "id",
                r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#,
            )],
            ..Default::default()
        };
        assert_eq!(set.decide(&r), Decision::Allowed);
    }

    #[test]
    fn get_caller_identity_needs_no_permission() {
        let deny = compile(
            "d",
            r#"{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}"#,
        );
        for set in [
            PolicySet::default(),
            PolicySet {
                identity: vec![deny],
                ..Default::default()
            },
        ] {
            assert_eq!(
                set.decide(&req("sts:GetCallerIdentity", "*")),
                Decision::Allowed
            );
        }
    }

    #[test]
    fn aws_managed_resources_cannot_be_modified() {
        let admin = compile(
            "admin",
            r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
        );
        let set = PolicySet {
            identity: vec![admin],
            ..Default::default()
        };
        let managed = "arn:aws:iam::aws:policy/AdministratorAccess";
        assert_eq!(
            set.decide(&req("iam:DeletePolicy", managed)),
            Decision::ImplicitlyDenied
        );
        assert_eq!(
            set.decide(&req("iam:GetPolicy", managed)),
            Decision::Allowed
        );
        let slr = "arn:aws:iam::111122223333:role/aws-service-role/bedrock.amazonaws.com/AWSServiceRoleForBedrock";
        assert_eq!(
            set.decide(&req("iam:DeleteRole", slr)),
            Decision::ImplicitlyDenied
        );
        assert_eq!(
            set.decide(&req(
                "kms:DeleteAlias",
                "arn:aws:kms:us-east-1:111122223333:alias/aws/s3"
            )),
            Decision::ImplicitlyDenied
        );
        assert_eq!(
            set.decide(&req(
                "iam:DeleteRole",
                "arn:aws:iam::111122223333:role/mine"
            )),
            Decision::Allowed
        );
    }

    #[test]
    fn not_principal_deny_always_applies_with_a_boundary() {
        let rp = compile(
            "rp",
            r#"{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"s3:GetObject","Resource":"*"}}"#,
        );
        let id = compile(
            "id",
            r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#,
        );
        let mut set = PolicySet {
            identity: vec![id.clone()],
            resource: Some(rp),
            ..Default::default()
        };
        assert_eq!(
            set.decide(&req("s3:GetObject", "arn:aws:s3:::b/k")),
            Decision::Allowed,
            "alice is excluded from the deny"
        );
        set.boundary = Some(id);
        assert_eq!(
            set.decide(&req("s3:GetObject", "arn:aws:s3:::b/k")),
            Decision::ExplicitlyDenied
        );
    }

    #[test]
    fn resource_variables_and_case() {
        let p = compile(
            "p",
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/home/${aws:username}/*"}}"#,
        );
        let set = PolicySet {
            identity: vec![p],
            ..Default::default()
        };
        let mut r = req("S3:GETOBJECT", "arn:aws:s3:::b/home/alice/x");
        r.context.insert("aws:username", vec!["alice".into()]);
        assert_eq!(set.decide(&r), Decision::Allowed);
        r.resource = "arn:aws:s3:::b/home/Alice/x".into();
        assert_eq!(
            set.decide(&r),
            Decision::ImplicitlyDenied,
            "the resource part is case-sensitive"
        );
        r.resource = "ARN:AWS:S3:::b/home/alice/x".into();
        assert_eq!(
            set.decide(&r),
            Decision::Allowed,
            "the other segments are not"
        );
    }
}
