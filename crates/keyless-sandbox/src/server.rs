//! The HTTP/1.1 server: bounded bodies, bounded connections, a header deadline, and never a
//! panic on what a client sends.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Semaphore};

use crate::errors::BedrockError;
use crate::http::{HttpRequest, HttpResponse};
use crate::service::handle;
use crate::state::State;

/// How many connections are served at once; more wait in the kernel's backlog.
const MAX_CONNECTIONS: usize = 4096;

/// A running sandbox.
#[derive(Debug)]
pub struct Running {
    /// The address it listens on.
    pub addr: SocketAddr,
    /// Its state (principals, the record).
    pub state: Arc<State>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Running {
    /// `http://ADDR`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting and waits for the accept loop to end.
    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
    }
}

async fn to_request(
    req: hyper::Request<hyper::body::Incoming>,
    max: usize,
) -> Result<HttpRequest, BedrockError> {
    let (parts, body) = req.into_parts();
    let headers = parts
        .headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = match Limited::new(body, max).collect().await {
        Ok(b) => b.to_bytes().to_vec(),
        Err(e) => {
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some()
            {
                return Err(BedrockError::new(
                    "ValidationException",
                    413,
                    "Request body exceeds the maximum size.",
                ));
            }
            return Err(BedrockError::new(
                "SerializationException",
                400,
                "The request body could not be read.",
            ));
        }
    };
    Ok(HttpRequest {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or("").to_string(),
        headers,
        body,
    })
}

fn to_response(r: HttpResponse) -> hyper::Response<Full<Bytes>> {
    let mut b = hyper::Response::builder().status(r.status);
    for (n, v) in &r.headers {
        b = b.header(n.as_str(), v.as_str());
    }
    b.body(Full::new(Bytes::from(r.body))).unwrap_or_else(|_| {
        let mut resp = hyper::Response::new(Full::new(Bytes::new()));
        *resp.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
        resp
    })
}

/// A loopback listener with a backlog deep enough for a burst of thousands of connections
/// (the default of 1024 makes the kernel drop the rest, and clients retry for seconds).
pub fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(MAX_CONNECTIONS as u32)
}

/// Starts serving on `listener`.
pub fn start(listener: TcpListener, state: Arc<State>) -> std::io::Result<Running> {
    let addr = listener.local_addr()?;
    let (stop_tx, mut stop_rx) = oneshot::channel::<()>();
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let st = state.clone();
    let task = tokio::spawn(async move {
        loop {
            let permit = tokio::select! {
                _ = &mut stop_rx => break,
                p = permits.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
            };
            let accepted = tokio::select! {
                _ = &mut stop_rx => break,
                a = listener.accept() => a,
            };
            let Ok((stream, _)) = accepted else {
                // Out of file descriptors and the like: wait a moment, keep serving.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            };
            let _ = stream.set_nodelay(true);
            let st = st.clone();
            tokio::spawn(async move {
                let svc = service_fn(move |req| {
                    let st = st.clone();
                    async move {
                        let max = st.config.max_body;
                        let resp = match to_request(req, max).await {
                            Ok(r) => handle(st, r).await,
                            Err(e) => HttpResponse::bedrock_error(&e, &st.request_id()),
                        };
                        Ok::<_, std::convert::Infallible>(to_response(resp))
                    }
                });
                let _ = http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(Duration::from_secs(10))
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
                drop(permit);
            });
        }
    });
    Ok(Running {
        addr,
        state,
        stop: Some(stop_tx),
        task: Some(task),
    })
}
