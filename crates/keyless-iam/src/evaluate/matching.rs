//! Whether one statement applies to a request: action, resource, principal, conditions.

use super::*;

/// How a resource policy's `Principal` matched the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum PrincipalMatch {
    No,
    /// The caller's account (`123456789012` or `arn:aws:iam::123456789012:root`).
    Account,
    /// The role whose session is calling.
    Role,
    /// The caller itself, or everyone (`*`).
    Direct,
}

pub(super) fn session_role(principal: &str) -> Option<String> {
    // arn:aws:sts::A:assumed-role/R/S → arn:aws:iam::A:role/R
    let parts: Vec<&str> = principal.splitn(6, ':').collect();
    if parts.len() != 6 || parts[2] != "sts" {
        return None;
    }
    let rest = parts[5].strip_prefix("assumed-role/")?;
    let role = rest.split('/').next()?;
    Some(format!("arn:{}:iam::{}:role/{role}", parts[1], parts[4]))
}

pub(super) fn principal_match(principals: &Principals, principal: &str) -> PrincipalMatch {
    let map = match principals {
        Principals::Star => return PrincipalMatch::Direct,
        Principals::Map(m) => m,
    };
    let account = arn_account(principal);
    let role = session_role(principal);
    let mut best = PrincipalMatch::No;
    for (kind, items) in map {
        for item in items {
            let v = item.value.as_str();
            let m = match kind {
                PrincipalKind::Aws => {
                    if v == "*" || v == principal {
                        PrincipalMatch::Direct
                    } else if role.as_deref() == Some(v) {
                        PrincipalMatch::Role
                    } else if Some(v) == account
                        || (v.ends_with(":root")
                            && arn_account(v).is_some()
                            && arn_account(v) == account)
                    {
                        PrincipalMatch::Account
                    } else {
                        PrincipalMatch::No
                    }
                }
                _ => {
                    if v == principal {
                        PrincipalMatch::Direct
                    } else {
                        PrincipalMatch::No
                    }
                }
            };
            best = best.max(m);
        }
    }
    best
}

/// Result of scanning one policy.
#[derive(Default, Clone, Copy)]
pub(super) struct Scan {
    pub(super) allow: bool,
    pub(super) deny: bool,
    pub(super) principal: Option<PrincipalMatch>,
}

/// Why a statement did not apply, borrowed (built into a [`Mismatch`] only when an
/// explanation is wanted, so the fast path allocates nothing).
pub(super) enum Miss<'a> {
    Action,
    Principal,
    Resource(&'a CompiledStatement),
    Condition(&'a CompiledCondition),
}

impl Miss<'_> {
    pub(super) fn owned(&self) -> Mismatch {
        match self {
            Miss::Action => Mismatch::Action,
            Miss::Principal => Mismatch::Principal,
            Miss::Resource(s) => Mismatch::Resource {
                resources: s.resource_text.clone(),
            },
            Miss::Condition(c) => Mismatch::Condition {
                operator: c.op.to_string(),
                key: c.key.clone(),
            },
        }
    }
}

pub(super) fn statement_applies<'s>(
    s: &'s CompiledStatement,
    p: &CompiledPolicy,
    req: &Request,
    action_lc: &str,
    check_principal: bool,
    has_boundary: bool,
) -> Result<PrincipalMatch, Miss<'s>> {
    let any_action = s.actions.iter().any(|a| a.matches(action_lc));
    if any_action == s.not_action {
        return Err(Miss::Action);
    }
    let mut pm = PrincipalMatch::Direct;
    if check_principal {
        pm = match &s.principal {
            None => PrincipalMatch::No,
            Some((not, principals)) => {
                let m = principal_match(principals, &req.principal);
                match (not, m) {
                    (false, m) => m,
                    (true, PrincipalMatch::No) => PrincipalMatch::Direct,
                    // "NotPrincipal" with "Deny": for a principal with a permissions
                    // boundary the statement always applies (IAM User Guide, NotPrincipal).
                    (true, _) if s.effect == Effect::Deny && has_boundary => PrincipalMatch::Direct,
                    (true, _) => PrincipalMatch::No,
                }
            }
        };
        if pm == PrincipalMatch::No {
            return Err(Miss::Principal);
        }
    }
    if let Some(resources) = &s.resources {
        let (mut listed, mut unknown) = (false, false);
        for r in resources {
            match r.matches(&req.resource, &req.context, p.variables) {
                Some(true) => {
                    listed = true;
                    break;
                }
                Some(false) => {}
                None => unknown = true,
            }
        }
        // An entry whose variable has no value matches nothing; in `NotResource` it
        // leaves the resource undecided, and the statement does not apply.
        let applies = if s.not_resource {
            !listed && !unknown
        } else {
            listed
        };
        if !applies {
            return Err(Miss::Resource(s));
        }
    }
    for c in &s.conditions {
        if !c.evaluate(&req.context, p.variables) {
            return Err(Miss::Condition(c));
        }
    }
    Ok(pm)
}

pub(super) fn scan<'p>(
    kind: PolicyKind,
    policies: impl IntoIterator<Item = &'p CompiledPolicy>,
    req: &Request,
    action_lc: &str,
    has_boundary: bool,
    col: &mut Collector,
) -> Scan {
    let check_principal = kind == PolicyKind::Resource;
    let mut out = Scan::default();
    for p in policies {
        for s in &p.statements {
            match statement_applies(s, p, req, action_lc, check_principal, has_boundary) {
                Ok(pm) => {
                    match s.effect {
                        Effect::Deny => out.deny = true,
                        Effect::Allow => {
                            out.allow = true;
                            out.principal = out.principal.max(Some(pm));
                        }
                    }
                    if col.on {
                        let r = Collector::sref(kind, p, s);
                        match s.effect {
                            Effect::Deny => col.denied_by.push(r),
                            Effect::Allow => col.allowed_by.push(r),
                        }
                    } else if out.deny {
                        return out;
                    }
                }
                Err(Miss::Action) => {}
                Err(m) => {
                    if col.on {
                        col.near.push((Collector::sref(kind, p, s), m.owned()));
                    }
                }
            }
        }
    }
    out
}
