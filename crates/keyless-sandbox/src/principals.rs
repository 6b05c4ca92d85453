//! Who may call the sandbox: the credentials it knows, and the policies attached to each.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use keyless_iam::{CompiledPolicy, Policy, PolicySet};

/// The identity policies attached to a principal, with their names for the record.
#[derive(Debug, Default)]
pub struct Policies {
    /// Compiled, ready to evaluate.
    pub set: PolicySet,
    /// File names (or labels), in the order given.
    pub names: Vec<String>,
}

/// A policy file that does not parse: its name and the parser's position and message.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{name}: {error}")]
pub struct PolicyFileError {
    /// The file (or the name given with the text).
    pub name: String,
    /// Where and what.
    pub error: keyless_iam::PolicyError,
}

impl PolicyFileError {
    /// What the person can do next.
    pub fn hint(&self) -> &'static str {
        "check it with `keyless policy lint FILE`"
    }
}

impl Policies {
    /// Policies from `(name, text)` pairs; an error names the policy and the line.
    pub fn parse(docs: &[(String, String)]) -> Result<Self, PolicyFileError> {
        Self::with_scps(docs, &[])
    }

    /// Identity policies and, as one level of the organization, service control policies.
    pub fn with_scps(
        docs: &[(String, String)],
        scps: &[(String, String)],
    ) -> Result<Self, PolicyFileError> {
        let compile = |(name, text): &(String, String)| {
            Policy::parse(text)
                .map(|p| CompiledPolicy::new(name.clone(), &p))
                .map_err(|error| PolicyFileError {
                    name: name.clone(),
                    error,
                })
        };
        let mut set = PolicySet {
            identity: docs.iter().map(compile).collect::<Result<_, _>>()?,
            ..PolicySet::default()
        };
        if !scps.is_empty() {
            set.scps = vec![scps.iter().map(compile).collect::<Result<_, _>>()?];
        }
        let names = docs.iter().chain(scps).map(|(n, _)| n.clone()).collect();
        Ok(Self { set, names })
    }
}

/// A principal the sandbox knows by its access key.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The ARN IAM evaluates (`arn:aws:iam::A:user/N`, `arn:aws:sts::A:assumed-role/R/S`).
    pub arn: String,
    /// The secret key, to recompute signatures.
    pub secret: String,
    /// For temporary credentials: the token that must come with every request.
    pub session_token: Option<String>,
    /// For temporary credentials: Unix seconds after which they are refused.
    pub expires: Option<i64>,
    /// The unique ID STS reports (`AIDA…`, `AROA…:session`).
    pub user_id: String,
    /// Its policies.
    pub policies: Arc<Policies>,
}

/// Every principal and role, shared by all connections.
#[derive(Debug, Default)]
pub struct Registry {
    by_key: RwLock<HashMap<String, Principal>>,
    /// Role ARN → the policies attached to it, for sessions issued through the STS proxy.
    roles: RwLock<Vec<(String, Arc<Policies>)>>,
}

impl Registry {
    /// Adds (or replaces) a principal.
    pub fn add(&self, access_key_id: &str, p: Principal) {
        self.by_key
            .write()
            .expect("registry lock")
            .insert(access_key_id.to_string(), p);
    }

    /// Attaches policies to a role.
    pub fn add_role(&self, role_arn: &str, policies: Arc<Policies>) {
        self.roles
            .write()
            .expect("registry lock")
            .push((role_arn.to_string(), policies));
    }

    /// The principal for an access key.
    pub fn get(&self, access_key_id: &str) -> Option<Principal> {
        self.by_key
            .read()
            .expect("registry lock")
            .get(access_key_id)
            .cloned()
    }

    /// The policies of the role behind an assumed-role session ARN
    /// (`arn:aws:sts::A:assumed-role/NAME/SESSION` → the role `…:role/[path/]NAME`).
    pub fn role_policies(&self, session_arn: &str) -> Option<Arc<Policies>> {
        let name = session_arn
            .split(":assumed-role/")
            .nth(1)?
            .split('/')
            .next()?;
        let account = session_arn.split(':').nth(4)?;
        self.roles
            .read()
            .expect("registry lock")
            .iter()
            .find(|(arn, _)| {
                arn.split(':').nth(4) == Some(account)
                    && arn.rsplit('/').next() == Some(name)
                    && arn.contains(":role/")
            })
            .map(|(_, p)| p.clone())
    }
}

/// The role ARN behind an assumed-role session ARN.
pub fn role_of_session(session_arn: &str) -> Option<String> {
    let (head, rest) = session_arn.split_once(":assumed-role/")?;
    let name = rest.split('/').next()?;
    let account = head.split(':').nth(4)?;
    let partition = head.split(':').nth(1)?;
    Some(format!("arn:{partition}:iam::{account}:role/{name}"))
}

/// One sign-in: a cached token and the account role it may use.
#[derive(Debug, Clone)]
pub struct SsoGrant {
    /// The bearer token from the SSO cache.
    pub token: String,
    /// `sso_account_id`.
    pub account_id: String,
    /// `sso_role_name`.
    pub role_name: String,
    /// The policies of the role (its permission set).
    pub policies: Arc<Policies>,
}

/// The sign-ins the sandbox honours.
#[derive(Debug, Default)]
pub struct SsoGrants(RwLock<Vec<SsoGrant>>);

impl SsoGrants {
    /// Honours a sign-in.
    pub fn add(&self, grant: SsoGrant) {
        self.0.write().expect("sso lock").push(grant);
    }

    /// The sign-ins made with `token`.
    pub fn find(&self, token: &str) -> Vec<SsoGrant> {
        self.0
            .read()
            .expect("sso lock")
            .iter()
            .filter(|g| g.token == token)
            .cloned()
            .collect()
    }
}
