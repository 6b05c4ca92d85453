//! Where and how keyless reaches AWS: the profile, the region, an endpoint override (a sandbox,
//! moto), and a deadline. One HTTPS client for every call: rustls with ring.

use std::path::PathBuf;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, SdkConfig};
use aws_runtime::env_config::file::{
    EnvConfigFileKind as ProfileFileKind, EnvConfigFiles as ProfileFiles,
};
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
use aws_smithy_runtime_api::client::http::SharedHttpClient;

/// What to call and how long to wait.
#[derive(Debug, Clone)]
pub struct Target {
    /// The named profile (`None`: the SDK's own choice, `AWS_PROFILE` or `default`).
    pub profile: Option<String>,
    /// The region (`None`: the SDK's own chain; `us-east-1` when it finds none).
    pub region: Option<String>,
    /// One endpoint for every service (`--endpoint-url`). Without it the SDK still honours
    /// `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>`.
    pub endpoint_url: Option<String>,
    /// The deadline for each call, connection included.
    pub deadline: Duration,
    /// The shared config file (`None`: `AWS_CONFIG_FILE` or `~/.aws/config`).
    pub config_file: Option<PathBuf>,
    /// The shared credentials file (`None`: `AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials`).
    pub credentials_file: Option<PathBuf>,
}

impl Default for Target {
    fn default() -> Self {
        Self {
            profile: None,
            region: None,
            endpoint_url: None,
            deadline: Duration::from_secs(5),
            config_file: None,
            credentials_file: None,
        }
    }
}

/// The HTTPS client every SDK client here uses.
pub fn http_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

/// The SDK configuration for a target: the SDK's default credential and region chains, with
/// keyless's HTTP client, the deadline, and no retries (a probe reports the first answer;
/// retrying a 403 seven times, as Claude Code does, only hides it).
pub async fn sdk_config(target: &Target) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http_client())
        .retry_config(RetryConfig::disabled())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(target.deadline)
                .operation_timeout(target.deadline)
                .build(),
        );
    if target.config_file.is_some() || target.credentials_file.is_some() {
        let mut files = ProfileFiles::builder();
        files = match &target.config_file {
            Some(p) => files.with_file(ProfileFileKind::Config, p),
            None => files.include_default_config_file(true),
        };
        files = match &target.credentials_file {
            Some(p) => files.with_file(ProfileFileKind::Credentials, p),
            None => files.include_default_credentials_file(true),
        };
        loader = loader.profile_files(files.build());
    }
    if let Some(p) = &target.profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = &target.region {
        loader = loader.region(aws_config::Region::new(r.clone()));
    }
    if let Some(e) = &target.endpoint_url {
        loader = loader.endpoint_url(e);
    }
    let config = loader.load().await;
    if config.region().is_none() {
        // Claude Code's last resort too.
        return config
            .into_builder()
            .region(aws_config::Region::from_static("us-east-1"))
            .build();
    }
    config
}

/// A small runtime for a synchronous caller (the CLI): current-thread, timers and I/O on.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}
