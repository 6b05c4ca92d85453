//! The command line, defined in one place. The doc comments here are the `--help` text,
//! the man page and the shell completions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Run Claude on Amazon Bedrock with IAM only.
///
/// keyless takes you from nothing to a working, least-privilege setup with no access key
/// in any file, proves it works, and keeps it that way.
///
/// Start with `keyless doctor` to see what is wrong with your current setup, or
/// `keyless init` to write a new one.
#[derive(Debug, Parser)]
#[command(
    name = "keyless",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(
    after_help = "Exit status: 0 nothing wrong, 1 findings of severity error, 2 could not run.\n\
Docs: docs/findings.md lists every doctor finding; `keyless doctor --explain ID` prints one."
)]
pub struct Cli {
    /// When to use colour: auto (a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

/// `--color` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check your Claude Code + Bedrock setup and say exactly what to fix.
    ///
    /// Reads ~/.aws/config, ~/.aws/credentials, every Claude Code settings layer (managed,
    /// user, project, local), the shell environment and the project's .env files. Makes
    /// no network call. Each finding has a stable ID, the file and line, why it matters
    /// and the fix.
    Doctor(DoctorArgs),

    /// Write a keyless setup: an AWS profile (SSO, role or instance role) and Claude
    /// Code's Bedrock settings.
    ///
    /// Shows the diff before writing. Never writes a key: the profile names where
    /// credentials come from. A second run with the same choices changes nothing.
    ///
    /// Example:
    ///   keyless init --profile claude --region us-east-1 \
    ///     --sso-start-url https://my-org.awsapps.com/start --sso-region us-east-1 \
    ///     --sso-account-id 111122223333 --sso-role-name BedrockUser
    Init(Box<InitArgs>),

    /// List the Claude models usable from a region, with the exact ID for Claude Code.
    Models(ModelsArgs),

    /// List AWS profiles, how each gets credentials, and its region.
    Profiles(JsonArg),

    /// Print a shell completion script.
    ///
    /// Example: keyless completions bash > ~/.local/share/bash-completion/completions/keyless
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Print the man page (roff) to stdout.
    ///
    /// Example: keyless man | man -l -
    Man,

    /// Regenerate docs/findings.md from the code (for keyless developers).
    #[command(hide = true)]
    GenerateDocs {
        /// Fail instead of writing when the file is out of date.
        #[arg(long)]
        check: bool,
        /// The repository root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// `--json`.
#[derive(Debug, Args)]
pub struct JsonArg {
    /// Print JSON (schema in docs/json-output.md) instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Print JSON: {"schema": 1, "findings": [{"id", "severity", "message", "file", "line", "fix"}]}.
    #[arg(long)]
    pub json: bool,

    /// Apply the mechanical fixes (model IDs, deprecated variables, AWS_REGION), showing
    /// the diff first. Every write is atomic and keeps a backup.
    #[arg(long)]
    pub fix: bool,

    /// With --fix: show the diff and write nothing.
    #[arg(long, requires = "fix")]
    pub dry_run: bool,

    /// With --fix: do not ask before writing.
    #[arg(long, short = 'y', requires = "fix")]
    pub yes: bool,

    /// Print the documentation of a finding (for example KD101) and exit.
    #[arg(long, value_name = "ID")]
    pub explain: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The AWS profile to write or use (case-sensitive).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// The Bedrock region, for example us-east-1 or eu-west-3.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Primary model: an alias (sonnet, opus, haiku, sonnet-4.5, opus-4.1, ...) or an
    /// exact inference-profile ID. Default: sonnet (the newest active Sonnet).
    #[arg(long, value_name = "MODEL")]
    pub model: Option<String>,

    /// Background (Haiku-class) model, written as ANTHROPIC_DEFAULT_HAIKU_MODEL.
    /// Default: haiku.
    #[arg(long, value_name = "MODEL")]
    pub background_model: Option<String>,

    /// SSO: the AWS access portal URL (https://ORG.awsapps.com/start).
    #[arg(
        long,
        value_name = "URL",
        help_heading = "Credentials: IAM Identity Center (SSO)"
    )]
    pub sso_start_url: Option<String>,
    /// SSO: the Identity Center region (may differ from --region).
    #[arg(
        long,
        value_name = "REGION",
        help_heading = "Credentials: IAM Identity Center (SSO)"
    )]
    pub sso_region: Option<String>,
    /// SSO: the AWS account ID.
    #[arg(
        long,
        value_name = "ID",
        help_heading = "Credentials: IAM Identity Center (SSO)"
    )]
    pub sso_account_id: Option<String>,
    /// SSO: the permission set (role) name.
    #[arg(
        long,
        value_name = "NAME",
        help_heading = "Credentials: IAM Identity Center (SSO)"
    )]
    pub sso_role_name: Option<String>,
    /// SSO: name of the [sso-session] section (default: the profile name).
    #[arg(
        long,
        value_name = "NAME",
        help_heading = "Credentials: IAM Identity Center (SSO)"
    )]
    pub sso_session: Option<String>,

    /// Role: the role to assume.
    #[arg(long, value_name = "ARN", help_heading = "Credentials: assume a role")]
    pub role_arn: Option<String>,
    /// Role: the profile whose credentials assume the role.
    #[arg(
        long,
        value_name = "PROFILE",
        help_heading = "Credentials: assume a role",
        conflicts_with = "credential_source"
    )]
    pub source_profile: Option<String>,
    /// Role: Environment, Ec2InstanceMetadata or EcsContainer.
    #[arg(
        long,
        value_name = "SOURCE",
        help_heading = "Credentials: assume a role"
    )]
    pub credential_source: Option<String>,

    /// Use the compute's own role (EC2, ECS, Lambda): the profile holds the region only.
    #[arg(long, help_heading = "Credentials: other", conflicts_with_all = ["sso_start_url", "role_arn", "existing"])]
    pub instance_role: bool,
    /// Use the profile as it already is.
    #[arg(long, help_heading = "Credentials: other", conflicts_with_all = ["sso_start_url", "role_arn"])]
    pub existing: bool,

    /// Which Claude Code settings file to write: user (~/.claude/settings.json),
    /// project (.claude/settings.json, shared) or local (.claude/settings.local.json).
    #[arg(long, value_enum, default_value_t = ScopeArg::User)]
    pub scope: ScopeArg,

    /// Show the diff and write nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Ask nothing: use defaults for what is not given, and write.
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Print the plan as JSON (with --dry-run) or the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `--scope` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ScopeArg {
    /// ~/.claude/settings.json
    User,
    /// .claude/settings.json in the current directory (committed, shared).
    Project,
    /// .claude/settings.local.json in the current directory (personal).
    Local,
}

#[derive(Debug, Args)]
pub struct ModelsArgs {
    /// Only models usable from this region, with the exact ID to use there. Default:
    /// the region your setup resolves to, else every region.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Include end-of-life models.
    #[arg(long)]
    pub all: bool,

    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}
