//! Policy generators: the least-privilege Bedrock identity policy and trust policies,
//! as IAM JSON, Terraform (`aws_iam_policy_document`) or CloudFormation.
//!
//! Without an account ID the ARNs carry the placeholder [`ACCOUNT_PLACEHOLDER`], which
//! Terraform and CloudFormation output replace with the deploying account.

use keyless_catalog::{Catalog, Date, Lifecycle};
use serde_json::{json, Map, Value};

/// Why a policy could not be generated, and what to do instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenerateError {
    /// No model or no region to generate for.
    #[error("give at least one --model and one --region")]
    NothingToGenerate,
    /// A region without a Bedrock runtime.
    #[error("`{0}` is not a region with a Bedrock runtime")]
    NotARegion(String),
    /// A model string the catalog cannot place.
    #[error("`{input}` is not a model keyless knows")]
    UnknownModel {
        /// As given.
        input: String,
        /// Where it was wanted.
        region: String,
    },
    /// A model that reached end of life.
    #[error("{model} has reached end of life on Bedrock; choose a current model")]
    EndOfLife {
        /// Its name.
        model: String,
        /// Where it was wanted.
        region: String,
    },
    /// A model with no profile callable from the region.
    #[error("{model} has no inference profile callable from {region}")]
    NoProfile {
        /// Its name.
        model: String,
        /// The region.
        region: String,
    },
    /// `--account` is not an account ID.
    #[error("--account must be a 12-digit AWS account ID")]
    BadAccount,
    /// `--github` without an owner.
    #[error("--github takes OWNER/REPO")]
    BadGitHubRepo,
    /// `--gitlab` without a group.
    #[error("--gitlab takes GROUP/PROJECT")]
    BadGitLabProject,
    /// A service that trust policies are not written for.
    #[error("unknown service `{0}`")]
    UnknownService(String),
}

impl GenerateError {
    /// What the person can do next.
    pub fn hint(&self) -> String {
        match self {
            Self::NothingToGenerate => {
                "for example: keyless policy bedrock --model sonnet --model haiku --region us-east-1".into()
            }
            Self::NotARegion(_) => "`keyless models --region REGION` checks a region; us-east-1, eu-west-3 and ap-northeast-1 are examples".into(),
            Self::UnknownModel { region, .. }
            | Self::EndOfLife { region, .. }
            | Self::NoProfile { region, .. } => format!(
                "`keyless models --region {region}` lists the models you can use there"
            ),
            Self::BadAccount => "an account ID is 12 digits, such as 111122223333".into(),
            Self::BadGitHubRepo => "for example: --github my-org/my-repo".into(),
            Self::BadGitLabProject => "for example: --gitlab my-group/my-project".into(),
            Self::UnknownService(_) => "one of ec2, lambda, ecs".into(),
        }
    }
}

/// Stands for the account ID in JSON output when `--account` is not given.
pub const ACCOUNT_PLACEHOLDER: &str = "ACCOUNT_ID";

/// What to generate for Bedrock.
#[derive(Debug, Clone)]
pub struct BedrockOptions {
    /// Models: aliases (`sonnet`, `haiku-4.5`) or IDs (profile or base).
    pub models: Vec<String>,
    /// Regions the caller calls Bedrock from.
    pub regions: Vec<String>,
    /// The account, or `None` for the placeholder.
    pub account: Option<String>,
    /// Add what Claude Code needs beyond invocation (profile discovery).
    pub claude_code: bool,
    /// Add the AWS Marketplace statement for first-use subscription.
    pub marketplace: bool,
}

/// One model used from one region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Base model ID.
    pub model: String,
    /// Inference-profile ID.
    pub profile: String,
    /// Source region.
    pub region: String,
    /// Destination regions (empty string: the region-less ARN of global profiles).
    pub destinations: Vec<String>,
}

impl Route {
    /// The profile ARN.
    pub fn profile_arn(&self, account: &str) -> String {
        format!(
            "arn:aws:bedrock:{}:{account}:inference-profile/{}",
            self.region, self.profile
        )
    }
}

