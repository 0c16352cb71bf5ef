//! `dunav serve`: the site with live reload, rebuilt on every save.

use std::net::{IpAddr, SocketAddr};
use std::path::Path;

use anyhow::{Context, anyhow};
use clap::Args;

use dunav::serve::rebuild::{Changes, Rebuilder};
use dunav::serve::{ServeState, http, watch};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port to listen on.
    #[arg(long, short = 'p', default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on (0.0.0.0 to let phones on the network in).
    // Zola's name; Hugo's `--bind` and the common `--host` are taken too.
    #[arg(long, short = 'i', default_value = "127.0.0.1", visible_aliases = ["bind", "host"], value_parser = interface)]
    pub interface: IpAddr,
}

/// An address, or `localhost` (what `--host` usually takes).
fn interface(text: &str) -> Result<IpAddr, String> {
    match text {
        "localhost" => Ok(IpAddr::from([127, 0, 0, 1])),
        _ => text.parse().map_err(|_| {
            format!("{text:?} is not an IP address (e.g. 127.0.0.1, or 0.0.0.0 for every network)")
        }),
    }
}

pub fn run(root: &Path, args: ServeArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    runtime.block_on(async move {
        let listen = SocketAddr::new(args.interface, args.port);
        let listener = tokio::net::TcpListener::bind(listen).await.map_err(|e| {
            if e.kind() == std::io::ErrorKind::AddrInUse {
                anyhow!("port {} on {} is in use: stop the other server or pick another port with --port", args.port, args.interface)
            } else {
                anyhow!("cannot listen on {listen}: {e}")
            }
        })?;
        let local = listener.local_addr()?;
        restart_on_a_render_that_does_not_end(&root, local.port());
        let host = if local.ip().is_unspecified() { "127.0.0.1".to_string() } else { local.ip().to_string() };
        let base_url = format!("http://{host}:{}", local.port());
        let state = ServeState::new();

        let (mut watcher, events) = watch::start(&root).context("watching the site's files")?;
        let (built_tx, built) = std::sync::mpsc::channel();
        let watch_state = state.clone();
        let watch_root = root.clone();
        // The watcher starts before the first build, so a save made while it
        // runs (seconds on a large site) is not missed; the rebuilder then
        // lives on one thread, from the first build on.
        std::thread::spawn(move || {
            let mut rebuilder = Rebuilder::new(&watch_root);
            let everything = Changes { config: true, ..Changes::default() };
            match rebuilder.rebuild(&everything, &watch_state, &base_url) {
                Ok(outcome) => println!("built {} files in {:.0} ms", outcome.changed, outcome.millis),
                Err(problems) => problems.print_failure(),
            }
            let _ = built_tx.send(());
            loop {
                let next = watch::next_change(&watch_root, &events, &mut || {
                    rebuilder.idle();
                    rebuilder.scheduled_change()
                });
                let Some(changes) = next else { break };
                if changes.structural && let Err(e) = watcher.follow_source_folders() {
                    eprintln!("cannot watch the site's folders: {e}");
                }
                match rebuilder.rebuild(&changes, &watch_state, &base_url) {
                    Ok(outcome) => println!(
                        "{}: {} output(s) updated in {:.0} ms",
                        describe(&changes),
                        outcome.changed,
                        outcome.millis
                    ),
                    Err(problems) => {
                        problems.print_failure();
                        eprintln!("the last good version stays served; fix the file and save again");
                    }
                }
            }
        });
        // Requests wait for the first build (there is nothing to serve before it).
        let _ = built.recv();
        println!("serving {} at http://{host}:{}/ (drafts and scheduled pages included; Ctrl-C stops)", root.display(), local.port());
        let signals = state.signals.clone();
        let stopping = async move {
            dunav::shutdown::signal().await;
            // Open tabs hold event streams that never end by themselves.
            let _ = signals.send(dunav::serve::Signal::Shutdown);
        };
        axum::serve(listener, http::router(state))
            .with_graceful_shutdown(stopping)
            .await
            .context("serving")?;
        println!("stopped");
        Ok(())
    })
}

fn describe(changes: &Changes) -> String {
    if changes.scheduled {
        return "a scheduled page or event's time came".into();
    }
    match changes.paths.as_slice() {
        [one] => format!("{} changed", one.display()),
        many => format!("{} files changed", many.len()),
    }
}

/// A render that never ends (a template loop) cannot be stopped, and would
/// hold serve's rebuilds and requests for good: past `DUNAV_RENDER_TIMEOUT`,
/// once a template or site.toml is saved after the render began (the editor
/// has often fixed the loop by then), serve starts itself again on the same
/// port, which drops it. Without such a save it would only loop again.
fn restart_on_a_render_that_does_not_end(root: &Path, port: u16) {
    let limit = dunav::env::render_timeout();
    let root = root.to_path_buf();
    dunav::render::watchdog::start(limit, move |what| {
        eprintln!(
            "error: rendering {what} has run for {} s; does a loop in the template never end?\n       \
             serve starts again once a template or site.toml is saved",
            limit.as_secs()
        );
        let began = std::time::SystemTime::now() - limit - std::time::Duration::from_secs(1);
        while newest_setting_or_template(&root) < Some(began) {
            std::thread::sleep(std::time::Duration::from_millis(250));
        }
        let error = restart(port);
        eprintln!("error: cannot start serve again ({error}); start it by hand");
        std::process::exit(1);
    });
}

/// When site.toml or a file of the themes was last saved.
fn newest_setting_or_template(root: &Path) -> Option<std::time::SystemTime> {
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    walkdir::WalkDir::new(root.join("themes"))
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|entry| modified(entry.path()))
        .chain(modified(&root.join("site.toml")))
        .max()
}

/// Replaces this process with `dunav` run as it was, on `port`; returns only
/// when that fails.
#[cfg(unix)]
fn restart(port: u16) -> std::io::Error {
    use std::os::unix::process::CommandExt;
    let mut args = Vec::new();
    let mut given = std::env::args_os().skip(1);
    while let Some(arg) = given.next() {
        let text = arg.to_string_lossy();
        if text == "--port" || text == "-p" {
            given.next();
        } else if !names_a_port(&text) {
            args.push(arg);
        }
    }
    match std::env::current_exe() {
        Ok(exe) => std::process::Command::new(exe)
            .args(args)
            .args(["--port", &port.to_string()])
            .exec(),
        Err(error) => error,
    }
}

/// `--port=8080` or `-p8080`: a port given in one argument.
#[cfg(unix)]
fn names_a_port(arg: &str) -> bool {
    arg.starts_with("--port=") || (arg.starts_with("-p") && arg.len() > 2)
}

#[cfg(not(unix))]
fn restart(_port: u16) -> std::io::Error {
    std::io::Error::other("this system cannot replace a running program")
}
