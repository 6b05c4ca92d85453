//! The AWS INI and settings JSON readers: errors carry a line; a parsed document writes
//! back byte for byte.
#![no_main]

use keyless_config::ini::IniDocument;
use keyless_config::json;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match IniDocument::parse(text) {
        Ok(doc) => assert_eq!(doc.to_string(), text),
        Err(e) => assert!(e.line >= 1),
    }
    if let Ok(root) = json::parse(text) {
        let _ = json::set(text, &["env", "AWS_REGION"], "\"us-east-1\"");
        assert!(root.end <= text.len());
    }
});
