//! The calls Claude Code makes to Bedrock, and what a set of policies answers to each.
//!
//! From the observed trace of the real client (`claude-code-bedrock-observed.md`):
//! `ListInferenceProfiles` at start; `InvokeModel` availability probes with the
//! configured model IDs; then each conversation turn as `InvokeModelWithResponseStream`
//! on the configured model. Bedrock authorises a call through an inference profile twice:
//! the profile ARN in the source region, and the foundation model in whichever destination
//! region it routes to (with `bedrock:InferenceProfileArn` set). Every destination must be
//! allowed, because the caller does not choose it. `GetInferenceProfile` is recommended by
//! Claude Code's documentation but optional (without it Claude Code retries once with
//! another request shape).

use crate::evaluate::{suggested_statement, Decision, Explanation, PolicySet, Request};
use crate::generate::Route;
use crate::Context;

/// A foundation model Bedrock authorises a call routed through an inference profile to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutedModel {
    /// The destination region (empty for global routing).
    pub destination: String,
    /// The foundation model's ARN there (region-less for global routing).
    pub resource: String,
    /// `aws:RequestedRegion` for that check: the destination, or the source region for
    /// global routing.
    pub requested_region: String,
}

/// The foundation-model checks behind a call through an inference profile: one per
/// destination region (empty for `global.`), each made with `bedrock:InferenceProfileArn` set
/// to the profile. Every one must pass, because the caller does not choose the destination.
/// `policy check --for-claude-code` and `keyless sandbox` both authorise with this.
pub fn routed_models(
    model: &str,
    destinations: &[String],
    source_region: &str,
) -> Vec<RoutedModel> {
    destinations
        .iter()
        .map(|d| RoutedModel {
            destination: d.clone(),
            resource: format!("arn:aws:bedrock:{d}::foundation-model/{model}"),
            requested_region: if d.is_empty() { source_region } else { d }.to_string(),
        })
        .collect()
}

/// One call and its outcome.
#[derive(Debug, Clone)]
pub struct CallResult {
    /// What Claude Code does, in words.
    pub call: String,
    /// The IAM action.
    pub action: String,
    /// The resource ARN.
    pub resource: String,
    /// Whether Claude Code needs it to work.
    pub required: bool,
    /// The decision and why.
    pub explanation: Explanation,
    /// For a denial: the statement to add.
    pub suggestion: Option<String>,
    /// For a foundation model reached through an inference profile: that profile's ARN
    /// (the `bedrock:InferenceProfileArn` the call carries).
    pub through_profile: Option<String>,
}

