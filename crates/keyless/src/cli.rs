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
    #[command(
        after_help = "Example:\n  keyless init --profile claude --region us-east-1 \\\n    \
        --sso-start-url https://my-org.awsapps.com/start --sso-region us-east-1 \\\n    \
        --sso-account-id 111122223333 --sso-role-name BedrockUser"
    )]
    Init(Box<InitArgs>),

    /// List the Claude models usable from a region, with the exact ID for Claude Code.
    Models(ModelsArgs),

    /// List AWS profiles, how each gets credentials, and its region.
    Profiles(JsonArg),

    /// IAM policies for Bedrock: generate least-privilege ones, lint, simulate, and check
    /// them against the calls Claude Code makes.
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },

    /// Find AWS, Bedrock and Anthropic credentials in a directory (files git ignores
    /// included) or in exactly the staged changes.
    #[command(after_help = "Examples:\n  \
        keyless scan                          # the current directory\n  \
        keyless scan --staged                 # what the next commit adds (the pre-commit hook)\n  \
        keyless scan --history                # every blob ever committed, with the commits\n  \
        keyless scan --history --since origin/main  # only what a pull request adds\n  \
        keyless scan --sarif > keyless.sarif  # for a code-scanning dashboard")]
    Scan(Box<ScanArgs>),

    /// A local Bedrock that enforces your policy: run the real Claude Code client (or any
    /// SDK) against your setup without an AWS bill.
    ///
    /// It verifies every SigV4 signature, authorises every call with the policies you attach
    /// (an inference profile resolved to its destination regions, as Bedrock does) and answers
    /// with Bedrock's exact errors. Models answer with a short canned text.
    #[command(after_help = "Examples:\n  \
        keyless sandbox --profile claude --policy bedrock-policy.json -- claude -p hello\n  \
        keyless sandbox --profile claude --policy p.json --record calls.json -- ./my-app\n  \
        keyless sandbox --emit-policy calls.json      # the policy those calls needed\n  \
        keyless sandbox --profile claude --policy p.json   # serve; prints its URL first")]
    Sandbox(Box<SandboxArgs>),

    /// Git hooks: `keyless hook install` makes every commit run `keyless scan --staged`.
    Hook {
        #[command(subcommand)]
        command: HookCommand,
    },

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

    #[command(flatten)]
    pub format: FormatFlag,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Print JSON: {"schema": 1, "findings": [{"id", "severity", "message", "file", "line", "fix"}]}.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub format: FormatFlag,

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

    /// Also ask AWS: resolve the credentials through the AWS SDK's own chain, call STS
    /// GetCallerIdentity, list and read the inference profiles, and make one minimal
    /// streaming call (max_tokens 1) with each model ID Claude Code will send. Every AWS
    /// error becomes a finding (KD5xx) with its fix.
    #[arg(long, conflicts_with = "fix")]
    pub live: bool,

    /// With --live: skip the invocations (no tokens used).
    #[arg(long, requires = "live")]
    pub no_invoke: bool,

    /// With --live: send every call to this endpoint (a `keyless sandbox`, say). The standard
    /// AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> variables work too.
    #[arg(long, value_name = "URL", requires = "live")]
    pub endpoint_url: Option<String>,

    /// With --live: the deadline of each call, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0, requires = "live")]
    pub timeout: f64,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The AWS profile to write or use (case-sensitive).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// The Bedrock region, for example us-east-1 or eu-west-3.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Primary model: an alias (sonnet, opus, haiku, sonnet-4.5, "haiku 4.5", ...), a
    /// model name or ID in any form, resolved to the inference-profile ID that works from
    /// --region. Default: sonnet (the newest active Sonnet callable from the region).
    #[arg(long, value_name = "MODEL")]
    pub model: Option<String>,

    /// Background (Haiku-class) model, written as ANTHROPIC_DEFAULT_HAIKU_MODEL.
    /// Default: haiku.
    #[arg(long, value_name = "MODEL")]
    pub background_model: Option<String>,

    /// Write a model ID keyless's catalog does not know as given, for a model newer than
    /// the catalog. Without it, init refuses what it cannot resolve.
    #[arg(long)]
    pub allow_unknown_model: bool,

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

    #[command(flatten)]
    pub format: FormatFlag,
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

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Find what is wrong with policies: unknown actions (bedrock:Converse), wildcards,
    /// missing streaming, inference profiles without their destination regions, unscoped
    /// GitHub/GitLab OIDC trusts, and more. Exit 1 on errors.
    ///
    /// Example: keyless policy lint policy.json
    Lint(PolicyLintArgs),

    /// Decide one request against policies, with AWS's evaluation logic, and explain it.
    /// Exit 0 when allowed, 1 when denied.
    #[command(
        after_help = "Example:\n  keyless policy simulate --policy policy.json --action bedrock:InvokeModel \\\n    \
        --resource arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0"
    )]
    Simulate(Box<SimulateArgs>),

    /// Write the least-privilege identity policy for Claude on Bedrock: the inference
    /// profiles from your regions, their foundation models in every destination region
    /// (only through those profiles), and what Claude Code needs to start.
    ///
    /// Example: keyless policy bedrock --model sonnet --model haiku --region us-east-1 --claude-code
    Bedrock(BedrockArgs),

    /// Write a trust policy for a role: GitHub Actions or GitLab OIDC, EC2, Lambda or ECS.
    ///
    /// Example: keyless policy trust --github acme/app --branch main --account 111122223333
    Trust(Box<TrustArgs>),

    /// Simulate, call by call, the requests Claude Code makes for the given models and
    /// region against your policies; say which are denied and the statement to add.
    ///
    /// Example: keyless policy check policy.json --for-claude-code --model sonnet --region us-east-1
    Check(CheckArgs),
}

