//! STS: GetCallerIdentity answered for the principals the sandbox knows; AssumeRole and the
//! other credential-issuing actions forwarded, byte for byte, to the STS the sandbox is
//! pointed at (moto in the tests), and the credentials it issues trusted from then on.

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use crate::authorize::sts_auth_failure;
use crate::errors::{sts_error_body, xml_escape};
use crate::http::{HttpRequest, HttpResponse};
use crate::principals::{role_of_session, Principal};
use crate::sigv4::percent_decode;
use crate::state::{Call, State};

/// The form parameter `name` of a query-protocol body.
fn form_param(body: &[u8], name: &str) -> Option<String> {
    String::from_utf8_lossy(body).split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == name)
            .then(|| String::from_utf8_lossy(&percent_decode(&v.replace('+', " "))).into_owned())
    })
}

fn xml_response(status: u16, body: Vec<u8>, request_id: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![
            ("content-type".into(), "text/xml".into()),
            ("x-amzn-requestid".into(), request_id.into()),
        ],
        body,
    }
}

/// Answers an STS request.
pub async fn handle(
    state: &Arc<State>,
    req: &HttpRequest,
    request_id: &str,
    call: &mut Call,
) -> HttpResponse {
    let action = form_param(&req.body, "Action").unwrap_or_default();
    call.operation = if action.is_empty() {
        "UnknownOperation".into()
    } else {
        action.clone()
    };
    if action == "GetCallerIdentity" {
        let (principal, _) = match sts_auth_failure(state, req, request_id) {
            Ok(p) => p,
            Err(resp) => return resp,
        };
        call.principal = Some(principal.arn.clone());
        let account = principal
            .arn
            .split(':')
            .nth(4)
            .unwrap_or_default()
            .to_string();
        let body = format!(
            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <GetCallerIdentityResult>\n    <Arn>{}</Arn>\n    <UserId>{}</UserId>\n    <Account>{account}</Account>\n  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>{request_id}</RequestId>\n  </ResponseMetadata>\n</GetCallerIdentityResponse>\n",
            xml_escape(&principal.arn),
            xml_escape(&principal.user_id),
        );
        return xml_response(200, body.into_bytes(), request_id);
    }
    let Some(upstream) = state.config.sts_upstream.clone() else {
        return xml_response(
            400,
            sts_error_body(
                "InvalidAction",
                &format!("The sandbox answers {action} only when it is pointed at an STS (--sts-endpoint)."),
                request_id,
            ),
            request_id,
        );
    };
    // The caller, if the sandbox knows it, passes on its policies for GetSessionToken.
    let caller = req
        .header("authorization")
        .and_then(|a| crate::sigv4::parse_authorization(a).ok())
        .and_then(|a| state.registry.get(&a.access_key_id));
    let resp = match forward(&upstream, req).await {
        Ok(r) => r,
        Err(e) => {
            return xml_response(
                503,
                sts_error_body(
                    "ServiceUnavailable",
                    &format!("the STS at {upstream} did not answer: {e}"),
                    request_id,
                ),
                request_id,
            )
        }
    };
    if resp.status == 200 {
        learn_credentials(state, &resp.body, caller.as_ref(), call);
    }
    resp
}

/// Forwards the request unchanged (the `Host` header included, so that the signature,
/// which covers it, still verifies upstream).
async fn forward(upstream: &str, req: &HttpRequest) -> Result<HttpResponse, String> {
    let uri = format!(
        "{}{}{}",
        upstream.trim_end_matches('/'),
        req.path,
        if req.query.is_empty() {
            String::new()
        } else {
            format!("?{}", req.query)
        }
    );
    let mut b = hyper::Request::builder()
        .method(req.method.as_str())
        .uri(&uri);
    for (n, v) in &req.headers {
        if n.eq_ignore_ascii_case("content-length") || n.eq_ignore_ascii_case("connection") {
            continue;
        }
        b = b.header(n.as_str(), v.as_str());
    }
    let request = b
        .body(Full::new(Bytes::from(req.body.clone())))
        .map_err(|e| e.to_string())?;
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new())
        .set_host(false)
        .build_http();
    let resp = tokio::time::timeout(std::time::Duration::from_secs(15), client.request(request))
        .await
        .map_err(|_| "timed out".to_string())?
        .map_err(|e| e.to_string())?;
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .filter(|(n, _)| {
            !matches!(
                n.as_str(),
                "content-length" | "connection" | "transfer-encoding"
            )
        })
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = resp
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes()
        .to_vec();
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

/// The text of the first `<name>` element (STS answers are flat enough for this).
pub(crate) fn tag(text: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let s = text.find(&open)? + open.len();
    let e = text[s..].find(&format!("</{name}>"))? + s;
    Some(text[s..e].trim().to_string())
}

/// Trusts the credentials an upstream STS answer carries.
fn learn_credentials(state: &State, body: &[u8], caller: Option<&Principal>, call: &mut Call) {
    let text = String::from_utf8_lossy(body);
    let (Some(key), Some(secret)) = (tag(&text, "AccessKeyId"), tag(&text, "SecretAccessKey"))
    else {
        return;
    };
    let session_token = tag(&text, "SessionToken");
    let expires = tag(&text, "Expiration").and_then(|e| {
        let e = e
            .split('.')
            .next()
            .unwrap_or(&e)
            .trim_end_matches('Z')
            .to_string()
            + "Z";
        keyless_config::time::parse_rfc3339(&e)
    });
    let assumed = tag(&text, "AssumedRoleUser").and_then(|u| tag(&u, "Arn"));
    let (arn, user_id, policies) = match (&assumed, caller) {
        (Some(arn), _) => {
            let policies = state.registry.role_policies(arn).unwrap_or_default();
            let id = tag(&text, "AssumedRoleId").unwrap_or_default();
            (arn.clone(), id, policies)
        }
        (None, Some(c)) => (c.arn.clone(), c.user_id.clone(), c.policies.clone()),
        (None, None) => return,
    };
    call.principal = Some(arn.clone());
    if let Some(role) = assumed.as_deref().and_then(role_of_session) {
        call.checks.push(crate::state::Check {
            action: "sts:AssumeRole".into(),
            resource: role,
            context: Vec::new(),
            region: String::new(),
            decision: "Allowed".into(),
            statement: Some("the upstream STS".into()),
        });
    }
    state.registry.add(
        &key,
        Principal {
            arn,
            secret,
            session_token,
            expires,
            user_id,
            policies,
        },
    );
}
