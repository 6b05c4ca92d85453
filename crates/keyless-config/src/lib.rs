//! Reading and editing the configuration a Claude Code on Bedrock setup lives in: the AWS
//! shared `config` and `credentials` files and Claude Code's layered `settings.json`.
//!
//! Everything here keeps positions (file and line) so that every finding can point at
//! the line to change, and every edit is lossless: bytes keyless does not own are written
//! back exactly as they were read.

pub mod aws;
pub mod claude;
pub mod env;
pub mod fs;
pub mod ini;
pub mod json;
pub mod vars;

pub use env::Environment;
pub use fs::FileError;
