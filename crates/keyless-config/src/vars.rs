//! Every Bedrock-relevant Claude Code environment variable and settings key keyless knows,
//! in one table, with what it does and where that is documented.
//!
//! Sources: Claude Code's `amazon-bedrock.md`, `env-vars.md` and `settings-reference.md`
//! (copies in `ericbuess/claude-code-docs` at commit `ec68a5b2`, 2026-08-22), summarised in
//! `shared/reference/claude-bedrock.md` §1.

/// What a variable is for; checks use this to decide what to look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarKind {
    /// Turns a mode on (`CLAUDE_CODE_USE_BEDROCK`).
    Switch,
    /// Names a model (an ID, inference profile ID or ARN).
    Model,
    /// Names a region.
    Region,
    /// Names the AWS profile.
    Profile,
    /// A secret that must not be written into a settings file.
    Secret,
    /// An endpoint or gateway URL.
    Endpoint,
    /// Anything else Bedrock-relevant.
    Other,
}

/// One environment variable.
#[derive(Debug, Clone, Copy)]
pub struct Var {
    /// The variable's name.
    pub name: &'static str,
    /// Its kind.
    pub kind: VarKind,
    /// If deprecated, the variable that replaces it.
    pub replaced_by: Option<&'static str>,
    /// One sentence on what it does.
    pub doc: &'static str,
}

const fn var(name: &'static str, kind: VarKind, doc: &'static str) -> Var {
    Var {
        name,
        kind,
        replaced_by: None,
        doc,
    }
}

/// The variables.
pub const VARIABLES: &[Var] = &[
    var(
        "CLAUDE_CODE_USE_BEDROCK",
        VarKind::Switch,
        "Use Amazon Bedrock; `1` or `true` turns it on.",
    ),
    var(
        "AWS_REGION",
        VarKind::Region,
        "Bedrock region; required before Claude Code 2.1.172, which does not read ~/.aws/config.",
    ),
    var(
        "AWS_DEFAULT_REGION",
        VarKind::Region,
        "Region fallback when AWS_REGION is unset (Claude Code 2.1.172+).",
    ),
    var(
        "AWS_PROFILE",
        VarKind::Profile,
        "The AWS profile whose credentials sign Bedrock requests.",
    ),
    var(
        "ANTHROPIC_MODEL",
        VarKind::Model,
        "Primary model: a Bedrock inference profile ID, model ID or ARN.",
    ),
    var(
        "ANTHROPIC_DEFAULT_OPUS_MODEL",
        VarKind::Model,
        "What the `opus` alias resolves to.",
    ),
    var(
        "ANTHROPIC_DEFAULT_SONNET_MODEL",
        VarKind::Model,
        "What the `sonnet` alias resolves to.",
    ),
    var(
        "ANTHROPIC_DEFAULT_HAIKU_MODEL",
        VarKind::Model,
        "What the `haiku` alias resolves to; also the background model.",
    ),
    var(
        "ANTHROPIC_DEFAULT_FABLE_MODEL",
        VarKind::Model,
        "What the `fable` alias resolves to.",
    ),
    var(
        "ANTHROPIC_DEFAULT_MODEL",
        VarKind::Model,
        "The model new sessions start on (2.1.236+).",
    ),
    var(
        "CLAUDE_CODE_SUBAGENT_MODEL",
        VarKind::Model,
        "Model for subagents.",
    ),
    Var {
        name: "ANTHROPIC_SMALL_FAST_MODEL",
        kind: VarKind::Model,
        replaced_by: Some("ANTHROPIC_DEFAULT_HAIKU_MODEL"),
        doc: "Deprecated name of the Haiku-class background model.",
    },
    var(
        "ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION",
        VarKind::Region,
        "Region override for the Haiku-class model.",
    ),
    var(
        "ANTHROPIC_BEDROCK_REGION_PREFIX",
        VarKind::Other,
        "Which cross-region prefix to try first: us, eu, apac, jp, au or global.",
    ),
    var(
        "ANTHROPIC_BEDROCK_BASE_URL",
        VarKind::Endpoint,
        "Overrides the Bedrock endpoint (gateways, keyless sandbox).",
    ),
    var(
        "CLAUDE_CODE_SKIP_BEDROCK_AUTH",
        VarKind::Other,
        "Skips AWS signing, for a gateway that signs instead.",
    ),
    var(
        "AWS_BEARER_TOKEN_BEDROCK",
        VarKind::Secret,
        "A Bedrock API key: a bearer secret, not IAM credentials.",
    ),
    var(
        "AWS_ACCESS_KEY_ID",
        VarKind::Secret,
        "An AWS access key ID.",
    ),
    var(
        "AWS_SECRET_ACCESS_KEY",
        VarKind::Secret,
        "An AWS secret access key.",
    ),
    var(
        "AWS_SESSION_TOKEN",
        VarKind::Secret,
        "An AWS session token.",
    ),
    var(
        "ANTHROPIC_API_KEY",
        VarKind::Secret,
        "An Anthropic API key, for Anthropic's own API, not Bedrock.",
    ),
    var(
        "ANTHROPIC_AUTH_TOKEN",
        VarKind::Secret,
        "A bearer token for Anthropic's API or a gateway.",
    ),
    var(
        "DISABLE_PROMPT_CACHING",
        VarKind::Other,
        "Turns prompt caching off for every model.",
    ),
    var(
        "ANTHROPIC_CUSTOM_HEADERS",
        VarKind::Other,
        "Extra request headers (for example Bedrock Guardrails).",
    ),
    var(
        "ANTHROPIC_BEDROCK_SERVICE_TIER",
        VarKind::Other,
        "Bedrock service tier: default, flex or priority.",
    ),
    var(
        "CLAUDE_CODE_USE_MANTLE",
        VarKind::Switch,
        "Use the Bedrock Mantle (Messages API) endpoint.",
    ),
    var(
        "CLAUDE_CODE_MAX_OUTPUT_TOKENS",
        VarKind::Other,
        "Maximum output tokens per request.",
    ),
    var(
        "MAX_THINKING_TOKENS",
        VarKind::Other,
        "Thinking budget (ignored on adaptive-reasoning models).",
    ),
];

