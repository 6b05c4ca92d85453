//! AWS failures, reduced to what a person needs: AWS's error code and message, the HTTP
//! status, and whether the call reached AWS at all.

use std::fmt;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// Why a call failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// AWS answered with an error (`code` and `message` are AWS's).
    Service,
    /// No answer before the deadline.
    Timeout,
    /// The connection failed (DNS, refused, TLS).
    Network,
    /// An answer that is not what the API returns.
    BadResponse,
    /// No credentials could be resolved, or the request could not be built.
    Credentials,
}

/// A failed AWS call.
#[derive(Debug, Clone)]
pub struct AwsError {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// AWS's error code (`AccessDeniedException`, `InvalidClientTokenId`...), if it sent one.
    pub code: Option<String>,
    /// AWS's message, or a description of the failure.
    pub message: String,
    /// The HTTP status, if an answer came.
    pub status: Option<u16>,
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.code, self.status) {
            (Some(c), Some(s)) => write!(f, "{c} ({s}): {}", self.message),
            (Some(c), None) => write!(f, "{c}: {}", self.message),
            (None, Some(s)) => write!(f, "HTTP {s}: {}", self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for AwsError {}

/// The innermost message of an error chain (the SDK wraps the useful part deep inside).
pub(crate) fn chain_message(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        let m = s.to_string();
        if !parts.iter().any(|p| p == &m) {
            parts.push(m);
        }
        cur = s.source();
    }
    parts.join(": ")
}

impl AwsError {
    /// Reduces an SDK error.
    pub fn from_sdk<E>(e: SdkError<E, HttpResponse>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let status = e.raw_response().map(|r| r.status().as_u16());
        match &e {
            SdkError::ServiceError(se) => {
                let err = se.err();
                // Some peers (moto's authentication errors, proxies) answer in a shape the
                // SDK's parser does not take; read the code from the body then.
                let (body_code, body_message) = se
                    .raw()
                    .body()
                    .bytes()
                    .map(code_from_body)
                    .unwrap_or_default();
                Self {
                    kind: ErrorKind::Service,
                    code: err.code().map(str::to_string).or(body_code),
                    message: err
                        .message()
                        .map(str::to_string)
                        .or(body_message)
                        .unwrap_or_else(|| chain_message(err)),
                    status,
                }
            }
            SdkError::TimeoutError(_) => Self {
                kind: ErrorKind::Timeout,
                code: None,
                message: "no answer before the deadline".into(),
                status,
            },
            SdkError::DispatchFailure(d) => {
                let message = chain_message(&e);
                // The SDK resolves credentials lazily, inside dispatch: a request that never
                // left because there were no credentials is a credentials failure.
                let kind = if message.contains("loading credentials")
                    || message.contains("loading an access token")
                {
                    ErrorKind::Credentials
                } else if d.is_timeout() {
                    ErrorKind::Timeout
                } else if d.is_io() {
                    ErrorKind::Network
                } else if d.is_user() {
                    ErrorKind::Credentials
                } else {
                    ErrorKind::Network
                };
                Self {
                    kind,
                    code: None,
                    message,
                    status,
                }
            }
            SdkError::ResponseError(_) => Self {
                kind: ErrorKind::BadResponse,
                code: None,
                message: chain_message(&e),
                status,
            },
            _ => Self {
                kind: ErrorKind::Credentials,
                code: None,
                message: chain_message(&e),
                status,
            },
        }
    }
}

/// An error code and message from an XML (`<Code>`, `<Message>`) or JSON (`__type`,
/// `message`) error body.
pub fn code_from_body(body: &[u8]) -> (Option<String>, Option<String>) {
    let text = String::from_utf8_lossy(body);
    let between = |open: &str, close: &str| {
        let start = text.find(open)? + open.len();
        let end = text[start..].find(close)? + start;
        Some(text[start..end].trim().to_string())
    };
    if let Some(code) = between("<Code>", "</Code>") {
        return (Some(code), between("<Message>", "</Message>"));
    }
    let json_str = |key: &str| {
        let k = format!("\"{key}\"");
        let at = text.find(&k)? + k.len();
        let rest = text[at..].trim_start().strip_prefix(':')?.trim_start();
        let rest = rest.strip_prefix('"')?;
        Some(rest[..rest.find('"')?].to_string())
    };
    let code = json_str("__type").map(|t| t.rsplit('#').next().unwrap_or(&t).to_string());
    let message = json_str("message").or_else(|| json_str("Message"));
    (code, message)
}

#[cfg(test)]
mod tests {
    use super::code_from_body;

    #[test]
    fn codes_from_xml_and_json_bodies() {
        let xml = b"<ErrorResponse><Errors><Error><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></Errors></ErrorResponse>";
        assert_eq!(
            code_from_body(xml),
            (
                Some("InvalidClientTokenId".into()),
                Some("The security token included in the request is invalid.".into())
            )
        );
        let json = br#"{"__type":"com.amazon.coral.service#AccessDeniedException","message":"no"}"#;
        assert_eq!(
            code_from_body(json),
            (Some("AccessDeniedException".into()), Some("no".into()))
        );
        assert_eq!(code_from_body(b"<html>"), (None, None));
    }
}
