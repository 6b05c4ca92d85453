//! Condition operators, as the IAM User Guide defines them.
//!
//! - Several operators, or several keys under one operator: all must hold (AND).
//! - Several values for one key: any may match (OR); for a negated operator the request
//!   value must match none of them.
//! - A key missing from the request: the condition is false, except that `...IfExists`
//!   is true, a negated operator (`StringNotEquals`, `NotIpAddress`, ...) is true, `Null`
//!   tests exactly this, `ForAllValues:` is true and `ForAnyValue:` is false (with a set
//!   operator, `IfExists` changes nothing).
//! - `ForAllValues:` — every request value matches some policy value.
//!   `ForAnyValue:` — some request value matches some policy value.

use std::net::IpAddr;

use crate::context::Context;
use crate::template::Template;
use crate::wildcard::{glob, Pattern};

/// The operator without its set prefix or `IfExists` suffix.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Base {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

const BASES: &[(&str, Base)] = &[
    ("StringEquals", Base::StringEquals),
    ("StringNotEquals", Base::StringNotEquals),
    ("StringEqualsIgnoreCase", Base::StringEqualsIgnoreCase),
    ("StringNotEqualsIgnoreCase", Base::StringNotEqualsIgnoreCase),
    ("StringLike", Base::StringLike),
    ("StringNotLike", Base::StringNotLike),
    ("NumericEquals", Base::NumericEquals),
    ("NumericNotEquals", Base::NumericNotEquals),
    ("NumericLessThan", Base::NumericLessThan),
    ("NumericLessThanEquals", Base::NumericLessThanEquals),
    ("NumericGreaterThan", Base::NumericGreaterThan),
    ("NumericGreaterThanEquals", Base::NumericGreaterThanEquals),
    ("DateEquals", Base::DateEquals),
    ("DateNotEquals", Base::DateNotEquals),
    ("DateLessThan", Base::DateLessThan),
    ("DateLessThanEquals", Base::DateLessThanEquals),
    ("DateGreaterThan", Base::DateGreaterThan),
    ("DateGreaterThanEquals", Base::DateGreaterThanEquals),
    ("Bool", Base::Bool),
    ("BinaryEquals", Base::BinaryEquals),
    ("IpAddress", Base::IpAddress),
    ("NotIpAddress", Base::NotIpAddress),
    ("ArnEquals", Base::ArnEquals),
    ("ArnLike", Base::ArnLike),
    ("ArnNotEquals", Base::ArnNotEquals),
    ("ArnNotLike", Base::ArnNotLike),
    ("Null", Base::Null),
];

impl Base {
    /// The operator's name.
    pub fn name(self) -> &'static str {
        BASES
            .iter()
            .find(|(_, b)| *b == self)
            .map(|(n, _)| *n)
            .expect("every base is in BASES")
    }

    /// Whether it is a negated operator (matches when no value matches).
    pub fn negated(self) -> bool {
        matches!(
            self,
            Base::StringNotEquals
                | Base::StringNotEqualsIgnoreCase
                | Base::StringNotLike
                | Base::NumericNotEquals
                | Base::DateNotEquals
                | Base::NotIpAddress
                | Base::ArnNotEquals
                | Base::ArnNotLike
        )
    }

    /// The positive operator a negated one negates.
    fn positive(self) -> Base {
        match self {
            Base::StringNotEquals => Base::StringEquals,
            Base::StringNotEqualsIgnoreCase => Base::StringEqualsIgnoreCase,
            Base::StringNotLike => Base::StringLike,
            Base::NumericNotEquals => Base::NumericEquals,
            Base::DateNotEquals => Base::DateEquals,
            Base::NotIpAddress => Base::IpAddress,
            Base::ArnNotEquals => Base::ArnEquals,
            Base::ArnNotLike => Base::ArnLike,
            b => b,
        }
    }

    /// Whether policy variables are expanded in its values (string and ARN operators).
    pub fn takes_variables(self) -> bool {
        matches!(
            self.positive(),
            Base::StringEquals
                | Base::StringEqualsIgnoreCase
                | Base::StringLike
                | Base::ArnEquals
                | Base::ArnLike
        )
    }
}

