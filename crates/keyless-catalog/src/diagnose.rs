//! What is wrong with a model string, and what to write instead.
//!
//! Claude Code puts the model string into the request path unchanged
//! (`POST /model/<ANTHROPIC_MODEL>/invoke-with-response-stream`), so every mistake here
//! becomes a Bedrock error at the first prompt. Each verdict below corresponds to one
//! such error, and each carries the exact string that works from the user's region.

use crate::{Catalog, Date, InferenceProfile, Lifecycle, Model, PROFILE_PREFIXES};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Works today, or may not work; act soon.
    Warning,
    /// Does not work.
    Error,
}

impl Severity {
    /// The name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// The kinds of answer [`diagnose`] gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// A valid inference-profile ID (or on-demand base ID) for the region.
    Valid,
    /// The ID lacks its version suffix (`-v1:0`): Bedrock answers "The provided model
    /// identifier is invalid."
    MissingVersionSuffix,
    /// A base model ID that cannot be invoked on demand: it needs an inference profile.
    NeedsInferenceProfile,
    /// An inference profile that cannot be called from this region, or that does not
    /// exist for this model.
    WrongGeography,
    /// The model is Legacy: existing users only, end of life announced.
    Legacy,
    /// The model has reached end of life: requests fail.
    EndOfLife,
    /// An application-inference-profile or provisioned-model ARN: the shape is right,
    /// only Bedrock can say whether it exists.
    NeedsLiveCheck,
    /// A short alias (`sonnet`) that Claude Code resolves itself.
    ClaudeCodeAlias,
    /// Not in this catalog.
    Unknown,
}

/// One problem found with a model string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The kind.
    pub verdict: Verdict,
    /// How bad.
    pub severity: Severity,
    /// One line: what is wrong.
    pub message: String,
    /// The string to write instead, when there is one.
    pub replacement: Option<String>,
}

/// Everything known about one model string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnosis {
    /// The model, if the string names one in the catalog.
    pub model: Option<Model>,
    /// Problems, most severe first. Empty means valid.
    pub problems: Vec<Problem>,
}

impl Diagnosis {
    /// The overall verdict: the first problem's, or `Valid`.
    pub fn verdict(&self) -> Verdict {
        self.problems
            .first()
            .map(|p| p.verdict)
            .unwrap_or(Verdict::Valid)
    }
}

/// The string that works from `region` for `model`, or for its successor when `model`
/// has reached end of life. `None` when nothing in the catalog works from there.
fn working_id(
    catalog: &Catalog,
    model: &Model,
    region: &str,
    date: Date,
) -> Option<(String, bool)> {
    let usable = |m: &Model| -> Option<String> {
        if let Some(p) = m.best_profile(region) {
            Some(p.id.clone())
        } else if m.on_demand && catalog.has_runtime(region) {
            Some(m.id.clone())
        } else {
            None
        }
    };
    if model.lifecycle_on(date) != Lifecycle::EndOfLife {
        if let Some(id) = usable(model) {
            return Some((id, false));
        }
    }
    let successor = catalog.newest(&model.family, Some(region), date)?;
    usable(successor).map(|id| (id, true))
}

fn suggestion(
    catalog: &Catalog,
    model: &Model,
    region: Option<&str>,
    date: Date,
) -> Option<String> {
    let region = region.unwrap_or("us-east-1");
    working_id(catalog, model, region, date).map(|(id, _)| id)
}

fn lifecycle_problem(
    catalog: &Catalog,
    model: &Model,
    region: Option<&str>,
    date: Date,
) -> Option<Problem> {
    match model.lifecycle_on(date) {
        Lifecycle::Active => None,
        Lifecycle::Legacy => Some(Problem {
            verdict: Verdict::Legacy,
            severity: Severity::Warning,
            message: match model.eol_date {
                Some(eol) => format!(
                    "{} is Legacy on Bedrock and reaches end of life on {eol}; new AWS accounts cannot use it",
                    model.name
                ),
                None => format!("{} is Legacy on Bedrock; new AWS accounts cannot use it", model.name),
            },
            replacement: catalog
                .newest(&model.family, region, date)
                .filter(|m| m.id != model.id)
                .and_then(|m| suggestion(catalog, m, region, date)),
        }),
        Lifecycle::EndOfLife => Some(Problem {
            verdict: Verdict::EndOfLife,
            severity: Severity::Error,
            message: match model.eol_date {
                Some(eol) => format!("{} reached end of life on Bedrock on {eol}; requests to it fail", model.name),
                None => format!("{} has reached end of life on Bedrock; requests to it fail", model.name),
            },
            replacement: suggestion(catalog, model, region, date),
        }),
    }
}

