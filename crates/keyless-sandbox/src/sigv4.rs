//! Signature Version 4, verified as AWS verifies it.
//!
//! The server recomputes the signature from the request as received — canonical request,
//! string to sign, derived key — and compares. Every refusal carries the code and message
//! AWS gives for it, so a client sees here what it would see from Bedrock.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// How far a request's time may be from the server's (AWS: five minutes).
pub const MAX_SKEW_SECS: i64 = 5 * 60;

/// The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The access key ID.
    pub access_key_id: String,
    /// `yyyymmdd` of the credential scope.
    pub date: String,
    /// The scope's region.
    pub region: String,
    /// The scope's service.
    pub service: String,
    /// Signed header names, lowercase, in the order given.
    pub signed_headers: Vec<String>,
    /// The hex signature.
    pub signature: String,
}

/// Why a signature was refused: AWS's code, HTTP status and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// `IncompleteSignatureException`, `InvalidSignatureException`...
    pub code: &'static str,
    /// The HTTP status (400 or 403).
    pub status: u16,
    /// AWS's message.
    pub message: String,
}

fn refuse(code: &'static str, status: u16, message: impl Into<String>) -> Refusal {
    Refusal {
        code,
        status,
        message: message.into(),
    }
}

/// Parses the `Authorization` header.
pub fn parse_authorization(value: &str) -> Result<Authorization, Refusal> {
    let Some(rest) = value.strip_prefix("AWS4-HMAC-SHA256 ") else {
        return Err(refuse(
            "IncompleteSignatureException",
            400,
            format!("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization={value}"),
        ));
    };
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(v) = part.strip_prefix("Credential=") {
            credential = Some(v);
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            signed = Some(v);
        } else if let Some(v) = part.strip_prefix("Signature=") {
            signature = Some(v);
        }
    }
    let missing = |what: &str| {
        refuse(
            "IncompleteSignatureException",
            400,
            format!("Authorization header requires '{what}' parameter. Authorization={value}"),
        )
    };
    let credential = credential.ok_or_else(|| missing("Credential"))?;
    let signed = signed.ok_or_else(|| missing("SignedHeaders"))?;
    let signature = signature.ok_or_else(|| missing("Signature"))?;
    let scope: Vec<&str> = credential.split('/').collect();
    if scope.len() != 5 || scope[4] != "aws4_request" {
        return Err(refuse(
            "IncompleteSignatureException",
            400,
            format!(
                "Credential should be scoped to a valid region, not '{}'. ",
                scope.get(2).unwrap_or(&"")
            ),
        ));
    }
    Ok(Authorization {
        access_key_id: scope[0].to_string(),
        date: scope[1].to_string(),
        region: scope[2].to_string(),
        service: scope[3].to_string(),
        signed_headers: signed.split(';').map(str::to_ascii_lowercase).collect(),
        signature: signature.to_string(),
    })
}

/// A request as received, in the parts SigV4 signs.
#[derive(Debug, Clone)]
pub struct SignedRequest<'a> {
    /// `GET`, `POST`...
    pub method: &'a str,
    /// The path exactly as sent (still percent-encoded).
    pub path: &'a str,
    /// The raw query string, without `?`.
    pub query: &'a str,
    /// Headers (names in any case; repeated names allowed).
    pub headers: &'a [(String, String)],
    /// The body.
    pub body: &'a [u8],
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// Percent-encodes every byte outside RFC 3986's unreserved set.
pub fn uri_encode(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s {
        if is_unreserved(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes (`+` stays `+`, as AWS treats it).
pub fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() && s.is_char_boundary(i + 3) {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// The canonical URI for every service but S3: the path normalised (empty and `.`
/// segments removed, `..` resolved), then each segment encoded again — the path as sent
/// is already encoded once, so `%3A` becomes `%253A`.
pub fn canonical_uri(path: &str) -> String {
    let mut segs: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
    }
    let mut out = String::new();
    for s in &segs {
        out.push('/');
        out.push_str(&uri_encode(s.as_bytes()));
    }
    if out.is_empty() || (path.ends_with('/') && !segs.is_empty()) {
        out.push('/');
    }
    out
}

/// The canonical query string: each name and value decoded then encoded strictly, sorted.
pub fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                uri_encode(&percent_decode(k)),
                uri_encode(&percent_decode(v)),
            )
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn header_value(headers: &[(String, String)], name: &str) -> Option<String> {
    let values: Vec<String> = headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of `data`, hex.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(data);
    m.finalize().into_bytes().to_vec()
}

/// The canonical request.
pub fn canonical_request(req: &SignedRequest, auth: &Authorization) -> Result<String, Refusal> {
    let mut headers = String::new();
    for name in &auth.signed_headers {
        let Some(v) = header_value(req.headers, name) else {
            return Err(refuse(
                "InvalidSignatureException",
                403,
                format!("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe header '{name}' is signed but not present."),
            ));
        };
        headers.push_str(&format!("{name}:{v}\n"));
    }
    let payload = match header_value(req.headers, "x-amz-content-sha256") {
        Some(v) if v == "UNSIGNED-PAYLOAD" => v,
        _ => sha256_hex(req.body),
    };
    Ok(format!(
        "{}\n{}\n{}\n{headers}\n{}\n{payload}",
        req.method,
        canonical_uri(req.path),
        canonical_query(req.query),
        auth.signed_headers.join(";"),
    ))
}

/// The signature for a canonical request.
pub fn signature(secret: &str, auth: &Authorization, amz_date: &str, canonical: &str) -> String {
    let scope = format!(
        "{}/{}/{}/aws4_request",
        auth.date, auth.region, auth.service
    );
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical.as_bytes())
    );
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), auth.date.as_bytes());
    let k_region = hmac(&k_date, auth.region.as_bytes());
    let k_service = hmac(&k_region, auth.service.as_bytes());
    let k_signing = hmac(&k_service, b"aws4_request");
    hex(&hmac(&k_signing, to_sign.as_bytes()))
}