/// `ForAllValues:` or `ForAnyValue:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetOp {
    /// Every request value must match.
    ForAllValues,
    /// Some request value must match.
    ForAnyValue,
}

/// A full operator: `[ForAllValues:|ForAnyValue:]Base[IfExists]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operator {
    /// The set prefix.
    pub set: Option<SetOp>,
    /// The operator.
    pub base: Base,
    /// The `IfExists` suffix.
    pub if_exists: bool,
}

impl Operator {
    /// Parses an operator name (case-sensitive, as IAM).
    pub fn parse(s: &str) -> Result<Self, String> {
        let (set, rest) = if let Some(r) = s.strip_prefix("ForAllValues:") {
            (Some(SetOp::ForAllValues), r)
        } else if let Some(r) = s.strip_prefix("ForAnyValue:") {
            (Some(SetOp::ForAnyValue), r)
        } else {
            (None, s)
        };
        let (rest, if_exists) = match rest.strip_suffix("IfExists") {
            Some(r) => (r, true),
            None => (rest, false),
        };
        let base = BASES
            .iter()
            .find(|(n, _)| *n == rest)
            .map(|(_, b)| *b)
            .ok_or_else(|| {
                let near = BASES
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(rest))
                    .map(|(n, _)| format!(" (did you mean `{n}`? operators are case-sensitive)"))
                    .unwrap_or_default();
                format!("unknown condition operator `{s}`{near}")
            })?;
        if base == Base::Null && if_exists {
            return Err(
                "`NullIfExists` is not an operator: `Null` already tests whether the key exists"
                    .into(),
            );
        }
        Ok(Self {
            set,
            base,
            if_exists,
        })
    }
}

impl std::fmt::Display for Operator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.set {
            Some(SetOp::ForAllValues) => f.write_str("ForAllValues:")?,
            Some(SetOp::ForAnyValue) => f.write_str("ForAnyValue:")?,
            None => {}
        }
        f.write_str(self.base.name())?;
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}

/// A condition compiled for evaluation.
#[derive(Debug, Clone)]
pub struct CompiledCondition {
    /// Operator.
    pub op: Operator,
    /// Lower-cased key.
    pub key: String,
    /// Values as templates (policy variables expanded at evaluation when enabled).
    pub values: Vec<Template>,
    /// The values as written, with their patterns, compiled once: used when a value has
    /// no variable or variables are off.
    literal: Vec<(String, Pattern)>,
}

impl CompiledCondition {
    /// Compiles a condition.
    pub fn new(op: Operator, key: String, values: Vec<Template>) -> Self {
        let literal = values
            .iter()
            .map(|t| (t.raw().to_string(), Pattern::new(t.raw(), false)))
            .collect();
        Self {
            op,
            key,
            values,
            literal,
        }
    }
}

/// Parses a date as IAM accepts it: ISO 8601 (`2026-11-27`, `2026-11-27T12:00:00Z`,
/// with fractions or an offset) or Unix epoch seconds. Milliseconds since the epoch.
pub fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse::<i64>().ok().map(|secs| secs.saturating_mul(1000));
    }
    if s.len() == 10 {
        let mut buf = [0u8; 20];
        buf[..10].copy_from_slice(s.as_bytes());
        buf[10..].copy_from_slice(b"T00:00:00Z");
        return keyless_formats::time::parse_rfc3339(std::str::from_utf8(&buf).ok()?)
            .map(|t| t * 1000);
    }
    let frac_ms = s
        .split_once('.')
        .map(|(_, rest)| {
            let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            format!("{digits:0<3}")[..3].parse::<i64>().unwrap_or(0)
        })
        .unwrap_or(0);
    keyless_formats::time::parse_rfc3339(s).map(|t| t * 1000 + frac_ms)
}