/// Finds a catalog model whose ID is `base` plus a version suffix (`-v1:0`, `-v2:0`).
fn by_missing_suffix<'c>(catalog: &'c Catalog, base: &str) -> Option<&'c Model> {
    catalog.models.iter().find(|m| {
        m.id.strip_prefix(base)
            .is_some_and(|rest| rest.starts_with("-v") && rest.contains(':'))
    })
}

/// Diagnoses a model string as it would be used from `region` on `date`.
pub fn diagnose(catalog: &Catalog, input: &str, region: Option<&str>, date: Date) -> Diagnosis {
    let s = input.trim();
    let mut problems = Vec::new();
    let unknown = |what: &str| {
        Problem {
        verdict: Verdict::Unknown,
        severity: Severity::Warning,
        message: format!(
            "`{s}` is not {what} in keyless's catalog (as of {}); it may be newer than the catalog: \
             confirm with `keyless doctor --live`",
            catalog.as_of
        ),
        replacement: None,
    }
    };

    if let Some(arn) = s.strip_prefix("arn:") {
        let parts: Vec<&str> = arn.splitn(5, ':').collect();
        let resource = parts.get(4).copied().unwrap_or("");
        if let Some(id) = resource
            .strip_prefix("foundation-model/")
            .or_else(|| resource.strip_prefix("inference-profile/"))
        {
            let region = parts.get(2).filter(|r| !r.is_empty()).copied().or(region);
            return diagnose(catalog, id, region, date);
        }
        problems.push(Problem {
            verdict: Verdict::NeedsLiveCheck,
            severity: Severity::Info,
            message: format!(
                "`{s}` is an ARN of a resource only Bedrock knows ({}); `keyless doctor --live` checks it exists",
                resource.split('/').next().unwrap_or("resource")
            ),
            replacement: None,
        });
        return Diagnosis {
            model: None,
            problems,
        };
    }

    let (prefix, base) = match s.split_once('.') {
        Some((p, rest)) if PROFILE_PREFIXES.contains(&p) => (Some(p), rest),
        _ => (None, s),
    };

    if !base.starts_with("anthropic.") {
        if prefix.is_none() && ["sonnet", "opus", "haiku", "fable", "best", "default"].contains(&s)
        {
            problems.push(Problem {
                verdict: Verdict::ClaudeCodeAlias,
                severity: Severity::Info,
                message: format!(
                    "`{s}` is a Claude Code alias; on Bedrock it resolves through ANTHROPIC_DEFAULT_{}_MODEL or Claude Code's built-in default",
                    s.to_ascii_uppercase()
                ),
                replacement: None,
            });
        } else {
            problems.push(unknown("a Bedrock model ID"));
        }
        return Diagnosis {
            model: None,
            problems,
        };
    }

    let (model, suffix_missing) = match catalog.model(base) {
        Some(m) => (m, false),
        None => match by_missing_suffix(catalog, base) {
            Some(m) => (m, true),
            None => {
                problems.push(unknown("a known model"));
                return Diagnosis {
                    model: None,
                    problems,
                };
            }
        },
    };

    let lifecycle = lifecycle_problem(catalog, model, region, date);
    let working = suggestion(catalog, model, region, date);
    let from = region.map(|r| format!(" from {r}")).unwrap_or_default();

    if suffix_missing {
        problems.push(Problem {
            verdict: Verdict::MissingVersionSuffix,
            severity: Severity::Error,
            message: format!(
                "`{s}` is not a Bedrock model ID: the ID of {} is `{}`; Bedrock answers \"The provided model identifier is invalid.\"",
                model.name, model.id
            ),
            replacement: working.clone(),
        });
    } else if let Some(prefix) = prefix {
        let profile: Option<&InferenceProfile> = model.profile(prefix);
        match (profile, region) {
            (None, _) => problems.push(Problem {
                verdict: Verdict::WrongGeography,
                severity: Severity::Error,
                message: format!("{} has no `{prefix}.` inference profile", model.name),
                replacement: working.clone(),
            }),
            (Some(p), Some(r)) if !p.sources.iter().any(|x| x == r) => problems.push(Problem {
                verdict: Verdict::WrongGeography,
                severity: Severity::Error,
                message: format!(
                    "the `{prefix}.` profile of {} cannot be called from {r}; it is available from {}",
                    model.name,
                    p.sources.join(", ")
                ),
                replacement: working.clone(),
            }),
            _ => {}
        }
    } else if !model.on_demand {
        problems.push(Problem {
            verdict: Verdict::NeedsInferenceProfile,
            severity: Severity::Error,
            message: format!(
                "{} cannot be invoked on demand by its base ID{from}; Bedrock answers \"Invocation of model ID {} with on-demand throughput isn't supported\": use an inference profile",
                model.name, model.id
            ),
            replacement: working.clone(),
        });
    }

    problems.extend(lifecycle);
    if problems.is_empty() {
        if let Some(p) = prefix
            .and_then(|p| model.profile(p))
            .filter(|p| p.regions_inferred)
        {
            problems.push(Problem {
                verdict: Verdict::Valid,
                severity: Severity::Info,
                message: format!(
                    "`{}` is in Claude Code's model table, but the catalog's region list for it is inferred; `keyless doctor --live` confirms it",
                    p.id
                ),
                replacement: None,
            });
        }
    }
    problems.sort_by_key(|p| std::cmp::Reverse(p.severity));
    Diagnosis {
        model: Some(model.clone()),
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str, region: &str) -> Diagnosis {
        diagnose(
            Catalog::embedded(),
            s,
            Some(region),
            Date::parse("2026-11-27").unwrap(),
        )
    }

    fn verdicts(d: &Diagnosis) -> Vec<Verdict> {
        d.problems.iter().map(|p| p.verdict).collect()
    }

    #[test]
    fn seed_guide_sonnet_4_missing_suffix_and_end_of_life() {
        let d = run("anthropic.claude-sonnet-4-20250514", "us-east-1");
        assert_eq!(
            verdicts(&d),
            [Verdict::MissingVersionSuffix, Verdict::EndOfLife]
        );
        // The fix names a current model, since Sonnet 4 is gone.
        assert_eq!(
            d.problems[0].replacement.as_deref(),
            Some("us.anthropic.claude-sonnet-5")
        );
        assert!(
            d.problems[1].message.contains("2026-10-14"),
            "{}",
            d.problems[1].message
        );
    }

    #[test]
    fn seed_guide_haiku_missing_suffix_gets_its_us_profile() {
        let d = run("anthropic.claude-haiku-4-5-20251001", "us-east-1");
        assert_eq!(verdicts(&d), [Verdict::MissingVersionSuffix]);
        assert_eq!(
            d.problems[0].replacement.as_deref(),
            Some("us.anthropic.claude-haiku-4-5-20251001-v1:0")
        );
    }

    #[test]
    fn base_id_needs_a_profile() {
        let d = run("anthropic.claude-haiku-4-5-20251001-v1:0", "eu-west-3");
        assert_eq!(verdicts(&d), [Verdict::NeedsInferenceProfile]);
        assert_eq!(
            d.problems[0].replacement.as_deref(),
            Some("eu.anthropic.claude-haiku-4-5-20251001-v1:0")
        );
    }

    #[test]
    fn wrong_geography() {
        let d = run("eu.anthropic.claude-haiku-4-5-20251001-v1:0", "us-west-2");
        assert_eq!(verdicts(&d), [Verdict::WrongGeography]);
        assert_eq!(
            d.problems[0].replacement.as_deref(),
            Some("us.anthropic.claude-haiku-4-5-20251001-v1:0")
        );
        let d = run("apac.anthropic.claude-opus-4-1-20250805-v1:0", "us-east-1");
        assert_eq!(verdicts(&d)[0], Verdict::WrongGeography);
    }

    #[test]
    fn valid_legacy_and_eol() {
        assert!(
            run("us.anthropic.claude-haiku-4-5-20251001-v1:0", "us-east-1")
                .problems
                .is_empty()
        );
        assert!(run(
            "global.anthropic.claude-haiku-4-5-20251001-v1:0",
            "ap-south-1"
        )
        .problems
        .is_empty());
        let d = run("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-2");
        assert_eq!(verdicts(&d), [Verdict::Legacy]);
        assert!(d.problems[0].message.contains("2027-04-08"));
        let d = run("us.anthropic.claude-3-7-sonnet-20250219-v1:0", "us-east-1");
        assert_eq!(verdicts(&d), [Verdict::EndOfLife]);
        // new IDs without a suffix are valid; their inferred regions are noted
        let d = run("us.anthropic.claude-sonnet-4-6", "us-east-1");
        assert_eq!(d.verdict(), Verdict::Valid);
        assert_eq!(d.problems[0].severity, Severity::Info);
    }

    #[test]
    fn arns_aliases_and_unknowns_are_never_called_invalid() {
        let d = run(
            "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc123",
            "us-east-1",
        );
        assert_eq!(verdicts(&d), [Verdict::NeedsLiveCheck]);
        let d = run("arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0", "eu-west-1");
        assert!(d.problems.is_empty(), "{d:?}");
        assert_eq!(
            verdicts(&run("sonnet", "us-east-1")),
            [Verdict::ClaudeCodeAlias]
        );
        let d = run("us.anthropic.claude-sonnet-9", "us-east-1");
        assert_eq!(verdicts(&d), [Verdict::Unknown]);
        assert_eq!(d.problems[0].severity, Severity::Warning);
        assert!(d.problems[0].message.contains("2026-11-27"));
    }
}
