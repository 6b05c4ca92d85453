//! Bedrock's control-plane and runtime operations, for what Claude Code and the SDKs use.

use base64::Engine;
use keyless_catalog::{Catalog, Date, Lifecycle};
use serde_json::{json, Value};

use crate::authorize::{authorize, resolve_model, Target};
use crate::errors::BedrockError;
use crate::eventstream;
use crate::http::{HttpRequest, HttpResponse};
use crate::principals::Principal;
use crate::sigv4::percent_decode;
use crate::state::{Call, State};

/// What an operation does with the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operation {
    InvokeModel,
    InvokeModelWithResponseStream,
    Converse,
    ConverseStream,
}

impl Operation {
    /// The IAM action: Converse is authorised as InvokeModel, ConverseStream as
    /// InvokeModelWithResponseStream.
    fn action(self) -> &'static str {
        match self {
            Self::InvokeModel | Self::Converse => "bedrock:InvokeModel",
            Self::InvokeModelWithResponseStream | Self::ConverseStream => {
                "bedrock:InvokeModelWithResponseStream"
            }
        }
    }
}

fn segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| String::from_utf8_lossy(&percent_decode(s)).into_owned())
        .collect()
}

fn route(req: &HttpRequest) -> Option<(String, Vec<String>)> {
    let segs = segments(&req.path);
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    let op = match (req.method.as_str(), s.as_slice()) {
        ("GET", ["foundation-models"]) => "ListFoundationModels",
        ("GET", ["foundation-models", _]) => "GetFoundationModel",
        ("GET", ["inference-profiles"]) => "ListInferenceProfiles",
        ("GET", ["inference-profiles", _]) => "GetInferenceProfile",
        ("POST", ["model", _, "invoke"]) => "InvokeModel",
        ("POST", ["model", _, "invoke-with-response-stream"]) => "InvokeModelWithResponseStream",
        ("POST", ["model", _, "converse"]) => "Converse",
        ("POST", ["model", _, "converse-stream"]) => "ConverseStream",
        _ => return None,
    };
    Some((op.to_string(), segs))
}

/// The operation a request is for, for the record (`UnknownOperation` when none).
pub fn operation_name(req: &HttpRequest) -> String {
    route(req)
        .map(|(op, _)| op)
        .unwrap_or_else(|| "UnknownOperation".into())
}

fn profile_arn(region: &str, account: &str, id: &str) -> String {
    format!("arn:aws:bedrock:{region}:{account}:inference-profile/{id}")
}

fn fm_arn(region: &str, id: &str) -> String {
    format!("arn:aws:bedrock:{region}::foundation-model/{id}")
}

const CREATED: &str = "2024-08-27T00:00:00Z";

fn profile_json(
    region: &str,
    account: &str,
    p: &keyless_catalog::InferenceProfile,
    model: &keyless_catalog::Model,
) -> Value {
    let models: Vec<Value> = if p.prefix == "global" {
        vec![json!({"modelArn": format!("arn:aws:bedrock:::foundation-model/{}", model.id)})]
    } else {
        p.destinations
            .iter()
            .map(|d| json!({"modelArn": fm_arn(d, &model.id)}))
            .collect()
    };
    json!({
        "inferenceProfileName": format!("{} {}", p.prefix.to_uppercase(), model.name),
        "description": format!("Routes requests to {} in {}.", model.name, if p.prefix == "global" { "commercial regions worldwide".to_string() } else { p.destinations.join(", ") }),
        "createdAt": CREATED,
        "updatedAt": CREATED,
        "inferenceProfileArn": profile_arn(region, account, &p.id),
        "models": models,
        "inferenceProfileId": p.id,
        "status": "ACTIVE",
        "type": "SYSTEM_DEFINED",
    })
}

