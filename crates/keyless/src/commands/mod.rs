//! One module per subcommand.

pub mod docs;
pub mod doctor;
pub mod init;
pub mod models;
pub mod policy;
pub mod profiles;
pub mod sandbox;
pub mod scan;

use crate::output::CliError;

/// The variable that fixes keyless's clock (RFC 3339), so output that depends on the date
/// (model lifecycle, token expiry) is reproducible in tests and bug reports.
pub const NOW_VAR: &str = "KEYLESS_NOW";

/// Now, in Unix seconds: `KEYLESS_NOW` if set, else the system clock.
pub fn now() -> Result<i64, CliError> {
    match std::env::var(NOW_VAR) {
        Ok(v) if !v.is_empty() => keyless_config::time::parse_rfc3339(&v).ok_or_else(|| {
            CliError::new(format!("{NOW_VAR}=`{v}` is not an RFC 3339 time"))
                .hint("for example 2026-11-27T12:00:00Z")
        }),
        _ => Ok(std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)),
    }
}
