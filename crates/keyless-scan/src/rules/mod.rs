//! One file per scan rule. Each declares its trigger literals (what the automaton looks
//! for) and a check that turns a trigger position into a finding, or nothing.

use crate::token::{entropy, is_placeholder, is_word};

pub(crate) mod anthropic_admin_key;
pub(crate) mod anthropic_api_key;
pub(crate) mod aws_access_key_id;
pub(crate) mod aws_secret_access_key;
pub(crate) mod aws_session_token;
pub(crate) mod bedrock_api_key_long_term;
pub(crate) mod bedrock_api_key_short_term;
pub(crate) mod bedrock_bearer_token_assignment;

/// A literal that starts a candidate.
#[derive(Debug, Clone, Copy)]
pub struct Trigger {
    /// The literal.
    pub literal: &'static str,
    /// Whether case matters (key prefixes do; variable names do not).
    pub case_sensitive: bool,
}

/// A trigger occurrence handed to a rule.
pub struct Candidate<'a> {
    /// The whole buffer.
    pub buf: &'a [u8],
    /// Where the trigger starts.
    pub start: usize,
    /// Where it ends.
    pub end: usize,
    /// Which of the rule's triggers.
    pub trigger: usize,
}

/// What a rule found: the secret's span and what it knows about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Start of the secret.
    pub start: usize,
    /// End of the secret.
    pub end: usize,
    /// The account it belongs to, or similar.
    pub detail: Option<String>,
}

/// A scan rule.
#[derive(Debug)]
pub struct Rule {
    /// ID (`KS1` and two digits), name, severity, version, status, documentation.
    pub meta: keyless_rules::RuleMeta,
    /// Trigger literals.
    pub triggers: &'static [Trigger],
    /// The check.
    pub check: fn(&Candidate) -> Option<Match>,
}

keyless_rules::rule_with_meta!(Rule);

/// Length of the run starting at `at` whose bytes satisfy `ok`.
pub(crate) fn run_len(buf: &[u8], at: usize, ok: impl Fn(u8) -> bool) -> usize {
    buf[at.min(buf.len())..]
        .iter()
        .take_while(|&&b| ok(b))
        .count()
}

/// Base64 alphabet (standard, with padding handled by callers).
pub(crate) fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

/// After an assignment anchor (`aws_secret_access_key`), the value: skips the rest of the
/// key name's quotes, the separator (`=`, `:`, `=>`, `:=`, `,` in code) and an opening
/// quote, and returns where the value starts. `None` if no separator follows.
pub(crate) fn value_after_anchor(buf: &[u8], mut i: usize) -> Option<usize> {
    // The anchor must not be the tail of a longer identifier.
    while i < buf.len() && (buf[i] == b'"' || buf[i] == b'\'' || buf[i] == b'`') {
        i += 1;
    }
    while i < buf.len() && (buf[i] == b' ' || buf[i] == b'\t') {
        i += 1;
    }
    let sep_start = i;
    while i < buf.len() && matches!(buf[i], b'=' | b':' | b'>' | b',') && i - sep_start < 3 {
        i += 1;
    }
    if i == sep_start {
        return None;
    }
    while i < buf.len() && (buf[i] == b' ' || buf[i] == b'\t') {
        i += 1;
    }
    while i < buf.len() && matches!(buf[i], b'"' | b'\'' | b'`') {
        i += 1;
    }
    Some(i)
}

/// Whether the byte before `start` allows a token to start there.
pub(crate) fn boundary_before(buf: &[u8], start: usize) -> bool {
    start == 0 || !is_word(buf[start - 1])
}

/// Whether the byte at `end` allows a token to end there (also a literal `\n` escape, so
/// secrets inside JSON strings are found).
pub(crate) fn boundary_after(buf: &[u8], end: usize) -> bool {
    end >= buf.len()
        || !is_word(buf[end])
        || (buf[end - 1] != b'\\' && buf.get(end..end + 2) == Some(b"\\n"))
}

/// A 40-character AWS secret access key at `at`: base64 alphabet, not hex-only (git
/// object IDs, hashes), not a placeholder, random enough.
pub(crate) fn secret_key_at(buf: &[u8], at: usize) -> Option<usize> {
    let n = run_len(buf, at, is_b64);
    if n != 40 || !boundary_before(buf, at) {
        return None;
    }
    let s = &buf[at..at + 40];
    let hex_only = s.iter().all(|b| b.is_ascii_hexdigit());
    if hex_only || is_placeholder(s) || entropy(s) < 4.0 {
        return None;
    }
    let has_lower = s.iter().any(u8::is_ascii_lowercase);
    let has_upper = s.iter().any(u8::is_ascii_uppercase);
    (has_lower && has_upper).then_some(at + 40)
}
