//! One file per finding. Each holds `RULE` (metadata, docs, check) and its tests.

pub(crate) mod anthropic_api_key_with_bedrock;
pub(crate) mod aws_default_profile_ignored;
pub(crate) mod aws_profile_invalid;
pub(crate) mod aws_profile_not_found;
pub(crate) mod bedrock_mode_not_enabled;
pub(crate) mod credentials_file_readable_by_others;
pub(crate) mod deprecated_small_fast_model;
pub(crate) mod keys_in_dotenv;
pub(crate) mod live_access_denied;
pub(crate) mod live_clock_skew;
pub(crate) mod live_credentials_rejected;
pub(crate) mod live_credentials_unavailable;
pub(crate) mod live_denied_by_scp;
pub(crate) mod live_endpoint_unreachable;
pub(crate) mod live_long_lived_user_keys;
pub(crate) mod live_marketplace_subscription;
pub(crate) mod live_model_access_not_granted;
pub(crate) mod live_model_end_of_life;
pub(crate) mod live_model_id_invalid;
pub(crate) mod live_on_demand_not_supported;
pub(crate) mod live_profile_routing_differs;
pub(crate) mod live_root_user;
pub(crate) mod live_throttled;
pub(crate) mod live_token_expired;
pub(crate) mod live_unexpected_error;
pub(crate) mod long_lived_keys_in_environment;
pub(crate) mod model_base_id_without_profile;
pub(crate) mod model_end_of_life;
pub(crate) mod model_id_missing_version;
pub(crate) mod model_id_not_bedrock;
pub(crate) mod model_legacy;
pub(crate) mod model_profile_wrong_geography;
pub(crate) mod model_unknown;
pub(crate) mod region_missing;
pub(crate) mod region_not_explicit;
pub(crate) mod region_without_bedrock;
pub(crate) mod secret_in_settings_env;
pub(crate) mod sso_login_needed;
pub(crate) mod sso_without_auth_refresh;
pub(crate) mod static_keys_in_aws_files;

use keyless_catalog::{diagnose, Verdict};
use keyless_config::claude::{Provenance, Scope};
use keyless_config::edit::Edit;

use crate::{Context, Finding, Fix, Rule};

/// The variable a fix should write for `var`: the deprecated small/fast variable is
/// replaced by `ANTHROPIC_DEFAULT_HAIKU_MODEL` (see KD202), so its fixes go there.
pub(crate) fn fix_target(var: &str) -> &str {
    if var == "ANTHROPIC_SMALL_FAST_MODEL" {
        "ANTHROPIC_DEFAULT_HAIKU_MODEL"
    } else {
        var
    }
}

/// An edit setting `key` in the file `from` points at, when it is a settings file that
/// keyless may edit (never managed settings, which belong to an administrator).
pub(crate) fn settings_edit(from: &Provenance, key: &str, value: &str) -> Option<Edit> {
    match from {
        Provenance::Settings { scope, path, .. } if *scope != Scope::Managed => {
            Some(Edit::SetEnv {
                path: path.clone(),
                key: key.to_string(),
                value: value.to_string(),
            })
        }
        _ => None,
    }
}

/// Findings of `rule` for every model variable whose diagnosis has a problem with one
/// of `verdicts`. Only in Bedrock mode: otherwise the strings are Anthropic API IDs.
pub(crate) fn model_findings(cx: &Context, rule: &Rule, verdicts: &[Verdict]) -> Vec<Finding> {
    if !cx.bedrock_mode() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for var in keyless_config::vars::model_variables() {
        let Some(eff) = cx.var(var) else { continue };
        let region = cx.region_for_model(var);
        let d = diagnose(cx.catalog, &eff.value, region.as_deref(), cx.today);
        for p in d.problems.iter().filter(|p| verdicts.contains(&p.verdict)) {
            let mut f = rule
                .finding(format!("{var}: {}", p.message))
                .severity(p.severity)
                .at_opt(eff.from.location());
            if let Some(rep) = &p.replacement {
                let target = fix_target(var);
                let mut fix = Fix::say(format!("set {target} to `{rep}`"));
                if let Some(e) = settings_edit(&eff.from, target, rep) {
                    fix = fix.with_edit(e);
                }
                f = f.fix(fix);
            }
            out.push(f);
        }
    }
    out
}

/// The settings file a Bedrock variable belongs in: the file that turns Bedrock on, or
/// the user settings file.
pub(crate) fn bedrock_settings_file(cx: &Context) -> std::path::PathBuf {
    cx.var("CLAUDE_CODE_USE_BEDROCK")
        .and_then(|e| match &e.from {
            Provenance::Settings { scope, path, .. } if *scope != Scope::Managed => {
                Some(path.clone())
            }
            _ => None,
        })
        .unwrap_or_else(|| keyless_config::claude::settings_path(&cx.env, Scope::User))
}

/// The findings of a `KD5xx` rule: none without `--live`.
pub(crate) fn live_findings(
    cx: &Context,
    findings: fn(&crate::live::LiveReport) -> Vec<Finding>,
) -> Vec<Finding> {
    cx.live.as_ref().map(findings).unwrap_or_default()
}

/// One finding per model whose invocation failed with `want`: `message` says what Bedrock
/// answered, the fix is the ID to write instead.
pub(crate) fn live_model_findings(
    live: &crate::live::LiveReport,
    today: keyless_catalog::Date,
    rule: &Rule,
    want: fn(&crate::live::Cause) -> bool,
    message: fn(&crate::live::LiveModel) -> String,
) -> Vec<Finding> {
    live.models_failing(want)
        .into_iter()
        .map(|m| rule.finding(message(m)).fix(live_model_fix(m, today)))
        .collect()
}

/// The fix for a model Bedrock refused: the ID to write instead, from the catalog, or the
/// listing to pick one from.
fn live_model_fix(m: &crate::live::LiveModel, today: keyless_catalog::Date) -> Fix {
    let d = diagnose(
        keyless_catalog::Catalog::embedded(),
        &m.id,
        Some(&m.region),
        today,
    );
    match d.problems.iter().find_map(|p| p.replacement.clone()) {
        Some(id) => Fix::say(format!("set {} to `{id}`", fix_target(&m.variable))),
        None => Fix::run(
            "use the ID listed for your region",
            format!("keyless models --region {}", m.region),
        ),
    }
}
