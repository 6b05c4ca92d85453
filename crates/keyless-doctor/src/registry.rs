//! Every doctor rule, in one list. The order is the order of `docs/findings.md`.
//!
//! IDs are assigned once and never reused: `KD1xx` models, `KD2xx` Claude Code
//! settings, `KD3xx` AWS profiles and credentials, `KD4xx` the project directory, `KD5xx`
//! what AWS itself answers (`doctor --live`).

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
    &model_id_not_bedrock::RULE,
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
    &live_credentials_unavailable::RULE,
    &live_root_user::RULE,
    &live_long_lived_user_keys::RULE,
    &live_access_denied::RULE,
    &live_denied_by_scp::RULE,
    &live_model_id_invalid::RULE,
    &live_on_demand_not_supported::RULE,
    &live_model_access_not_granted::RULE,
    &live_marketplace_subscription::RULE,
    &live_token_expired::RULE,
    &live_credentials_rejected::RULE,
    &live_endpoint_unreachable::RULE,
    &live_clock_skew::RULE,
    &live_throttled::RULE,
    &live_model_end_of_life::RULE,
    &live_profile_routing_differs::RULE,
    &live_unexpected_error::RULE,
];

/// The rule with `id` (case-insensitive) or `name`.
pub fn lookup(id_or_name: &str) -> Option<&'static Rule> {
    keyless_rules::lookup(RULES, id_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_well_formed_and_documented() {
        let problems = keyless_rules::registry_problems("KD", RULES);
        assert!(problems.is_empty(), "{problems:#?}");
        for r in RULES {
            assert!(
                !r.why.ends_with('.'),
                "{}: the one-line why has no trailing period",
                r.id
            );
        }
    }
}
