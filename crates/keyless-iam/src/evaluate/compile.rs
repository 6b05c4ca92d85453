//! A parsed policy compiled once: resource, action and principal patterns, conditions.

use super::*;

/// The account field of an ARN. AWS-owned resources (`arn:aws:iam::aws:policy/...`)
/// carry the literal `aws`, which is no account.
pub(super) fn arn_account(arn: &str) -> Option<&str> {
    let a = arn.split(':').nth(4)?;
    (!a.is_empty() && a != "aws").then_some(a)
}

#[derive(Debug, Clone)]
pub(super) struct ResourcePattern {
    pub(super) any: bool,
    /// Six segments when the pattern is a full ARN; else one whole-string template.
    pub(super) segments: Vec<(Template, Option<Pattern>)>,
}

impl ResourcePattern {
    pub(super) fn new(s: &str) -> Self {
        if s == "*" {
            return Self {
                any: true,
                segments: Vec::new(),
            };
        }
        let parts: Vec<&str> = s.splitn(6, ':').collect();
        let segs: Vec<&str> = if parts.len() == 6 { parts } else { vec![s] };
        let six = segs.len() == 6;
        let segments = segs
            .iter()
            .enumerate()
            .map(|(i, seg)| {
                let t = Template::parse(seg);
                // Service, partition, region and account compare case-insensitively; the
                // resource part is case-sensitive.
                let fold = six && i < 5;
                let fixed = (!t.has_variables()).then(|| Pattern::new(seg, fold));
                (t, fixed)
            })
            .collect();
        Self {
            any: false,
            segments,
        }
    }

    /// Whether `resource` matches; `None` when a policy variable has no value (the
    /// entry can then be neither in nor out of the list).
    pub(super) fn matches(&self, resource: &str, ctx: &Context, variables: bool) -> Option<bool> {
        if self.any {
            return Some(true);
        }
        let six = self.segments.len() == 6;
        let values: Vec<&str> = if six {
            resource.splitn(6, ':').collect()
        } else {
            vec![resource]
        };
        if values.len() != self.segments.len() {
            return Some(false);
        }
        let mut result = Some(true);
        for (i, ((t, fixed), v)) in self.segments.iter().zip(values).enumerate() {
            let fold = six && i < 5;
            let m = match fixed {
                Some(p) => Some(p.matches(v)),
                // Without variables (Version 2008-10-17) `${...}` is literal text.
                None if !variables => Some(Pattern::new(t.raw(), fold).matches(v)),
                None => t.expand(ctx, fold).map(|(_, p)| p.matches(v)),
            };
            match m {
                Some(false) => return Some(false),
                None => result = None,
                Some(true) => {}
            }
        }
        result
    }
}

#[derive(Debug, Clone)]
pub(super) struct CompiledStatement {
    pub(super) index: usize,
    pub(super) sid: Option<String>,
    pub(super) effect: Effect,
    pub(super) not_action: bool,
    pub(super) actions: Vec<Pattern>,
    pub(super) not_resource: bool,
    pub(super) resources: Option<Vec<ResourcePattern>>,
    pub(super) resource_text: Vec<String>,
    pub(super) principal: Option<(bool, Principals)>,
    pub(super) conditions: Vec<CompiledCondition>,
}

/// A parsed policy, compiled for fast evaluation.
#[derive(Debug, Clone)]
pub struct CompiledPolicy {
    /// A name for explanations (file name, or the policy's role).
    pub name: String,
    pub(super) variables: bool,
    pub(super) statements: Vec<CompiledStatement>,
}

impl CompiledPolicy {
    /// Compiles `policy`.
    pub fn new(name: impl Into<String>, policy: &Policy) -> Self {
        let statements = policy
            .statements
            .iter()
            .enumerate()
            .map(|(index, s)| {
                let action = s
                    .action
                    .as_ref()
                    .expect("parser requires Action or NotAction");
                CompiledStatement {
                    index,
                    sid: s.sid.clone(),
                    effect: s.effect,
                    not_action: action.not,
                    actions: action
                        .items
                        .iter()
                        .map(|i| Pattern::new(&i.value, true))
                        .collect(),
                    not_resource: s.resource.as_ref().is_some_and(|r| r.not),
                    resources: s.resource.as_ref().map(|r| {
                        r.items
                            .iter()
                            .map(|i| ResourcePattern::new(&i.value))
                            .collect()
                    }),
                    resource_text: s
                        .resource
                        .as_ref()
                        .map(|r| r.items.iter().map(|i| i.value.clone()).collect())
                        .unwrap_or_default(),
                    principal: s.principal.as_ref().map(|p| (p.not, p.principals.clone())),
                    conditions: s
                        .conditions
                        .iter()
                        .map(|c| {
                            CompiledCondition::new(
                                c.operator,
                                c.key_lc.clone(),
                                c.values.iter().map(|v| Template::parse(&v.value)).collect(),
                            )
                        })
                        .collect(),
                }
            })
            .collect();
        Self {
            name: name.into(),
            variables: policy.variables_enabled(),
            statements,
        }
    }
}
