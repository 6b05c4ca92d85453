//! Every lint rule on any policy the parser accepts: no panic.
#![no_main]

use keyless_iam::lint::{lint, PolicyType};
use keyless_iam::Policy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(policy) = Policy::parse(text) {
        let kind = PolicyType::detect(&policy);
        for f in lint(&policy, kind) {
            assert!(f.loc.line >= 1);
        }
    }
});
