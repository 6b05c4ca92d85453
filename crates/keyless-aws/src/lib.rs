//! keyless's calls to AWS, through the AWS SDK for Rust.
//!
//! Everything that talks to AWS (or to a stand-in such as moto or `keyless sandbox`) goes
//! through here, so that credentials are resolved by the SDK's own chain — the chain Claude
//! Code's JavaScript SDK implements too — and never by a re-implementation of it. Every call
//! has a deadline; every failure comes back as an [`AwsError`] whose code and message are
//! AWS's own, so callers can turn it into a cause and a fix.

pub mod bedrock;
pub mod client;
pub mod error;
pub mod identity;

pub use aws_config::SdkConfig;
pub use client::Target;
pub use error::{AwsError, ErrorKind};
pub use identity::{
    caller_identity, credentials_of, identity_of, resolve_credentials, verify_key_pair,
    verify_key_pairs, CallerIdentity, KeyPair, ResolvedCredentials,
};
