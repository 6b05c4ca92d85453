//! What a model string looks like, before the catalog is asked what it names.
//!
//! People and tools write the same model many ways: Bedrock's ID
//! (`us.anthropic.claude-sonnet-4-5-20250929-v1:0`), the Anthropic API's ID
//! (`claude-sonnet-4-5-20250929`), an alias (`sonnet-4.5`, `haiku 4.5`), a display name
//! (`Claude Sonnet 4.5`), Claude 3's word order (`claude-3-7-sonnet`), and each of these
//! with the version suffix cut (`-v1`), dropped or added. [`Shape::parse`] takes any of them
//! apart into the same pieces, so that the diagnosis can say which model was meant and
//! exactly which piece is wrong, instead of calling the string "unknown".

use crate::PROFILE_PREFIXES;

/// The pieces of a model string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shape<'a> {
    /// The string without surrounding whitespace.
    pub trimmed: &'a str,
    /// The geographic prefix of an inference-profile ID (`us`, `eu`, `global`...),
    /// matched case-insensitively.
    pub prefix: Option<String>,
    /// The part after the prefix, as written (`anthropic.claude-...`).
    pub base: &'a str,
    /// The provider part of a Bedrock ID (`anthropic` in `anthropic.claude-...`), lower-cased.
    pub vendor: Option<String>,
    /// Claude Code's 1M-context marker `[1m]` was appended.
    pub one_million: bool,
    /// The model named, when the rest parses as a Claude model name.
    pub name: Option<Name>,
}

/// A Claude model name taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Name {
    /// `sonnet`, `opus`, `haiku`, `fable`.
    pub family: String,
    /// (major, minor); minor is 0 when absent.
    pub version: (u32, u32),
    /// The 8-digit release date, when written.
    pub date: Option<String>,
    /// The version suffix as written after its dash (`v1:0`, `v1`, `v2:0`).
    pub suffix: Option<String>,
    /// The name began with `claude` (`claude-sonnet-4-5`, `Claude Sonnet 4.5`).
    pub claude_word: bool,
    /// Written with spaces (a display name such as `Claude Sonnet 4.5`).
    pub spaced: bool,
}

impl<'a> Shape<'a> {
    /// Takes `input` apart. Never fails: a string with no recognisable piece has
    /// `name == None` and `vendor == None`.
    pub fn parse(input: &'a str, families: &[&str]) -> Self {
        let trimmed = input.trim();
        let (prefix, after_prefix) = match trimmed.split_once('.') {
            Some((p, rest)) if PROFILE_PREFIXES.contains(&p.to_ascii_lowercase().as_str()) => {
                (Some(p.to_ascii_lowercase()), rest)
            }
            _ => (None, trimmed),
        };
        let (base_no_1m, one_million) = match after_prefix.to_ascii_lowercase().strip_suffix("[1m]")
        {
            Some(_) => (&after_prefix[..after_prefix.len() - 4], true),
            None => (after_prefix, false),
        };
        // `vendor.model`: a vendor is a run of letters before the first dot.
        let (vendor, model_part) = match base_no_1m.split_once('.') {
            Some((v, rest)) if !v.is_empty() && v.chars().all(|c| c.is_ascii_alphabetic()) => {
                (Some(v.to_ascii_lowercase()), rest)
            }
            _ => (None, base_no_1m),
        };
        let name = Name::parse(model_part, families);
        Self {
            trimmed,
            prefix,
            base: after_prefix,
            vendor,
            one_million,
            name,
        }
    }
}

