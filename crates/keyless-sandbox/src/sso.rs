//! IAM Identity Center's portal, the one call an SSO profile makes: `GetRoleCredentials`.
//!
//! An SSO profile gets its AWS credentials by sending the token `aws sso login` cached
//! (`~/.aws/sso/cache/<sha1>.json`) to the portal (`GET /federation/credentials?role_name=R
//! &account_id=A`, header `x-amz-sso_bearer_token`), which answers with temporary role
//! credentials. The sandbox answers that call for the sign-ins it was given: it mints
//! credentials, trusts them as the role's session, and evaluates that session's calls with
//! the role's policies. A client pointed here with `AWS_ENDPOINT_URL_SSO` (the AWS SDKs honour
//! it) then runs against the sandbox with its SSO profile unchanged.
//!
//! Errors have the portal's shapes (botocore's `sso` model): 401 `UnauthorizedException`
//! "Session token not found or invalid" for an unknown token, 403 `ForbiddenException`
//! "No access" for a role or account the sign-in does not cover.

use serde_json::json;

use crate::http::{now, HttpRequest, HttpResponse};
use crate::principals::Principal;
use crate::state::{Call, State};

/// Whether a request is for the portal.
pub fn is_portal_request(req: &HttpRequest) -> bool {
    req.method == "GET" && req.path == "/federation/credentials"
}

fn query_param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn portal_error(status: u16, kind: &str, message: &str, request_id: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("x-amzn-errortype".into(), kind.into()),
            ("x-amzn-requestid".into(), request_id.into()),
        ],
        body: serde_json::to_vec(&json!({ "message": message })).expect("serialises"),
    }
}

/// `count` characters of `alphabet`, from the operating system's random source.
fn random_string(alphabet: &[u8], count: usize) -> String {
    let mut bytes = vec![0u8; count];
    getrandom::getrandom(&mut bytes).expect("the operating system's random source");
    bytes
        .iter()
        .map(|b| alphabet[*b as usize % alphabet.len()] as char)
        .collect()
}

const UPPER_DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const SECRET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// How long minted credentials last: the portal's default for a permission set.
const SESSION_SECONDS: i64 = 3600;

/// Answers `GetRoleCredentials`.
pub fn handle(state: &State, req: &HttpRequest, request_id: &str, call: &mut Call) -> HttpResponse {
    call.operation = "sso:GetRoleCredentials".into();
    let Some(token) = req.header("x-amz-sso_bearer_token") else {
        return portal_error(
            401,
            "UnauthorizedException",
            "Session token not found or invalid",
            request_id,
        );
    };
    let grants = state.sso.find(token);
    if grants.is_empty() {
        return portal_error(
            401,
            "UnauthorizedException",
            "Session token not found or invalid",
            request_id,
        );
    }
    let (Some(role), Some(account)) = (
        query_param(&req.query, "role_name"),
        query_param(&req.query, "account_id"),
    ) else {
        return portal_error(
            400,
            "InvalidRequestException",
            "role_name and account_id are required",
            request_id,
        );
    };
    let Some(grant) = grants
        .into_iter()
        .find(|g| g.role_name == role && g.account_id == account)
    else {
        return portal_error(403, "ForbiddenException", "No access", request_id);
    };
    let access_key_id = format!("ASIA{}", random_string(UPPER_DIGITS, 16));
    let secret = random_string(SECRET, 40);
    let session_token = random_string(SECRET, 356);
    let expires = now() + SESSION_SECONDS;
    let session = "keyless-sandbox";
    let arn = format!("arn:aws:sts::{account}:assumed-role/{role}/{session}");
    call.principal = Some(arn.clone());
    state.registry.add(
        &access_key_id,
        Principal {
            arn,
            secret: secret.clone(),
            session_token: Some(session_token.clone()),
            expires: Some(expires),
            user_id: format!("AROA{}:{session}", random_string(UPPER_DIGITS, 17)),
            policies: grant.policies.clone(),
        },
    );
    let mut resp = HttpResponse::json(&json!({
        "roleCredentials": {
            "accessKeyId": access_key_id,
            "secretAccessKey": secret,
            "sessionToken": session_token,
            "expiration": expires * 1000,
        }
    }));
    resp.headers
        .push(("x-amzn-requestid".into(), request_id.into()));
    resp
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::principals::{Policies, SsoGrant};
    use crate::state::Config;
    use std::sync::Arc;

    fn request(token: Option<&str>, query: &str) -> HttpRequest {
        HttpRequest {
            method: "GET".into(),
            path: "/federation/credentials".into(),
            query: query.into(),
            headers: token
                .map(|t| vec![("x-amz-sso_bearer_token".into(), t.into())])
                .unwrap_or_default(),
            body: Vec::new(),
        }
    }

    fn call() -> Call {
        Call::received(0)
    }

    fn state() -> State {
        let s = State::new(Config::default());
        s.sso.add(SsoGrant {
            token: "tok".into(),
            account_id: "111122223333".into(),
            role_name: "BedrockUser".into(),
            policies: Arc::new(Policies::default()),
        });
        s
    }

    fn error_type(r: &HttpResponse) -> Option<&str> {
        r.headers
            .iter()
            .find(|(n, _)| n == "x-amzn-errortype")
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn the_portal_refuses_as_identity_center_does() {
        let s = state();
        let q = "role_name=BedrockUser&account_id=111122223333";
        let r = handle(&s, &request(None, q), "id", &mut call());
        assert_eq!(
            (r.status, error_type(&r)),
            (401, Some("UnauthorizedException"))
        );
        let r = handle(&s, &request(Some("other"), q), "id", &mut call());
        assert_eq!(
            (r.status, error_type(&r)),
            (401, Some("UnauthorizedException"))
        );
        assert!(String::from_utf8_lossy(&r.body).contains("Session token not found or invalid"));
        let r = handle(
            &s,
            &request(Some("tok"), "role_name=Admin&account_id=111122223333"),
            "id",
            &mut call(),
        );
        assert_eq!(
            (r.status, error_type(&r)),
            (403, Some("ForbiddenException"))
        );
        let r = handle(
            &s,
            &request(Some("tok"), "role_name=BedrockUser"),
            "id",
            &mut call(),
        );
        assert_eq!(r.status, 400);
    }

    #[test]
    fn minted_credentials_are_the_roles_session_and_differ_each_time() {
        let s = state();
        let q = "role_name=BedrockUser&account_id=111122223333";
        let mut c = call();
        let r = handle(&s, &request(Some("tok"), q), "id", &mut c);
        assert_eq!(r.status, 200);
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        let creds = &v["roleCredentials"];
        let key = creds["accessKeyId"].as_str().unwrap();
        assert!(key.starts_with("ASIA") && key.len() == 20, "{key}");
        assert_eq!(creds["secretAccessKey"].as_str().unwrap().len(), 40);
        assert!(creds["expiration"].as_i64().unwrap() > now() * 1000);
        let p = s.registry.get(key).unwrap();
        assert_eq!(
            p.arn,
            "arn:aws:sts::111122223333:assumed-role/BedrockUser/keyless-sandbox"
        );
        assert_eq!(p.session_token.as_deref(), creds["sessionToken"].as_str());
        assert_eq!(c.principal.as_deref(), Some(p.arn.as_str()));
        let again = handle(&s, &request(Some("tok"), q), "id", &mut call());
        let v2: serde_json::Value = serde_json::from_slice(&again.body).unwrap();
        assert_ne!(v2["roleCredentials"]["accessKeyId"], creds["accessKeyId"]);
    }
}