/// Answers a Bedrock request from an authenticated principal.
pub fn handle(
    state: &State,
    req: &HttpRequest,
    principal: &Principal,
    region: &str,
    call: &mut Call,
) -> Result<HttpResponse, BedrockError> {
    let Some((op, segs)) = route(req) else {
        call.operation = "UnknownOperation".into();
        return Err(BedrockError::new(
            "UnknownOperationException",
            404,
            "Unknown operation",
        ));
    };
    call.operation = op.clone();
    let account = state.config.account.as_str();
    let catalog = Catalog::embedded();
    let today = Date::today();
    match op.as_str() {
        "ListFoundationModels" | "GetFoundationModel" => {
            let action = format!("bedrock:{op}");
            let wanted = segs.get(1).cloned();
            let resource = match &wanted {
                Some(id) => fm_arn(region, id),
                None => "*".to_string(),
            };
            authorize(state, principal, call, &action, &resource, region, &[])?;
            let summary = |m: &keyless_catalog::Model| {
                json!({
                    "modelArn": fm_arn(region, &m.id),
                    "modelId": m.id,
                    "modelName": m.name,
                    "providerName": "Anthropic",
                    "inputModalities": ["TEXT", "IMAGE"],
                    "outputModalities": ["TEXT"],
                    "responseStreamingSupported": true,
                    "customizationsSupported": [],
                    "inferenceTypesSupported": if m.on_demand { json!(["ON_DEMAND"]) } else { json!(["INFERENCE_PROFILE"]) },
                    "modelLifecycle": {"status": if m.lifecycle_on(today) == Lifecycle::Active { "ACTIVE" } else { "LEGACY" }},
                })
            };
            let models: Vec<&keyless_catalog::Model> = catalog
                .models
                .iter()
                .filter(|m| m.lifecycle_on(today) != Lifecycle::EndOfLife)
                .filter(|m| {
                    m.profiles
                        .iter()
                        .any(|p| p.destinations.iter().any(|d| d == region))
                        || m.available_from(region)
                })
                .collect();
            match wanted {
                None => Ok(HttpResponse::json(
                    &json!({"modelSummaries": models.iter().map(|m| summary(m)).collect::<Vec<_>>()}),
                )),
                Some(id) => match models.iter().find(|m| m.id == id) {
                    Some(m) => Ok(HttpResponse::json(&json!({"modelDetails": summary(m)}))),
                    None => Err(BedrockError::new("ResourceNotFoundException", 404, "The specified resource ARN was not found. Check the ARN and try your request again.")),
                },
            }
        }
        "ListInferenceProfiles" => {
            authorize(
                state,
                principal,
                call,
                "bedrock:ListInferenceProfiles",
                "*",
                region,
                &[],
            )?;
            let wants_app = req.query.contains("type=APPLICATION");
            let mut list = Vec::new();
            if !wants_app {
                for m in &catalog.models {
                    if m.lifecycle_on(today) == Lifecycle::EndOfLife {
                        continue;
                    }
                    for p in &m.profiles {
                        if p.sources.iter().any(|s| s == region) {
                            list.push(profile_json(region, account, p, m));
                        }
                    }
                }
            }
            Ok(HttpResponse::json(
                &json!({"inferenceProfileSummaries": list}),
            ))
        }
        "GetInferenceProfile" => {
            let wanted = segs[1].clone();
            let id = wanted
                .rsplit_once("inference-profile/")
                .map(|(_, id)| id.to_string())
                .unwrap_or(wanted.clone());
            authorize(
                state,
                principal,
                call,
                "bedrock:GetInferenceProfile",
                &profile_arn(region, account, &id),
                region,
                &[],
            )?;
            for m in &catalog.models {
                for p in &m.profiles {
                    if p.id == id
                        && p.sources.iter().any(|s| s == region)
                        && m.lifecycle_on(today) != Lifecycle::EndOfLife
                    {
                        return Ok(HttpResponse::json(&profile_json(region, account, p, m)));
                    }
                }
            }
            Err(BedrockError::new(
                "ResourceNotFoundException",
                404,
                format!("Inference profile {id} not found."),
            ))
        }
        _ => {
            let kind = match op.as_str() {
                "InvokeModel" => Operation::InvokeModel,
                "InvokeModelWithResponseStream" => Operation::InvokeModelWithResponseStream,
                "Converse" => Operation::Converse,
                _ => Operation::ConverseStream,
            };
            invoke(state, req, principal, region, call, kind, &segs[1])
        }
    }
}

