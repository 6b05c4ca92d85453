//! Bedrock probes: what Claude Code will call, called once, with the exact model IDs it
//! will send.

use aws_config::SdkConfig;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::Blob;

use crate::error::{chain_message, AwsError, ErrorKind};

/// An inference profile as Bedrock describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileInfo {
    /// The profile ID.
    pub id: String,
    /// Its ARN.
    pub arn: String,
    /// The regions its models are in (from the model ARNs; empty string for global).
    pub destinations: Vec<String>,
}

fn profile_info(id: Option<&str>, arn: Option<&str>, models: &[Option<&str>]) -> ProfileInfo {
    ProfileInfo {
        id: id.unwrap_or_default().to_string(),
        arn: arn.unwrap_or_default().to_string(),
        destinations: models
            .iter()
            .flatten()
            .filter_map(|m| m.split(':').nth(3).map(str::to_string))
            .collect(),
    }
}

/// ListInferenceProfiles (system-defined ones), all pages.
pub async fn list_inference_profiles(config: &SdkConfig) -> Result<Vec<ProfileInfo>, AwsError> {
    let client = aws_sdk_bedrock::Client::new(config);
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = client
            .list_inference_profiles()
            .type_equals(aws_sdk_bedrock::types::InferenceProfileType::SystemDefined)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(AwsError::from_sdk)?;
        for s in page.inference_profile_summaries() {
            let models: Vec<Option<&str>> = s.models().iter().map(|m| m.model_arn()).collect();
            out.push(profile_info(
                Some(s.inference_profile_id()),
                Some(s.inference_profile_arn()),
                &models,
            ));
        }
        token = page.next_token().map(str::to_string);
        if token.is_none() || out.len() > 10_000 {
            return Ok(out);
        }
    }
}

/// GetInferenceProfile.
pub async fn get_inference_profile(config: &SdkConfig, id: &str) -> Result<ProfileInfo, AwsError> {
    let client = aws_sdk_bedrock::Client::new(config);
    let p = client
        .get_inference_profile()
        .inference_profile_identifier(id)
        .send()
        .await
        .map_err(AwsError::from_sdk)?;
    let models: Vec<Option<&str>> = p.models().iter().map(|m| m.model_arn()).collect();
    Ok(profile_info(
        Some(p.inference_profile_id()),
        Some(p.inference_profile_arn()),
        &models,
    ))
}

fn stream_error<E, R>(e: SdkError<E, R>) -> AwsError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    match &e {
        SdkError::ServiceError(se) => AwsError {
            kind: ErrorKind::Service,
            code: se.err().code().map(str::to_string),
            message: se
                .err()
                .message()
                .map(str::to_string)
                .unwrap_or_else(|| chain_message(se.err())),
            status: None,
        },
        _ => AwsError {
            kind: ErrorKind::BadResponse,
            code: None,
            message: chain_message(&e),
            status: None,
        },
    }
}

/// One minimal streaming invocation (`max_tokens` 1), as Claude Code makes its first turn:
/// InvokeModelWithResponseStream with the model ID exactly as given. Returns the text.
pub async fn invoke_stream_probe(config: &SdkConfig, model_id: &str) -> Result<String, AwsError> {
    let client = aws_sdk_bedrockruntime::Client::new(config);
    let body = serde_json::json!({
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 1,
        "messages": [{"role": "user", "content": "."}],
    });
    let mut out = client
        .invoke_model_with_response_stream()
        .model_id(model_id)
        .content_type("application/json")
        .accept("application/json")
        .body(Blob::new(body.to_string()))
        .send()
        .await
        .map_err(AwsError::from_sdk)?;
    let mut text = String::new();
    loop {
        match out.body.recv().await {
            Ok(Some(aws_sdk_bedrockruntime::types::ResponseStream::Chunk(part))) => {
                let Some(bytes) = part.bytes() else { continue };
                let v: serde_json::Value =
                    serde_json::from_slice(bytes.as_ref()).map_err(|e| AwsError {
                        kind: ErrorKind::BadResponse,
                        code: None,
                        message: format!("a stream event is not JSON: {e}"),
                        status: None,
                    })?;
                if let Some(t) = v.pointer("/delta/text").and_then(|t| t.as_str()) {
                    text.push_str(t);
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => return Ok(text),
            Err(e) => return Err(stream_error(e)),
        }
    }
}
