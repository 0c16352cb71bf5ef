//! `dunav subscriptions serve`: the signup service.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, anyhow};
use clap::{Args, Subcommand};

use crate::subscribers::service::{self, ServiceState};

#[derive(Debug, Args)]
pub struct SubscriptionsArgs {
    #[command(subcommand)]
    pub command: SubscriptionsCommand,
}

#[derive(Debug, Subcommand)]
pub enum SubscriptionsCommand {
    /// Run the signup service (put it behind the site's web server).
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
    },
}

pub fn run(root: &Path, args: SubscriptionsArgs) -> anyhow::Result<()> {
    let SubscriptionsCommand::Serve { listen } = args.command;
    let state = Arc::new(ServiceState::new(root)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| anyhow!("cannot listen on {listen}: {e}"))?;
        println!(
            "subscriptions service on http://{}/ (public URL {}); Ctrl-C stops it",
            listener.local_addr()?,
            state.public_url
        );
        service::serve(state, listener).await
    })?;
    println!("stopped");
    Ok(())
}
