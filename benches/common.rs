//! Shared by the benchmarks: a generated site, the release binary, statistics.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The release binary, built first if needed; `DUNAV_BENCH_BINARY` names
/// another one (an earlier build, to compare on the same machine and tree).
pub fn dunav() -> PathBuf {
    if let Some(binary) = std::env::var_os("DUNAV_BENCH_BINARY") {
        return PathBuf::from(binary);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--quiet", "--bin", "dunav"])
        .current_dir(root)
        .status()
        .expect("cargo build");
    assert!(status.success());
    root.join("target/release/dunav")
}

/// A site of `pages` pages from `../shared/bench/gen_corpus.py`, with this repository's site.toml and theme.
pub fn generated_site(pages: usize) -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = if Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let dir = tempfile::Builder::new()
        .prefix("dunav-bench")
        .tempdir_in(base)
        .expect("temp dir");
    let status = Command::new("python3")
        .arg(root.join("../shared/bench/gen_corpus.py"))
        .args(["--pages", &pages.to_string(), "--out"])
        .arg(dir.path().join("content"))
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 ../shared/bench/gen_corpus.py");
    assert!(status.success());
    // The corpus has no about page: the default menu takes the sections it has.
    let toml = std::fs::read_to_string(root.join("site.toml")).unwrap();
    let toml: String = toml
        .lines()
        .filter(|line| !line.starts_with("menu"))
        .map(|line| format!("{line}\n"))
        .collect();
    std::fs::write(dir.path().join("site.toml"), toml).unwrap();
    copy_dir(&root.join("themes"), &dir.path().join("themes"));
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The value below which `p` percent of `sorted` lie.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Resident and peak memory of a process, in MB, from /proc.
pub fn memory_mb(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .map(|kb| kb / 1024.0)
            .unwrap_or(0.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
