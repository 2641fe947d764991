//! The crate's module graph has no cycles (issue 11): each top-level module of `src/`
//! may use `crate::other` only where `other` does not, directly or through others,
//! use it back. Read from the source: every `crate::name` outside comments and test
//! modules is an edge. `lib.rs` (the root, which assembles everything) and `testing.rs`
//! (test-only re-exports) are not modules of the graph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src/") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The `crate::name` paths of `code` (one line, comments already cut).
fn crate_refs(code: &str) -> impl Iterator<Item = &str> {
    code.match_indices("crate::").filter_map(|(i, _)| {
        let before = code[..i].chars().next_back();
        // `$crate::` and `zego_token_server_crate::` are not this crate's paths.
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            return None;
        }
        let rest = &code[i + "crate::".len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(rest.len());
        (end > 0).then(|| &rest[..end])
    })
}

fn graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: BTreeSet<String> = files
        .iter()
        .map(|f| top_module(src, f))
        .filter(|m| m != "lib" && m != "testing")
        .collect();
    let mut graph = Graph::new();
    for file in &files {
        let from = top_module(src, file);
        if !modules.contains(&from) {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("read a source file");
        // Unit tests may reach anywhere; only the code counts.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for line in code.lines() {
            let line = line.split("//").next().unwrap_or("");
            for to in crate_refs(line) {
                if to != from && modules.contains(to) {
                    graph.entry(from.clone()).or_default().insert(to.to_owned());
                }
            }
        }
        graph.entry(from).or_default();
    }
    graph
}

fn top_module(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("under src/");
    let first = rel.components().next().expect("a path");
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_owned()
}

/// One cycle of `graph`, if it has any.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        graph: &Graph,
        node: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(graph, next, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(graph, n, &mut Vec::new(), &mut done))
}

#[test]
fn the_server_modules_have_no_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = graph(&src);
    assert!(
        graph.len() >= 10,
        "the module graph was not read: {graph:?}"
    );
    assert!(
        graph.values().map(BTreeSet::len).sum::<usize>() >= 20,
        "too few edges: {graph:?}"
    );
    if let Some(cycle) = find_cycle(&graph) {
        panic!("module cycle: {}", cycle.join(" -> "));
    }
}

#[test]
fn a_cycle_is_found_when_there_is_one() {
    let edge = |a: &str, b: &[&str]| (a.to_owned(), b.iter().map(|s| (*s).to_owned()).collect());
    let with: Graph = [edge("a", &["b"]), edge("b", &["c"]), edge("c", &["a"])].into();
    assert_eq!(
        find_cycle(&with),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    let without: Graph = [edge("a", &["b", "c"]), edge("b", &["c"]), edge("c", &[])].into();
    assert_eq!(find_cycle(&without), None);
    let refs: Vec<&str> =
        crate_refs("use crate::state::AppState; $crate::x; crate::error::ApiError").collect();
    assert_eq!(refs, ["state", "error"]);
}
