//! What a model string names, what is wrong with it, and what to write instead.
//!
//! Claude Code puts the model string into the request path unchanged
//! (`POST /model/<ANTHROPIC_MODEL>/invoke-with-response-stream`), so every mistake here
//! becomes a Bedrock error at the first prompt. This is the one resolver every part of
//! keyless asks (`init --model`, `doctor`, `doctor --live`, `models resolve`, the sandbox,
//! the policy generator), so that their verdicts cannot drift apart.
//!
//! The order of questions is fixed: what shape the string has ([`Shape`]), which catalog
//! model that shape names, then which pieces differ from that model's ID, whether the
//! profile can be called from the region, and the model's lifecycle. "Unknown" is the
//! answer only when no model of the catalog matches any shape of the string.

use crate::shape::Shape;
use crate::{Catalog, Date, Lifecycle, Model};
use keyless_rules::Severity;

/// The kinds of answer [`diagnose`] gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// A valid inference-profile ID (or on-demand base ID) for the region.
    Valid,
    /// A Bedrock-shaped ID (`anthropic.claude-...`) of a known model that is not its ID:
    /// the version suffix missing, cut (`-v1` for `-v1:0`), wrong or added, the date missing
    /// or wrong, another case, whitespace around it. Bedrock answers "The provided model
    /// identifier is invalid."
    MalformedId,
    /// The Anthropic API's ID of a known model (`claude-sonnet-4-5-20250929`), which
    /// Bedrock does not accept.
    AnthropicApiId,
    /// Not a model ID at all: an alias or display name (`sonnet-4.5`, `Claude Sonnet 4.5`),
    /// an empty string, or a word with no dot. Claude Code sends it to Bedrock unchanged.
    NotAnId,
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
    /// Bedrock-shaped, but no model of the catalog matches it (perhaps newer than the
    /// catalog, or not a Claude model).
    Unknown,
}

impl Verdict {
    /// The name used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::MalformedId => "malformed-id",
            Self::AnthropicApiId => "anthropic-api-id",
            Self::NotAnId => "not-an-id",
            Self::NeedsInferenceProfile => "needs-inference-profile",
            Self::WrongGeography => "wrong-geography",
            Self::Legacy => "legacy",
            Self::EndOfLife => "end-of-life",
            Self::NeedsLiveCheck => "needs-live-check",
            Self::ClaudeCodeAlias => "claude-code-alias",
            Self::Unknown => "unknown",
        }
    }

    /// Whether Bedrock refuses the string itself ("The provided model identifier is
    /// invalid."), whatever the model's lifecycle.
    pub fn is_invalid_identifier(self) -> bool {
        matches!(
            self,
            Self::MalformedId
                | Self::AnthropicApiId
                | Self::NotAnId
                | Self::WrongGeography
                | Self::Unknown
                | Self::ClaudeCodeAlias
                | Self::NeedsLiveCheck
        )
    }
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

    /// Whether some problem is an error (the string does not work).
    pub fn has_error(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    /// The string to write instead, from the most severe problem that has one.
    pub fn replacement(&self) -> Option<&str> {
        self.problems.iter().find_map(|p| p.replacement.as_deref())
    }

    fn only(verdict: Verdict, severity: Severity, message: String) -> Self {
        Self {
            model: None,
            problems: vec![Problem {
                verdict,
                severity,
                message,
                replacement: None,
            }],
        }
    }
}

/// Claude Code's own model aliases, which it resolves before calling Bedrock.
pub const CLAUDE_CODE_ALIASES: &[&str] = &[
    "sonnet", "opus", "haiku", "fable", "best", "default", "opusplan",
];

/// The string that works from `region` for `model`, or for its successor when `model`
/// has reached end of life. `None` when nothing in the catalog works from there.
fn working_id(catalog: &Catalog, model: &Model, region: &str, date: Date) -> Option<String> {
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
            return Some(id);
        }
    }
    usable(catalog.newest(&model.family, Some(region), date)?)
}

