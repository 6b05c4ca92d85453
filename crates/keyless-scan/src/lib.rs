//! `keyless scan`: find AWS, Bedrock and Anthropic credentials precisely, in files,
//! working trees, staged changes and git history.
//!
//! Rules live one per file under `rules/` (each with its documentation and its true- and
//! false-positive tests) and are listed in [`registry::RULES`].

pub mod archive;
pub mod content;
pub mod engine;
pub mod error;
pub mod file_rules;
pub mod git;
pub mod history;
pub mod pairs;
pub mod registry;
pub mod report;
pub mod rules;
pub mod token;
pub mod tree;

pub use engine::{scan_bytes, scan_notebook, Finding};

pub use error::ScanError;
