//! Small facts about candidate tokens: character classes, boundaries, entropy, and the
//! offline decodings (account IDs inside AWS key IDs and Bedrock API keys).

/// Whether `b` can be part of an identifier-like token (so a match touching it is part of
/// a longer word, not a token of its own).
pub fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Shannon entropy of `s` in bits per character.
pub fn entropy(s: &[u8]) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in s {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// The bodies of AWS's documented example keys (after the 4-character prefix of a key ID).
/// Test suites derive variants from them (`…IOSFODNN7EXAMPLF`, `…EXAMPLE2`), which are
/// no more secret than the originals.
const AWS_EXAMPLE_STEMS: &[&str] = &[
    "IOSFODNN7",
    "I44QH8DHB",
    "WJALRXUTNFEMI/K7MDENG",
    "JE7MTGBCLWBF/2ZP9UTK",
];

/// Whether `s` looks like a placeholder rather than a secret: AWS's documented example
/// keys and their variants (`…EXAMPL…`, the documented key bodies), runs of one
/// character, `x`-ed out values, or template syntax.
pub fn is_placeholder(s: &[u8]) -> bool {
    let text = String::from_utf8_lossy(s);
    let upper = text.to_ascii_uppercase();
    if upper.contains("EXAMPL")
        || AWS_EXAMPLE_STEMS.iter().any(|stem| upper.contains(stem))
        || upper.contains("XXXX")
        || upper.contains("YOUR")
        || upper.contains("REPLACE")
        || upper.contains("PLACEHOLDER")
        || upper.contains("REDACTED")
        || upper.contains("DUMMY")
    {
        return true;
    }
    if text.contains("${") || text.contains("{{") || text.starts_with('<') || text.starts_with('$')
    {
        return true;
    }
    let mut distinct = [false; 256];
    let n = s
        .iter()
        .filter(|&&b| !std::mem::replace(&mut distinct[b as usize], true))
        .count();
    n <= 4
}

/// Decodes RFC 4648 base32 (no padding). `None` on a character outside the alphabet.
pub fn base32_decode(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 5 / 8);
    let (mut buf, mut bits) = (0u64, 0u32);
    for &c in s {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        buf = (buf << 5) | u64::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    Some(out)
}

/// The AWS account an access key ID belongs to, decoded offline (key IDs issued since
/// 2019 encode it; older `AKIAI…`/`AKIAJ…` ones do not).
pub fn account_from_key_id(id: &str) -> Option<String> {
    let body = id.get(4..)?;
    if body.starts_with('I') || body.starts_with('J') {
        return None;
    }
    let bytes = base32_decode(body.as_bytes())?;
    let mut z = 0u64;
    for b in bytes.get(..6)? {
        z = (z << 8) | u64::from(*b);
    }
    let account = (z & 0x7fff_ffff_ff80) >> 7;
    Some(format!("{account:012}"))
}

/// Decodes standard base64 (padding optional). `None` on invalid input.
pub fn base64_decode(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut buf, mut bits) = (0u32, 0u32);
    for &c in s {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => return None,
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    Some(out)
}

/// The account inside a long-term Bedrock API key (`ABSK` + base64 of
/// `BedrockAPIKey-<id>-at-<account>:<secret>`).
pub fn account_from_bedrock_key(key: &str) -> Option<String> {
    let decoded = base64_decode(key.strip_prefix("ABSK")?.as_bytes())?;
    let text = String::from_utf8_lossy(&decoded);
    let at = text.find("-at-")?;
    let digits: String = text[at + 4..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    (digits.len() == 12).then_some(digits)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn account_decoding() {
        // Built from a known account so no real key is committed: encode
        // (account << 7) into the first 6 bytes and base32 the 10-byte body.
        let account: u64 = 123456789012;
        let mut bytes = [0u8; 10];
        let z = account << 7;
        for (i, byte) in bytes.iter_mut().enumerate().take(6) {
            *byte = (z >> (8 * (5 - i))) as u8;
        }
        const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let mut bits = 0u128;
        for b in bytes {
            bits = (bits << 8) | u128::from(b);
        }
        let body: String = (0..16)
            .map(|i| ALPHA[((bits >> (75 - 5 * i)) & 31) as usize] as char)
            .collect();
        assert_eq!(
            account_from_key_id(&format!("AKIA{body}")).as_deref(),
            Some("123456789012")
        );
        assert_eq!(account_from_key_id("AKIAIOSFODNN7EXAMPLE"), None);
    }

    #[test]
    fn placeholders_and_entropy() {
        assert!(is_placeholder(b"AKIAIOSFODNN7EXAMPLE"));
        // Variants of the documented keys that test suites use.
        // Assembled here: no key-shaped literal is committed, even a variant of AWS's example.
        let variant = |tail: &str| format!("AKIA{tail}");
        assert!(is_placeholder(variant("IOSFODNN7EXAMPLF").as_bytes()));
        assert!(is_placeholder(variant("I44QH8DHBEXAMPL2").as_bytes()));
        assert!(is_placeholder(variant("IOSFODNN7ABCDEFG").as_bytes()));
        assert!(is_placeholder(b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ"));
        assert!(is_placeholder(b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzzzzzzz"));
        assert!(is_placeholder(format!("AKIA{}", "X".repeat(16)).as_bytes()));
        assert!(is_placeholder(b"${AWS_SECRET_ACCESS_KEY}"));
        assert!(!is_placeholder(keyless_testkit::fake_secret(7).as_bytes()));
        assert!(!is_placeholder(keyless_testkit::fake_key_id(7).as_bytes()));
        assert!(entropy(b"aaaa") < 0.1);
        assert!(entropy(b"abcdefgh") > 2.9);
    }

    #[test]
    fn base64_and_bedrock_account() {
        assert_eq!(base64_decode(b"aGVsbG8=").unwrap(), b"hello");
        let key = format!(
            "ABSK{}",
            encode64(b"BedrockAPIKey-abcd-at-210987654321:secretsecretsecret")
        );
        assert_eq!(
            account_from_bedrock_key(&key).as_deref(),
            Some("210987654321")
        );
    }

    pub(crate) fn encode64(data: &[u8]) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in data.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }
}