/// Parses `yyyymmddThhmmssZ` into Unix seconds.
pub fn parse_amz_date(s: &str) -> Option<i64> {
    if s.len() != 16 || !s.is_ascii() || s.as_bytes()[8] != b'T' || !s.ends_with('Z') {
        return None;
    }
    let rfc = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &s[0..4],
        &s[4..6],
        &s[6..8],
        &s[9..11],
        &s[11..13],
        &s[13..15]
    );
    keyless_config::time::parse_rfc3339(&rfc)
}

/// Checks the request's time (`X-Amz-Date`) against `now` and the credential scope.
pub fn check_time(req: &SignedRequest, auth: &Authorization, now: i64) -> Result<String, Refusal> {
    let Some(amz_date) = header_value(req.headers, "x-amz-date") else {
        return Err(refuse(
            "IncompleteSignatureException",
            400,
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        ));
    };
    let Some(t) = parse_amz_date(&amz_date) else {
        return Err(refuse(
            "IncompleteSignatureException",
            400,
            format!("Date must be in ISO-8601 'basic format'. Got '{amz_date}'. See http://en.wikipedia.org/wiki/ISO_8601"),
        ));
    };
    if !amz_date.starts_with(&auth.date) {
        return Err(refuse(
            "InvalidSignatureException",
            403,
            format!("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}', from '{amz_date}'.", auth.date, &amz_date[..8]),
        ));
    }
    let fmt = |secs: i64| {
        let r = keyless_config::time::format_rfc3339(secs);
        r.replace(['-', ':'], "")
    };
    if t < now - MAX_SKEW_SECS {
        return Err(refuse(
            "InvalidSignatureException",
            403,
            format!(
                "Signature expired: {amz_date} is now earlier than {} ({} - 5 min.)",
                fmt(now - MAX_SKEW_SECS),
                fmt(now)
            ),
        ));
    }
    if t > now + MAX_SKEW_SECS {
        return Err(refuse(
            "InvalidSignatureException",
            403,
            format!(
                "Signature not yet current: {amz_date} is still later than {} ({} + 5 min.)",
                fmt(now + MAX_SKEW_SECS),
                fmt(now)
            ),
        ));
    }
    Ok(amz_date)
}

/// Constant-time comparison of two signatures.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Verifies a request signed with `secret`.
pub fn verify(
    req: &SignedRequest,
    auth: &Authorization,
    secret: &str,
    now: i64,
) -> Result<(), Refusal> {
    let amz_date = check_time(req, auth, now)?;
    let canonical = canonical_request(req, auth)?;
    let expected = signature(secret, auth, &amz_date, &canonical);
    if same(&expected, &auth.signature) {
        Ok(())
    } else {
        Err(refuse(
            "InvalidSignatureException",
            403,
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_ascii_basic_format_only() {
        assert_eq!(
            parse_amz_date("20261127T100000Z"),
            keyless_config::time::parse_rfc3339("2026-11-27T10:00:00Z")
        );
        // Found by the sandbox_request fuzz target: a multi-byte character where a digit goes.
        assert_eq!(parse_amz_date("20260\u{3c4}7T100000Z"), None);
        assert_eq!(parse_amz_date("2026-11-27T10:00:00Z"), None);
    }

    #[test]
    fn the_path_is_encoded_a_second_time_and_the_query_sorted() {
        assert_eq!(
            canonical_uri("/model/us.anthropic.x-v1%3A0/invoke"),
            "/model/us.anthropic.x-v1%253A0/invoke"
        );
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/a/./b/../c//d/"), "/a/c/d/");
        assert_eq!(canonical_query("b=2&a=%2B&a=1&c"), "a=%2B&a=1&b=2&c=");
    }
}