/// Resolves models × regions to routes, with notes for Legacy or inferred data.
pub fn routes(
    models: &[String],
    regions: &[String],
    today: Date,
) -> Result<(Vec<Route>, Vec<String>), GenerateError> {
    let catalog = Catalog::embedded();
    let mut out: Vec<Route> = Vec::new();
    let mut notes = Vec::new();
    if models.is_empty() || regions.is_empty() {
        return Err(GenerateError::NothingToGenerate);
    }
    for region in regions {
        if !Catalog::looks_like_region(region) || !catalog.has_runtime(region) {
            return Err(GenerateError::NotARegion(region.clone()));
        }
        for input in models {
            let model = catalog.resolve(input, Some(region), today).ok_or_else(|| {
                GenerateError::UnknownModel {
                    input: input.clone(),
                    region: region.clone(),
                }
            })?;
            if model.lifecycle_on(today) == Lifecycle::EndOfLife {
                return Err(GenerateError::EndOfLife {
                    model: model.name.clone(),
                    region: region.clone(),
                });
            }
            // An explicit profile ID names its profile; otherwise the region's best.
            let explicit = input
                .split_once('.')
                .map(|(p, _)| p)
                .filter(|p| keyless_catalog::PROFILE_PREFIXES.contains(p));
            let profile = match explicit {
                Some(prefix) => model
                    .profile(prefix)
                    .filter(|p| p.sources.iter().any(|s| s == region)),
                None => model.best_profile(region),
            }
            .ok_or_else(|| GenerateError::NoProfile {
                model: model.name.clone(),
                region: region.clone(),
            })?;
            if profile.regions_inferred {
                notes.push(format!("{}: the catalog's region list is inferred; confirm with `keyless doctor --live`", profile.id));
            }
            if model.lifecycle_on(today) == Lifecycle::Legacy {
                notes.push(format!(
                    "{} is Legacy on Bedrock (closed to new accounts)",
                    model.name
                ));
            }
            let mut destinations = profile.destinations.clone();
            if profile.prefix == "global" {
                destinations.push(String::new());
            }
            let route = Route {
                model: model.id.clone(),
                profile: profile.id.clone(),
                region: region.clone(),
                destinations,
            };
            if !out.contains(&route) {
                out.push(route);
            }
        }
    }
    notes.dedup();
    Ok((out, notes))
}

fn one_or_many(mut v: Vec<String>) -> Value {
    v.sort();
    v.dedup();
    if v.len() == 1 {
        json!(v[0])
    } else {
        json!(v)
    }
}

