//! The sandbox's configuration, its principals, and the record of every call.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use serde_json::{json, Value};

use crate::principals::Registry;

/// How the sandbox behaves.
#[derive(Debug, Clone)]
pub struct Config {
    /// The account in the ARNs it authorises (`--account`).
    pub account: String,
    /// The text every model answers with.
    pub answer: String,
    /// An STS to forward AssumeRole and friends to (moto in the tests); the credentials it
    /// issues become principals.
    pub sts_upstream: Option<String>,
    /// Where to write the call record (`--record`) when the sandbox stops.
    pub record: Option<PathBuf>,
    /// The largest request body accepted.
    pub max_body: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            account: "123456789012".into(),
            answer: "Hello from the keyless sandbox.".into(),
            sts_upstream: None,
            record: None,
            max_body: 20 * 1024 * 1024,
        }
    }
}

/// One authorisation decision within a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// `bedrock:InvokeModel`...
    pub action: String,
    /// The resource ARN.
    pub resource: String,
    /// Condition keys that were set (besides `aws:RequestedRegion`).
    pub context: Vec<(String, String)>,
    /// The region the request was for (`aws:RequestedRegion`).
    pub region: String,
    /// `Allowed`, `ImplicitlyDenied`, `ExplicitlyDenied`.
    pub decision: String,
    /// The statement that decided, when one did.
    pub statement: Option<String>,
}

/// One call.
#[derive(Debug, Clone)]
pub struct Call {
    /// Unix seconds.
    pub time: i64,
    /// `InvokeModelWithResponseStream`, `GetCallerIdentity`...
    pub operation: String,
    /// The caller's ARN, once known.
    pub principal: Option<String>,
    /// The model ID as sent, for model calls.
    pub model: Option<String>,
    /// The checks made.
    pub checks: Vec<Check>,
    /// The HTTP status answered.
    pub status: u16,
    /// The error code answered, if any.
    pub error: Option<String>,
}

impl Call {
    /// A call received at `time`, before anything is known of it.
    pub fn received(time: i64) -> Self {
        Self {
            time,
            operation: String::new(),
            principal: None,
            model: None,
            checks: Vec::new(),
            status: 0,
            error: None,
        }
    }

    /// The call as JSON (the record file holds a list of these).
    pub fn json(&self) -> Value {
        json!({
            "time": keyless_config::time::format_rfc3339(self.time),
            "operation": self.operation,
            "principal": self.principal,
            "model": self.model,
            "status": self.status,
            "error": self.error,
            "checks": self.checks.iter().map(|c| json!({
                "action": c.action,
                "resource": c.resource,
                "region": c.region,
                "context": c.context.iter().map(|(k, v)| json!({"key": k, "value": v})).collect::<Vec<_>>(),
                "decision": c.decision,
                "statement": c.statement,
            })).collect::<Vec<_>>(),
        })
    }
}

/// Everything the handlers share.
#[derive(Debug, Default)]
pub struct State {
    /// Configuration.
    pub config: Config,
    /// Principals and roles.
    pub registry: Registry,
    /// IAM Identity Center sign-ins the sandbox honours (see [`crate::sso`]).
    pub sso: crate::principals::SsoGrants,
    calls: Mutex<Vec<Call>>,
    dropped: AtomicU64,
    counter: AtomicU64,
}

/// How many calls the record keeps; later ones are only counted, so a sandbox serving for
/// days stays bounded in memory.
pub const MAX_RECORDED_CALLS: usize = 100_000;

impl State {
    /// A new state.
    pub fn new(config: Config) -> Self {
        Self {
            config,
            ..Self::default()
        }
    }

    /// A request ID, unique in this process, shaped like AWS's (a UUID).
    pub fn request_id(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let h = crate::sigv4::sha256_hex(format!("{t}:{n}:{}", std::process::id()).as_bytes());
        format!(
            "{}-{}-4{}-a{}-{}",
            &h[0..8],
            &h[8..12],
            &h[13..16],
            &h[17..20],
            &h[20..32]
        )
    }

    /// Records a call (or, past [`MAX_RECORDED_CALLS`], counts it).
    pub fn record(&self, call: Call) {
        let mut calls = self.calls.lock().expect("record lock");
        if calls.len() < MAX_RECORDED_CALLS {
            calls.push(call);
        } else {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Calls answered but not kept in the record.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// The record as JSON.
    pub fn record_json(&self) -> Value {
        json!({
            "schema": 1,
            "account": self.config.account,
            "calls": self.calls().iter().map(Call::json).collect::<Vec<_>>(),
            "calls_not_recorded": self.dropped(),
        })
    }

    /// Writes the record file (`--record`), atomically, when the sandbox stops.
    pub fn write_record(&self) -> Result<Option<PathBuf>, keyless_config::fs::FileError> {
        let Some(path) = &self.config.record else {
            return Ok(None);
        };
        let text = serde_json::to_string_pretty(&self.record_json())
            .expect("a json! value serialises")
            + "\n";
        keyless_config::fs::write_atomic(path, &text)?;
        Ok(Some(path.clone()))
    }

    /// Every call so far.
    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().expect("record lock").clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_is_bounded() {
        let s = State::new(Config::default());
        for _ in 0..MAX_RECORDED_CALLS + 3 {
            s.record(Call {
                operation: "X".into(),
                status: 200,
                ..Call::received(0)
            });
        }
        assert_eq!(s.calls().len(), MAX_RECORDED_CALLS);
        assert_eq!(s.dropped(), 3);
    }
}
