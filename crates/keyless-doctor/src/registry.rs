//! Every doctor rule, in one list. The order is the order of `docs/findings.md`.
//!
//! IDs are assigned once and never reused: `KD1xx` models, `KD2xx` Claude Code
//! settings, `KD3xx` AWS profiles and credentials, `KD4xx` the project directory.

use crate::findings::*;
use crate::Rule;

/// All rules.
pub const RULES: &[&Rule] = &[
    &model_id_missing_version::RULE,
    &model_base_id_without_profile::RULE,
    &model_profile_wrong_geography::RULE,
    &model_end_of_life::RULE,
    &model_legacy::RULE,
    &model_unknown::RULE,
    &bedrock_mode_not_enabled::RULE,
    &deprecated_small_fast_model::RULE,
    &secret_in_settings_env::RULE,
    &anthropic_api_key_with_bedrock::RULE,
    &region_missing::RULE,
    &region_without_bedrock::RULE,
    &region_not_explicit::RULE,
    &aws_profile_not_found::RULE,
    &static_keys_in_aws_files::RULE,
    &credentials_file_readable_by_others::RULE,
    &sso_login_needed::RULE,
    &aws_profile_invalid::RULE,
    &sso_without_auth_refresh::RULE,
    &aws_default_profile_ignored::RULE,
    &long_lived_keys_in_environment::RULE,
    &keys_in_dotenv::RULE,
];

/// The rule with `id` (case-insensitive) or `name`.
pub fn lookup(id_or_name: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.id.eq_ignore_ascii_case(id_or_name) || r.name == id_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_well_formed_and_documented() {
        let mut seen = std::collections::BTreeSet::new();
        for r in RULES {
            assert!(seen.insert(r.id), "duplicate id {}", r.id);
            assert!(
                r.id.len() == 5
                    && r.id.starts_with("KD")
                    && r.id[2..].chars().all(|c| c.is_ascii_digit()),
                "{}",
                r.id
            );
            assert!(
                r.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                "{}",
                r.name
            );
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Fix",
            ] {
                assert!(r.doc.contains(section), "{} lacks `{section}`", r.id);
            }
            let what = r
                .doc
                .split("## What it does")
                .nth(1)
                .unwrap_or("")
                .trim_start();
            assert!(
                what.starts_with("Checks "),
                "{}: `What it does` starts with `Checks`",
                r.id
            );
            assert!(
                !r.why.ends_with('.'),
                "{}: the one-line why has no trailing period",
                r.id
            );
        }
        assert_eq!(seen.len(), RULES.len());
        let names: std::collections::BTreeSet<_> = RULES.iter().map(|r| r.name).collect();
        assert_eq!(names.len(), RULES.len(), "duplicate names");
    }
}
