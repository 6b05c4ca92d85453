//! `keyless sandbox`: a local Amazon Bedrock.
//!
//! It speaks the control-plane and runtime operations Claude Code and the SDKs use, verifies
//! every SigV4 signature as AWS does, authorises every call with `keyless-iam` against the
//! policies attached to the calling principal — an inference profile resolved to its
//! destination regions as Bedrock does — and answers with Bedrock's codes, headers and
//! messages. It records every call, so the policy a client really needs can be read off a
//! real run instead of guessed.

pub mod authorize;
pub mod bedrock;
pub mod emit;
pub mod errors;
pub mod eventstream;
pub mod http;
pub mod principals;
pub mod server;
pub mod service;
pub mod sigv4;
pub mod sso;
pub mod state;
pub mod sts;

pub use principals::{Policies, Principal, Registry};
pub use server::{start, Running};
pub use state::{Call, Check, Config, State};