/// `--type` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PolicyTypeArg {
    /// Attached to a user or role.
    Identity,
    /// A role trust policy.
    Trust,
    /// A resource-based policy.
    Resource,
}

#[derive(Debug, Args)]
pub struct PolicyLintArgs {
    /// Policy files (JSON).
    #[arg(value_name = "FILE", required_unless_present = "explain")]
    pub files: Vec<PathBuf>,
    /// The policy type; detected from the document when omitted.
    #[arg(long = "type", value_enum)]
    pub kind: Option<PolicyTypeArg>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub format: FormatFlag,
    /// Print the documentation of a rule (for example KP203) and exit.
    #[arg(long, value_name = "ID")]
    pub explain: Option<String>,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Identity-based policy files of the caller (repeatable).
    #[arg(long = "policy", value_name = "FILE")]
    pub policies: Vec<PathBuf>,
    #[command(flatten)]
    pub scps: ScpLevels,
    /// Resource control policy files (repeatable).
    #[arg(long = "rcp", value_name = "FILE")]
    pub rcps: Vec<PathBuf>,
    /// The permissions boundary.
    #[arg(long, value_name = "FILE")]
    pub boundary: Option<PathBuf>,
    /// The session policy.
    #[arg(long, value_name = "FILE")]
    pub session_policy: Option<PathBuf>,
    /// The resource-based policy.
    #[arg(long, value_name = "FILE")]
    pub resource_policy: Option<PathBuf>,
    /// The caller's ARN.
    #[arg(
        long,
        value_name = "ARN",
        default_value = "arn:aws:iam::111122223333:user/keyless"
    )]
    pub principal: String,
    /// The action, `service:Action`.
    #[arg(long, value_name = "ACTION")]
    pub action: String,
    /// The resource ARN (`*` for actions without resource-level permissions).
    #[arg(long, value_name = "ARN")]
    pub resource: String,
    /// The account owning the resource (default: the ARN's, then the caller's).
    #[arg(long, value_name = "ID")]
    pub resource_account: Option<String>,
    /// A condition key value, `key=value`; repeat a key for multi-valued keys.
    #[arg(long = "context", value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub format: FormatFlag,
}

