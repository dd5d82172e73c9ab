//! Installing the tools the tests need, each only when it is missing or of the wrong
//! version. Nothing downloads its own browser or driver: Chromium comes from Debian.

use anyhow::Context;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{output, root, run};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub fn ensure_wasm_target() -> anyhow::Result<()> {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"]))?;
    if installed
        .lines()
        .any(|line| line.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// Debian's Chromium and its driver.
pub fn ensure_browser() -> anyhow::Result<()> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    run(Command::new("apt-get").arg("update"))?;
    run(Command::new("apt-get")
        .args([
            "install",
            "--yes",
            "--no-install-recommends",
            "chromium",
            "chromium-driver",
        ])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// Debian's nginx and Caddy, which the tests run in front of the server with the
/// configurations of `deploy/`. Installed without starting their services (a
/// `policy-rc.d` that refuses, for the length of the install): the tests start their own
/// on 127.0.0.1, and nothing may listen on the machine's public ports.
pub fn ensure_reverse_proxies() -> anyhow::Result<()> {
    if Path::new("/usr/sbin/nginx").exists() && Path::new("/usr/bin/caddy").exists() {
        return Ok(());
    }
    let policy = Path::new("/usr/sbin/policy-rc.d");
    let made_policy = !policy.exists();
    if made_policy {
        std::fs::write(
            policy,
            "#!/bin/sh\n# cargo xtask: no service starts while packages install\nexit 101\n",
        )
        .with_context(|| policy.display().to_string())?;
        run(Command::new("chmod").arg("755").arg(policy))?;
    }
    let installed = run(Command::new("apt-get").arg("update")).and_then(|()| {
        run(Command::new("apt-get")
            .args([
                "install",
                "--yes",
                "--no-install-recommends",
                "nginx",
                "caddy",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive"))
    });
    if made_policy {
        let _ = std::fs::remove_file(policy);
    }
    installed
}

/// The version of a package in Cargo.lock.
pub fn locked_version(package: &str) -> anyhow::Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .context("Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == format!("name = \"{package}\"") {
            if let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(version.trim_end_matches('"').to_string());
            }
        }
    }
    Err(anyhow::anyhow!("{package} is not in Cargo.lock"))
}

/// wasm-bindgen-cli (which brings wasm-bindgen-test-runner) at the version of the
/// wasm-bindgen crate in Cargo.lock: the two must match exactly.
pub fn ensure_wasm_bindgen() -> anyhow::Result<()> {
    let wanted = locked_version("wasm-bindgen")?;
    let current = Command::new("wasm-bindgen-test-runner")
        .arg("--version")
        .output()
        .ok()
        .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
        .unwrap_or_default();
    if current.split_whitespace().nth(1) == Some(wanted.as_str()) {
        return Ok(());
    }
    // Not --locked: the CLI's own lock file names a webpki-roots that is no longer published.
    run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &wanted]))
}

/// The trunk release verified to build the portal offline.
const TRUNK_VERSION: &str = "0.21.14";
/// Debian's binaryen is too old for current Rust Wasm; the npm package brings wasm-opt 132.
const BINARYEN_VERSION: &str = "132.0.0";

/// Where npm-installed tools live: inside `target/`, so they never reach the repository.
pub fn npm_tools() -> PathBuf {
    root().join("target/tools")
}

/// `PATH` with cargo's binaries and the npm tools in front, so trunk finds wasm-bindgen
/// and wasm-opt and never tries to download them.
pub fn path_with_tools() -> OsString {
    let mut paths = vec![npm_tools().join("node_modules/.bin")];
    if let Some(home) = std::env::var_os("CARGO_HOME")
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo").into()))
    {
        paths.push(Path::new(&home).join("bin"));
    }
    paths.extend(
        std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
            .unwrap_or_default(),
    );
    std::env::join_paths(paths).unwrap_or_default()
}

fn version_of(program: &str) -> String {
    Command::new(program)
        .arg("--version")
        .env("PATH", path_with_tools())
        .output()
        .ok()
        .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
        .unwrap_or_default()
}

pub fn ensure_wasm_opt() -> anyhow::Result<()> {
    if version_of("wasm-opt").contains(&format!(
        "version {}",
        BINARYEN_VERSION.split('.').next().unwrap_or_default()
    )) {
        return Ok(());
    }
    npm_install(&format!("binaryen@{BINARYEN_VERSION}"))
}

const AXE_CORE_VERSION: &str = "4.10.2";

/// axe-core, the accessibility rules the browser tests run in each widget state; npm's
/// package into `target/tools`. Returns the path of `axe.min.js`.
pub fn ensure_axe_core() -> anyhow::Result<PathBuf> {
    let script = npm_tools().join("node_modules/axe-core/axe.min.js");
    let installed = std::fs::read_to_string(npm_tools().join("node_modules/axe-core/package.json"))
        .is_ok_and(|package| package.contains(&format!("\"version\": \"{AXE_CORE_VERSION}\"")));
    if !installed || !script.exists() {
        npm_install(&format!("axe-core@{AXE_CORE_VERSION}"))?;
    }
    Ok(script)
}

/// Installs an npm package (`name@version`) into `target/tools`.
pub fn npm_install(package: &str) -> anyhow::Result<()> {
    std::fs::create_dir_all(npm_tools())?;
    run(Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(npm_tools())
        .arg(package))
}

pub fn ensure_trunk() -> anyhow::Result<()> {
    if version_of("trunk").split_whitespace().nth(1) == Some(TRUNK_VERSION) {
        return Ok(());
    }
    // --locked: trunk's own lock file pins the lightningcss that builds.
    run(Command::new("cargo").args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]))
}

/// Everything the portal build needs.
pub fn ensure_portal_tools() -> anyhow::Result<()> {
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    ensure_wasm_opt()?;
    ensure_trunk()
}
