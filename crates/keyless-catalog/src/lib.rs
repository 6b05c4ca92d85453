//! The catalog of Anthropic Claude models on Amazon Bedrock.
//!
//! The data lives in `data/bedrock-claude-models.toml` (each entry with its source and
//! the catalog's "as of" date) and is embedded in the binary. This crate answers the
//! questions every other part of keyless asks: which exact ID works from this region,
//! what a person means by `sonnet-4.5`, and what is wrong with a model string they wrote.
//!
//! The catalog can be out of date; nothing here ever calls an unknown string "invalid".
//! Unknown IDs get a warning that names the catalog's date and points to `--live`.

use std::cmp::Ordering;
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;

mod diagnose;
mod shape;
pub use diagnose::{diagnose, Diagnosis, Problem, Verdict, CLAUDE_CODE_ALIASES};
/// The severity of a model problem is the one every rule family uses.
pub use keyless_rules::Severity;

/// The catalog source, embedded.
pub const CATALOG_TOML: &str = include_str!("../data/bedrock-claude-models.toml");

/// Geographic prefixes of system-defined inference profiles.
pub const PROFILE_PREFIXES: &[&str] = &["us-gov", "us", "eu", "apac", "jp", "au", "global"];

/// A calendar date (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1-12.
    pub month: u32,
    /// Day, 1-31.
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Self> {
        let mut it = s.trim().splitn(3, '-');
        let year = it.next()?.parse().ok()?;
        let month: u32 = it.next()?.parse().ok()?;
        let day: u32 = it.next()?.parse().ok()?;
        ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Self { year, month, day })
    }

    /// The date of a Unix timestamp (seconds).
    pub fn from_unix(secs: i64) -> Self {
        // Howard Hinnant's civil_from_days.
        let z = secs.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self { year, month, day }
    }

    /// Today's date from the system clock.
    pub fn today() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Self::from_unix(secs)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Where a model is in its Bedrock lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lifecycle {
    /// Available to everyone.
    Active,
    /// Available to existing users only; new customers cannot use it.
    Legacy,
    /// Gone: requests fail.
    EndOfLife,
}

impl Lifecycle {
    /// The name used in data and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Legacy => "legacy",
            Self::EndOfLife => "end-of-life",
        }
    }
}

#[derive(Deserialize)]
struct RawCatalog {
    catalog: RawMeta,
    model: Vec<RawModel>,
}

#[derive(Deserialize)]
struct RawMeta {
    as_of: String,
    sources: Vec<String>,
    runtime_regions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModel {
    id: String,
    name: String,
    family: String,
    version: [u32; 2],
    on_demand: bool,
    lifecycle: String,
    legacy_date: Option<String>,
    eol_date: Option<String>,
    source: String,
    #[serde(default)]
    profile: Vec<RawProfile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    prefix: String,
    sources: Vec<String>,
    destinations: Vec<String>,
    regions_confidence: Option<String>,
}

/// A system-defined cross-region inference profile of one model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InferenceProfile {
    /// `us`, `eu`, `apac`, `jp`, `au`, `us-gov` or `global`.
    pub prefix: String,
    /// The profile ID (`<prefix>.<base id>`).
    pub id: String,
    /// Regions it can be called from.
    pub sources: Vec<String>,
    /// Regions it routes to.
    pub destinations: Vec<String>,
    /// `true` when the region lists are inferred, not from a cited source.
    pub regions_inferred: bool,
}

/// A Claude model on Bedrock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// Base foundation-model ID.
    pub id: String,
    /// Display name.
    pub name: String,
    /// `sonnet`, `opus`, `haiku` or `fable`.
    pub family: String,
    /// (major, minor).
    pub version: (u32, u32),
    /// Whether the base ID can be invoked on demand.
    pub on_demand: bool,
    lifecycle: Lifecycle,
    /// When it became (or becomes) Legacy.
    pub legacy_date: Option<Date>,
    /// When it reached (or reaches) end of life.
    pub eol_date: Option<Date>,
    /// The public source of this entry.
    pub source: String,
    /// Its inference profiles.
    pub profiles: Vec<InferenceProfile>,
}