impl Name {
    /// Parses `claude-sonnet-4-5-20250929-v1:0`, `sonnet-4.5`, `Claude Sonnet 4.5`,
    /// `claude-3-7-sonnet-latest`, `haiku 4.5`... `None` when any piece is not one of
    /// these, or the family or version is missing or ambiguous.
    pub fn parse(s: &str, families: &[&str]) -> Option<Self> {
        let lower = s.to_ascii_lowercase();
        // The version suffix is `-vN` or `-vN:M` at the very end.
        let (body, suffix) = match lower.rfind("-v") {
            Some(i) if is_suffix(&lower[i + 1..]) => {
                (&lower[..i], Some(lower[i + 1..].to_string()))
            }
            _ => (lower.as_str(), None),
        };
        let spaced = body.contains(' ');
        let mut family = None;
        let mut numbers = Vec::new();
        let mut date = None;
        let mut claude_word = false;
        for (i, token) in body
            .split(['-', '_', ' ', '.'])
            .filter(|t| !t.is_empty())
            .enumerate()
        {
            if token == "claude" && i == 0 {
                claude_word = true;
            } else if families.contains(&token) {
                if family.replace(token.to_string()).is_some() {
                    return None;
                }
            } else if token.len() == 8 && token.bytes().all(|b| b.is_ascii_digit()) {
                if date.replace(token.to_string()).is_some() {
                    return None;
                }
            } else if token.len() <= 2 && token.bytes().all(|b| b.is_ascii_digit()) {
                // Numbers after the date are not part of the version.
                if date.is_some() {
                    return None;
                }
                numbers.push(token.parse::<u32>().ok()?);
            } else if token == "latest" {
                // `claude-3-7-sonnet-latest`: an Anthropic API alias.
            } else {
                return None;
            }
        }
        let version = match numbers[..] {
            [major] => (major, 0),
            [major, minor] => (major, minor),
            _ => return None,
        };
        Some(Self {
            family: family?,
            version,
            date,
            suffix,
            claude_word,
            spaced,
        })
    }
}

/// `v1`, `v1:0`, `v2:0`.
fn is_suffix(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('v') else {
        return false;
    };
    let (major, minor) = match rest.split_once(':') {
        Some((a, b)) => (a, Some(b)),
        None => (rest, None),
    };
    let digits = |t: &str| !t.is_empty() && t.len() <= 2 && t.bytes().all(|b| b.is_ascii_digit());
    digits(major) && minor.is_none_or(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: &[&str] = &["sonnet", "opus", "haiku", "fable"];

    type Pieces = (String, (u32, u32), Option<String>, Option<String>);

    fn name(s: &str) -> Option<Pieces> {
        Name::parse(s, F).map(|n| (n.family, n.version, n.date, n.suffix))
    }

    #[test]
    fn every_way_of_writing_a_model_parses_to_the_same_pieces() {
        let s45 = Some(("sonnet".to_string(), (4, 5), None, None));
        for s in [
            "sonnet-4.5",
            "sonnet-4-5",
            "claude-sonnet-4-5",
            "Claude Sonnet 4.5",
            "sonnet 4.5",
            "SONNET_4_5",
        ] {
            assert_eq!(name(s), s45, "{s}");
        }
        assert_eq!(
            name("claude-sonnet-4-5-20250929-v1:0").unwrap(),
            (
                "sonnet".into(),
                (4, 5),
                Some("20250929".into()),
                Some("v1:0".into())
            )
        );
        assert_eq!(
            name("claude-3-7-sonnet-20250219").unwrap(),
            ("sonnet".into(), (3, 7), Some("20250219".into()), None)
        );
        assert_eq!(
            name("claude-opus-4-6-v1").unwrap(),
            ("opus".into(), (4, 6), None, Some("v1".into()))
        );
        assert_eq!(name("sonnet").map(|n| n.1), None, "no version");
        assert_eq!(name("gpt-4"), None);
        assert_eq!(name("sonnet-opus-4"), None, "two families");
        assert_eq!(name("sonnet-4-5-6"), None, "three numbers");
        assert_eq!(name(""), None);
    }

    #[test]
    fn prefixes_vendors_and_the_1m_marker_are_split_off() {
        let s = Shape::parse("  EU.anthropic.claude-haiku-4-5-20251001-v1[1m] ", F);
        assert_eq!(s.trimmed, "EU.anthropic.claude-haiku-4-5-20251001-v1[1m]");
        assert_eq!(s.prefix.as_deref(), Some("eu"));
        assert_eq!(s.vendor.as_deref(), Some("anthropic"));
        assert!(s.one_million);
        let n = s.name.unwrap();
        assert_eq!(n.suffix.as_deref(), Some("v1"));
        assert_eq!(n.date.as_deref(), Some("20251001"));
        let s = Shape::parse("amazon.nova-pro-v1:0", F);
        assert_eq!(s.vendor.as_deref(), Some("amazon"));
        assert!(s.name.is_none());
        let s = Shape::parse("sonnet-4.5", F);
        assert_eq!(s.vendor, None, "a version dot is not a vendor");
        assert!(s.name.is_some());
    }
}
