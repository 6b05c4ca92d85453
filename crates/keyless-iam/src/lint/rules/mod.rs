//! One file per lint rule.

mod bedrock;
mod trust;

pub(crate) mod admin_equivalent;
pub(crate) mod condition_key_not_supported;
pub(crate) mod foundation_models_without_profile;
pub(crate) mod github_oidc_audience_missing;
pub(crate) mod github_oidc_subject_unscoped;
pub(crate) mod gitlab_oidc_unscoped;
pub(crate) mod global_profile_without_regionless_arn;
pub(crate) mod list_inference_profiles_missing;
pub(crate) mod not_action_with_allow;
pub(crate) mod not_resource_with_allow;
pub(crate) mod pass_role_on_star;
pub(crate) mod placeholder_account;
pub(crate) mod principal_star_without_condition;
pub(crate) mod profile_without_destination_models;
pub(crate) mod resource_star_on_resource_level_action;
pub(crate) mod service_principal_without_source_condition;
pub(crate) mod streaming_not_granted;
pub(crate) mod unknown_action;
pub(crate) mod wildcard_action;
