//! IAM policy documents: the model and a faithful parser.
//!
//! Every shape IAM accepts is accepted: `Statement` as an object or a list; `Action`,
//! `Resource`, principals and condition values as a string or a list; `Principal` as
//! `"*"` or a map of `AWS`, `Service`, `Federated` and `CanonicalUser`. Condition values
//! written as JSON numbers or booleans are read as their text, as IAM does. Anything IAM
//! would reject (an unknown element, a missing `Effect`, an unknown condition operator)
//! is an error that names the JSON line and column.

use std::fmt;

use keyless_formats::json::{self, Member, Node, Value};

use crate::condition::Operator;

/// A position in the policy text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Loc {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A policy that IAM would reject, with where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// Where.
    pub loc: Loc,
    /// What.
    pub message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {} column {}: {}",
            self.loc.line, self.loc.column, self.message
        )
    }
}

impl std::error::Error for PolicyError {}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Allow.
    Allow,
    /// Deny.
    Deny,
}

/// A list element with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The text.
    pub value: String,
    /// Where it is.
    pub loc: Loc,
}

/// `Action` or `NotAction` (likewise `Resource` / `NotResource`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// `true` for the `Not` form.
    pub not: bool,
    /// The values.
    pub items: Vec<Item>,
    /// Where the element's name is.
    pub loc: Loc,
}

/// The principals named by `Principal` or `NotPrincipal`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principals {
    /// `"*"`: everyone, including anonymous callers.
    Star,
    /// A map of principal type to values.
    Map(Vec<(PrincipalKind, Vec<Item>)>),
}

/// Principal types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalKind {
    /// `AWS`: accounts, users, roles, sessions, `*`.
    Aws,
    /// `Service`: `ec2.amazonaws.com` and the like.
    Service,
    /// `Federated`: OIDC and SAML providers.
    Federated,
    /// `CanonicalUser`: S3 canonical IDs.
    CanonicalUser,
}

/// A principal element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalBlock {
    /// `true` for `NotPrincipal`.
    pub not: bool,
    /// The principals.
    pub principals: Principals,
    /// Where.
    pub loc: Loc,
}

/// One `operator: { key: values }` test.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The operator.
    pub operator: Operator,
    /// The condition key as written.
    pub key: String,
    /// The key lower-cased (keys are case-insensitive).
    pub key_lc: String,
    /// The values (any of them may match).
    pub values: Vec<Item>,
    /// Where the key is.
    pub loc: Loc,
}

/// A statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// `Sid`, if any.
    pub sid: Option<String>,
    /// `Effect`.
    pub effect: Effect,
    /// `Action` / `NotAction`.
    pub action: Option<Block>,
    /// `Resource` / `NotResource`.
    pub resource: Option<Block>,
    /// `Principal` / `NotPrincipal`.
    pub principal: Option<PrincipalBlock>,
    /// Every condition (all must hold).
    pub conditions: Vec<Condition>,
    /// Where the statement starts.
    pub loc: Loc,
}

/// A policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// `Version`, if given.
    pub version: Option<String>,
    /// `Id`, if given.
    pub id: Option<String>,
    /// The statements.
    pub statements: Vec<Statement>,
}

impl Policy {
    /// Whether policy variables (`${aws:username}`) are expanded: only with `Version`
    /// `2012-10-17`.
    pub fn variables_enabled(&self) -> bool {
        self.version.as_deref() == Some("2012-10-17")
    }

    /// Parses policy JSON text.
    pub fn parse(text: &str) -> Result<Self, PolicyError> {
        let root = json::parse(text).map_err(|e| PolicyError {
            loc: Loc {
                line: e.line,
                column: e.column,
            },
            message: format!("not valid JSON: {}", e.message),
        })?;
        Parser { text }.policy(&root)
    }
}

struct Parser<'a> {
    text: &'a str,
}

fn loc_of(text: &str, pos: usize) -> Loc {
    let pos = pos.min(text.len());
    let line = json::line_of(text, pos);
    let line_start = text[..pos].rfind('\n').map(|i| i + 1).unwrap_or(0);
    Loc {
        line,
        column: text[line_start..pos].chars().count() + 1,
    }
}