/// Without a region, keyless suggests what Claude Code would use: its default region.
fn suggestion(
    catalog: &Catalog,
    model: &Model,
    region: Option<&str>,
    date: Date,
) -> Option<String> {
    working_id(catalog, model, region.unwrap_or("us-east-1"), date)
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

/// "the ID of Claude Haiku 4.5 is `…`", unless the model is gone: a message should not
/// put a dead ID in front of the person before the one that works.
fn id_of(model: &Model, date: Date) -> String {
    match model.lifecycle_on(date) {
        Lifecycle::EndOfLife => format!("it names {}, which has reached end of life", model.name),
        _ => format!("the ID of {} is `{}`", model.name, model.id),
    }
}

const INVALID: &str = "Bedrock answers \"The provided model identifier is invalid.\"";

/// Diagnoses a model string as it would be used from `region` on `date`.
pub fn diagnose(catalog: &Catalog, input: &str, region: Option<&str>, date: Date) -> Diagnosis {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Diagnosis::only(
            Verdict::NotAnId,
            Severity::Warning,
            "the model string is empty: Claude Code ignores it and uses its built-in default model; remove the variable or set an ID from `keyless models`".into(),
        );
    }
    if trimmed
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("arn:"))
    {
        return diagnose_arn(catalog, input, region, date);
    }
    let lower = trimmed.to_ascii_lowercase();
    let alias = lower.strip_suffix("[1m]").unwrap_or(&lower);
    if CLAUDE_CODE_ALIASES.contains(&alias) && (input != trimmed || trimmed != lower) {
        let mut d = Diagnosis::only(
            Verdict::NotAnId,
            Severity::Error,
            format!(
                "`{input}` is not the Claude Code alias `{lower}`: aliases are lower case, without whitespace; Claude Code sends any other string to Bedrock unchanged, and {INVALID}"
            ),
        );
        d.problems[0].replacement = Some(lower.clone());
        return d;
    }
    if CLAUDE_CODE_ALIASES.contains(&alias) {
        return Diagnosis::only(
            Verdict::ClaudeCodeAlias,
            Severity::Info,
            format!(
                "`{trimmed}` is a Claude Code alias; on Bedrock it resolves through ANTHROPIC_DEFAULT_{}_MODEL or Claude Code's built-in default",
                alias.to_ascii_uppercase()
            ),
        );
    }

    let families = catalog.families();
    let shape = Shape::parse(input, &families);
    let model = shape.name.as_ref().and_then(|n| {
        catalog
            .models
            .iter()
            .find(|m| m.family == n.family && m.version == n.version)
    });
    let Some(model) = model else {
        return unknown(catalog, &shape);
    };

    let mut problems = Vec::new();
    let working = suggestion(catalog, model, region, date);
    let name = shape.name.as_ref().expect("a model was found by name");
    let exact_base = shape.base == model.id && input == trimmed && !shape.one_million;
    let prefix_as_written = trimmed.split_once('.').map(|(p, _)| p);
    let prefix_exact = match (&shape.prefix, prefix_as_written) {
        (Some(p), Some(w)) => p == w,
        _ => true,
    };

    // Bedrock-shaped but not the ID: `anthropic.…` with a wrong piece, another vendor's
    // prefix on a Claude name, or a Bedrock ID without its `anthropic.`
    // (`us.claude-sonnet-4-5-…`, `claude-sonnet-4-5-20250929-v1:0`).
    let malformed = match shape.vendor.as_deref() {
        Some("anthropic") => !(exact_base && prefix_exact),
        Some(_) => true,
        None => shape.prefix.is_some() || name.suffix.is_some(),
    };
    if malformed {
        let detail = if shape.vendor.as_deref() != Some("anthropic") {
            ""
        } else if input != trimmed {
            "; it has whitespace around it, which is sent as part of the ID"
        } else if shape.one_million {
            "; `[1m]` is Claude Code's 1M-context marker, which Bedrock does not accept in an ID"
        } else if !prefix_exact || shape.base.eq_ignore_ascii_case(&model.id) {
            "; Bedrock's IDs are lower case"
        } else {
            ""
        };
        problems.push(Problem {
            verdict: Verdict::MalformedId,
            severity: Severity::Error,
            message: format!(
                "`{trimmed}` is not a Bedrock model ID: {}{detail}; {INVALID}",
                id_of(model, date)
            ),
            replacement: working.clone(),
        });
    } else if shape.vendor.is_none() {
        let api_id = shape.prefix.is_none()
            && name.claude_word
            && !name.spaced
            && name.suffix.is_none()
            && trimmed.starts_with("claude-");
        problems.push(if api_id {
            Problem {
                verdict: Verdict::AnthropicApiId,
                severity: Severity::Error,
                message: format!(
                    "`{trimmed}` is the Anthropic API's ID for {}, not a Bedrock model ID; {INVALID}",
                    model.name
                ),
                replacement: working.clone(),
            }
        } else {
            Problem {
                verdict: Verdict::NotAnId,
                severity: Severity::Error,
                message: format!(
                    "`{trimmed}` names {} but is not a model ID: Claude Code sends it to Bedrock unchanged, and {INVALID}",
                    model.name
                ),
                replacement: working.clone(),
            }
        });
    } else if let Some(prefix) = &shape.prefix {
        match (model.profile(prefix), region) {
            (None, _) => problems.push(Problem {
                verdict: Verdict::WrongGeography,
                severity: Severity::Error,
                message: format!(
                    "{} has no `{prefix}.` inference profile; {INVALID}",
                    model.name
                ),
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
        let from = region.map(|r| format!(" from {r}")).unwrap_or_default();
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

    problems.extend(lifecycle_problem(catalog, model, region, date));
    if problems.is_empty() {
        if let Some(p) = shape
            .prefix
            .as_deref()
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

/// No catalog model matches any shape of the string.
fn unknown(catalog: &Catalog, shape: &Shape) -> Diagnosis {
    let s = shape.trimmed;
    match shape.vendor.as_deref() {
        // `anthropic.claude-...` that the catalog does not know: perhaps newer.
        Some("anthropic") => Diagnosis::only(
            Verdict::Unknown,
            Severity::Warning,
            format!(
                "`{s}` is not a known model in keyless's catalog (as of {}); it may be newer than the catalog: confirm with `keyless doctor --live`",
                catalog.as_of
            ),
        ),
        Some(vendor) => Diagnosis::only(
            Verdict::Unknown,
            Severity::Warning,
            format!(
                "`{s}` is a `{vendor}.` model ID, not a Claude model in keyless's catalog (as of {}); Claude Code expects a Claude model: confirm with `keyless doctor --live`",
                catalog.as_of
            ),
        ),
        // A Bedrock model ID always has the form `provider.model`: a string without it
        // cannot be one, whatever model it means.
        None => Diagnosis::only(
            Verdict::NotAnId,
            Severity::Error,
            format!(
                "`{s}` is not a Bedrock model ID (those read `provider.model`, such as `us.anthropic.claude-sonnet-5`); Claude Code sends it to Bedrock unchanged, and {INVALID}"
            ),
        ),
    }
}

/// ARNs: a foundation model or system-defined profile is diagnosed as its ID; an
/// application inference profile or provisioned model only Bedrock can check.
fn diagnose_arn(catalog: &Catalog, input: &str, region: Option<&str>, date: Date) -> Diagnosis {
    let s = input.trim();
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    let malformed = |why: &str| {
        Diagnosis::only(
            Verdict::MalformedId,
            Severity::Error,
            format!("`{s}` is not a Bedrock model ARN ({why}); {INVALID}"),
        )
    };
    if input != s {
        return malformed("it has whitespace around it");
    }
    let [_, partition, service, arn_region, account, resource] = parts[..] else {
        return malformed("an ARN has six `:`-separated parts");
    };
    if !partition.starts_with("aws") || service != "bedrock" {
        return malformed("it is not an ARN of the `bedrock` service");
    }
    let (kind, id) = resource.split_once('/').unwrap_or((resource, ""));
    let arn_region = (!arn_region.is_empty()).then_some(arn_region).or(region);
    match kind {
        "foundation-model" | "inference-profile" if !id.is_empty() => {
            // A profile ID names an `inference-profile/`; a base ID a `foundation-model/`.
            let profile_id = id
                .split_once('.')
                .is_some_and(|(p, _)| crate::PROFILE_PREFIXES.contains(&p));
            match (kind, profile_id) {
                ("foundation-model", true) => {
                    malformed("an inference-profile ID belongs in an `inference-profile/` ARN")
                }
                ("inference-profile", false) => {
                    malformed("a foundation-model ID belongs in a `foundation-model/` ARN")
                }
                _ => diagnose(catalog, id, arn_region, date),
            }
        }
        "application-inference-profile" | "provisioned-model" if !id.is_empty() => {
            if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
                return malformed("the account must be 12 digits");
            }
            Diagnosis::only(
                Verdict::NeedsLiveCheck,
                Severity::Info,
                format!(
                    "`{s}` is an ARN of a resource only Bedrock knows ({kind}); `keyless doctor --live` checks it exists"
                ),
            )
        }
        _ => malformed(
            "the resource must be foundation-model/, inference-profile/, application-inference-profile/ or provisioned-model/ followed by an ID",
        ),
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
        assert_eq!(verdicts(&d), [Verdict::MalformedId, Verdict::EndOfLife]);
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
        assert_eq!(verdicts(&d), [Verdict::MalformedId]);
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
        // Malformed ARNs are errors, never a silent pass.
        for arn in [
            "arn:aws:bedrock:us-east-1:111122223333:provisioned-model/",
            "arn:aws:s3:::bucket/anthropic.claude-sonnet-5",
            "arn:aws:bedrock:us-east-1",
            "arn:aws:bedrock:us-east-1:1:application-inference-profile/x",
            " arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-5",
            "arn:aws:bedrock:us-east-1::foundation-model/us.anthropic.claude-sonnet-5",
            "arn:aws:bedrock:us-east-1:111122223333:inference-profile/anthropic.claude-sonnet-5",
        ] {
            let d = run(arn, "us-east-1");
            assert_eq!(verdicts(&d), [Verdict::MalformedId], "{arn}");
        }
        let d = run(
            "arn:aws:bedrock:us-east-1:111122223333:provisioned-model/abcdefghij12",
            "us-east-1",
        );
        assert_eq!(verdicts(&d), [Verdict::NeedsLiveCheck]);
        let d = run(
            "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
            "us-east-1",
        );
        assert_eq!(verdicts(&d), [Verdict::NeedsInferenceProfile]);
    }

    #[test]
    fn any_text_gets_a_verdict_without_panicking() {
        // Multi-byte characters at every position a slice could land on.
        for s in [
            "aé🙂",
            "aé🙂arn:",
            "é",
            "🙂",
            "arn:é",
            "ar🙂n:aws",
            "us.é",
            "anthropic.é-v1:0",
            "claude-sonnet-4-5-é",
            "sonnet[1m]é",
            "é[1m]",
            "us.anthropic.claude-haiku-4-5-20251001-v1🙂",
            "\u{0}",
            "\u{200b}sonnet",
            "ＵＳ.anthropic.claude-sonnet-5",
        ] {
            let d = run(s, "us-east-1");
            assert!(!d.problems.is_empty(), "{s:?} got no verdict");
        }
    }

    #[test]
    fn claude_code_aliases_only_as_claude_code_writes_them() {
        for s in ["sonnet", "opus", "haiku", "opusplan", "sonnet[1m]"] {
            assert_eq!(
                verdicts(&run(s, "us-east-1")),
                [Verdict::ClaudeCodeAlias],
                "{s}"
            );
        }
        for (s, fix) in [
            ("Sonnet", "sonnet"),
            (" sonnet", "sonnet"),
            ("SONNET[1M]", "sonnet[1m]"),
        ] {
            let d = run(s, "us-east-1");
            assert_eq!(verdicts(&d), [Verdict::NotAnId], "{s}");
            assert_eq!(d.problems[0].severity, Severity::Error);
            assert_eq!(d.replacement(), Some(fix), "{s}");
        }
    }

    #[test]
    fn shapes_of_the_issue_each_get_their_verdict_and_fix() {
        let cases = [
            (
                "claude-sonnet-4-5-20250929",
                "us-east-1",
                Verdict::AnthropicApiId,
                Some("us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
            ),
            (
                "claude-sonnet-4-5",
                "us-east-1",
                Verdict::AnthropicApiId,
                Some("us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
            ),
            (
                "claude-3-7-sonnet-20250219",
                "us-east-1",
                Verdict::AnthropicApiId,
                Some("us.anthropic.claude-sonnet-5"),
            ),
            (
                "us.anthropic.claude-haiku-4-5-20251001-v1",
                "us-east-1",
                Verdict::MalformedId,
                Some("us.anthropic.claude-haiku-4-5-20251001-v1:0"),
            ),
            (
                "us.anthropic.claude-sonnet-4-6-v1:0",
                "us-west-2",
                Verdict::MalformedId,
                Some("us.anthropic.claude-sonnet-4-6"),
            ),
            (
                "anthropic.claude-haiku-4-5",
                "us-east-1",
                Verdict::MalformedId,
                Some("us.anthropic.claude-haiku-4-5-20251001-v1:0"),
            ),
            (
                "claude-haiku-4-5-20251001-v1:0",
                "us-east-1",
                Verdict::MalformedId,
                Some("us.anthropic.claude-haiku-4-5-20251001-v1:0"),
            ),
            (
                "eu.anthropic.claude-haiku-4-5-20251001-v1:0",
                "us-east-1",
                Verdict::WrongGeography,
                Some("us.anthropic.claude-haiku-4-5-20251001-v1:0"),
            ),
            (
                "apac.anthropic.claude-sonnet-4-20250514-v1:0",
                "us-east-1",
                Verdict::WrongGeography,
                Some("us.anthropic.claude-sonnet-5"),
            ),
            (
                "us.anthropic.claude-haiku-4-5-20251001-v1:0",
                "eu-west-1",
                Verdict::WrongGeography,
                Some("eu.anthropic.claude-haiku-4-5-20251001-v1:0"),
            ),
            // eu-south-1 is an EU region, but not a source of Sonnet 4.5's `eu.` profile.
            (
                "eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
                "eu-south-1",
                Verdict::WrongGeography,
                Some("global.anthropic.claude-sonnet-4-6"),
            ),
            (
                "us.anthropic.claude-opus-4-20250514-v1:0",
                "us-east-1",
                Verdict::EndOfLife,
                Some("us.anthropic.claude-opus-5"),
            ),
            (
                "sonnet-4.5",
                "us-east-1",
                Verdict::NotAnId,
                Some("us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
            ),
            (
                "haiku 4.5",
                "eu-west-3",
                Verdict::NotAnId,
                Some("eu.anthropic.claude-haiku-4-5-20251001-v1:0"),
            ),
            (
                "Claude Opus 4.6",
                "ap-southeast-2",
                Verdict::NotAnId,
                Some("au.anthropic.claude-opus-4-6-v1"),
            ),
            ("", "us-east-1", Verdict::NotAnId, None),
            ("   ", "us-east-1", Verdict::NotAnId, None),
        ];
        for (input, region, verdict, fix) in cases {
            let d = run(input, region);
            assert_eq!(d.verdict(), verdict, "{input:?} from {region}: {d:#?}");
            assert_eq!(d.replacement(), fix, "{input:?} from {region}");
        }
    }
}
