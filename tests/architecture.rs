//! The code's shape, checked on every `cargo test`: each module uses only
//! the layers below it (no cycles), no function runs over 100 lines and no
//! file over 600. The layers are the pipeline; README "For developers" draws them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level modules of the library, bottom layer first. A module may use
/// modules of lower layers; the leaves (layer 0) only each other, without cycles.
const LAYERS: &[&[&str]] = &[
    &[
        "env",
        "diagnostics",
        "timing",
        "fingerprint",
        "kept",
        "memory",
        "translit",
        "random",
        "shutdown",
        "theme",
    ],
    &["config"],
    &["images"],
    &["markdown"],
    &["content"],
    &["render"],
    &["output"],
    &["build"],
    &["store"],
    &["mail"],
    &["newsletter"],
    &["subscriptions"],
    &["serve"],
];

const MAX_FUNCTION_LINES: usize = 100;
const MAX_FILE_LINES: usize = 600;

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// Library source files with their top-level module (the binary's `main.rs` and `cli/` excluded).
fn library_files() -> Vec<(String, PathBuf)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .filter_map(|e| {
            let rel = e.path().strip_prefix(&src).ok()?.to_path_buf();
            let first = rel.components().next()?.as_os_str().to_string_lossy();
            let module = first.trim_end_matches(".rs").to_string();
            (!["main", "lib", "cli"].contains(&module.as_str()))
                .then(|| (module, e.path().to_path_buf()))
        })
        .collect()
}

/// Every `crate::name` a file mentions, grouped uses (`use crate::{a, b}`) included.
fn crate_references(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for item in inner.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                found.insert(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.insert(name);
        }
    }
    found.retain(|n| !n.is_empty());
    found
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut wrong = Vec::new();
    for (module, file) in library_files() {
        let Some(own) = layer_of(&module) else {
            wrong.push(format!("{module}: not in LAYERS (tests/architecture.rs)"));
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap();
        for used in crate_references(&text) {
            if used == module {
                continue;
            }
            match layer_of(&used) {
                Some(l) if l < own || (l == 0 && own == 0) => {
                    uses.entry(module.clone()).or_default().insert(used);
                }
                Some(_) => wrong.push(format!(
                    "{}: `{module}` uses `{used}`, which is not below it",
                    file.display()
                )),
                None => wrong.push(format!(
                    "{}: uses `crate::{used}`, which is no library module",
                    file.display()
                )),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The leaves may use each other, but never in a circle.
    fn visit(m: &str, uses: &BTreeMap<String, BTreeSet<String>>, path: &mut Vec<String>) {
        assert!(
            !path.contains(&m.to_string()),
            "an import cycle: {} -> {m}",
            path.join(" -> ")
        );
        path.push(m.to_string());
        for next in uses.get(m).into_iter().flatten() {
            visit(next, uses, path);
        }
        path.pop();
    }
    for module in uses.keys() {
        visit(module, &uses, &mut Vec::new());
    }
}

#[test]
fn the_library_cannot_reach_the_command_line() {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    assert!(
        !lib.contains("mod cli"),
        "src/lib.rs must not declare the CLI"
    );
}

/// Functions over the limit, as `file:line name (lines)`.
fn long_functions(file: &Path, text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let is_fn = [
            "fn ",
            "pub fn ",
            "pub(crate) fn ",
            "pub(super) fn ",
            "async fn ",
            "pub async fn ",
        ]
        .iter()
        .any(|p| trimmed.starts_with(p));
        if !is_fn || trimmed.ends_with(';') {
            continue;
        }
        // rustfmt closes a function at its own indentation.
        let indent = &line[..line.len() - trimmed.len()];
        let close = format!("{indent}}}");
        if let Some(end) = lines[i + 1..].iter().position(|l| *l == close) {
            let length = end + 2;
            if length > MAX_FUNCTION_LINES {
                let name = trimmed.split('(').next().unwrap_or(trimmed);
                found.push(format!(
                    "{}:{} {name} ({length} lines)",
                    file.display(),
                    i + 1
                ));
            }
        }
    }
    found
}

#[test]
fn functions_and_files_stay_short() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for entry in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let count = text.lines().count();
        if count > MAX_FILE_LINES {
            wrong.push(format!("{}: {count} lines", path.display()));
        }
        wrong.extend(long_functions(path, &text));
    }
    assert!(wrong.is_empty(), "split these:\n{}", wrong.join("\n"));
}

#[test]
fn every_environment_variable_is_documented_in_the_readme() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let missing: Vec<&str> = dunav::env::ALL
        .iter()
        .map(|v| v.name)
        .filter(|name| !readme.contains(&format!("`{name}`")))
        .collect();
    assert!(missing.is_empty(), "add to the README: {missing:?}");
}

#[test]
fn only_the_env_module_reads_the_environment() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut readers = Vec::new();
    for (module, file) in library_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        if module != "env" && (text.contains("env::var(") || text.contains("env::var_os(")) {
            readers.push(file.strip_prefix(&src).unwrap().display().to_string());
        }
    }
    assert!(
        readers.is_empty(),
        "read variables through src/env.rs: {readers:?}"
    );
}