impl Parser<'_> {
    fn loc(&self, pos: usize) -> Loc {
        loc_of(self.text, pos)
    }

    fn err(&self, pos: usize, message: impl Into<String>) -> PolicyError {
        PolicyError {
            loc: self.loc(pos),
            message: message.into(),
        }
    }

    fn members<'n>(&self, node: &'n Node, what: &str) -> Result<&'n [Member], PolicyError> {
        match &node.value {
            Value::Object(m) => {
                for (i, a) in m.iter().enumerate() {
                    if m[..i].iter().any(|b| b.key == a.key) {
                        return Err(self.err(
                            a.key_start,
                            format!("`{}` appears twice in the {what}", a.key),
                        ));
                    }
                }
                Ok(m)
            }
            _ => Err(self.err(
                node.start,
                format!(
                    "the {what} must be a JSON object, found {}",
                    node.type_name()
                ),
            )),
        }
    }

    fn string(&self, node: &Node, what: &str) -> Result<String, PolicyError> {
        match &node.value {
            Value::String(s) => Ok(s.clone()),
            _ => Err(self.err(
                node.start,
                format!("`{what}` must be a string, found {}", node.type_name()),
            )),
        }
    }

    /// A string or a list of strings (numbers and booleans allowed when `scalars`).
    fn items(&self, node: &Node, what: &str, scalars: bool) -> Result<Vec<Item>, PolicyError> {
        let one = |n: &Node| -> Result<Item, PolicyError> {
            let value = match &n.value {
                Value::String(s) => s.clone(),
                Value::Number(x) if scalars => x.clone(),
                Value::Bool(b) if scalars => b.to_string(),
                _ => {
                    return Err(self.err(
                        n.start,
                        format!("`{what}` values must be strings, found {}", n.type_name()),
                    ))
                }
            };
            Ok(Item {
                value,
                loc: self.loc(n.start),
            })
        };
        match &node.value {
            Value::Array(xs) => {
                if xs.is_empty() {
                    return Err(self.err(node.start, format!("`{what}` is an empty list")));
                }
                xs.iter().map(one).collect()
            }
            _ => Ok(vec![one(node)?]),
        }
    }

    fn policy(&self, root: &Node) -> Result<Policy, PolicyError> {
        let mut version = None;
        let mut id = None;
        let mut statements = None;
        for m in self.members(root, "policy")? {
            match m.key.as_str() {
                "Version" => {
                    let v = self.string(&m.node, "Version")?;
                    if v != "2012-10-17" && v != "2008-10-17" {
                        return Err(self.err(m.node.start, format!("`Version` must be \"2012-10-17\" (or the old \"2008-10-17\"), found \"{v}\"")));
                    }
                    version = Some(v);
                }
                "Id" => id = Some(self.string(&m.node, "Id")?),
                "Statement" => {
                    let list: Vec<&Node> = match &m.node.value {
                        Value::Array(xs) => xs.iter().collect(),
                        Value::Object(_) => vec![&m.node],
                        _ => {
                            return Err(self.err(
                                m.node.start,
                                "`Statement` must be an object or a list of objects",
                            ))
                        }
                    };
                    statements = Some(
                        list.into_iter()
                            .map(|s| self.statement(s))
                            .collect::<Result<Vec<_>, _>>()?,
                    );
                }
                other => {
                    return Err(self.err(
                        m.key_start,
                        format!(
                            "unknown policy element `{other}`; expected Version, Id or Statement"
                        ),
                    ))
                }
            }
        }
        let statements =
            statements.ok_or_else(|| self.err(root.start, "the policy has no `Statement`"))?;
        Ok(Policy {
            version,
            id,
            statements,
        })
    }

    fn statement(&self, node: &Node) -> Result<Statement, PolicyError> {
        let mut s = Statement {
            sid: None,
            effect: Effect::Allow,
            action: None,
            resource: None,
            principal: None,
            conditions: Vec::new(),
            loc: self.loc(node.start),
        };
        let mut effect = None;
        for m in self.members(node, "statement")? {
            let key_loc = self.loc(m.key_start);
            match m.key.as_str() {
                "Sid" => s.sid = Some(self.string(&m.node, "Sid")?),
                "Effect" => {
                    effect = Some(match self.string(&m.node, "Effect")?.as_str() {
                        "Allow" => Effect::Allow,
                        "Deny" => Effect::Deny,
                        other => return Err(self.err(m.node.start, format!("`Effect` must be \"Allow\" or \"Deny\", found \"{other}\""))),
                    })
                }
                "Action" | "NotAction" => {
                    if s.action.is_some() {
                        return Err(self.err(m.key_start, "a statement has either `Action` or `NotAction`, not both"));
                    }
                    s.action = Some(Block { not: m.key == "NotAction", items: self.items(&m.node, &m.key, false)?, loc: key_loc });
                }
                "Resource" | "NotResource" => {
                    if s.resource.is_some() {
                        return Err(self.err(m.key_start, "a statement has either `Resource` or `NotResource`, not both"));
                    }
                    s.resource = Some(Block { not: m.key == "NotResource", items: self.items(&m.node, &m.key, false)?, loc: key_loc });
                }
                "Principal" | "NotPrincipal" => {
                    if s.principal.is_some() {
                        return Err(self.err(m.key_start, "a statement has either `Principal` or `NotPrincipal`, not both"));
                    }
                    s.principal = Some(PrincipalBlock { not: m.key == "NotPrincipal", principals: self.principals(&m.node)?, loc: key_loc });
                }
                "Condition" => s.conditions = self.conditions(&m.node)?,
                other => {
                    return Err(self.err(
                        m.key_start,
                        format!("unknown statement element `{other}`; expected Sid, Effect, Action, NotAction, Resource, NotResource, Principal, NotPrincipal or Condition"),
                    ))
                }
            }
        }
        s.effect = effect.ok_or_else(|| self.err(node.start, "the statement has no `Effect`"))?;
        if s.action.is_none() {
            return Err(self.err(node.start, "the statement has no `Action` or `NotAction`"));
        }
        Ok(s)
    }

    fn principals(&self, node: &Node) -> Result<Principals, PolicyError> {
        if let Value::String(s) = &node.value {
            return if s == "*" {
                Ok(Principals::Star)
            } else {
                Err(self.err(node.start, format!("a principal string must be \"*\"; write {{\"AWS\": \"{s}\"}} for an account or ARN")))
            };
        }
        let mut out = Vec::new();
        for m in self.members(node, "principal")? {
            let kind = match m.key.as_str() {
                "AWS" => PrincipalKind::Aws,
                "Service" => PrincipalKind::Service,
                "Federated" => PrincipalKind::Federated,
                "CanonicalUser" => PrincipalKind::CanonicalUser,
                other => return Err(self.err(m.key_start, format!("unknown principal type `{other}`; expected AWS, Service, Federated or CanonicalUser"))),
            };
            out.push((kind, self.items(&m.node, &m.key, false)?));
        }
        if out.is_empty() {
            return Err(self.err(node.start, "the principal is empty"));
        }
        Ok(Principals::Map(out))
    }

    fn conditions(&self, node: &Node) -> Result<Vec<Condition>, PolicyError> {
        let mut out = Vec::new();
        for op in self.members(node, "condition")? {
            let operator = Operator::parse(&op.key).map_err(|m| self.err(op.key_start, m))?;
            for k in self.members(&op.node, "condition operator's block")? {
                let values = self.items(&k.node, &k.key, true)?;
                if operator.base == crate::condition::Base::Null {
                    for v in &values {
                        if !v.value.eq_ignore_ascii_case("true")
                            && !v.value.eq_ignore_ascii_case("false")
                        {
                            return Err(PolicyError {
                                loc: v.loc,
                                message: format!(
                                    "`Null` takes true or false, found \"{}\"",
                                    v.value
                                ),
                            });
                        }
                    }
                }
                out.push(Condition {
                    operator,
                    key_lc: k.key.to_ascii_lowercase(),
                    key: k.key.clone(),
                    values,
                    loc: self.loc(k.key_start),
                });
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_every_shape() {
        let p = Policy::parse(
            r#"{"Version":"2012-10-17","Statement":{"Sid":"a","Effect":"Deny","NotAction":"s3:*","NotResource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],
               "NotPrincipal":{"AWS":["123456789012","arn:aws:iam::123456789012:role/r"],"Service":"ec2.amazonaws.com"},
               "Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":3600},"Bool":{"aws:SecureTransport":false},"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["a*"]}}}}"#,
        )
        .unwrap();
        let s = &p.statements[0];
        assert_eq!(s.effect, Effect::Deny);
        assert!(
            s.action.as_ref().unwrap().not
                && s.resource.as_ref().unwrap().not
                && s.principal.as_ref().unwrap().not
        );
        assert_eq!(s.conditions.len(), 3);
        assert_eq!(s.conditions[0].values[0].value, "3600");
        assert_eq!(s.conditions[1].values[0].value, "false");
        let p = Policy::parse(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}"#,
        )
        .unwrap();
        assert_eq!(
            p.statements[0].principal.as_ref().unwrap().principals,
            Principals::Star
        );
        assert!(!p.variables_enabled());
    }

    #[test]
    fn rejects_what_iam_rejects_with_location() {
        let cases = [
            ("nope", 1, "not valid JSON"),
            ("{\"Statement\": [{\"Action\": \"s3:*\"}]}", 1, "no `Effect`"),
            ("{\n\"Statement\": {\"Effect\": \"allow\", \"Action\": \"s3:*\"}}", 2, "must be \"Allow\" or \"Deny\""),
            ("{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\",\n \"Condition\": {\"StringEqualz\": {\"a\": \"b\"}}}}", 2, "unknown condition operator"),
            ("{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resources\": \"*\"}}", 1, "unknown statement element `Resources`"),
            ("{\"Statement\": {\"Effect\": \"Allow\", \"Action\": []}}", 1, "empty list"),
            ("{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"NotAction\": \"x\"}}", 1, "not both"),
            ("{\"Version\": \"2020-01-01\", \"Statement\": []}", 1, "`Version` must be"),
            ("{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Principal\": \"123\"}}", 1, "principal string must be"),
            ("{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Condition\": {\"Null\": {\"k\": \"maybe\"}}}}", 1, "`Null` takes"),
        ];
        for (text, line, needle) in cases {
            let e = Policy::parse(text).unwrap_err();
            assert_eq!(e.loc.line, line, "{text}: {e}");
            assert!(e.message.contains(needle), "{text}: {e}");
        }
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(Policy::parse(&deep).is_err());
    }
}
