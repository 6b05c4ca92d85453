//! The least-privilege policy for the calls a sandbox recorded: every action on every
//! resource a client asked for, whatever the decision was, and nothing else.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

/// The policy for a record file's calls (see `State::record_json`): the calls that
/// succeeded, and with `include_denied` also those the policy in force refused (a client may
/// well work without them: Claude Code probes models it was not configured with).
pub fn policy_from_record(record: &Value, include_denied: bool) -> Value {
    // resource -> actions, split by how the resource was reached.
    let mut anywhere: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut via_profile: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    for call in record["calls"].as_array().into_iter().flatten() {
        let ok = call["status"].as_u64().is_some_and(|s| s < 400);
        if !ok && !include_denied {
            continue;
        }
        for c in call["checks"].as_array().into_iter().flatten() {
            let (Some(action), Some(resource)) = (c["action"].as_str(), c["resource"].as_str())
            else {
                continue;
            };
            if !action.starts_with("bedrock:") {
                continue;
            }
            let profile = c["context"]
                .as_array()
                .into_iter()
                .flatten()
                .find_map(|kv| {
                    (kv["key"] == "bedrock:InferenceProfileArn")
                        .then(|| kv["value"].as_str().map(str::to_string))
                        .flatten()
                });
            match profile {
                Some(p) => {
                    let e = via_profile.entry(resource.to_string()).or_default();
                    e.0.insert(action.to_string());
                    e.1.insert(p);
                }
                None => {
                    anywhere
                        .entry(resource.to_string())
                        .or_default()
                        .insert(action.to_string());
                }
            }
        }
    }
    // One statement per distinct action set, for readability.
    let mut statements = Vec::new();
    let mut by_actions: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    for (r, a) in anywhere {
        by_actions
            .entry(a.into_iter().collect())
            .or_default()
            .push(r);
    }
    for (i, (actions, resources)) in by_actions.into_iter().enumerate() {
        statements.push(json!({
            "Sid": format!("Observed{}", i + 1),
            "Effect": "Allow",
            "Action": actions,
            "Resource": resources,
        }));
    }
    let mut by_profile: BTreeMap<(Vec<String>, Vec<String>), Vec<String>> = BTreeMap::new();
    for (r, (a, p)) in via_profile {
        by_profile
            .entry((a.into_iter().collect(), p.into_iter().collect()))
            .or_default()
            .push(r);
    }
    for (i, ((actions, profiles), resources)) in by_profile.into_iter().enumerate() {
        statements.push(json!({
            "Sid": format!("ObservedThroughInferenceProfiles{}", i + 1),
            "Effect": "Allow",
            "Action": actions,
            "Resource": resources,
            "Condition": {"StringEquals": {"bedrock:InferenceProfileArn": profiles}},
        }));
    }
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// The calls a record holds that the policy in force refused: `(operation, status, error)`.
pub fn refused_calls(record: &Value) -> Vec<(String, u64, String)> {
    record["calls"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["status"].as_u64().is_some_and(|s| s >= 400))
        .map(|c| {
            (
                c["operation"].as_str().unwrap_or("").to_string(),
                c["status"].as_u64().unwrap_or(0),
                c["error"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_observed_calls_and_leaves_out_refused_ones() {
        let record = json!({"calls": [
            {"status": 200, "checks": [{"action": "bedrock:ListInferenceProfiles", "resource": "*", "context": []}]},
            {"status": 200, "checks": [
                {"action": "bedrock:InvokeModel", "resource": "arn:p", "context": []},
                {"action": "bedrock:InvokeModel", "resource": "arn:fm", "context": [{"key": "bedrock:InferenceProfileArn", "value": "arn:p"}]}
            ]},
            {"status": 403, "checks": [{"action": "bedrock:InvokeModel", "resource": "arn:other", "context": []}]}
        ]});
        let p = policy_from_record(&record, false);
        let text = p.to_string();
        assert!(
            text.contains("arn:fm") && text.contains("\"bedrock:InferenceProfileArn\":[\"arn:p\"]"),
            "{text}"
        );
        assert!(!text.contains("arn:other"), "{text}");
        assert!(policy_from_record(&record, true)
            .to_string()
            .contains("arn:other"));
        assert_eq!(refused_calls(&record).len(), 1);
    }
}
