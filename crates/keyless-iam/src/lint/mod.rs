//! `keyless policy lint`: rules over a policy document, one file each under `rules/`,
//! listed in [`registry::RULES`]; `docs/policy-lints.md` is generated from them.
//!
//! IDs: `KP1xx` any policy, `KP2xx` Bedrock identity policies, `KP3xx` trust policies.

use keyless_rules::Severity;

use crate::actions::ActionData;
use crate::evaluate::{CompiledPolicy, Decision, PolicySet, Request};
use crate::policy::{Effect, Loc, Policy, Principals, Statement};
use crate::Context;

pub mod registry;
mod rules;

/// What kind of policy is being linted (rules apply to some kinds only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyType {
    /// Attached to a user or role.
    Identity,
    /// A role's trust policy (`Principal` with `sts:AssumeRole*`).
    Trust,
    /// Another resource-based policy.
    Resource,
}

impl PolicyType {
    /// Guesses the type: statements with `Principal` and `sts:AssumeRole*` make a trust
    /// policy; other `Principal`s a resource policy; none an identity policy.
    pub fn detect(p: &Policy) -> Self {
        let with_principal: Vec<&Statement> = p
            .statements
            .iter()
            .filter(|s| s.principal.is_some())
            .collect();
        if with_principal.is_empty() {
            return Self::Identity;
        }
        let assumes = with_principal.iter().any(|s| {
            s.action.as_ref().is_some_and(|a| {
                !a.not
                    && a.items
                        .iter()
                        .any(|i| i.value.to_ascii_lowercase().starts_with("sts:assumerole"))
            })
        });
        if assumes {
            Self::Trust
        } else {
            Self::Resource
        }
    }
}

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Rule ID.
    pub id: &'static str,
    /// Rule name.
    pub name: &'static str,
    /// Severity.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// Where in the policy.
    pub loc: Loc,
    /// The fix, when there is one to state.
    pub fix: Option<String>,
}

/// A lint rule.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// ID (`KP` and three digits), name, severity, version, status, documentation.
    pub meta: keyless_rules::RuleMeta,
    /// The check.
    pub check: fn(&LintContext) -> Vec<Finding>,
}

keyless_rules::rule_with_meta!(Rule);

impl Rule {
    /// A finding of this rule.
    pub fn finding(&self, loc: Loc, message: impl Into<String>) -> Finding {
        Finding {
            id: self.id,
            name: self.name,
            severity: self.severity,
            message: message.into(),
            loc,
            fix: None,
        }
    }
}

impl Finding {
    /// Sets the fix.
    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    /// Overrides the severity.
    pub fn severity(mut self, s: Severity) -> Self {
        self.severity = s;
        self
    }
}

/// What rules see.
#[derive(Debug)]
pub struct LintContext<'a> {
    /// The policy.
    pub policy: &'a Policy,
    /// Its type.
    pub kind: PolicyType,
    /// Action data.
    pub data: &'static ActionData,
    /// The policy compiled once, as the only identity policy: rules ask it many questions
    /// (one per model and destination region), and cloning it per question made linting a
    /// large policy quadratic.
    as_identity: PolicySet,
}

impl<'a> LintContext<'a> {
    /// A context for `policy` of type `kind`.
    pub fn new(policy: &'a Policy, kind: PolicyType) -> Self {
        Self {
            policy,
            kind,
            data: ActionData::embedded(),
            as_identity: PolicySet {
                identity: vec![CompiledPolicy::new("policy", policy)],
                ..Default::default()
            },
        }
    }

    /// `Allow` statements.
    pub fn allows(&self) -> impl Iterator<Item = &Statement> {
        self.policy
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Allow)
    }

    /// Whether the policy, as an identity policy, allows `action` on `resource` with the
    /// given condition keys.
    pub fn grants(&self, action: &str, resource: &str, context: &[(&str, &str)]) -> bool {
        let mut ctx = Context::default();
        for (k, v) in context {
            ctx.insert(k, vec![v.to_string()]);
        }
        let req = Request {
            principal: "arn:aws:iam::111122223333:role/keyless-lint".into(),
            action: action.into(),
            resource: resource.into(),
            resource_account: Some("111122223333".into()),
            context: ctx,
        };
        self.as_identity.decide(&req) == Decision::Allowed
    }

    /// The known actions a statement's `Action` list names (wildcards expanded over the
    /// action data; `NotAction` statements yield nothing).
    pub fn actions_of(&self, s: &Statement) -> Vec<(&'static str, &'static str)> {
        let Some(block) = s.action.as_ref().filter(|a| !a.not) else {
            return Vec::new();
        };
        let mut out: Vec<(&'static str, &'static str)> = Vec::new();
        for item in &block.items {
            if item.value.contains(['*', '?']) {
                out.extend(self.data.expand(&item.value));
            } else if let Some(known) = self.data.resolve(&item.value) {
                out.push(known);
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

/// The `"*"` in a statement's `Resource` (not `NotResource`), if it has one.
pub fn resource_star(s: &Statement) -> Option<&crate::policy::Item> {
    s.resource
        .as_ref()
        .filter(|r| !r.not)
        .and_then(|r| r.items.iter().find(|i| i.value == "*"))
}

/// Whether a statement names `Principal: "*"` or `{"AWS": "*"}`.
pub fn principal_is_everyone(s: &Statement) -> bool {
    match s.principal.as_ref() {
        Some(p) if !p.not => match &p.principals {
            Principals::Star => true,
            Principals::Map(m) => m.iter().any(|(k, items)| {
                *k == crate::policy::PrincipalKind::Aws && items.iter().any(|i| i.value == "*")
            }),
        },
        _ => false,
    }
}

/// Runs every rule that applies to the policy's type.
pub fn lint(policy: &Policy, kind: PolicyType) -> Vec<Finding> {
    let cx = LintContext::new(policy, kind);
    let mut out: Vec<Finding> = registry::RULES
        .iter()
        .flat_map(|r| (r.check)(&cx))
        .collect();
    out.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.loc.cmp(&b.loc))
            .then(a.id.cmp(b.id))
    });
    out
}

/// The Markdown reference of every lint rule.
pub fn docs_markdown() -> String {
    keyless_rules::index_markdown(
        "keyless policy lints",
        "crates/keyless-iam/src/lint/rules/*.rs",
        "`keyless policy lint FILE` runs them; `keyless policy lint --explain ID` prints one entry.\n\n",
        registry::RULES,
        None,
    )
}

/// Every lint's own page (`docs/rules/KP101.md`...).
pub fn pages() -> Vec<(String, String)> {
    keyless_rules::pages("policy-lints.md", registry::RULES)
}

/// One rule's documentation.
pub fn explain(r: &Rule) -> String {
    r.doc_markdown()
}

#[cfg(test)]
pub(crate) fn run_rule(rule: &Rule, text: &str) -> Vec<Finding> {
    let p = Policy::parse(text).unwrap();
    (rule.check)(&LintContext::new(&p, PolicyType::detect(&p)))
}
