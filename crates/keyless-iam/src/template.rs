//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'none'}`, and the
//! escapes `${*}`, `${?}`, `${$}` for literal `*`, `?`, `$`.
//!
//! A variable's value is inserted as literal text: a `*` in a user name is not a
//! wildcard. A variable with no value and no default leaves the value unknown, and an
//! unknown value never makes a statement apply: a `Resource` entry matches nothing, a
//! `NotResource` list cannot exclude the resource, a positive condition operator skips the
//! value, and a negated one is false.

use crate::context::Context;
use crate::wildcard::Pattern;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// Text in which `*` and `?` are wildcards.
    Text(String),
    /// A literal character from an escape.
    Lit(String),
    /// A variable.
    Var {
        key: String,
        default: Option<String>,
    },
}

/// A policy value that may contain variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    raw: String,
    parts: Vec<Part>,
}

impl Template {
    /// Parses `s`.
    pub fn parse(s: &str) -> Self {
        let mut parts = Vec::new();
        let mut rest = s;
        let mut text = String::new();
        while let Some(i) = rest.find("${") {
            let Some(close) = rest[i..].find('}') else {
                break;
            };
            let inner = &rest[i + 2..i + close];
            text.push_str(&rest[..i]);
            if !text.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut text)));
            }
            match inner {
                "*" | "?" | "$" => parts.push(Part::Lit(inner.to_string())),
                _ => {
                    let (key, default) = match inner.split_once(", '") {
                        Some((k, d)) if d.ends_with('\'') => {
                            (k, Some(d[..d.len() - 1].to_string()))
                        }
                        _ => (inner, None),
                    };
                    parts.push(Part::Var {
                        key: key.trim().to_ascii_lowercase(),
                        default,
                    });
                }
            }
            rest = &rest[i + close + 1..];
        }
        text.push_str(rest);
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Self {
            raw: s.to_string(),
            parts,
        }
    }

    /// The value as written.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// Whether it contains a variable or escape.
    pub fn has_variables(&self) -> bool {
        self.parts.iter().any(|p| !matches!(p, Part::Text(_)))
    }

    /// Expands variables from `ctx`: the resulting text and a wildcard pattern in which
    /// only the written text's `*`/`?` are wildcards. `None` when a variable has no value.
    pub fn expand(&self, ctx: &Context, fold_case: bool) -> Option<(String, Pattern)> {
        let mut text = String::new();
        let mut pattern = Pattern::new("", fold_case);
        for part in &self.parts {
            match part {
                Part::Text(t) => {
                    text.push_str(t);
                    pattern.push_pattern(t);
                }
                Part::Lit(l) => {
                    text.push_str(l);
                    pattern.push_lit(l);
                }
                Part::Var { key, default } => {
                    let value = match ctx.get(key) {
                        Some([one]) => one.as_str(),
                        _ => default.as_deref()?,
                    };
                    text.push_str(value);
                    pattern.push_lit(value);
                }
            }
        }
        Some((text, pattern))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_expands() {
        let mut ctx = Context::default();
        ctx.insert("aws:username", vec!["a*b".into()]);
        let t = Template::parse("home/${aws:username}/${*}/*");
        let (text, pat) = t.expand(&ctx, false).unwrap();
        assert_eq!(text, "home/a*b/*/*");
        assert!(pat.matches("home/a*b/*/anything"));
        assert!(!pat.matches("home/axb/*/anything"));
        assert_eq!(Template::parse("${aws:userid}").expand(&ctx, false), None);
        assert_eq!(
            Template::parse("${aws:userid, 'x'}")
                .expand(&ctx, false)
                .unwrap()
                .0,
            "x"
        );
        assert_eq!(
            Template::parse("${unterminated")
                .expand(&ctx, false)
                .unwrap()
                .0,
            "${unterminated"
        );
    }
}