impl Model {
    /// The lifecycle state on `date`: the recorded state, advanced by any transition
    /// date that has passed.
    pub fn lifecycle_on(&self, date: Date) -> Lifecycle {
        let mut state = self.lifecycle;
        if self.legacy_date.is_some_and(|d| d <= date) {
            state = state.max(Lifecycle::Legacy);
        }
        if self.eol_date.is_some_and(|d| d <= date) {
            state = Lifecycle::EndOfLife;
        }
        state
    }

    /// The profile with `prefix`.
    pub fn profile(&self, prefix: &str) -> Option<&InferenceProfile> {
        self.profiles.iter().find(|p| p.prefix == prefix)
    }

    /// The short alias of this exact model: `sonnet-4.5`, `opus-4`, ...
    pub fn alias(&self) -> String {
        match self.version {
            (major, 0) => format!("{}-{major}", self.family),
            (major, minor) => format!("{}-{major}.{minor}", self.family),
        }
    }

    /// Whether this model can be used from `region`: its base ID on demand (where
    /// Bedrock runs) or a profile whose sources include the region.
    pub fn available_from(&self, region: &str) -> bool {
        self.best_profile(region).is_some()
    }

    /// The inference profile to use from `region`, following Claude Code's own choice
    /// of prefix (`us-gov-*` → `us-gov`, `us-*` → `us`, `eu-*` → `eu`, `ap-*` → `apac`),
    /// then any other geographic profile callable from the region (`jp`, `au`, `ca`...),
    /// then `global`.
    pub fn best_profile(&self, region: &str) -> Option<&InferenceProfile> {
        let callable = |p: &&InferenceProfile| p.sources.iter().any(|s| s == region);
        let preferred = default_prefix(region);
        self.profiles
            .iter()
            .filter(callable)
            .find(|p| p.prefix == preferred)
            .or_else(|| {
                self.profiles
                    .iter()
                    .filter(callable)
                    .find(|p| p.prefix != "global")
            })
            .or_else(|| {
                self.profiles
                    .iter()
                    .filter(callable)
                    .find(|p| p.prefix == "global")
            })
    }
}

/// The prefix Claude Code tries first for a region (Claude Code docs §1.1).
pub fn default_prefix(region: &str) -> &'static str {
    if region.starts_with("us-gov-") {
        "us-gov"
    } else if region.starts_with("us-") {
        "us"
    } else if region.starts_with("eu-") {
        "eu"
    } else if region.starts_with("ap-") {
        "apac"
    } else {
        "global"
    }
}

/// The whole catalog.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// The date the data was last checked.
    pub as_of: Date,
    /// Where the data comes from.
    pub sources: Vec<String>,
    /// Regions with a Bedrock runtime endpoint.
    pub runtime_regions: Vec<String>,
    /// The models, newest first within each family in file order.
    pub models: Vec<Model>,
}

