//! Any bytes given to the policy parser yield a policy or an error with a location, never a
//! panic; a parsed policy is compiled and evaluated (with an explanation) without panicking.
#![no_main]

use keyless_iam::{CompiledPolicy, Context, Policy, PolicySet, Request};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Policy::parse(text) {
        Ok(policy) => {
            let mut ctx = Context::default();
            ctx.insert("aws:username", vec!["alice".into()]);
            ctx.insert("aws:SourceIp", vec!["10.1.2.3".into()]);
            let set = PolicySet { identity: vec![CompiledPolicy::new("fuzz", &policy)], ..Default::default() };
            let req = Request {
                principal: "arn:aws:iam::111122223333:user/alice".into(),
                action: "bedrock:InvokeModel".into(),
                resource: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0".into(),
                resource_account: None,
                context: ctx,
            };
            let _ = set.evaluate(&req);
        }
        Err(e) => assert!(e.loc.line >= 1 && e.loc.column >= 1),
    }
});
