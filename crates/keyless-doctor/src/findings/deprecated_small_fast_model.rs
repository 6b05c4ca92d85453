use keyless_catalog::diagnose;
use keyless_config::claude::{Provenance, Scope};
use keyless_config::edit::Edit;
use keyless_rules::{RuleMeta, Severity, Status};

use crate::{Context, Finding, Fix, Rule};

pub(crate) const RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KD202",
        name: "deprecated-small-fast-model",
        severity: Severity::Warning,
        since: "0.1.0",
        status: Status::Stable,
        doc: r#"
## What it does
Checks for `ANTHROPIC_SMALL_FAST_MODEL`, the old name of the background (Haiku-class) model.

## Why is this bad?
Claude Code documents it as deprecated; `ANTHROPIC_DEFAULT_HAIKU_MODEL` is the variable it reads
for the `haiku` alias and background work. A deprecated variable can stop being read in any
release, silently moving background work to a model your policy may not allow.

## Example
```json
{ "env": { "ANTHROPIC_SMALL_FAST_MODEL": "us.anthropic.claude-haiku-4-5-20251001-v1:0" } }
```
Use instead:
```json
{ "env": { "ANTHROPIC_DEFAULT_HAIKU_MODEL": "us.anthropic.claude-haiku-4-5-20251001-v1:0" } }
```

## Fix
`keyless doctor --fix` removes the old variable and sets `ANTHROPIC_DEFAULT_HAIKU_MODEL` in the
same file, to the old value (or, if that value is itself wrong, to the corrected one), unless
`ANTHROPIC_DEFAULT_HAIKU_MODEL` is already set there.
"#,
    },
    why: "ANTHROPIC_SMALL_FAST_MODEL is deprecated; ANTHROPIC_DEFAULT_HAIKU_MODEL replaces it",
    check,
};

fn check(cx: &Context) -> Vec<Finding> {
    let Some(old) = cx.var("ANTHROPIC_SMALL_FAST_MODEL") else {
        return Vec::new();
    };
    let region = cx.region_for_model("ANTHROPIC_SMALL_FAST_MODEL");
    let value = diagnose(cx.catalog, &old.value, region.as_deref(), cx.today)
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .find_map(|p| p.replacement.clone())
        .unwrap_or_else(|| old.value.clone());
    let mut fix = Fix::say("rename ANTHROPIC_SMALL_FAST_MODEL to ANTHROPIC_DEFAULT_HAIKU_MODEL");
    if let Provenance::Settings { scope, path, .. } = &old.from {
        if *scope != Scope::Managed {
            let haiku_in_same_file = cx
                .var("ANTHROPIC_DEFAULT_HAIKU_MODEL")
                .and_then(|h| h.from.location())
                .is_some_and(|(p, _)| p == path.as_path());
            if !haiku_in_same_file {
                fix = fix.with_edit(Edit::SetEnv {
                    path: path.clone(),
                    key: "ANTHROPIC_DEFAULT_HAIKU_MODEL".into(),
                    value,
                });
            }
            fix = fix.with_edit(Edit::RemoveEnv {
                path: path.clone(),
                key: "ANTHROPIC_SMALL_FAST_MODEL".into(),
            });
        }
    }
    vec![RULE
        .finding("ANTHROPIC_SMALL_FAST_MODEL is deprecated; Claude Code reads ANTHROPIC_DEFAULT_HAIKU_MODEL for the background model")
        .at_opt(old.from.location())
        .fix(fix)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn seed_rename_carries_the_corrected_value() {
        let f = seed().check(&RULE);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].line, Some(7));
        let edits = &f[0].fix.as_ref().unwrap().edits;
        assert!(matches!(&edits[0], Edit::SetEnv { key, value, .. }
            if key == "ANTHROPIC_DEFAULT_HAIKU_MODEL" && value == "us.anthropic.claude-haiku-4-5-20251001-v1:0"));
        assert!(
            matches!(&edits[1], Edit::RemoveEnv { key, .. } if key == "ANTHROPIC_SMALL_FAST_MODEL")
        );
    }

    #[test]
    fn silent_without_the_old_variable() {
        assert!(good().check(&RULE).is_empty());
    }
}
