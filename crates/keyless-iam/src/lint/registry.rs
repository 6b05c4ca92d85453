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
    &placeholder_account::RULE,
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
    keyless_rules::lookup(RULES, id_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_unique_and_documented() {
        let problems = keyless_rules::registry_problems("KP", RULES);
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