/// The least-privilege identity policy for Claude on Bedrock.
pub fn bedrock_policy(
    opts: &BedrockOptions,
    today: Date,
) -> Result<(Value, Vec<String>), GenerateError> {
    let account = opts
        .account
        .clone()
        .unwrap_or_else(|| ACCOUNT_PLACEHOLDER.into());
    if opts
        .account
        .as_ref()
        .is_some_and(|a| a.len() != 12 || !a.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(GenerateError::BadAccount);
    }
    let (routes, notes) = routes(&opts.models, &opts.regions, today)?;
    let profile_arns: Vec<String> = routes.iter().map(|r| r.profile_arn(&account)).collect();
    let model_arns: Vec<String> = routes
        .iter()
        .flat_map(|r| {
            r.destinations
                .iter()
                .map(move |d| format!("arn:aws:bedrock:{d}::foundation-model/{}", r.model))
        })
        .collect();
    let invoke = json!([
        "bedrock:InvokeModel",
        "bedrock:InvokeModelWithResponseStream"
    ]);
    let mut statements = vec![
        json!({
            "Sid": "InvokeThroughInferenceProfiles",
            "Effect": "Allow",
            "Action": invoke,
            "Resource": one_or_many(profile_arns.clone()),
        }),
        json!({
            "Sid": "InvokeFoundationModelsOnlyThroughTheseProfiles",
            "Effect": "Allow",
            "Action": invoke,
            "Resource": one_or_many(model_arns),
            "Condition": {"StringLike": {"bedrock:InferenceProfileArn": one_or_many(profile_arns.clone())}},
        }),
    ];
    if opts.claude_code {
        statements.push(json!({
            "Sid": "ClaudeCodeListsInferenceProfiles",
            "Effect": "Allow",
            "Action": "bedrock:ListInferenceProfiles",
            "Resource": "*",
        }));
        statements.push(json!({
            "Sid": "ClaudeCodeReadsItsInferenceProfiles",
            "Effect": "Allow",
            "Action": "bedrock:GetInferenceProfile",
            "Resource": one_or_many(profile_arns),
        }));
    }
    if opts.marketplace {
        statements.push(json!({
            "Sid": "SubscribeToModelsOnFirstUse",
            "Effect": "Allow",
            "Action": ["aws-marketplace:ViewSubscriptions", "aws-marketplace:Subscribe"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:CalledViaLast": "bedrock.amazonaws.com"}},
        }));
    }
    Ok((
        json!({"Version": "2012-10-17", "Statement": statements}),
        notes,
    ))
}

/// Who may assume a role.
#[derive(Debug, Clone)]
pub enum TrustSubject {
    /// GitHub Actions OIDC.
    GitHub {
        /// `OWNER/REPO`.
        repo: String,
        /// What in the repository: `ref:refs/heads/main`, `environment:prod`, `pull_request`.
        qualifier: String,
        /// Owner and repository IDs, for the immutable subject form.
        ids: Option<(String, String)>,
    },
    /// GitLab OIDC.
    GitLab {
        /// `GROUP/PROJECT`.
        project: String,
        /// Branch.
        branch: String,
        /// Host (`gitlab.com` or self-managed).
        host: String,
    },
    /// An AWS service: `ec2`, `lambda` or `ecs`.
    Service(&'static str),
}

/// A trust policy that passes `keyless policy lint`.
pub fn trust_policy(subject: &TrustSubject, account: Option<&str>) -> Result<Value, GenerateError> {
    let account = account.unwrap_or(ACCOUNT_PLACEHOLDER);
    let statement = match subject {
        TrustSubject::GitHub {
            repo,
            qualifier,
            ids,
        } => {
            let (owner, name) = repo
                .split_once('/')
                .filter(|(o, n)| !o.is_empty() && !n.is_empty() && !n.contains('/'))
                .ok_or(GenerateError::BadGitHubRepo)?;
            let mut subs = vec![format!("repo:{owner}/{name}:{qualifier}")];
            if let Some((oid, rid)) = ids {
                subs.push(format!("repo:{owner}@{oid}/{name}@{rid}:{qualifier}"));
            }
            json!({
                "Sid": "GitHubActionsOidc",
                "Effect": "Allow",
                "Principal": {"Federated": format!("arn:aws:iam::{account}:oidc-provider/token.actions.githubusercontent.com")},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {"StringEquals": {
                    "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                    "token.actions.githubusercontent.com:sub": one_or_many(subs),
                }},
            })
        }
        TrustSubject::GitLab {
            project,
            branch,
            host,
        } => {
            if !project.contains('/') {
                return Err(GenerateError::BadGitLabProject);
            }
            let mut cond = Map::new();
            cond.insert(format!("{host}:aud"), json!(format!("https://{host}")));
            cond.insert(
                format!("{host}:sub"),
                json!(format!(
                    "project_path:{project}:ref_type:branch:ref:{branch}"
                )),
            );
            json!({
                "Sid": "GitLabCiOidc",
                "Effect": "Allow",
                "Principal": {"Federated": format!("arn:aws:iam::{account}:oidc-provider/{host}")},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {"StringEquals": cond},
            })
        }
        TrustSubject::Service(svc) => {
            let principal = match *svc {
                "ec2" => "ec2.amazonaws.com",
                "lambda" => "lambda.amazonaws.com",
                "ecs" => "ecs-tasks.amazonaws.com",
                other => return Err(GenerateError::UnknownService(other.to_string())),
            };
            let mut s = json!({
                "Sid": "ServiceAssumesRole",
                "Effect": "Allow",
                "Principal": {"Service": principal},
                "Action": "sts:AssumeRole",
            });
            // ECS sends aws:SourceAccount/SourceArn; EC2 and Lambda do not (adding them
            // there would break the role).
            if *svc == "ecs" {
                s["Condition"] = json!({
                    "StringEquals": {"aws:SourceAccount": account},
                    "ArnLike": {"aws:SourceArn": format!("arn:aws:ecs:*:{account}:*")},
                });
            }
            s
        }
    };
    Ok(json!({"Version": "2012-10-17", "Statement": [statement]}))
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// IAM policy JSON.
    Json,
    /// A Terraform `aws_iam_policy_document` data source.
    Terraform,
    /// A CloudFormation template with an `AWS::IAM::ManagedPolicy`.
    CloudFormation,
}

fn hcl_string(s: &str) -> String {
    let s = s
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace("${", "$${");
    format!(
        "\"{}\"",
        s.replace(&format!("$${{{ACCOUNT_PLACEHOLDER}}}"), ACCOUNT_PLACEHOLDER)
    )
}

fn hcl_value(s: &str) -> String {
    hcl_string(s).replace(
        ACCOUNT_PLACEHOLDER,
        "${data.aws_caller_identity.current.account_id}",
    )
}

fn list(v: &Value) -> Vec<String> {
    match v {
        Value::Array(xs) => xs
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        Value::String(s) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// Renders a policy document in `format`; `name` names the Terraform data source or the
/// CloudFormation resource.
pub fn render(policy: &Value, format: Format, name: &str) -> String {
    match format {
        Format::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(policy).expect("a json! value serialises")
        ),
        Format::Terraform => {
            let mut s = String::new();
            let uses_account = policy.to_string().contains(ACCOUNT_PLACEHOLDER);
            if uses_account {
                s.push_str("data \"aws_caller_identity\" \"current\" {}\n\n");
            }
            s.push_str(&format!("data \"aws_iam_policy_document\" \"{name}\" {{\n"));
            for st in policy["Statement"].as_array().into_iter().flatten() {
                s.push_str("  statement {\n");
                if let Some(sid) = st["Sid"].as_str() {
                    s.push_str(&format!("    sid     = {}\n", hcl_string(sid)));
                }
                s.push_str(&format!(
                    "    effect  = {}\n",
                    hcl_string(st["Effect"].as_str().unwrap_or("Allow"))
                ));
                let actions: Vec<String> =
                    list(&st["Action"]).iter().map(|a| hcl_string(a)).collect();
                s.push_str(&format!("    actions = [{}]\n", actions.join(", ")));
                if !st["Resource"].is_null() {
                    let res: Vec<String> = list(&st["Resource"])
                        .iter()
                        .map(|r| format!("      {},\n", hcl_value(r)))
                        .collect();
                    s.push_str(&format!("    resources = [\n{}    ]\n", res.concat()));
                }
                if let Some(p) = st["Principal"].as_object() {
                    for (kind, v) in p {
                        let ids: Vec<String> = list(v).iter().map(|x| hcl_value(x)).collect();
                        s.push_str(&format!("    principals {{\n      type        = {}\n      identifiers = [{}]\n    }}\n", hcl_string(kind), ids.join(", ")));
                    }
                }
                for (op, keys) in st["Condition"].as_object().into_iter().flatten() {
                    for (key, v) in keys.as_object().into_iter().flatten() {
                        let vals: Vec<String> = list(v).iter().map(|x| hcl_value(x)).collect();
                        s.push_str(&format!(
                            "    condition {{\n      test     = {}\n      variable = {}\n      values   = [{}]\n    }}\n",
                            hcl_string(op),
                            hcl_string(key),
                            vals.join(", ")
                        ));
                    }
                }
                s.push_str("  }\n");
            }
            s.push_str("}\n");
            s
        }
        Format::CloudFormation => {
            fn sub(v: &Value) -> Value {
                match v {
                    Value::String(s) if s.contains(ACCOUNT_PLACEHOLDER) => {
                        json!({"Fn::Sub": s.replace(ACCOUNT_PLACEHOLDER, "${AWS::AccountId}")})
                    }
                    Value::Array(xs) => Value::Array(xs.iter().map(sub).collect()),
                    Value::Object(m) => {
                        Value::Object(m.iter().map(|(k, v)| (k.clone(), sub(v))).collect())
                    }
                    other => other.clone(),
                }
            }
            let template = json!({
                "AWSTemplateFormatVersion": "2010-09-09",
                "Description": "Written by keyless: least-privilege access for Claude on Amazon Bedrock",
                "Resources": {
                    name: {
                        "Type": "AWS::IAM::ManagedPolicy",
                        "Properties": {"PolicyDocument": sub(policy)},
                    }
                },
                "Outputs": {"PolicyArn": {"Value": {"Ref": name}}},
            });
            format!(
                "{}\n",
                serde_json::to_string_pretty(&template).expect("serialises")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{lint, PolicyType};
    use crate::Policy;

    fn today() -> Date {
        Date::parse("2026-11-27").unwrap()
    }

    #[test]
    fn bedrock_policy_for_haiku_from_us_east_1() {
        let (p, _) = bedrock_policy(
            &BedrockOptions {
                models: vec!["haiku".into()],
                regions: vec!["us-east-1".into()],
                account: Some("111122223333".into()),
                claude_code: true,
                marketplace: true,
            },
            today(),
        )
        .unwrap();
        assert_eq!(p["Statement"][0]["Resource"], "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0");
        assert_eq!(p["Statement"][1]["Resource"].as_array().unwrap().len(), 5);
        let parsed = Policy::parse(&p.to_string()).unwrap();
        let findings = lint(&parsed, PolicyType::Identity);
        assert!(
            findings
                .iter()
                .all(|f| f.severity != keyless_rules::Severity::Error),
            "{findings:#?}"
        );
    }

    #[test]
    fn global_profiles_include_the_regionless_arn() {
        let (p, _) = bedrock_policy(
            &BedrockOptions {
                models: vec!["global.anthropic.claude-opus-4-6-v1".into()],
                regions: vec!["ap-south-1".into()],
                account: None,
                claude_code: false,
                marketplace: false,
            },
            today(),
        )
        .unwrap();
        assert!(p["Statement"][1]["Resource"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "arn:aws:bedrock:::foundation-model/anthropic.claude-opus-4-6-v1"));
        assert!(p.to_string().contains("ACCOUNT_ID"));
    }

    #[test]
    fn trust_policies_pass_lint() {
        let subjects = [
            TrustSubject::GitHub {
                repo: "acme/app".into(),
                qualifier: "ref:refs/heads/main".into(),
                ids: Some(("1".into(), "2".into())),
            },
            TrustSubject::GitHub {
                repo: "acme/app".into(),
                qualifier: "environment:prod".into(),
                ids: None,
            },
            TrustSubject::GitLab {
                project: "g/p".into(),
                branch: "main".into(),
                host: "gitlab.com".into(),
            },
            TrustSubject::Service("ec2"),
            TrustSubject::Service("lambda"),
            TrustSubject::Service("ecs"),
        ];
        for s in &subjects {
            let p = trust_policy(s, Some("111122223333")).unwrap();
            let parsed = Policy::parse(&p.to_string()).unwrap();
            assert_eq!(PolicyType::detect(&parsed), PolicyType::Trust);
            let findings = lint(&parsed, PolicyType::Trust);
            assert!(findings.is_empty(), "{s:?}: {findings:#?}");
        }
        assert!(trust_policy(
            &TrustSubject::GitHub {
                repo: "acme".into(),
                qualifier: "x".into(),
                ids: None
            },
            None
        )
        .is_err());
    }

    #[test]
    fn terraform_and_cloudformation_substitute_the_account() {
        let (p, _) = bedrock_policy(
            &BedrockOptions {
                models: vec!["haiku".into()],
                regions: vec!["us-east-1".into()],
                account: None,
                claude_code: true,
                marketplace: false,
            },
            today(),
        )
        .unwrap();
        let tf = render(&p, Format::Terraform, "claude_bedrock");
        assert!(tf.contains("data \"aws_caller_identity\" \"current\" {}"));
        assert!(tf.contains("arn:aws:bedrock:us-east-1:${data.aws_caller_identity.current.account_id}:inference-profile/"));
        assert!(tf.contains("variable = \"bedrock:InferenceProfileArn\""));
        let cfn: Value =
            serde_json::from_str(&render(&p, Format::CloudFormation, "ClaudeBedrockPolicy"))
                .unwrap();
        let doc = &cfn["Resources"]["ClaudeBedrockPolicy"]["Properties"]["PolicyDocument"];
        assert_eq!(doc["Statement"][0]["Resource"]["Fn::Sub"], "arn:aws:bedrock:us-east-1:${AWS::AccountId}:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0");
    }
}