fn parse_cidr(s: &str) -> Option<(IpAddr, u8)> {
    let (ip, bits) = match s.split_once('/') {
        Some((ip, bits)) => (ip.parse::<IpAddr>().ok()?, Some(bits.parse::<u8>().ok()?)),
        None => (s.parse::<IpAddr>().ok()?, None),
    };
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let bits = bits.unwrap_or(max);
    (bits <= max).then_some((ip, bits))
}

fn in_cidr(ip: &str, cidr: &str) -> bool {
    let (Ok(ip), Some((net, bits))) = (ip.parse::<IpAddr>(), parse_cidr(cidr)) else {
        return false;
    };
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            u32::from(a) & mask == u32::from(b) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => {
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            u128::from(a) & mask == u128::from(b) & mask
        }
        _ => false,
    }
}

/// ARN segment match: the first five `:`-separated fields and the rest, each matched
/// with wildcards, case-sensitively.
fn arn_like(value: &str, pattern: &Pattern, raw: &str) -> bool {
    if raw == "*" {
        return true;
    }
    if value.matches(':').count() < 5 || raw.matches(':').count() < 5 {
        return pattern.matches(value);
    }
    value
        .splitn(6, ':')
        .zip(raw.splitn(6, ':'))
        .all(|(v, p)| glob(p, v))
}

