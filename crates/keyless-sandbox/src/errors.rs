//! Bedrock's error answers: code, HTTP status, message, and the headers its SDKs read.

/// An error as Bedrock sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BedrockError {
    /// `AccessDeniedException`, `ValidationException`...
    pub code: String,
    /// HTTP status.
    pub status: u16,
    /// The message, exactly as Bedrock words it.
    pub message: String,
}

impl BedrockError {
    /// An error.
    pub fn new(code: &str, status: u16, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            status,
            message: message.into(),
        }
    }

    /// "The provided model identifier is invalid." (400)
    pub fn invalid_model() -> Self {
        Self::new(
            "ValidationException",
            400,
            "The provided model identifier is invalid.",
        )
    }

    /// A base model that needs an inference profile (400).
    pub fn on_demand_not_supported(model_id: &str) -> Self {
        Self::new(
            "ValidationException",
            400,
            format!("Invocation of model ID {model_id} with on-demand throughput isn\u{2019}t supported. Retry your request with the ID or ARN of an inference profile that contains this model."),
        )
    }

    /// A model past its end of life (404).
    pub fn end_of_life() -> Self {
        Self::new(
            "ResourceNotFoundException",
            404,
            "This model version has reached the end of its life. Please refer to the AWS documentation for more details.",
        )
    }

    /// A request body that is not what the model takes (400).
    pub fn malformed(detail: &str) -> Self {
        Self::new(
            "ValidationException",
            400,
            format!("Malformed input request: {detail}, please reformat your input and try again."),
        )
    }

    /// IAM said no (403). `kind` is the kind of policy that denied (explicitly) or lacked
    /// the allow (implicitly): `identity-based policy`, `service control policy`...
    pub fn access_denied(
        principal: &str,
        action: &str,
        resource: &str,
        explicit: bool,
        kind: &str,
    ) -> Self {
        let why = if explicit {
            format!("with an explicit deny in a {kind}")
        } else {
            format!("because no {kind} allows the {action} action")
        };
        Self::new(
            "AccessDeniedException",
            403,
            format!("User: {principal} is not authorized to perform: {action} on resource: {resource} {why}"),
        )
    }

    /// An unknown access key or session token (403).
    pub fn unrecognized_client() -> Self {
        Self::new(
            "UnrecognizedClientException",
            403,
            "The security token included in the request is invalid.",
        )
    }

    /// An expired session token (403).
    pub fn expired_token() -> Self {
        Self::new(
            "ExpiredTokenException",
            403,
            "The security token included in the request is expired",
        )
    }

    /// No `Authorization` header at all (403).
    pub fn missing_authentication() -> Self {
        Self::new(
            "MissingAuthenticationTokenException",
            403,
            "Missing Authentication Token",
        )
    }

    /// The JSON body: `{"message": ...}` (the code travels in `x-amzn-ErrorType`).
    pub fn body(&self) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({ "message": self.message }))
            .expect("a json! value serialises")
    }

    /// The `x-amzn-ErrorType` header value.
    pub fn error_type(&self) -> String {
        let ns = match self.code.as_str() {
            "UnrecognizedClientException"
            | "InvalidSignatureException"
            | "IncompleteSignatureException"
            | "ExpiredTokenException"
            | "MissingAuthenticationTokenException" => "com.amazon.coral.service",
            _ => "com.amazon.bedrock",
        };
        format!("{}:http://internal.amazon.com/coral/{ns}/", self.code)
    }
}

impl From<crate::sigv4::Refusal> for BedrockError {
    fn from(r: crate::sigv4::Refusal) -> Self {
        Self::new(r.code, r.status, r.message)
    }
}

/// An STS error as STS sends it (XML, awsQuery).
pub fn sts_error_body(code: &str, message: &str, request_id: &str) -> Vec<u8> {
    format!(
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <Error>\n    <Type>Sender</Type>\n    <Code>{code}</Code>\n    <Message>{}</Message>\n  </Error>\n  <RequestId>{request_id}</RequestId>\n</ErrorResponse>\n",
        xml_escape(message)
    )
    .into_bytes()
}

/// Escapes text for XML.
pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