/// The Anthropic Messages request, checked as Bedrock checks it.
fn check_messages_body(body: &[u8]) -> Result<(u64, u64), BedrockError> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|_| BedrockError::malformed("#: expected type: JSONObject, found: String"))?;
    if !v.is_object() {
        return Err(BedrockError::malformed(
            "#: expected type: JSONObject, found: JSONArray",
        ));
    }
    for key in ["anthropic_version", "max_tokens", "messages"] {
        if v.get(key).is_none() {
            return Err(BedrockError::malformed(&format!(
                "#: required key [{key}] not found"
            )));
        }
    }
    let max_tokens = v["max_tokens"]
        .as_u64()
        .ok_or_else(|| BedrockError::malformed("#/max_tokens: expected type: Integer"))?;
    if !v["messages"].is_array() {
        return Err(BedrockError::malformed(
            "#/messages: expected type: JSONArray",
        ));
    }
    Ok((max_tokens, v["messages"].to_string().len() as u64 / 4 + 1))
}

fn check_converse_body(body: &[u8]) -> Result<(u64, u64), BedrockError> {
    let v: Value =
        serde_json::from_slice(if body.is_empty() { b"{}" } else { body }).map_err(|_| {
            BedrockError::new(
                "SerializationException",
                400,
                "Start of structure or map found where not expected.",
            )
        })?;
    let Some(messages) = v.get("messages").and_then(Value::as_array) else {
        return Err(BedrockError::new(
            "ValidationException",
            400,
            "1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null",
        ));
    };
    let max = v
        .pointer("/inferenceConfig/maxTokens")
        .and_then(Value::as_u64)
        .unwrap_or(4096);
    Ok((
        max,
        serde_json::to_string(messages).unwrap_or_default().len() as u64 / 4 + 1,
    ))
}

/// The canned answer cut to `max_tokens` words, and the stop reason.
fn answer(text: &str, max_tokens: u64) -> (String, &'static str, u64) {
    let words: Vec<&str> = text.split_inclusive(' ').collect();
    if (words.len() as u64) <= max_tokens {
        (text.to_string(), "end_turn", words.len() as u64)
    } else {
        (
            words[..max_tokens as usize].concat(),
            "max_tokens",
            max_tokens,
        )
    }
}

