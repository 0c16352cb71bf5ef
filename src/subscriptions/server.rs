//! The service's connections: HTTP/1.1 with a deadline for each request's
//! headers (which also closes idle keep-alive connections), caps on
//! connections served at once, in all and per client, and a graceful stop
//! on Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::sync::Semaphore;
use tower::Layer;

use crate::subscriptions::limits::ConnectionsPerClient;
use crate::subscriptions::{ServiceState, confirmation, router};

/// How long a stop waits for requests under way.
const STOP_GRACE: Duration = Duration::from_secs(10);

/// Serves until Ctrl-C or SIGTERM; the confirmation mail worker runs beside it.
pub async fn serve(
    state: Arc<ServiceState>,
    listener: tokio::net::TcpListener,
) -> std::io::Result<()> {
    let worker = state
        .wakeups
        .lock()
        .ok()
        .and_then(|mut w| w.take())
        .map(|wakeups| {
            let st = state.clone();
            std::thread::spawn(move || confirmation::run_worker(st, wakeups))
        });
    let limits = &state.site.config.subscriptions;
    let header_time = Duration::from_secs(limits.request_timeout_seconds);
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let per_client = ConnectionsPerClient::new(limits.max_connections_per_client);
    let app = router(state.clone());
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(crate::shutdown::signal());
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors or a reset before accept: keep serving.
                Err(_) => continue,
            },
            _ = &mut stop => break,
        };
        // Over the cap the connection is closed at once rather than queued.
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            continue;
        };
        // A proxy speaks for many clients: its connections are not capped.
        let client = if state.proxies.contains(peer.ip()) {
            None
        } else {
            match per_client.admit(peer.ip()) {
                Some(admitted) => Some(admitted),
                None => continue,
            }
        };
        let service = axum::Extension(ConnectInfo::<SocketAddr>(peer)).layer(app.clone());
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(header_time)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop((permit, client));
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(STOP_GRACE, graceful.shutdown()).await;
    state.stop();
    if let Some(worker) = worker {
        let _ = tokio::task::spawn_blocking(move || worker.join()).await;
    }
    Ok(())
}
