//! The sandbox against the real AWS SDK for Rust: every operation, each refusal, with the
//! SDK's own signing, parsing and event-stream decoding.

use std::sync::Arc;
use std::time::Duration;

use keyless_aws::{bedrock, client, AwsError, ErrorKind, Target};
use keyless_sandbox::{Config, Policies, Principal, State};
use keyless_testkit::{fake_key_id, fake_secret};

const ACCOUNT: &str = "123456789012";
const SONNET_45: &str = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

fn generated_policy() -> String {
    let opts = keyless_iam::generate::BedrockOptions {
        models: vec![SONNET_45.into()],
        regions: vec!["us-east-1".into()],
        account: Some(ACCOUNT.into()),
        claude_code: true,
        marketplace: false,
    };
    let (p, _) =
        keyless_iam::generate::bedrock_policy(&opts, keyless_catalog::Date::today()).unwrap();
    p.to_string()
}

struct Fixture {
    rt: tokio::runtime::Runtime,
    running: Option<keyless_sandbox::Running>,
    dir: tempfile::TempDir,
    key: String,
    secret: String,
}

impl Fixture {
    fn new(policy: &str) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let state = Arc::new(State::new(Config::default()));
        let key = fake_key_id(101);
        let secret = fake_secret(102);
        state.registry.add(
            &key,
            Principal {
                arn: format!("arn:aws:iam::{ACCOUNT}:user/dev"),
                secret: secret.clone(),
                session_token: None,
                expires: None,
                user_id: "AIDAEXAMPLEUSERID".into(),
                policies: Arc::new(
                    Policies::parse(&[("policy.json".into(), policy.into())]).unwrap(),
                ),
            },
        );
        let running = rt.block_on(async {
            let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            keyless_sandbox::start(l, state).unwrap()
        });
        Self {
            rt,
            running: Some(running),
            dir: tempfile::tempdir().unwrap(),
            key,
            secret,
        }
    }

    fn url(&self) -> String {
        self.running.as_ref().unwrap().url()
    }

    /// A target whose profile holds `key`/`secret` and points every service at the sandbox.
    fn target(&self, key: &str, secret: &str) -> Target {
        let config = self.dir.path().join(format!("config-{key}"));
        let creds = self.dir.path().join(format!("credentials-{key}"));
        std::fs::write(
            &config,
            format!(
                "[profile t]\nregion = us-east-1\nendpoint_url = {}\n",
                self.url()
            ),
        )
        .unwrap();
        std::fs::write(
            &creds,
            format!("[t]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n"),
        )
        .unwrap();
        Target {
            profile: Some("t".into()),
            config_file: Some(config),
            credentials_file: Some(creds),
            deadline: Duration::from_secs(5),
            ..Target::default()
        }
    }

    fn config(&self) -> keyless_aws::SdkConfig {
        let t = self.target(&self.key, &self.secret);
        self.rt.block_on(client::sdk_config(&t))
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if let Some(r) = self.running.take() {
            self.rt.block_on(r.stop());
        }
    }
}

fn err_code(e: &AwsError) -> (&str, Option<u16>, &str) {
    (
        e.code.as_deref().unwrap_or("-"),
        e.status,
        e.message.as_str(),
    )
}

#[test]
fn the_sdk_sees_bedrock_through_the_generated_policy() {
    let f = Fixture::new(&generated_policy());
    let c = f.config();
    let id =
        f.rt.block_on(keyless_aws::caller_identity(&f.target(&f.key, &f.secret)))
            .unwrap();
    assert_eq!(id.arn, format!("arn:aws:iam::{ACCOUNT}:user/dev"));
    assert_eq!(id.account, ACCOUNT);

    let profiles = f.rt.block_on(bedrock::list_inference_profiles(&c)).unwrap();
    let p = profiles
        .iter()
        .find(|p| p.id == SONNET_45)
        .expect("Sonnet 4.5's us profile is listed");
    assert_eq!(
        p.arn,
        format!("arn:aws:bedrock:us-east-1:{ACCOUNT}:inference-profile/{SONNET_45}")
    );
    assert!(p.destinations.contains(&"us-west-2".to_string()), "{p:?}");

    let got =
        f.rt.block_on(bedrock::get_inference_profile(&c, SONNET_45))
            .unwrap();
    assert_eq!(&got, p);

    // max_tokens 1: the first word of the canned answer.
    let text =
        f.rt.block_on(bedrock::invoke_stream_probe(&c, SONNET_45))
            .unwrap();
    assert_eq!(text, "Hello ");
}