fn invoke(
    state: &State,
    req: &HttpRequest,
    principal: &Principal,
    region: &str,
    call: &mut Call,
    kind: Operation,
    model_input: &str,
) -> Result<HttpResponse, BedrockError> {
    call.model = Some(model_input.to_string());
    let account = state.config.account.as_str();
    // Bedrock validates the model identifier before it authorises (the guide's IDs get
    // "invalid" whatever the policy says).
    let target = resolve_model(model_input, region, account)?;
    let action = kind.action();
    let model_id = match &target {
        Target::Profile {
            id,
            model,
            destinations,
        } => {
            let parn = profile_arn(region, account, id);
            authorize(state, principal, call, action, &parn, region, &[])?;
            for m in keyless_iam::claude_code::routed_models(model, destinations, region) {
                authorize(
                    state,
                    principal,
                    call,
                    action,
                    &m.resource,
                    &m.requested_region,
                    &[("bedrock:InferenceProfileArn", &parn)],
                )?;
            }
            model.clone()
        }
        Target::Model(model) => {
            authorize(
                state,
                principal,
                call,
                action,
                &fm_arn(region, model),
                region,
                &[],
            )?;
            model.clone()
        }
    };
    let (max_tokens, input_tokens) = match kind {
        Operation::InvokeModel | Operation::InvokeModelWithResponseStream => {
            check_messages_body(&req.body)?
        }
        Operation::Converse | Operation::ConverseStream => check_converse_body(&req.body)?,
    };
    let (text, stop, output_tokens) = answer(&state.config.answer, max_tokens.max(1));
    let msg_id = format!(
        "msg_bdrk_{}",
        &crate::sigv4::sha256_hex(state.request_id().as_bytes())[..24]
    );
    match kind {
        Operation::InvokeModel => {
            let body = json!({
                "id": msg_id, "type": "message", "role": "assistant", "model": model_id,
                "content": [{"type": "text", "text": text}],
                "stop_reason": stop, "stop_sequence": null,
                "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
            });
            let mut r = HttpResponse::json(&body);
            r.headers.extend([
                (
                    "x-amzn-bedrock-input-token-count".to_string(),
                    input_tokens.to_string(),
                ),
                (
                    "x-amzn-bedrock-output-token-count".to_string(),
                    output_tokens.to_string(),
                ),
                (
                    "x-amzn-bedrock-invocation-latency".to_string(),
                    "1".to_string(),
                ),
            ]);
            Ok(r)
        }
        Operation::InvokeModelWithResponseStream => Ok(stream_response(anthropic_stream(
            &msg_id,
            &model_id,
            &text,
            stop,
            input_tokens,
            output_tokens,
        ))),
        Operation::Converse => {
            let body = json!({
                "output": {"message": {"role": "assistant", "content": [{"text": text}]}},
                "stopReason": stop,
                "usage": {"inputTokens": input_tokens, "outputTokens": output_tokens, "totalTokens": input_tokens + output_tokens},
                "metrics": {"latencyMs": 1},
            });
            Ok(HttpResponse::json(&body))
        }
        Operation::ConverseStream => {
            let events = [
                ("messageStart", json!({"role": "assistant"})),
                (
                    "contentBlockDelta",
                    json!({"contentBlockIndex": 0, "delta": {"text": text}}),
                ),
                ("contentBlockStop", json!({"contentBlockIndex": 0})),
                ("messageStop", json!({"stopReason": stop})),
                (
                    "metadata",
                    json!({"usage": {"inputTokens": input_tokens, "outputTokens": output_tokens, "totalTokens": input_tokens + output_tokens}, "metrics": {"latencyMs": 1}}),
                ),
            ];
            let mut body = Vec::new();
            for (t, e) in &events {
                body.extend(eventstream::event(t, e.to_string().as_bytes()));
            }
            Ok(stream_response(body))
        }
    }
}

/// The body of an InvokeModelWithResponseStream answer: one `chunk` event per Anthropic
/// Messages streaming event, each `{"bytes": base64(event JSON)}`, as Bedrock frames them.
pub fn anthropic_stream(
    msg_id: &str,
    model_id: &str,
    text: &str,
    stop: &str,
    input_tokens: u64,
    output_tokens: u64,
) -> Vec<u8> {
    let events = [
        json!({"type": "message_start", "message": {"id": msg_id, "type": "message", "role": "assistant", "model": model_id, "content": [], "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": input_tokens, "output_tokens": 1}}}),
        json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": text}}),
        json!({"type": "content_block_stop", "index": 0}),
        json!({"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": null}, "usage": {"output_tokens": output_tokens}}),
        json!({"type": "message_stop", "amazon-bedrock-invocationMetrics": {"inputTokenCount": input_tokens, "outputTokenCount": output_tokens, "invocationLatency": 1, "firstByteLatency": 1}}),
    ];
    let mut body = Vec::new();
    for e in &events {
        let bytes = base64::engine::general_purpose::STANDARD.encode(e.to_string());
        body.extend(eventstream::event(
            "chunk",
            json!({ "bytes": bytes }).to_string().as_bytes(),
        ));
    }
    body
}

fn stream_response(body: Vec<u8>) -> HttpResponse {
    HttpResponse {
        status: 200,
        headers: vec![
            (
                "content-type".into(),
                "application/vnd.amazon.eventstream".into(),
            ),
            (
                "x-amzn-bedrock-content-type".into(),
                "application/json".into(),
            ),
        ],
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::answer;

    #[test]
    fn the_answer_is_cut_to_max_tokens() {
        assert_eq!(answer("a b c", 1), ("a ".into(), "max_tokens", 1));
        assert_eq!(answer("a b c", 9), ("a b c".into(), "end_turn", 3));
    }
}
