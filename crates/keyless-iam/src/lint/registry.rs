//! Every policy lint rule, in one list (the order of `docs/policy-lints.md`).

use super::rules::*;
use super::Rule;

/// All rules.
pub const RULES: &[&Rule] = &[
    &unknown_action::RULE,
    &wildcard_action::RULE,
    &resource_star_on_resource_level_action::RULE,
    &not_action_with_allow::RULE,
    &not_resource_with_allow::RULE,
    &pass_role_on_star::RULE,
    &admin_equivalent::RULE,
    &condition_key_not_supported::RULE,
    &streaming_not_granted::RULE,
    &profile_without_destination_models::RULE,
    &foundation_models_without_profile::RULE,
    &global_profile_without_regionless_arn::RULE,
    &list_inference_profiles_missing::RULE,
    &github_oidc_audience_missing::RULE,
    &github_oidc_subject_unscoped::RULE,
    &gitlab_oidc_unscoped::RULE,
    &principal_star_without_condition::RULE,
    &service_principal_without_source_condition::RULE,
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
    fn ids_unique_and_documented() {
        let mut seen = std::collections::BTreeSet::new();
        for r in RULES {
            assert!(seen.insert(r.id), "duplicate {}", r.id);
            assert!(
                r.id.len() == 5
                    && r.id.starts_with("KP")
                    && r.id[2..].chars().all(|c| c.is_ascii_digit()),
                "{}",
                r.id
            );
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Fix",
            ] {
                assert!(r.doc.contains(section), "{} lacks {section}", r.id);
            }
            let what = r
                .doc
                .split("## What it does")
                .nth(1)
                .unwrap_or("")
                .trim_start();
            assert!(what.starts_with("Checks "), "{}", r.id);
        }
        let names: std::collections::BTreeSet<_> = RULES.iter().map(|r| r.name).collect();
        assert_eq!(names.len(), RULES.len());
    }
}