fn numeric(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// One request value against one (expanded) policy value, for a positive operator.
fn matches_one(base: Base, value: &str, policy: &str, pattern: &Pattern) -> bool {
    match base {
        Base::StringEquals => value == policy,
        Base::StringEqualsIgnoreCase => {
            if value.is_ascii() && policy.is_ascii() {
                value.eq_ignore_ascii_case(policy)
            } else {
                value.to_lowercase() == policy.to_lowercase()
            }
        }
        Base::StringLike => pattern.matches(value),
        Base::NumericEquals
        | Base::NumericLessThan
        | Base::NumericLessThanEquals
        | Base::NumericGreaterThan
        | Base::NumericGreaterThanEquals => {
            let (Some(v), Some(p)) = (numeric(value), numeric(policy)) else {
                return false;
            };
            match base {
                Base::NumericEquals => v == p,
                Base::NumericLessThan => v < p,
                Base::NumericLessThanEquals => v <= p,
                Base::NumericGreaterThan => v > p,
                _ => v >= p,
            }
        }
        Base::DateEquals
        | Base::DateLessThan
        | Base::DateLessThanEquals
        | Base::DateGreaterThan
        | Base::DateGreaterThanEquals => {
            let (Some(v), Some(p)) = (parse_date(value), parse_date(policy)) else {
                return false;
            };
            match base {
                Base::DateEquals => v == p,
                Base::DateLessThan => v < p,
                Base::DateLessThanEquals => v <= p,
                Base::DateGreaterThan => v > p,
                _ => v >= p,
            }
        }
        Base::Bool => {
            value.eq_ignore_ascii_case(policy)
                && (policy.eq_ignore_ascii_case("true") || policy.eq_ignore_ascii_case("false"))
        }
        Base::BinaryEquals => value == policy,
        Base::IpAddress => in_cidr(value, policy),
        Base::ArnEquals | Base::ArnLike => arn_like(value, pattern, policy),
        _ => unreachable!("negated and Null operators are handled by the caller"),
    }
}

impl CompiledCondition {
    /// Evaluates the condition against the request context.
    pub fn evaluate(&self, ctx: &Context, variables: bool) -> bool {
        let values = ctx.get(&self.key);
        if self.op.base == Base::Null {
            let present = values.is_some_and(|v| !v.is_empty());
            return self.values.iter().any(|t| {
                let want_absent = t.raw().eq_ignore_ascii_case("true");
                want_absent != present
            });
        }
        let values = match values {
            Some(v) if !v.is_empty() => v,
            _ => {
                // With a set operator the set rule decides, `IfExists` or not: no value
                // satisfies "every value" vacuously and "some value" never.
                return match self.op.set {
                    Some(SetOp::ForAllValues) => true,
                    Some(SetOp::ForAnyValue) => false,
                    None => self.op.if_exists || self.op.base.negated(),
                };
            }
        };
        let expand = variables
            && self.op.base.takes_variables()
            && self.values.iter().any(Template::has_variables);
        // Expand policy values once. A value whose variable has no value can never make
        // the condition true: a positive operator skips it, a negated one is false.
        let owned: Vec<(String, Pattern)>;
        let expanded: &[(String, Pattern)] = if expand {
            let mut v = Vec::with_capacity(self.values.len());
            for (t, lit) in self.values.iter().zip(&self.literal) {
                if !t.has_variables() {
                    v.push(lit.clone());
                    continue;
                }
                match t.expand(ctx, false) {
                    Some(e) => v.push(e),
                    None if self.op.base.negated() => return false,
                    None => {}
                }
            }
            owned = v;
            &owned
        } else {
            &self.literal
        };
        let base = self.op.base.positive();
        let any_policy = |v: &str| expanded.iter().any(|(p, pat)| matches_one(base, v, p, pat));
        let negated = self.op.base.negated();
        match self.op.set {
            None => {
                if negated {
                    values.iter().all(|v| !any_policy(v))
                } else {
                    values.iter().any(|v| any_policy(v))
                }
            }
            Some(SetOp::ForAnyValue) => {
                if negated {
                    values.iter().any(|v| !any_policy(v))
                } else {
                    values.iter().any(|v| any_policy(v))
                }
            }
            Some(SetOp::ForAllValues) => {
                if negated {
                    values.iter().all(|v| !any_policy(v))
                } else {
                    values.iter().all(|v| any_policy(v))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cond(op: &str, key: &str, values: &[&str]) -> CompiledCondition {
        CompiledCondition::new(
            Operator::parse(op).unwrap(),
            key.to_ascii_lowercase(),
            values.iter().map(|v| Template::parse(v)).collect(),
        )
    }

    fn ctx(pairs: &[(&str, &[&str])]) -> Context {
        let mut c = Context::default();
        for (k, v) in pairs {
            c.insert(k, v.iter().map(|s| s.to_string()).collect());
        }
        c
    }

    #[test]
    fn operators_parse_strictly() {
        assert_eq!(
            Operator::parse("ForAnyValue:StringLikeIfExists")
                .unwrap()
                .to_string(),
            "ForAnyValue:StringLikeIfExists"
        );
        assert!(Operator::parse("stringequals")
            .unwrap_err()
            .contains("did you mean `StringEquals`"));
        assert!(Operator::parse("NullIfExists").is_err());
        assert!(Operator::parse("StringEqualsAnything").is_err());
    }

    #[test]
    fn missing_keys() {
        let empty = ctx(&[]);
        assert!(!cond("StringEquals", "k", &["a"]).evaluate(&empty, true));
        assert!(cond("StringEqualsIfExists", "k", &["a"]).evaluate(&empty, true));
        assert!(cond("StringNotEquals", "k", &["a"]).evaluate(&empty, true));
        assert!(cond("ForAllValues:StringEquals", "k", &["a"]).evaluate(&empty, true));
        assert!(!cond("ForAnyValue:StringEquals", "k", &["a"]).evaluate(&empty, true));
        assert!(!cond("ForAnyValue:StringNotEqualsIfExists", "k", &["a"]).evaluate(&empty, true));
        assert!(cond("Null", "k", &["true"]).evaluate(&empty, true));
        assert!(!cond("Null", "k", &["false"]).evaluate(&empty, true));
    }

    #[test]
    fn typed_operators() {
        let c = ctx(&[
            ("aws:SourceIp", &["10.1.2.3"]),
            ("aws:MultiFactorAuthAge", &["300"]),
            ("aws:CurrentTime", &["2026-11-27T12:00:00Z"]),
            ("aws:SecureTransport", &["true"]),
            ("aws:PrincipalArn", &["arn:aws:iam::111122223333:role/dev"]),
            ("aws:TagKeys", &["a", "b"]),
        ]);
        assert!(cond("IpAddress", "aws:SourceIp", &["10.0.0.0/8"]).evaluate(&c, true));
        assert!(cond("NotIpAddress", "aws:SourceIp", &["192.168.0.0/16"]).evaluate(&c, true));
        assert!(cond("NumericLessThan", "aws:MultiFactorAuthAge", &["3600"]).evaluate(&c, true));
        assert!(!cond("NumericGreaterThan", "aws:MultiFactorAuthAge", &["x"]).evaluate(&c, true));
        assert!(cond("DateGreaterThan", "aws:CurrentTime", &["2026-01-01"]).evaluate(&c, true));
        assert!(cond("DateLessThan", "aws:CurrentTime", &["1900000000"]).evaluate(&c, true));
        assert!(cond("Bool", "aws:SecureTransport", &["True"]).evaluate(&c, true));
        assert!(
            cond("ArnLike", "aws:PrincipalArn", &["arn:aws:iam::*:role/d?v"]).evaluate(&c, true)
        );
        assert!(!cond(
            "ArnEquals",
            "aws:PrincipalArn",
            &["arn:aws:iam::*:role/DEV"]
        )
        .evaluate(&c, true));
        assert!(
            cond("ForAllValues:StringEquals", "aws:TagKeys", &["a", "b", "c"]).evaluate(&c, true)
        );
        assert!(!cond("ForAllValues:StringEquals", "aws:TagKeys", &["a"]).evaluate(&c, true));
        assert!(cond("ForAnyValue:StringEquals", "aws:TagKeys", &["b"]).evaluate(&c, true));
        assert!(cond("ForAnyValue:StringNotEquals", "aws:TagKeys", &["a"]).evaluate(&c, true));
        assert!(!cond("ForAllValues:StringNotEquals", "aws:TagKeys", &["a"]).evaluate(&c, true));
        assert!(
            cond("StringEqualsIgnoreCase", "aws:SecureTransport", &["TRUE"]).evaluate(&c, true)
        );
    }

    #[test]
    fn variables_in_values() {
        let c = ctx(&[
            ("aws:username", &["alice"]),
            ("s3:prefix", &["home/alice/x"]),
        ]);
        assert!(cond("StringLike", "s3:prefix", &["home/${aws:username}/*"]).evaluate(&c, true));
        assert!(!cond("StringLike", "s3:prefix", &["home/${aws:username}/*"]).evaluate(&c, false));
        assert!(!cond("StringLike", "s3:prefix", &["home/${aws:userid}/*"]).evaluate(&c, true));
        assert!(!cond("StringNotLike", "s3:prefix", &["home/${aws:userid}/*"]).evaluate(&c, true));
        assert!(cond(
            "StringLike",
            "s3:prefix",
            &["home/${aws:userid}/*", "home/*"]
        )
        .evaluate(&c, true));
        assert!(cond(
            "StringLike",
            "s3:prefix",
            &["home/${aws:userid, 'alice'}/*"]
        )
        .evaluate(&c, true));
    }

    #[test]
    fn cidr_zero_matches_everything() {
        // RFC 4632: a /0 prefix is the whole address space (docs/iam-evaluation-differences.md §2).
        let c = ctx(&[("aws:SourceIp", &["192.168.1.10"])]);
        assert!(cond("IpAddress", "aws:SourceIp", &["0.0.0.0/0"]).evaluate(&c, true));
        assert!(!cond("NotIpAddress", "aws:SourceIp", &["0.0.0.0/0"]).evaluate(&c, true));
        let v6 = ctx(&[("aws:SourceIp", &["2001:db8::1"])]);
        assert!(cond("IpAddress", "aws:SourceIp", &["::/0"]).evaluate(&v6, true));
        assert!(!cond("IpAddress", "aws:SourceIp", &["0.0.0.0/0"]).evaluate(&v6, true));
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01T00:00:01Z"), Some(1000));
        assert_eq!(parse_date("1970-01-01T00:00:01.5Z"), Some(1500));
        assert_eq!(parse_date("5"), Some(5000));
        assert_eq!(parse_date("soon"), None);
    }
}
