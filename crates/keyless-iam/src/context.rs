//! The request context: condition keys and their values.

use std::collections::HashMap;

/// Condition keys (case-insensitive) to their values. A key may hold several values
/// (`aws:TagKeys`); single-valued keys hold one. Lookups ignore case, as IAM does; each key
/// keeps the spelling it was first set with, for output (`bedrock:InferenceProfileArn`,
/// not `bedrock:inferenceprofilearn`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    map: HashMap<String, (String, Vec<String>)>,
}

impl Context {
    /// Sets `key` (any case) to `values`.
    pub fn insert(&mut self, key: &str, values: Vec<String>) {
        self.map
            .insert(key.to_ascii_lowercase(), (key.to_string(), values));
    }

    /// Appends a value to `key`.
    pub fn push(&mut self, key: &str, value: String) {
        self.map
            .entry(key.to_ascii_lowercase())
            .or_insert_with(|| (key.to_string(), Vec::new()))
            .1
            .push(value);
    }

    /// The values of `key` (already lower-cased).
    pub fn get(&self, key_lc: &str) -> Option<&[String]> {
        self.map.get(key_lc).map(|(_, v)| v.as_slice())
    }

    /// All keys, as first written, and their values.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Vec<String>)> {
        self.map.values().map(|(k, v)| (k, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_ignore_case_and_output_keeps_the_spelling() {
        let mut c = Context::default();
        c.insert("bedrock:InferenceProfileArn", vec!["arn".into()]);
        c.push("aws:TagKeys", "a".into());
        c.push("AWS:TAGKEYS", "b".into());
        assert_eq!(
            c.get("bedrock:inferenceprofilearn"),
            Some(&["arn".to_string()][..])
        );
        let mut keys: Vec<&String> = c.iter().map(|(k, _)| k).collect();
        keys.sort();
        assert_eq!(keys, ["aws:TagKeys", "bedrock:InferenceProfileArn"]);
        assert_eq!(c.get("aws:tagkeys").unwrap().len(), 2);
    }
}