/// Simulates Claude Code's calls for `routes` as `principal` (whose account is used in
/// the ARNs).
pub fn check(set: &PolicySet, routes: &[Route], principal: &str) -> Vec<CallResult> {
    let account = principal
        .split(':')
        .nth(4)
        .filter(|a| !a.is_empty())
        .unwrap_or("111122223333")
        .to_string();
    let mut out = Vec::new();
    let mut run = |call: String,
                   action: &str,
                   resource: String,
                   required: bool,
                   ctx: Context,
                   region: &str| {
        let mut context = ctx;
        context.insert("aws:RequestedRegion", vec![region.to_string()]);
        let req = Request {
            principal: principal.to_string(),
            action: action.to_string(),
            resource,
            resource_account: Some(account.clone()),
            context,
        };
        let explanation = set.evaluate(&req);
        let suggestion =
            (explanation.decision != Decision::Allowed).then(|| suggested_statement(&req));
        let through_profile = req
            .context
            .get("bedrock:inferenceprofilearn")
            .and_then(|v| v.first().cloned());
        out.push(CallResult {
            call,
            action: action.into(),
            resource: req.resource,
            required,
            explanation,
            suggestion,
            through_profile,
        });
    };
    let mut regions: Vec<&str> = routes.iter().map(|r| r.region.as_str()).collect();
    regions.dedup();
    for region in regions {
        run(
            format!("list inference profiles at start ({region})"),
            "bedrock:ListInferenceProfiles",
            "*".into(),
            true,
            Context::default(),
            region,
        );
    }
    for r in routes {
        let profile_arn = r.profile_arn(&account);
        run(
            format!("read profile {}", r.profile),
            "bedrock:GetInferenceProfile",
            profile_arn.clone(),
            false,
            Context::default(),
            &r.region,
        );
        for (what, action) in [
            ("availability probe", "bedrock:InvokeModel"),
            (
                "conversation (streaming)",
                "bedrock:InvokeModelWithResponseStream",
            ),
        ] {
            run(
                format!("{what}: {} from {}", r.profile, r.region),
                action,
                profile_arn.clone(),
                true,
                Context::default(),
                &r.region,
            );
            for m in routed_models(&r.model, &r.destinations, &r.region) {
                let mut ctx = Context::default();
                ctx.insert("bedrock:InferenceProfileArn", vec![profile_arn.clone()]);
                let label = if m.destination.is_empty() {
                    "global routing (region-less ARN)".to_string()
                } else {
                    format!("routed to {}", m.destination)
                };
                run(
                    format!("{what}: {} {label}", r.profile),
                    action,
                    m.resource,
                    true,
                    ctx,
                    &m.requested_region,
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{bedrock_policy, routes, BedrockOptions};
    use crate::{CompiledPolicy, Policy};
    use keyless_catalog::{Catalog, Date};

    const SEED: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["bedrock:InvokeModel","bedrock:InvokeModelWithResponseStream"],"Resource":["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-*"]}]}"#;

    fn today() -> Date {
        Date::parse("2026-11-27").unwrap()
    }

    #[test]
    fn seed_policy_fails_claude_codes_calls_for_the_right_reasons() {
        let set = PolicySet {
            identity: vec![CompiledPolicy::new("seed", &Policy::parse(SEED).unwrap())],
            ..Default::default()
        };
        let (rs, _) = routes(
            &["sonnet-4.5".into(), "haiku-4.5".into()],
            &["us-east-1".into()],
            today(),
        )
        .unwrap();
        let results = check(&set, &rs, "arn:aws:iam::111122223333:user/dev");
        let denied = |pred: &dyn Fn(&CallResult) -> bool| {
            results
                .iter()
                .filter(|r| pred(r) && r.explanation.decision != Decision::Allowed)
                .count()
        };
        assert!(denied(&|r| r.action == "bedrock:ListInferenceProfiles") == 1);
        assert!(
            denied(&|r| r.resource.contains(":inference-profile/")) >= 4,
            "profile ARNs are denied"
        );
        assert!(
            denied(&|r| r.resource.contains("us-west-2::foundation-model")) >= 2,
            "destination regions are denied"
        );
        assert_eq!(
            denied(&|r| r.resource.contains("us-east-1::foundation-model")),
            0,
            "the one region it names is allowed"
        );
    }

    /// Every generated policy allows every required call, for every model and region in
    /// the catalog.
    #[test]
    fn generated_policies_allow_all_of_claude_codes_calls_everywhere() {
        let catalog = Catalog::embedded();
        let mut checked = 0;
        for m in catalog
            .models
            .iter()
            .filter(|m| m.lifecycle_on(today()) != keyless_catalog::Lifecycle::EndOfLife)
        {
            for p in &m.profiles {
                for region in &p.sources {
                    let opts = BedrockOptions {
                        models: vec![p.id.clone()],
                        regions: vec![region.clone()],
                        account: Some("111122223333".into()),
                        claude_code: true,
                        marketplace: false,
                    };
                    let (policy, _) = bedrock_policy(&opts, today()).unwrap();
                    let parsed = Policy::parse(&policy.to_string()).unwrap();
                    let errors: Vec<_> =
                        crate::lint::lint(&parsed, crate::lint::PolicyType::Identity)
                            .into_iter()
                            .filter(|f| f.severity == keyless_rules::Severity::Error)
                            .collect();
                    assert!(errors.is_empty(), "{} from {region}: {errors:#?}", p.id);
                    let set = PolicySet {
                        identity: vec![CompiledPolicy::new("gen", &parsed)],
                        ..Default::default()
                    };
                    let (rs, _) = routes(&opts.models, &opts.regions, today()).unwrap();
                    for r in check(&set, &rs, "arn:aws:iam::111122223333:role/claude") {
                        assert_eq!(
                            r.explanation.decision,
                            Decision::Allowed,
                            "{} from {region}: {} {}",
                            p.id,
                            r.call,
                            r.resource
                        );
                    }
                    checked += 1;
                }
            }
        }
        let expected: usize = catalog
            .models
            .iter()
            .filter(|m| m.lifecycle_on(today()) != keyless_catalog::Lifecycle::EndOfLife)
            .flat_map(|m| &m.profiles)
            .map(|p| p.sources.len())
            .sum();
        assert_eq!(checked, expected);
        assert!(
            checked > 150,
            "the catalog has {checked} model/profile/region combinations"
        );
    }
}
