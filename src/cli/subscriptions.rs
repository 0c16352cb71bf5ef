//! `dunav subscriptions serve`: the signup service.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, anyhow};
use clap::{Args, Subcommand};

use dunav::subscriptions::{self, ServiceState};

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
    let state = match ServiceState::new(root) {
        Ok(state) => Arc::new(state),
        // The site's own problems are printed as diagnostics, like a build's.
        Err(subscriptions::StartError::Site(failed)) => return Err(failed.into()),
        Err(e) => return Err(e.into()),
    };
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
        subscriptions::serve(state, listener)
            .await
            .context("serving")
    })?;
    println!("stopped");
    Ok(())
}
