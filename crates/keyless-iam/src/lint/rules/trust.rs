//! Shared by the trust-policy rules.

use crate::lint::{LintContext, PolicyType};
use crate::policy::{Effect, PrincipalKind, Principals, Statement};

/// Federated principal values of an `Allow` statement.
pub(crate) fn federated(s: &Statement) -> Vec<&str> {
    if s.effect != Effect::Allow {
        return Vec::new();
    }
    match s.principal.as_ref().map(|p| &p.principals) {
        Some(Principals::Map(m)) => m
            .iter()
            .filter(|(k, _)| *k == PrincipalKind::Federated)
            .flat_map(|(_, items)| items.iter().map(|i| i.value.as_str()))
            .collect(),
        _ => Vec::new(),
    }
}

/// The conditions on `key` (case-insensitive): (operator name, values).
pub(crate) fn conditions_on<'s>(
    s: &'s Statement,
    key: &str,
) -> Vec<(String, Vec<&'s str>, crate::policy::Loc)> {
    s.conditions
        .iter()
        .filter(|c| c.key.eq_ignore_ascii_case(key))
        .map(|c| {
            (
                c.operator.to_string(),
                c.values.iter().map(|v| v.value.as_str()).collect(),
                c.loc,
            )
        })
        .collect()
}

/// The `Allow` statements of a trust policy that trust GitHub Actions' OIDC provider
/// (none when the policy is not a trust policy).
pub(crate) fn github_oidc_statements<'p>(
    cx: &'p LintContext,
) -> impl Iterator<Item = &'p Statement> + 'p {
    cx.policy
        .statements
        .iter()
        .filter(move |_| cx.kind == PolicyType::Trust)
        .filter(|s| {
            federated(s)
                .iter()
                .any(|f| f.ends_with("oidc-provider/token.actions.githubusercontent.com"))
        })
}