/// An error in the catalog data (caught by the crate's tests, never at a user's run).
#[derive(Debug)]
pub struct CatalogError(pub String);

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Catalog {
    /// Parses catalog TOML.
    pub fn parse(text: &str) -> Result<Self, CatalogError> {
        let raw: RawCatalog = toml::from_str(text).map_err(|e| CatalogError(e.to_string()))?;
        let date = |s: &str| Date::parse(s).ok_or_else(|| CatalogError(format!("bad date `{s}`")));
        let mut models = Vec::new();
        for m in raw.model {
            let lifecycle = match m.lifecycle.as_str() {
                "active" => Lifecycle::Active,
                "legacy" => Lifecycle::Legacy,
                "end-of-life" => Lifecycle::EndOfLife,
                other => {
                    return Err(CatalogError(format!(
                        "{}: unknown lifecycle `{other}`",
                        m.id
                    )))
                }
            };
            let mut profiles = Vec::new();
            for p in m.profile {
                if !PROFILE_PREFIXES.contains(&p.prefix.as_str()) {
                    return Err(CatalogError(format!(
                        "{}: unknown prefix `{}`",
                        m.id, p.prefix
                    )));
                }
                profiles.push(InferenceProfile {
                    id: format!("{}.{}", p.prefix, m.id),
                    prefix: p.prefix,
                    sources: p.sources,
                    destinations: p.destinations,
                    regions_inferred: match p.regions_confidence.as_deref() {
                        None => false,
                        Some("inferred") => true,
                        Some(o) => {
                            return Err(CatalogError(format!(
                                "{}: bad regions_confidence `{o}`",
                                m.id
                            )))
                        }
                    },
                });
            }
            models.push(Model {
                legacy_date: m.legacy_date.as_deref().map(date).transpose()?,
                eol_date: m.eol_date.as_deref().map(date).transpose()?,
                id: m.id,
                name: m.name,
                family: m.family,
                version: (m.version[0], m.version[1]),
                on_demand: m.on_demand,
                lifecycle,
                source: m.source,
                profiles,
            });
        }
        Ok(Self {
            as_of: date(&raw.catalog.as_of)?,
            sources: raw.catalog.sources,
            runtime_regions: raw.catalog.runtime_regions,
            models,
        })
    }

    /// The catalog embedded in this build.
    pub fn embedded() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            Catalog::parse(CATALOG_TOML)
                .expect("the embedded catalog parses; the crate's tests check it")
        })
    }

    /// The model with base ID `id`.
    pub fn model(&self, id: &str) -> Option<&Model> {
        self.models.iter().find(|m| m.id == id)
    }

    /// Whether Bedrock has a runtime endpoint in `region`.
    pub fn has_runtime(&self, region: &str) -> bool {
        self.runtime_regions.iter().any(|r| r == region)
    }

    /// Whether `s` is shaped like an AWS region name (`xx-name-N`).
    pub fn looks_like_region(s: &str) -> bool {
        let parts: Vec<&str> = s.split('-').collect();
        parts.len() >= 3
            && parts.iter().all(|p| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            })
            && parts
                .last()
                .is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()))
    }

    /// The newest model of `family` in the best lifecycle state on `date`, restricted to
    /// models usable from `region` when one is given.
    pub fn newest(&self, family: &str, region: Option<&str>, date: Date) -> Option<&Model> {
        self.models
            .iter()
            .filter(|m| m.family == family)
            .filter(|m| region.is_none_or(|r| m.available_from(r)))
            .filter(|m| m.lifecycle_on(date) != Lifecycle::EndOfLife)
            .min_by(|a, b| {
                a.lifecycle_on(date)
                    .cmp(&b.lifecycle_on(date))
                    .then_with(|| b.version.cmp(&a.version))
            })
    }

    /// The model families of the catalog (`sonnet`, `opus`, `haiku`, `fable`).
    pub fn families(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for m in &self.models {
            if !out.contains(&m.family.as_str()) {
                out.push(&m.family);
            }
        }
        out
    }

    /// Resolves what a person typed to a model: a family (`sonnet`: the newest usable
    /// from `region`), or any string [`diagnose`] recognises as naming a catalog model
    /// (an alias such as `sonnet-4.5` or `haiku 4.5`, a display name, an Anthropic API
    /// ID, a Bedrock base or profile ID, even one with a broken suffix).
    pub fn resolve(&self, input: &str, region: Option<&str>, date: Date) -> Option<&Model> {
        let s = input.trim().to_ascii_lowercase();
        let s = s.strip_suffix("[1m]").unwrap_or(&s);
        let s = s.strip_prefix("claude-").unwrap_or(s);
        if self.families().contains(&s) {
            return self.newest(s, region, date);
        }
        diagnose(self, input.trim(), region, date)
            .model
            .and_then(|m| self.model(&m.id))
    }

    /// Every alias `resolve` accepts for a specific model, for `--help` and errors.
    pub fn aliases(&self) -> Vec<String> {
        let mut out: Vec<String> = vec!["sonnet".into(), "opus".into(), "haiku".into()];
        out.extend(self.models.iter().map(Model::alias));
        out
    }
}

