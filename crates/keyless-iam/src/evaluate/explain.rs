//! Why a decision was reached: the deciding statements, the near misses, and the
//! statement that would allow a denied request.

use super::*;

/// Why a statement did not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// The action is not in `Action` (or is in `NotAction`).
    Action,
    /// The resource is not in `Resource` (or is in `NotResource`).
    Resource {
        /// The statement's resources.
        resources: Vec<String>,
    },
    /// The principal is not named.
    Principal,
    /// A condition is false.
    Condition {
        /// Operator.
        operator: String,
        /// Key.
        key: String,
    },
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Action => f.write_str("the action does not match"),
            Self::Resource { resources } => {
                write!(f, "the resource does not match {}", resources.join(", "))
            }
            Self::Principal => f.write_str("the principal is not named"),
            Self::Condition { operator, key } => {
                write!(f, "the condition {operator} on {key} is false")
            }
        }
    }
}

/// A statement in an explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRef {
    /// Policy kind.
    pub kind: PolicyKind,
    /// Policy name.
    pub policy: String,
    /// 0-based index in the policy.
    pub index: usize,
    /// Sid.
    pub sid: Option<String>,
    /// Effect.
    pub effect: Effect,
}

impl fmt::Display for StatementRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} `{}` statement {}",
            self.kind.as_str(),
            self.policy,
            self.index + 1
        )?;
        if let Some(sid) = &self.sid {
            write!(f, " (Sid {sid})")?;
        }
        Ok(())
    }
}

/// The decision and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The decision.
    pub decision: Decision,
    /// Allow statements that applied.
    pub allowed_by: Vec<StatementRef>,
    /// Deny statements that applied.
    pub denied_by: Vec<StatementRef>,
    /// Statements that matched the action but not everything else, and why.
    pub near_misses: Vec<(StatementRef, Mismatch)>,
    /// For an implicit deny: the kind of policy that lacks an allow.
    pub missing_allow_in: Option<PolicyKind>,
}

pub(super) struct Collector {
    pub(super) on: bool,
    pub(super) allowed_by: Vec<StatementRef>,
    pub(super) denied_by: Vec<StatementRef>,
    pub(super) near: Vec<(StatementRef, Mismatch)>,
}

impl Collector {
    pub(super) fn sref(
        kind: PolicyKind,
        p: &CompiledPolicy,
        s: &CompiledStatement,
    ) -> StatementRef {
        StatementRef {
            kind,
            policy: p.name.clone(),
            index: s.index,
            sid: s.sid.clone(),
            effect: s.effect,
        }
    }
}

/// The statement that would allow `req`, as policy JSON: no looser than the request needs.
/// A foundation model reached through an inference profile is allowed only through that
/// profile (`bedrock:InferenceProfileArn`), as `keyless policy bedrock` writes it: a plain
/// Allow on the model ARN would also allow calling the model directly.
pub fn suggested_statement(req: &Request) -> String {
    let mut statement = serde_json::json!({
        "Effect": "Allow",
        "Action": req.action,
        "Resource": req.resource,
    });
    let through_profile = req
        .context
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("bedrock:InferenceProfileArn"));
    if let Some((_, values)) = through_profile {
        if req.resource.contains(":foundation-model/") && values.len() == 1 {
            statement["Condition"] = serde_json::json!({
                "StringEquals": { "bedrock:InferenceProfileArn": values[0] }
            });
        }
    }
    serde_json::to_string_pretty(&statement).expect("a json! value serialises")
}
