//! IAM for a Bedrock setup: parse policies faithfully, evaluate them with AWS's
//! documented logic (and explain the decision), lint them, and generate the
//! least-privilege policies Claude Code on Bedrock needs.

pub mod actions;
pub mod claude_code;
pub mod condition;
pub mod context;
pub mod evaluate;
pub mod generate;
pub mod lint;
pub mod policy;
pub mod template;
pub mod wildcard;

pub use context::Context;
pub use evaluate::{CompiledPolicy, Decision, Explanation, PolicyKind, PolicySet, Request};
pub use policy::{Policy, PolicyError};
