//! AWS event-stream framing (`application/vnd.amazon.eventstream`), the framing of
//! Bedrock's streaming responses.
//!
//! A message: total length (u32), headers length (u32), CRC32 of those eight bytes, the
//! headers, the payload, and a CRC32 of everything before it. A header: name length (u8),
//! name, type 7 (string), value length (u16), value.

/// Encodes one message with string headers.
pub fn message(headers: &[(&str, &str)], payload: &[u8]) -> Vec<u8> {
    let mut h = Vec::new();
    for (name, value) in headers {
        h.push(name.len() as u8);
        h.extend_from_slice(name.as_bytes());
        h.push(7);
        h.extend_from_slice(&(value.len() as u16).to_be_bytes());
        h.extend_from_slice(value.as_bytes());
    }
    let total = 12 + h.len() + payload.len() + 4;
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&(total as u32).to_be_bytes());
    out.extend_from_slice(&(h.len() as u32).to_be_bytes());
    let prelude_crc = crc32fast::hash(&out);
    out.extend_from_slice(&prelude_crc.to_be_bytes());
    out.extend_from_slice(&h);
    out.extend_from_slice(payload);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

/// An event (`:message-type` `event`) of type `event_type` with a JSON payload.
pub fn event(event_type: &str, payload: &[u8]) -> Vec<u8> {
    message(
        &[
            (":event-type", event_type),
            (":content-type", "application/json"),
            (":message-type", "event"),
        ],
        payload,
    )
}

/// An exception in the stream (`:message-type` `exception`).
pub fn exception(code: &str, payload: &[u8]) -> Vec<u8> {
    message(
        &[
            (":exception-type", code),
            (":content-type", "application/json"),
            (":message-type", "exception"),
        ],
        payload,
    )
}

/// A decoded message: headers and payload.
pub type Decoded = (Vec<(String, String)>, Vec<u8>);

/// Decodes a stream of messages, checking both CRCs (for tests and the benchmark).
pub fn decode_all(mut buf: &[u8]) -> Result<Vec<Decoded>, String> {
    let mut out = Vec::new();
    while !buf.is_empty() {
        if buf.len() < 16 {
            return Err("truncated prelude".into());
        }
        let total = u32::from_be_bytes(buf[0..4].try_into().unwrap()) as usize;
        let hlen = u32::from_be_bytes(buf[4..8].try_into().unwrap()) as usize;
        let pcrc = u32::from_be_bytes(buf[8..12].try_into().unwrap());
        if crc32fast::hash(&buf[..8]) != pcrc {
            return Err("prelude CRC mismatch".into());
        }
        if total < 16 + hlen || buf.len() < total {
            return Err("truncated message".into());
        }
        let mcrc = u32::from_be_bytes(buf[total - 4..total].try_into().unwrap());
        if crc32fast::hash(&buf[..total - 4]) != mcrc {
            return Err("message CRC mismatch".into());
        }
        let mut h = &buf[12..12 + hlen];
        let mut headers = Vec::new();
        while !h.is_empty() {
            let n = h[0] as usize;
            let name = String::from_utf8_lossy(&h[1..1 + n]).into_owned();
            if h[1 + n] != 7 {
                return Err("only string headers are supported".into());
            }
            let vl = u16::from_be_bytes([h[2 + n], h[3 + n]]) as usize;
            let value = String::from_utf8_lossy(&h[4 + n..4 + n + vl]).into_owned();
            headers.push((name, value));
            h = &h[4 + n + vl..];
        }
        out.push((headers, buf[12 + hlen..total - 4].to_vec()));
        buf = &buf[total..];
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_detects_corruption() {
        let a = event("chunk", br#"{"bytes":"e30="}"#);
        let b = exception("throttlingException", br#"{"message":"slow down"}"#);
        let mut both = a.clone();
        both.extend_from_slice(&b);
        let d = decode_all(&both).unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].0[0], (":event-type".into(), "chunk".into()));
        assert_eq!(d[0].1, br#"{"bytes":"e30="}"#);
        assert_eq!(d[1].0[2], (":message-type".into(), "exception".into()));
        let mut bad = a.clone();
        let n = bad.len();
        bad[n - 6] ^= 1;
        assert!(decode_all(&bad).is_err());
        assert!(decode_all(&a[..a.len() - 1]).is_err());
    }
}