/// `--format` of the commands that print text or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Text for people (the default).
    Human,
    /// JSON (docs/json-output.md).
    Json,
}

/// `--format`, shared by every command that prints text or JSON.
#[derive(Debug, Clone, Copy, Args)]
pub struct FormatFlag {
    /// Output format: `--format json` is the same as `--json`.
    #[arg(id = "format", long = "format", value_enum, value_name = "FORMAT")]
    pub value: Option<OutputFormat>,
}

impl FormatFlag {
    /// Whether `--format json` was given.
    pub fn is_json(self) -> bool {
        self.value == Some(OutputFormat::Json)
    }
}

/// `--scp`, shared by `policy simulate` and `policy check`: service control policies by
/// level of the organisation tree.
#[derive(Debug, Clone, Args)]
pub struct ScpLevels {
    /// Service control policies, one level of the organisation tree per flag, root first
    /// (every level must allow); `--scp a.json,b.json` puts two policies at one level.
    #[arg(id = "scp", long = "scp", value_name = "FILE[,FILE]")]
    pub files: Vec<PathBuf>,
}

/// `--format` of `keyless scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    /// Text for people (the default).
    Human,
    /// JSON (docs/json-output.md).
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// IAM policy JSON.
    Json,
    /// Terraform aws_iam_policy_document.
    Terraform,
    /// CloudFormation template (JSON).
    Cloudformation,
}

