//! Property: whatever a person types for `--model`, `init` either refuses it or writes a
//! string the doctor's model checks find no error in, from every region with a Bedrock
//! runtime. Both sides ask the catalog's one resolver; this test holds them to it.
//!
//! Inputs: every alias, display name, Anthropic API ID, base and profile ID of every
//! catalog model, the Claude Code aliases, and random mutations of all of these (cut,
//! doubled, re-cased, re-separated, prefixed). `KEYLESS_PROP_CASES` and `KEYLESS_PROP_SEED`
//! run more.

use keyless_catalog::{diagnose, Catalog, Date, Lifecycle, Severity, Verdict};
use keyless_setup::resolve_model;
use keyless_testkit::Rng;

fn today() -> Date {
    Date::parse("2026-12-03").unwrap()
}

fn seeds(c: &Catalog) -> Vec<String> {
    let mut out: Vec<String> = ["sonnet", "opus", "haiku", "fable", "Sonnet", "claude-opus"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for m in &c.models {
        out.push(m.id.clone());
        out.push(m.alias());
        out.push(m.name.clone());
        out.push(m.alias().replace('-', " "));
        let api = m.id.trim_start_matches("anthropic.");
        out.push(api.split("-v").next().unwrap().to_string());
        out.extend(m.profiles.iter().map(|p| p.id.clone()));
    }
    out
}

fn mutate(rng: &mut Rng, s: &str) -> String {
    let mut s = s.to_string();
    match rng.below(8) {
        0 if !s.is_empty() => {
            let cut = s
                .char_indices()
                .map(|(i, _)| i)
                .nth(rng.below(s.chars().count()))
                .unwrap_or(0);
            s.truncate(cut);
        }
        1 => s = s.to_ascii_uppercase(),
        2 => s = s.replace('-', rng.pick(&[" ", "_", ".", ""])),
        3 => {
            s = format!(
                "{}.{s}",
                rng.pick(&["us", "eu", "apac", "jp", "au", "global", "us-gov"])
            )
        }
        4 => {
            s = format!(
                "{s}{}",
                rng.pick(&["-v1", "-v1:0", ":0", "-v2:0", " ", "[1m]"])
            )
        }
        5 => s = s.replace("anthropic.", ""),
        6 => {
            // Non-ASCII anywhere: no slice may land inside a character.
            let at = s
                .char_indices()
                .map(|(i, _)| i)
                .nth(rng.below(s.chars().count().max(1)))
                .unwrap_or(0);
            s.insert_str(at, rng.pick(&["é", "🙂", "\u{200b}", "ß"]));
        }
        _ => {
            s = format!(
                "{}{s}",
                rng.pick(&[
                    "claude-",
                    "anthropic.",
                    " ",
                    "arn:aws:bedrock:us-east-1::foundation-model/"
                ])
            )
        }
    }
    s
}

#[test]
fn init_never_writes_a_model_string_the_doctor_flags() {
    let c = Catalog::embedded();
    let cases: usize = std::env::var("KEYLESS_PROP_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let seed: u64 = std::env::var("KEYLESS_PROP_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed);
    let mut rng = Rng(seed);
    let base = seeds(c);
    let mut inputs = base.clone();
    for _ in 0..cases {
        let s = rng.pick(&base);
        let once = mutate(&mut rng, &s);
        inputs.push(if rng.chance(30) {
            mutate(&mut rng, &once)
        } else {
            once
        });
    }
    let (mut written, mut refused) = (0, 0);
    for (i, input) in inputs.iter().enumerate() {
        // Every region for the fixed inputs; one random region for each mutation.
        let regions: Vec<&String> = if i < base.len() {
            c.runtime_regions.iter().collect()
        } else {
            vec![&c.runtime_regions[rng.below(c.runtime_regions.len())]]
        };
        for region in regions {
            let mut notes = Vec::new();
            match resolve_model(input, region, today(), false, &mut notes) {
                Ok(id) => {
                    written += 1;
                    let d = diagnose(c, &id, Some(region), today());
                    let errors: Vec<_> = d
                        .problems
                        .iter()
                        .filter(|p| p.severity == Severity::Error)
                        .collect();
                    assert!(
                        errors.is_empty(),
                        "init wrote `{id}` for {input:?} from {region}; doctor says {errors:#?}"
                    );
                    assert!(
                        !matches!(d.verdict(), Verdict::Unknown | Verdict::ClaudeCodeAlias),
                        "init wrote `{id}` for {input:?} from {region}: {d:#?}"
                    );
                }
                Err(e) => {
                    refused += 1;
                    assert!(
                        e.hint.is_some(),
                        "{input:?} from {region}: refusal without a hint: {e}"
                    );
                }
            }
        }
    }
    assert!(
        written > 1000 && refused > 100,
        "written {written}, refused {refused}"
    );
}

#[test]
fn the_default_models_are_active_wherever_an_active_one_is_callable() {
    let c = Catalog::embedded();
    for region in &c.runtime_regions {
        for family in ["sonnet", "haiku", "opus"] {
            let active_exists = c.models.iter().any(|m| {
                m.family == family
                    && m.lifecycle_on(today()) == Lifecycle::Active
                    && m.available_from(region)
            });
            let mut notes = Vec::new();
            match resolve_model(family, region, today(), false, &mut notes) {
                Ok(id) => {
                    let d = diagnose(c, &id, Some(region), today());
                    if active_exists {
                        assert!(
                            !d.problems.iter().any(|p| p.verdict == Verdict::Legacy),
                            "{family} from {region}: `{id}` is Legacy although an active {family} is callable"
                        );
                    }
                }
                Err(e) => assert!(!active_exists, "{family} from {region}: refused ({e})"),
            }
        }
    }
}

#[test]
fn unknown_ids_are_refused_unless_allowed() {
    let mut notes = Vec::new();
    let e = resolve_model(
        "us.anthropic.claude-sonnet-9",
        "us-east-1",
        today(),
        false,
        &mut notes,
    )
    .unwrap_err();
    assert!(e.message.contains("--allow-unknown-model"), "{e}");
    let id = resolve_model(
        "us.anthropic.claude-sonnet-9",
        "us-east-1",
        today(),
        true,
        &mut notes,
    )
    .unwrap();
    assert_eq!(id, "us.anthropic.claude-sonnet-9");
    assert!(notes.iter().any(|n| n.contains("--allow-unknown-model")));
    // Allowing unknown IDs does not let a known broken one through.
    let id = resolve_model("sonnet-4.5", "us-east-1", today(), true, &mut notes).unwrap();
    assert_eq!(id, "us.anthropic.claude-sonnet-4-5-20250929-v1:0");
}
