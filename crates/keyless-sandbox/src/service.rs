//! Routing: one request in, Bedrock's (or STS's, or the SSO portal's) answer out. It picks
//! the handler and records the call; authentication and authorisation are
//! [`crate::authorize`]'s, the answers the handlers'.

use std::sync::Arc;

use crate::authorize::authenticate;
use crate::bedrock;
use crate::http::{now, HttpRequest, HttpResponse};
use crate::state::{Call, State};

/// Which API a request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Api {
    Sts,
    Sso,
    Bedrock,
}

/// Answers one request.
pub async fn handle(state: Arc<State>, req: HttpRequest) -> HttpResponse {
    let request_id = state.request_id();
    let api = if req.path == "/" && req.method == "POST" {
        Api::Sts
    } else if crate::sso::is_portal_request(&req) {
        Api::Sso
    } else {
        Api::Bedrock
    };
    let mut call = Call::received(now());
    let resp = match api {
        Api::Sts => crate::sts::handle(&state, &req, &request_id, &mut call).await,
        Api::Sso => crate::sso::handle(&state, &req, &request_id, &mut call),
        Api::Bedrock => match authenticate(&state, &req, "bedrock") {
            Err(e) => {
                call.operation = bedrock::operation_name(&req);
                HttpResponse::bedrock_error(&e, &request_id)
            }
            Ok((principal, auth)) => {
                call.principal = Some(principal.arn.clone());
                match bedrock::handle(&state, &req, &principal, &auth.region, &mut call) {
                    Ok(r) => {
                        let mut r = r;
                        r.headers
                            .push(("x-amzn-requestid".into(), request_id.clone()));
                        r
                    }
                    Err(e) => HttpResponse::bedrock_error(&e, &request_id),
                }
            }
        },
    };
    call.status = resp.status;
    if resp.status >= 400 {
        call.error = resp
            .headers
            .iter()
            .find(|(n, _)| n == "x-amzn-errortype")
            .map(|(_, v)| v.split(':').next().unwrap_or(v).to_string())
            .or_else(|| crate::sts::tag(&String::from_utf8_lossy(&resp.body), "Code"));
    }
    state.record(call);
    resp
}
