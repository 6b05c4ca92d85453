//! Shared by the Bedrock rules: every (model, inference profile, source region) in the
//! catalog, with the ARNs a request through that profile is authorised against.

use keyless_catalog::{Catalog, InferenceProfile, Model};

use crate::lint::LintContext;
use crate::policy::{Loc, Statement};

/// The account used when evaluating ARNs that carry one.
pub(crate) const ACCOUNT: &str = "111122223333";

pub(crate) const INVOKE: &str = "bedrock:InvokeModel";
pub(crate) const STREAM: &str = "bedrock:InvokeModelWithResponseStream";

pub(crate) struct Route<'c> {
    pub model: &'c Model,
    pub profile: &'c InferenceProfile,
    pub region: &'c str,
}

impl Route<'_> {
    pub fn profile_arn(&self) -> String {
        format!(
            "arn:aws:bedrock:{}:{ACCOUNT}:inference-profile/{}",
            self.region, self.profile.id
        )
    }
}

pub(crate) fn foundation_model_arn(region: &str, model: &str) -> String {
    format!("arn:aws:bedrock:{region}::foundation-model/{model}")
}

/// Every route in the catalog.
pub(crate) fn routes() -> impl Iterator<Item = Route<'static>> {
    Catalog::embedded().models.iter().flat_map(|m| {
        m.profiles.iter().flat_map(move |p| {
            p.sources.iter().map(move |r| Route {
                model: m,
                profile: p,
                region: r.as_str(),
            })
        })
    })
}

/// Whether the policy lets `action` run through `route`'s profile ARN.
pub(crate) fn grants_profile(cx: &LintContext, action: &str, route: &Route) -> bool {
    cx.grants(action, &route.profile_arn(), &[])
}

/// Whether the policy grants `action` on the foundation model in `region` when called
/// through `route`'s profile (`bedrock:InferenceProfileArn` set as Bedrock sets it).
pub(crate) fn grants_destination(
    cx: &LintContext,
    action: &str,
    route: &Route,
    region: &str,
) -> bool {
    let arn = route.profile_arn();
    cx.grants(
        action,
        &foundation_model_arn(region, &route.model.id),
        &[("bedrock:InferenceProfileArn", &arn)],
    )
}

/// Where to point: the first `Allow` statement that names a resource containing `needle`
/// (or the first statement).
pub(crate) fn locate(cx: &LintContext, needle: &str) -> Loc {
    let first = cx
        .policy
        .statements
        .first()
        .map(|s| s.loc)
        .unwrap_or_default();
    cx.allows()
        .find(|s: &&Statement| {
            s.resource
                .iter()
                .flat_map(|r| &r.items)
                .any(|i| i.value.contains(needle) || i.value == "*")
        })
        .map(|s| s.loc)
        .unwrap_or(first)
}

/// Whether the policy grants invocation of anything on Bedrock at all.
pub(crate) fn invokes_bedrock(cx: &LintContext) -> bool {
    cx.allows().any(|s| {
        cx.actions_of(s)
            .iter()
            .any(|(svc, a)| *svc == "bedrock" && a.starts_with("InvokeModel"))
    })
}
