//! A whole small site written from a list of files, built in a temporary
//! folder, with the output read back: the way Hugo's integration tests work.
#![allow(dead_code)]

pub mod dkim;
pub mod http;
pub mod photos;
pub mod server;
pub mod service;
pub mod smtp;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The site.toml most tests start from; a test may replace it.
pub const SITE_TOML: &str = r#"base_url = "https://example.org"
default_language = "bg"
timezone = "Europe/Sofia"
paginate = 2

[languages.bg]
title = "Тестов сайт"
description = "Описание"

[languages.en]
title = "Test site"
description = "Description"

[sectors.ict]
bg = "ИКТ"
en = "ICT"

[sectors.mechatronics]
bg = "Мехатроника"
en = "Mechatronics"

[sectors.cleantech]
bg = "Чисти технологии"
en = "Clean technologies"

[newsletter]
endpoint = "https://example.org/subscribe"
"#;

/// The time every test build treats as now, so that no test depends on
/// today's date: events after it are upcoming, pages dated after it future.
pub const NOW: &str = "2026-11-26T10:00:00+02:00";

/// A site in a temporary folder with the repository's default theme.
pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// Writes `files` (path → text) and the default theme; adds site.toml unless given.
    pub fn new(files: &[(&str, &str)]) -> TestSite {
        let dir = tempfile::tempdir().expect("temp dir");
        let site = TestSite { dir };
        dunav::theme::write_default(site.root()).expect("theme");
        if !files.iter().any(|(p, _)| *p == "site.toml") {
            site.write("site.toml", SITE_TOML);
        }
        for (path, text) in files {
            site.write(path, text);
        }
        std::fs::create_dir_all(site.root().join("content")).unwrap();
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        self.write_bytes(path, text.as_bytes());
    }

    pub fn write_bytes(&self, path: &str, bytes: &[u8]) {
        let p = self.root().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    /// The bytes of an output file.
    pub fn read_bytes(&self, path: &str) -> Vec<u8> {
        std::fs::read(self.public().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    pub fn remove(&self, path: &str) {
        std::fs::remove_file(self.root().join(path)).unwrap();
    }

    /// Runs the real binary in the site folder.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_env(args, &[])
    }

    /// The binary as a command, in the site folder, with a clean environment
    /// and "now" pinned to [`NOW`] (a test may set another `DUNAV_NOW`).
    pub fn command(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        self.command_of(Path::new(env!("CARGO_BIN_EXE_dunav")), args, env)
    }

    /// [`TestSite::command`] of another copy of the binary.
    pub fn command_of(&self, binary: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut cmd = Command::new(binary);
        cmd.args(args).current_dir(self.root());
        for var in dunav::env::ALL {
            cmd.env_remove(var.name);
        }
        cmd.env(dunav::env::NOW.name, NOW);
        cmd.envs(env.iter().copied());
        cmd
    }

    /// Runs the binary with extra environment variables.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        self.command(args, env).output().expect("run dunav")
    }

    /// Builds with `dunav build` and panics with its output if it fails.
    pub fn build(&self, extra: &[&str]) -> Output {
        let mut args = vec!["build"];
        args.extend_from_slice(extra);
        let out = self.run(&args);
        assert!(
            out.status.success(),
            "build failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Builds and expects failure; returns stderr.
    pub fn build_fails(&self, extra: &[&str]) -> String {
        let mut args = vec!["build"];
        args.extend_from_slice(extra);
        let out = self.run(&args);
        assert!(
            !out.status.success(),
            "build should fail:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// An output file as text; panics with the file list if it is missing.
    pub fn read(&self, path: &str) -> String {
        let p = self.public().join(path.trim_start_matches('/'));
        std::fs::read_to_string(&p).unwrap_or_else(|e| {
            panic!(
                "cannot read public/{path}: {e}\nfiles:\n{}",
                self.files().join("\n")
            )
        })
    }

    /// Puts `markup` at the start of a theme template's content block.
    pub fn add_to_content(&self, template: &str, markup: &str) {
        let path = format!("themes/dunav/templates/{template}");
        let text = self.read_source(&path);
        let block = "{% block content %}";
        assert!(text.contains(block), "{template} has no content block");
        self.write(&path, &text.replacen(block, &format!("{block}{markup}"), 1));
    }

    /// A file of the site itself (not of its output) as text.
    pub fn read_source(&self, path: &str) -> String {
        std::fs::read_to_string(self.root().join(path))
            .unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.public().join(path.trim_start_matches('/')).exists()
    }

    /// Every output file, relative to public/.
    pub fn files(&self) -> Vec<String> {
        paths_in(&self.public(), false)
    }
}

/// Every file (or, with `folders`, every folder) under `dir`, relative to
/// it with forward slashes, sorted.
pub fn paths_in(dir: &Path, folders: bool) -> Vec<String> {
    let mut paths: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir() == folders)
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    paths.sort();
    paths
}

/// Front matter plus body, for brevity in tests.
pub fn md(front_matter: &str, body: &str) -> String {
    format!("---\n{}\n---\n\n{}\n", front_matter.trim(), body)
}

/// A real PNG of that size (plain: no metadata).
pub fn plain_png(width: u32, height: u32) -> Vec<u8> {
    photos::png(width, height)
}
