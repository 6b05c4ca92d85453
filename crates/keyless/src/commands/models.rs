//! `keyless models`.

use keyless_catalog::{Catalog, Date, Lifecycle};
use keyless_config::Environment;
use keyless_doctor::Context;
use serde_json::json;

use crate::cli::ModelsArgs;
use crate::output::{self, out, paint, CliError, BOLD, DIM, GOOD, WARNING};
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
    s.push_str(&paint(
        BOLD,
        format!(
            "{:w_name$}  {:w_alias$}  {:18}  {}\n",
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
        let status = m.lifecycle_on(today);
        let status_text = match (status, m.eol_date) {
            (Lifecycle::Legacy, Some(d)) => {
                paint(WARNING, format!("{:18}", format!("legacy, EOL {d}")))
            }
            (Lifecycle::Active, _) => paint(GOOD, format!("{:18}", "active")),
            (Lifecycle::EndOfLife, Some(d)) => {
                paint(WARNING, format!("{:18}", format!("EOL since {d}")))
            }
            (s, _) => paint(WARNING, format!("{:18}", s.as_str())),
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
