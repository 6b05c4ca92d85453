//! The text formats keyless reads and edits: the AWS shared config and credentials files
//! (INI, read as botocore reads them), JSON (settings files, policies, baselines) and RFC 3339
//! times.
//!
//! Both parsers keep every byte and every position: an error names its line and column, and
//! an edit rewrites only what it owns. They depend on nothing, so the IAM engine and the
//! scanner can read JSON without depending on the configuration crate that knows what
//! `~/.aws/config` means.

pub mod ini;
pub mod json;
pub mod time;