/// Settings keys (top level of `settings.json`) that matter on Bedrock.
pub const SETTINGS_KEYS: &[(&str, &str)] = &[
    ("env", "Environment variables for Claude Code and every process it starts."),
    ("awsAuthRefresh", "Command run when AWS credentials are found expired, such as `aws sso login --profile NAME`."),
    ("awsCredentialExport", "Command that prints credentials as JSON at start and on each reload."),
    ("apiKeyHelper", "Command that prints an Anthropic API key; meaningless on Bedrock."),
    ("model", "Default model; ANTHROPIC_MODEL overrides it."),
    ("modelOverrides", "Maps Anthropic model IDs to Bedrock IDs or application inference profile ARNs."),
    ("availableModels", "Allow-list for the model picker."),
];

/// The variables that name a model Claude Code calls, in the order findings and probes
/// list them: the one list the static doctor, `doctor --live` and `policy bedrock` read.
pub fn model_variables() -> impl Iterator<Item = &'static str> {
    VARIABLES
        .iter()
        .filter(|v| v.kind == VarKind::Model)
        .map(|v| v.name)
}

/// Looks a variable up by name.
pub fn lookup(name: &str) -> Option<&'static Var> {
    VARIABLES.iter().find(|v| v.name == name)
}

/// Whether a switch value turns the switch on, as Claude Code reads it since 1.0.124
/// (`1` or `true`, case-insensitive).
pub fn is_truthy(value: &str) -> bool {
    matches!(value.trim().to_ascii_lowercase().as_str(), "1" | "true")
}
