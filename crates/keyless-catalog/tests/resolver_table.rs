//! The one resolver, over the whole catalog: every model, every inference profile, every
//! region with a Bedrock runtime, and every broken way of writing each model's ID.
//!
//! What must hold everywhere: a profile ID callable from the region has no error but its
//! lifecycle's; every other string that names a catalog model is an error naming that
//! model, never "unknown"; and every replacement offered works from the region.

use keyless_catalog::{diagnose, Catalog, Date, Diagnosis, Lifecycle, Model, Severity, Verdict};

fn today() -> Date {
    Date::parse("2026-12-03").unwrap()
}

/// The verdicts that come from the model's lifecycle alone.
fn lifecycle_verdicts(m: &Model) -> Vec<Verdict> {
    match m.lifecycle_on(today()) {
        Lifecycle::Active => vec![],
        Lifecycle::Legacy => vec![Verdict::Legacy],
        Lifecycle::EndOfLife => vec![Verdict::EndOfLife],
    }
}

fn shape_verdicts(d: &Diagnosis) -> Vec<Verdict> {
    d.problems
        .iter()
        .map(|p| p.verdict)
        .filter(|v| !matches!(v, Verdict::Legacy | Verdict::EndOfLife | Verdict::Valid))
        .collect()
}

/// A replacement must itself work from the region: no error at all.
fn assert_replacements_work(c: &Catalog, d: &Diagnosis, region: &str, what: &str) {
    for p in &d.problems {
        if let Some(rep) = &p.replacement {
            let again = diagnose(c, rep, Some(region), today());
            assert!(
                !again.has_error(),
                "{what} from {region}: the fix `{rep}` is itself broken: {again:#?}"
            );
        }
    }
}

#[test]
fn every_profile_from_every_region() {
    let c = Catalog::embedded();
    let mut checked = 0;
    for m in &c.models {
        for p in &m.profiles {
            for region in &c.runtime_regions {
                let d = diagnose(c, &p.id, Some(region), today());
                let what = format!("{} ({})", p.id, m.name);
                assert_eq!(d.model.as_ref().map(|x| &x.id), Some(&m.id), "{what}");
                if p.sources.contains(region) {
                    assert_eq!(
                        shape_verdicts(&d),
                        Vec::<Verdict>::new(),
                        "{what} from {region}"
                    );
                    let life: Vec<Verdict> = d
                        .problems
                        .iter()
                        .map(|p| p.verdict)
                        .filter(|v| matches!(v, Verdict::Legacy | Verdict::EndOfLife))
                        .collect();
                    assert_eq!(life, lifecycle_verdicts(m), "{what} from {region}");
                } else {
                    assert_eq!(
                        shape_verdicts(&d),
                        [Verdict::WrongGeography],
                        "{what} from {region}"
                    );
                    assert!(d.has_error());
                }
                assert_replacements_work(c, &d, region, &what);
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "only {checked} cases");
}

/// Every broken way of writing `m`'s ID that people and tools produce.
fn broken_shapes(m: &Model) -> Vec<(String, Verdict)> {
    let id = &m.id;
    let (stem, suffix) = match id.rfind("-v") {
        Some(i) if id[i + 2..].starts_with(|c: char| c.is_ascii_digit()) => {
            (&id[..i], Some(&id[i + 1..]))
        }
        _ => (id.as_str(), None),
    };
    let api_id = stem.strip_prefix("anthropic.").unwrap().to_string();
    let mut out = vec![
        (format!("{id} "), Verdict::MalformedId),
        (id.to_ascii_uppercase(), Verdict::MalformedId),
        (api_id.clone(), Verdict::AnthropicApiId),
        (m.alias(), Verdict::NotAnId),
        (m.name.clone(), Verdict::NotAnId),
        (
            format!("{api_id}-v1:0").replace("-v1:0-v1:0", "-v1:0"),
            Verdict::MalformedId,
        ),
    ];
    match suffix {
        Some(sfx) => {
            out.push((stem.to_string(), Verdict::MalformedId));
            if let Some((major, _)) = sfx.split_once(':') {
                out.push((format!("{stem}-{major}"), Verdict::MalformedId));
            } else {
                out.push((format!("{stem}-{sfx}:0"), Verdict::MalformedId));
            }
        }
        None => out.push((format!("{id}-v1:0"), Verdict::MalformedId)),
    }
    // The Bedrock ID without its date, as Bedrock's Mantle endpoint writes it.
    if let Some(i) = stem.rfind('-').filter(|&i| stem[i + 1..].len() == 8) {
        out.push((stem[..i].to_string(), Verdict::MalformedId));
    }
    out
}

#[test]
fn every_broken_shape_of_every_model_names_the_model_and_its_fix() {
    let c = Catalog::embedded();
    let regions = [
        "us-east-1",
        "eu-west-3",
        "ap-northeast-1",
        "ap-southeast-2",
        "sa-east-1",
    ];
    for m in &c.models {
        for (input, want) in broken_shapes(m) {
            for region in regions {
                let d = diagnose(c, &input, Some(region), today());
                let what = format!("{input:?} ({})", m.name);
                assert_eq!(
                    d.model.as_ref().map(|x| &x.id),
                    Some(&m.id),
                    "{what} from {region} names the wrong model: {d:#?}"
                );
                assert_eq!(d.verdict(), want, "{what} from {region}: {d:#?}");
                assert!(d.has_error(), "{what} from {region}");
                assert!(
                    !d.problems.iter().any(|p| p.verdict == Verdict::Unknown),
                    "{what}"
                );
                assert_replacements_work(c, &d, region, &what);
                // Whenever something from the family works from the region, the fix names it.
                let family_usable = c.newest(&m.family, Some(region), today()).is_some();
                if family_usable {
                    assert!(d.replacement().is_some(), "{what} from {region}: no fix");
                }
            }
        }
        // Through any prefix, an end-of-life model is an error.
        if m.lifecycle_on(today()) == Lifecycle::EndOfLife {
            for p in &m.profiles {
                let d = diagnose(c, &p.id, p.sources.first().map(String::as_str), today());
                assert!(d
                    .problems
                    .iter()
                    .any(|p| p.verdict == Verdict::EndOfLife && p.severity == Severity::Error));
            }
        }
    }
}

#[test]
fn unknown_only_for_strings_no_model_matches() {
    let c = Catalog::embedded();
    for s in [
        "anthropic.claude-sonnet-9",
        "us.anthropic.claude-sonnet-9-v1:0",
        "anthropic.claude-instant-v1",
        "amazon.nova-pro-v1:0",
        "us.meta.llama3-3-70b-instruct-v1:0",
    ] {
        let d = diagnose(c, s, Some("us-east-1"), today());
        assert_eq!(d.verdict(), Verdict::Unknown, "{s}: {d:#?}");
        assert_eq!(d.problems[0].severity, Severity::Warning, "{s}");
    }
    // Without Bedrock's `provider.model` form, a string cannot be a Bedrock ID at all.
    for s in [
        "gpt-4",
        "claude",
        "sonnet-9",
        "claude-sonnet-9-20270101",
        "🙂",
        "a/b",
        "x".repeat(10_000).as_str(),
    ] {
        let d = diagnose(c, s, Some("us-east-1"), today());
        assert_eq!(d.verdict(), Verdict::NotAnId, "{s}");
        assert!(d.has_error(), "{s}");
    }
}
