//! `keyless models`.

use keyless_catalog::{diagnose, Catalog, Date, Lifecycle, Verdict};
use keyless_config::Environment;
use keyless_doctor::Context;
use keyless_rules::Severity;
use serde_json::json;

use crate::cli::{ModelsArgs, ModelsCommand};
use crate::output::{self, out, paint, CliError, BOLD, DIM, ERROR, GOOD, INFO, WARNING};
use crate::Outcome;

pub fn run(args: ModelsArgs) -> Result<Outcome, CliError> {
    let now = super::now()?;
    let today = Date::from_unix(now);
    let catalog = Catalog::embedded();
    let region = match args.region {
        Some(r) => Some(r),
        // The region the current setup resolves to, if any; a broken setup is not this
        // command's business.
        None => Context::load(Environment::from_process(), now)
            .ok()
            .and_then(|cx| cx.region()),
    };
    if let Some(r) = &region {
        if !Catalog::looks_like_region(r) || !catalog.has_runtime(r) {
            return Err(
                CliError::new(format!("`{r}` is not a region with a Bedrock runtime"))
                    .hint(format!("regions: {}", catalog.runtime_regions.join(", "))),
            );
        }
    }
    if let Some(ModelsCommand::Resolve { string }) = &args.command {
        return resolve(catalog, string, region.as_deref(), today, args.json);
    }
    let rows: Vec<_> = catalog
        .models
        .iter()
        .filter(|m| args.all || m.lifecycle_on(today) != Lifecycle::EndOfLife)
        .filter_map(|m| match &region {
            Some(r) => m.best_profile(r).map(|p| (m, vec![p])),
            None => Some((m, m.profiles.iter().collect())),
        })
        .collect();
    if args.json {
        let v = json!({
            "schema": 1,
            "catalog_as_of": catalog.as_of.to_string(),
            "region": region,
            "models": rows.iter().map(|(m, ps)| json!({
                "id": m.id,
                "name": m.name,
                "alias": m.alias(),
                "family": m.family,
                "lifecycle": m.lifecycle_on(today).as_str(),
                "legacy_date": m.legacy_date.map(|d| d.to_string()),
                "eol_date": m.eol_date.map(|d| d.to_string()),
                "on_demand": m.on_demand,
                "source": m.source,
                "profiles": ps.iter().map(|p| json!({
                    "id": p.id,
                    "prefix": p.prefix,
                    "source_regions": p.sources,
                    "destination_regions": p.destinations,
                    "regions_inferred": p.regions_inferred,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        });
        out(&output::json(&v));
        return Ok(Outcome::Clean);
    }
    let mut s = match &region {
        Some(r) => format!(
            "Claude models usable from {} (catalog as of {})\n\n",
            paint(BOLD, r),
            catalog.as_of
        ),
        None => format!(
            "Claude models on Bedrock (catalog as of {}); pass --region for exact IDs\n\n",
            catalog.as_of
        ),
    };
    let w_name = rows
        .iter()
        .map(|(m, _)| m.name.len())
        .max()
        .unwrap_or(5)
        .max(5);
    let w_alias = rows
        .iter()
        .map(|(m, _)| m.alias().len())
        .max()
        .unwrap_or(5)
        .max(5);
    let status_of = |m: &keyless_catalog::Model| match (m.lifecycle_on(today), m.eol_date) {
        (Lifecycle::Legacy, Some(d)) => format!("legacy, EOL {d}"),
        (Lifecycle::EndOfLife, Some(d)) => format!("EOL since {d}"),
        (status, _) => status.as_str().to_string(),
    };
    let w_status = rows
        .iter()
        .map(|(m, _)| status_of(m).len())
        .max()
        .unwrap_or(6)
        .max(6);
    s.push_str(&paint(
        BOLD,
        format!(
            "{:w_name$}  {:w_alias$}  {:w_status$}  {}\n",
            "MODEL",
            "ALIAS",
            "STATUS",
            if region.is_some() {
                "ID FOR CLAUDE CODE"
            } else {
                "PROFILES"
            }
        ),
    ));
    for (m, ps) in &rows {
        let text = format!("{:w_status$}", status_of(m));
        let status_text = match m.lifecycle_on(today) {
            Lifecycle::Active => paint(GOOD, text),
            _ => paint(WARNING, text),
        };
        let ids = match &region {
            Some(_) => {
                let p = ps[0];
                if p.regions_inferred {
                    format!("{} {}", p.id, paint(DIM, "(regions inferred)"))
                } else {
                    p.id.clone()
                }
            }
            None => ps
                .iter()
                .map(|p| format!("{}.", p.prefix))
                .collect::<Vec<_>>()
                .join(" "),
        };
        s.push_str(&format!(
            "{:w_name$}  {:w_alias$}  {status_text}  {ids}\n",
            m.name,
            m.alias()
        ));
    }
    if rows.is_empty() {
        s.push_str("(none)\n");
    }
    s.push_str(&paint(
        DIM,
        "\nSet the ID as ANTHROPIC_MODEL (or ANTHROPIC_DEFAULT_HAIKU_MODEL for the background model);\n`keyless init --model ALIAS` does it for you. Legacy models are closed to new AWS accounts.\n",
    ));
    out(&s);
    Ok(Outcome::Clean)
}

/// `keyless models resolve STRING`: the catalog's one diagnosis, and the ID to write.
fn resolve(
    catalog: &Catalog,
    input: &str,
    region: Option<&str>,
    today: Date,
    json: bool,
) -> Result<Outcome, CliError> {
    // Without a region, the verdict is the one Claude Code meets with no region set.
    let region = region.unwrap_or("us-east-1");
    let d = diagnose(catalog, input, Some(region), today);
    let works = !d.has_error();
    // What to write: the string itself when it works, else the replacement; a Claude Code
    // alias works as it is, and the ID it would pin is the family's newest from the region.
    let to_write = if d.verdict() == Verdict::ClaudeCodeAlias {
        catalog
            .resolve(input, Some(region), today)
            .and_then(|m| m.best_profile(region))
            .map(|p| p.id.clone())
    } else if works && d.verdict() != Verdict::NotAnId {
        Some(input.to_string())
    } else {
        d.replacement().map(str::to_string)
    };
    let outcome = if works {
        Outcome::Clean
    } else {
        Outcome::Findings
    };
    if json {
        let v = json!({
            "schema": 1,
            "input": input,
            "region": region,
            "catalog_as_of": catalog.as_of.to_string(),
            "verdict": d.verdict().as_str(),
            "works": works,
            "model": d.model.as_ref().map(|m| json!({
                "id": m.id,
                "name": m.name,
                "lifecycle": m.lifecycle_on(today).as_str(),
            })),
            "use": to_write,
            "problems": d.problems.iter().map(|p| json!({
                "verdict": p.verdict.as_str(),
                "severity": p.severity.as_str(),
                "message": p.message,
                "replacement": p.replacement,
            })).collect::<Vec<_>>(),
        });
        out(&output::json(&v));
        return Ok(outcome);
    }
    let mut s = format!(
        "{} from {} (catalog as of {})\n",
        paint(BOLD, format!("`{input}`")),
        paint(BOLD, region),
        catalog.as_of
    );
    if let Some(m) = &d.model {
        s.push_str(&format!("names {} (`{}`)\n", m.name, m.id));
    }
    s.push('\n');
    if d.problems.is_empty() {
        s.push_str(&format!("{}: works as written\n", paint(GOOD, "valid")));
    }
    for p in &d.problems {
        let label = match p.severity {
            Severity::Error => paint(ERROR, "error"),
            Severity::Warning => paint(WARNING, "warning"),
            Severity::Info => paint(INFO, "note"),
        };
        s.push_str(&format!("{label}[{}]: {}\n", p.verdict.as_str(), p.message));
    }
    match &to_write {
        Some(id) if id != input => s.push_str(&format!("\n{} {id}\n", paint(BOLD, "use:"))),
        Some(_) => {}
        None if !works => s.push_str(&format!(
            "\n{} `keyless models --region {region}` lists the IDs that work there\n",
            paint(BOLD, "use:")
        )),
        None => {}
    }
    out(&s);
    Ok(outcome)
}