#[test]
fn model_ids_get_bedrocks_own_errors() {
    let f = Fixture::new(&generated_policy());
    let c = f.config();
    let probe = |id: &str| {
        f.rt.block_on(bedrock::invoke_stream_probe(&c, id))
            .unwrap_err()
    };
    // The seed guide's ID (no version suffix).
    let e = probe("anthropic.claude-sonnet-4-20250514");
    assert_eq!(
        err_code(&e),
        (
            "ValidationException",
            Some(400),
            "The provided model identifier is invalid."
        )
    );
    // A base ID that needs a profile.
    let e = probe("anthropic.claude-sonnet-4-5-20250929-v1:0");
    assert_eq!(e.code.as_deref(), Some("ValidationException"));
    assert!(
        e.message
            .contains("with on-demand throughput isn\u{2019}t supported"),
        "{e}"
    );
    // A profile of another geography.
    let e = probe("eu.anthropic.claude-sonnet-4-5-20250929-v1:0");
    assert_eq!(e.message, "The provided model identifier is invalid.");
    // Past end of life (Sonnet 4, 2026-10-14), with a well-formed profile ID.
    let e = probe("us.anthropic.claude-sonnet-4-20250514-v1:0");
    assert_eq!(err_code(&e), ("ResourceNotFoundException", Some(404), "This model version has reached the end of its life. Please refer to the AWS documentation for more details."));
}

#[test]
fn the_seed_guides_policy_is_denied_with_the_missing_permission_named() {
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/fixtures/seed-guide/policy.json"
    ))
    .expect("shared/fixtures/seed-guide/policy.json beside the repository");
    let f = Fixture::new(&seed);
    let c = f.config();
    let e =
        f.rt.block_on(bedrock::invoke_stream_probe(&c, SONNET_45))
            .unwrap_err();
    assert_eq!(e.code.as_deref(), Some("AccessDeniedException"), "{e}");
    assert_eq!(e.status, Some(403));
    assert_eq!(
        e.message,
        format!("User: arn:aws:iam::{ACCOUNT}:user/dev is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:us-east-1:{ACCOUNT}:inference-profile/{SONNET_45} because no identity-based policy allows the bedrock:InvokeModelWithResponseStream action")
    );
    let e =
        f.rt.block_on(bedrock::list_inference_profiles(&c))
            .unwrap_err();
    assert_eq!(e.code.as_deref(), Some("AccessDeniedException"), "{e}");
}

#[test]
fn bad_credentials_are_refused_as_aws_refuses_them() {
    let f = Fixture::new(&generated_policy());
    let wrong = f.target(&f.key, &fake_secret(999));
    let c = f.rt.block_on(client::sdk_config(&wrong));
    let e =
        f.rt.block_on(bedrock::list_inference_profiles(&c))
            .unwrap_err();
    assert_eq!(e.code.as_deref(), Some("InvalidSignatureException"), "{e}");
    assert_eq!(e.status, Some(403));
    let e =
        f.rt.block_on(keyless_aws::caller_identity(&wrong))
            .unwrap_err();
    assert_eq!(e.code.as_deref(), Some("SignatureDoesNotMatch"), "{e}");

    let unknown = f.target(&fake_key_id(555), &f.secret);
    let c = f.rt.block_on(client::sdk_config(&unknown));
    let e =
        f.rt.block_on(bedrock::list_inference_profiles(&c))
            .unwrap_err();
    assert_eq!(
        err_code(&e),
        (
            "UnrecognizedClientException",
            Some(403),
            "The security token included in the request is invalid."
        )
    );
    let e =
        f.rt.block_on(keyless_aws::caller_identity(&unknown))
            .unwrap_err();
    assert_eq!(e.code.as_deref(), Some("InvalidClientTokenId"), "{e}");
    assert_eq!(e.kind, ErrorKind::Service);
}

#[test]
fn converse_and_converse_stream_answer_through_the_sdk() {
    use aws_sdk_bedrockruntime::types::{
        ContentBlock, ConversationRole, ConverseStreamOutput, Message,
    };
    let f = Fixture::new(&generated_policy());
    let c = f.config();
    let client = aws_sdk_bedrockruntime::Client::new(&c);
    let msg = Message::builder()
        .role(ConversationRole::User)
        .content(ContentBlock::Text("hello".into()))
        .build()
        .unwrap();
    let out =
        f.rt.block_on(
            client
                .converse()
                .model_id(SONNET_45)
                .messages(msg.clone())
                .send(),
        )
        .unwrap();
    let text = out.output().unwrap().as_message().unwrap().content()[0]
        .as_text()
        .unwrap()
        .clone();
    assert_eq!(text, "Hello from the keyless sandbox.");

    let mut stream =
        f.rt.block_on(
            client
                .converse_stream()
                .model_id(SONNET_45)
                .messages(msg)
                .send(),
        )
        .unwrap();
    let mut streamed = String::new();
    let mut stop = None;
    while let Some(ev) = f.rt.block_on(stream.stream.recv()).unwrap() {
        match ev {
            ConverseStreamOutput::ContentBlockDelta(d) => {
                streamed.push_str(d.delta().unwrap().as_text().unwrap());
            }
            ConverseStreamOutput::MessageStop(s) => {
                stop = Some(s.stop_reason().as_str().to_string())
            }
            _ => {}
        }
    }
    assert_eq!(streamed, "Hello from the keyless sandbox.");
    assert_eq!(stop.as_deref(), Some("end_turn"));
}
