//! Stamps `--version` with the git commit and its date, so a binary says exactly what it
//! was built from. The commit's date, not the build's, keeps builds reproducible.
//! Outside a git checkout (a crates.io package) both read "unknown"; `ZEGO_BUILD_COMMIT`
//! and `ZEGO_BUILD_DATE` in the build environment override them (release builds from a
//! tarball, container builds without `.git`).
//!
//! The names avoid the `ZEGO_TOKEN_` prefix on purpose: cargo also sets a build
//! script's variables when it runs the binary (`cargo run`, `cargo test`), and the
//! service reads every `ZEGO_TOKEN_*` variable as a config key.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (!text.is_empty()).then_some(text)
}

fn main() {
    for var in ["ZEGO_BUILD_COMMIT", "ZEGO_BUILD_DATE"] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    // Rebuild when HEAD moves (in a worktree, `.git` is a file: ask git where it is).
    if let Some(dir) = git(&["rev-parse", "--absolute-git-dir"]) {
        println!("cargo:rerun-if-changed={dir}/HEAD");
        println!("cargo:rerun-if-changed={dir}/refs/heads");
    }
    let commit = std::env::var("ZEGO_BUILD_COMMIT")
        .ok()
        .or_else(|| {
            let hash = git(&["rev-parse", "--short=12", "HEAD"])?;
            let dirty = git(&["status", "--porcelain", "--untracked-files=no"]).is_some();
            Some(if dirty { format!("{hash}-dirty") } else { hash })
        })
        .unwrap_or_else(|| "unknown".to_owned());
    let date = std::env::var("ZEGO_BUILD_DATE")
        .ok()
        .or_else(|| git(&["log", "-1", "--format=%cs"]))
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=BUILD_GIT_COMMIT={commit}");
    println!("cargo:rustc-env=BUILD_GIT_DATE={date}");
}