impl PartialOrd for Model {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.version.cmp(&other.version))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn embedded_catalog_is_consistent() {
        let c = Catalog::parse(CATALOG_TOML).unwrap();
        assert_eq!(c.as_of, d("2026-11-27"));
        let mut ids: Vec<&str> = c.models.iter().map(|m| m.id.as_str()).collect();
        ids.sort();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate model IDs");
        for m in &c.models {
            assert!(m.id.starts_with("anthropic.claude-"), "{}", m.id);
            assert!(!m.source.is_empty());
            for p in &m.profiles {
                assert!(
                    !p.sources.is_empty() && !p.destinations.is_empty(),
                    "{}",
                    p.id
                );
                for r in p.sources.iter().chain(&p.destinations) {
                    assert!(Catalog::looks_like_region(r), "{}: {r}", p.id);
                }
            }
            if let (Some(l), Some(e)) = (m.legacy_date, m.eol_date) {
                assert!(l < e, "{}", m.id);
            }
        }
        for r in &c.runtime_regions {
            assert!(Catalog::looks_like_region(r), "{r}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(Date::from_unix(0), d("1970-01-01"));
        assert_eq!(Date::from_unix(1_795_737_600), d("2026-11-27"));
        assert_eq!(Date::from_unix(951_782_400), d("2000-02-29"));
        assert!(Date::parse("2026-13-01").is_none());
    }

    #[test]
    fn lifecycle_follows_dates() {
        let c = Catalog::embedded();
        let s45 = c
            .model("anthropic.claude-sonnet-4-5-20250929-v1:0")
            .unwrap();
        assert_eq!(s45.lifecycle_on(d("2026-11-27")), Lifecycle::Legacy);
        assert_eq!(s45.lifecycle_on(d("2027-04-08")), Lifecycle::EndOfLife);
        let s4 = c.model("anthropic.claude-sonnet-4-20250514-v1:0").unwrap();
        assert_eq!(s4.lifecycle_on(d("2026-11-27")), Lifecycle::EndOfLife);
    }

    #[test]
    fn aliases_resolve() {
        let c = Catalog::embedded();
        let today = d("2026-11-27");
        let id = |s: &str, r: Option<&str>| c.resolve(s, r, today).map(|m| m.id.clone());
        assert_eq!(
            id("sonnet-4.5", None).unwrap(),
            "anthropic.claude-sonnet-4-5-20250929-v1:0"
        );
        assert_eq!(
            id("haiku-4.5", None).unwrap(),
            "anthropic.claude-haiku-4-5-20251001-v1:0"
        );
        assert_eq!(
            id("opus-4.1", None).unwrap(),
            "anthropic.claude-opus-4-1-20250805-v1:0"
        );
        assert_eq!(
            id("claude-sonnet-4-5", None).unwrap(),
            "anthropic.claude-sonnet-4-5-20250929-v1:0"
        );
        assert_eq!(
            id("haiku", Some("us-east-1")).unwrap(),
            "anthropic.claude-haiku-4-5-20251001-v1:0"
        );
        assert_eq!(
            id("sonnet", Some("us-east-1")).unwrap(),
            "anthropic.claude-sonnet-5"
        );
        // From Frankfurt the newest active Sonnet is reached through its global profile;
        // it is preferred to the Legacy Sonnet 4.5, which has an `eu.` profile.
        assert_eq!(
            id("sonnet", Some("eu-central-1")).unwrap(),
            "anthropic.claude-sonnet-4-6"
        );
        // From a region where no active Sonnet is callable, the newest usable one (Legacy).
        assert_eq!(
            id("sonnet", Some("us-gov-west-1")).unwrap(),
            "anthropic.claude-sonnet-4-5-20250929-v1:0"
        );
        for s in [
            "haiku 4.5",
            "Claude Haiku 4.5",
            "claude-haiku-4-5-20251001",
            "us.anthropic.claude-haiku-4-5-20251001-v1",
        ] {
            assert_eq!(
                id(s, Some("us-east-1")).unwrap(),
                "anthropic.claude-haiku-4-5-20251001-v1:0",
                "{s}"
            );
        }
        assert_eq!(
            id("us.anthropic.claude-opus-4-6-v1", None).unwrap(),
            "anthropic.claude-opus-4-6-v1"
        );
        assert_eq!(id("gpt-4", None), None);
    }

    #[test]
    fn best_profile_follows_claude_codes_prefix_choice() {
        let c = Catalog::embedded();
        let haiku = c.model("anthropic.claude-haiku-4-5-20251001-v1:0").unwrap();
        let p = |r: &str| haiku.best_profile(r).map(|p| p.id.clone());
        assert_eq!(
            p("us-east-1").unwrap(),
            "us.anthropic.claude-haiku-4-5-20251001-v1:0"
        );
        assert_eq!(
            p("eu-west-1").unwrap(),
            "eu.anthropic.claude-haiku-4-5-20251001-v1:0"
        );
        assert_eq!(
            p("ap-northeast-1").unwrap(),
            "jp.anthropic.claude-haiku-4-5-20251001-v1:0"
        );
        assert_eq!(
            p("ap-south-1").unwrap(),
            "global.anthropic.claude-haiku-4-5-20251001-v1:0"
        );
        assert_eq!(p("af-south-1"), None);
    }
}