#[derive(Debug, Args)]
pub struct BedrockArgs {
    /// Model: alias (sonnet, haiku-4.5, ...) or inference-profile ID (repeatable).
    /// Default: the models your setup names (ANTHROPIC_MODEL, ANTHROPIC_DEFAULT_*_MODEL...),
    /// else sonnet and haiku, as `keyless init` writes them.
    #[arg(long = "model", value_name = "MODEL")]
    pub models: Vec<String>,
    /// Region you call Bedrock from (repeatable). Default: your setup's region, as
    /// `keyless doctor` resolves it, else us-east-1.
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// The account ID; without it the ARNs carry ACCOUNT_ID for you to replace (Terraform
    /// and CloudFormation output fill it in).
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
    /// Add what Claude Code needs at start (ListInferenceProfiles, GetInferenceProfile).
    #[arg(long)]
    pub claude_code: bool,
    /// Add AWS Marketplace subscribe permissions for a model's first use.
    #[arg(long)]
    pub marketplace: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Json)]
    pub format: FormatArg,
    /// The same as `--format json` (the default), as other commands spell it.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TrustArgs {
    /// GitHub Actions: OWNER/REPO.
    #[arg(long, value_name = "OWNER/REPO", group = "who")]
    pub github: Option<String>,
    /// GitHub: the branch allowed (default main).
    #[arg(long, value_name = "BRANCH", conflicts_with_all = ["environment", "pull_request"])]
    pub branch: Option<String>,
    /// GitHub: the deployment environment allowed (jobs with an environment carry it in `sub`).
    #[arg(long, value_name = "ENV", conflicts_with = "pull_request")]
    pub environment: Option<String>,
    /// GitHub: allow pull-request workflows.
    #[arg(long)]
    pub pull_request: bool,
    /// GitHub: owner ID, for the immutable `repo:OWNER@ID/REPO@ID` subject.
    #[arg(long, value_name = "ID", requires = "repo_id")]
    pub owner_id: Option<String>,
    /// GitHub: repository ID, for the immutable subject.
    #[arg(long, value_name = "ID", requires = "owner_id")]
    pub repo_id: Option<String>,
    /// GitLab: GROUP/PROJECT.
    #[arg(long, value_name = "GROUP/PROJECT", group = "who")]
    pub gitlab: Option<String>,
    /// GitLab: the branch allowed (default main).
    #[arg(long = "ref", value_name = "BRANCH")]
    pub gitlab_ref: Option<String>,
    /// GitLab: the instance host.
    #[arg(long, value_name = "HOST", default_value = "gitlab.com")]
    pub gitlab_host: String,
    /// EC2 instances (with an instance profile).
    #[arg(long, group = "who")]
    pub ec2: bool,
    /// Lambda functions.
    #[arg(long, group = "who")]
    pub lambda: bool,
    /// ECS tasks.
    #[arg(long, group = "who")]
    pub ecs: bool,
    /// The account ID.
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Json)]
    pub format: FormatArg,
    /// The same as `--format json` (the default), as other commands spell it.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Identity-based policy files.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Check the calls Claude Code makes (the only check so far; required for clarity).
    #[arg(long, required = true)]
    pub for_claude_code: bool,
    /// Model: alias or ID (repeatable), as in `keyless init`.
    #[arg(long = "model", value_name = "MODEL", required = true)]
    pub models: Vec<String>,
    /// The region Claude Code uses.
    #[arg(long, value_name = "REGION")]
    pub region: String,
    /// The caller's ARN.
    #[arg(
        long,
        value_name = "ARN",
        default_value = "arn:aws:iam::111122223333:role/claude-code"
    )]
    pub principal: String,
    #[command(flatten)]
    pub scps: ScpLevels,
    /// The permissions boundary.
    #[arg(long, value_name = "FILE")]
    pub boundary: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub format: FormatFlag,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Directory or file to scan.
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: PathBuf,
    /// Scan exactly the staged blobs (what `git commit` will record), not the directory.
    #[arg(long, conflicts_with = "history")]
    pub staged: bool,
    /// Scan the message of the commit being made (the file Git passes to a `commit-msg`
    /// hook), without its comment lines.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["history", "staged"])]
    pub commit_msg: Option<PathBuf>,
    /// Scan every blob in the repository's history (all branches, tags, the stash, notes),
    /// each once, and name the commits that introduced each finding.
    #[arg(long)]
    pub history: bool,
    /// With --history: only blobs not reachable from REV (e.g. `origin/main` in CI on a
    /// pull request).
    #[arg(long, value_name = "REV", requires = "history")]
    pub since: Option<String>,
    /// Print JSON.
    #[arg(long, conflicts_with = "sarif")]
    pub json: bool,
    /// Print SARIF 2.1.0 (for code-scanning dashboards).
    #[arg(long)]
    pub sarif: bool,

    /// Output format: `--format json` is `--json`, `--format sarif` is `--sarif`.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<ScanFormat>,
    /// Print secrets in full (by default a key shows only its first and last characters).
    #[arg(long)]
    pub show_secrets: bool,
    /// Suppress findings listed in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write every current finding to a baseline file (fingerprints only, no secrets).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Scan binary files too.
    #[arg(long)]
    pub binary: bool,
    /// Skip files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 20 * 1024 * 1024)]
    pub max_file_size: u64,
    /// List every skipped file with its reason (otherwise one count per reason).
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Print the documentation of one rule (`KS101`, or its name) and exit.
    #[arg(long, value_name = "ID")]
    pub explain: Option<String>,
    /// Ask AWS whether each AWS key pair found is live, and whose it is (STS
    /// GetCallerIdentity, signed with the pair: it needs no permission, changes nothing, and
    /// shows only in the key owner's CloudTrail). Sends the key to AWS, so never by default.
    #[arg(long)]
    pub verify: bool,
    /// With --verify: the STS endpoint (default: AWS's, or `AWS_ENDPOINT_URL_STS`).
    #[arg(long, value_name = "URL", requires = "verify")]
    pub endpoint_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Trust the credentials this AWS profile resolves to (through the AWS SDK's own chain),
    /// as a principal with the --policy files attached. Also passed to COMMAND as AWS_PROFILE.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// An identity policy attached to the principal (repeatable).
    #[arg(long = "policy", value_name = "FILE")]
    pub policies: Vec<PathBuf>,
    /// A service control policy over the principal's account (repeatable; one level of the
    /// organization: any of them may allow, every deny applies).
    #[arg(long = "scp", value_name = "FILE", requires = "profile")]
    pub scps: Vec<PathBuf>,
    /// The account in the ARNs the sandbox authorises. Default: an SSO profile's
    /// sso_account_id, else 123456789012.
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
    /// An STS to forward AssumeRole (and the other credential-issuing calls) to; the
    /// credentials it issues are trusted. Default: AWS_ENDPOINT_URL_STS, if set.
    #[arg(long, value_name = "URL")]
    pub sts_endpoint: Option<String>,
    /// The text every model answers with.
    #[arg(
        long,
        value_name = "TEXT",
        default_value = "Hello from the keyless sandbox."
    )]
    pub answer: String,
    /// Write every call (action, resources, decision, deciding statement) to FILE as JSON
    /// when the sandbox stops.
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
    /// Print the least-privilege policy for the calls in a record file, and exit.
    #[arg(long, value_name = "RECORD", conflicts_with_all = ["profile", "policies", "record"])]
    pub emit_policy: Option<PathBuf>,
    /// With --emit-policy: include the calls the policy in force refused (Claude Code, for
    /// one, probes models it was not configured with and works without them).
    #[arg(long, requires = "emit_policy")]
    pub include_denied: bool,
    /// Print the call report as JSON (the record's format) instead of one line per call.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub format: FormatFlag,
    /// The loopback port to listen on (default: a free one).
    #[arg(long, value_name = "PORT", default_value_t = 0)]
    pub port: u16,
    /// The command to run against the sandbox; its exit status becomes keyless's.
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Write .git/hooks/pre-commit (`keyless scan --staged`) and .git/hooks/commit-msg
    /// (`keyless scan --commit-msg`): no commit records a credential in its files or its
    /// message.
    Install {
        /// Replace existing hooks (each is backed up first).
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = false)]
pub struct ModelsArgs {
    #[command(subcommand)]
    pub command: Option<ModelsCommand>,

