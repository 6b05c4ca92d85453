//! The request context: condition keys and their values.

use std::collections::HashMap;

/// Condition keys (case-insensitive) to their values. A key may hold several values
/// (`aws:TagKeys`); single-valued keys hold one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    map: HashMap<String, Vec<String>>,
}

impl Context {
    /// Sets `key` (any case) to `values`.
    pub fn insert(&mut self, key: &str, values: Vec<String>) {
        self.map.insert(key.to_ascii_lowercase(), values);
    }

    /// Appends a value to `key`.
    pub fn push(&mut self, key: &str, value: String) {
        self.map
            .entry(key.to_ascii_lowercase())
            .or_default()
            .push(value);
    }

    /// The values of `key` (already lower-cased).
    pub fn get(&self, key_lc: &str) -> Option<&[String]> {
        self.map.get(key_lc).map(Vec::as_slice)
    }

    /// All keys and values.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Vec<String>)> {
        self.map.iter()
    }
}
