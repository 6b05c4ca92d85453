//! Reading and editing the configuration a Claude Code on Bedrock setup lives in: the AWS
//! shared `config` and `credentials` files and Claude Code's layered `settings.json`.
//!
//! Everything here keeps positions (file and line) so that every finding can point at
//! the line to change, and every edit is lossless: bytes keyless does not own are written
//! back exactly as they were read.

pub mod aws;
pub mod claude;
pub mod edit;
pub mod env;
pub mod fs;
pub mod vars;
/// The text formats, from `keyless-formats`, for the code that reads configuration.
pub use keyless_formats::{ini, json, time};

pub use env::Environment;
pub use fs::FileError;

/// Shortens a secret for display: its first and last four characters, so a person can
/// recognise which key it is without the output leaking it. Short values are hidden.
pub fn redact(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    if chars.len() < 12 {
        return "****".into();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

/// Lower-case hex SHA-1 of `data` (fingerprints and cache names, not security).
pub fn sha1_hex(data: &[u8]) -> String {
    sha1_smol::Sha1::from(data).digest().to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn redact_keeps_prefix_and_suffix_only() {
        assert_eq!(super::redact("AKIAIOSFODNN7EXAMPLE"), "AKIA…MPLE");
        assert_eq!(super::redact("short"), "****");
    }
}