    /// Only models usable from this region, with the exact ID to use there. Default:
    /// the region your setup resolves to, else every region.
    #[arg(long, value_name = "REGION", global = true)]
    pub region: Option<String>,

    /// Include end-of-life models.
    #[arg(long)]
    pub all: bool,

    /// Print JSON.
    #[arg(long, global = true)]
    pub json: bool,

    /// Output format: `--format json` is the same as `--json`.
    #[arg(long, value_enum, value_name = "FORMAT", global = true)]
    pub format: Option<OutputFormat>,
}

#[derive(Debug, Subcommand)]
pub enum ModelsCommand {
    /// Say what a model string names and the exact ID to write instead.
    ///
    /// Takes anything a person or a tool writes for a model: an alias (sonnet, sonnet-4.5,
    /// "haiku 4.5"), a display name ("Claude Sonnet 4.5"), the Anthropic API's ID
    /// (claude-sonnet-4-5-20250929), a Bedrock base or inference-profile ID, or an ARN. The
    /// verdict is the one `keyless doctor` and `keyless init` use. Exit 0 when the string
    /// works from the region as written, 1 when it does not.
    ///
    /// Example: keyless models resolve claude-sonnet-4-5-20250929 --region eu-west-1
    Resolve {
        /// The model string, as written in ANTHROPIC_MODEL or typed.
        #[arg(value_name = "STRING", allow_hyphen_values = true)]
        string: String,
    },
}

#[cfg(test)]
mod tests {
    /// Every subcommand's arguments are consistent (unique IDs across flattened groups,
    /// valid `requires`/`conflicts_with` targets): clap checks this only when a command is
    /// built, so a subcommand nobody ran in a test could hide a clash.
    #[test]
    fn the_cli_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
