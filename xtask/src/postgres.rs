//! A throwaway PostgreSQL server on 127.0.0.1 for the opinion API's tests: Debian's
//! `postgresql` package (installed when missing), a fresh cluster under `target/postgres`
//! each run, trust authentication on loopback only, stopped when dropped.

use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{root, run};

/// A running server; stopped when dropped.
pub struct Postgres {
    pub url: String,
    data: PathBuf,
    bin: PathBuf,
}

/// The folder of `initdb` and `pg_ctl`, which Debian keeps off PATH.
fn binaries() -> Option<PathBuf> {
    let versions = std::fs::read_dir("/usr/lib/postgresql").ok()?;
    let mut found: Vec<PathBuf> = versions
        .flatten()
        .map(|entry| entry.path().join("bin"))
        .filter(|bin| bin.join("initdb").exists() && bin.join("pg_ctl").exists())
        .collect();
    found.sort();
    found.pop()
}

fn ensure_installed() -> anyhow::Result<PathBuf> {
    if let Some(bin) = binaries() {
        return Ok(bin);
    }
    run(Command::new("apt-get").arg("update"))?;
    run(Command::new("apt-get")
        .args(["install", "--yes", "--no-install-recommends", "postgresql"])
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    binaries().context("postgresql installed but no initdb found")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

/// PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user.
fn as_server_user(bin: &Path, program: &str) -> Command {
    if is_root() {
        let mut command = Command::new("runuser");
        command
            .args(["-u", "postgres", "--"])
            .arg(bin.join(program));
        command
    } else {
        Command::new(bin.join(program))
    }
}

fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

pub fn start() -> anyhow::Result<Postgres> {
    let bin = ensure_installed()?;
    let data = root().join("target/postgres");
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).with_context(|| data.display().to_string())?;
    if is_root() {
        run(Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&data))?;
    }
    let cluster = data.join("cluster");
    run(as_server_user(&bin, "initdb")
        .arg("-D")
        .arg(&cluster)
        .args([
            "--auth=trust",
            "--username=postgres",
            "--encoding=UTF8",
            "--locale=C",
        ]))?;
    let port = free_port()?;
    run(as_server_user(&bin, "pg_ctl")
        .arg("-D")
        .arg(&cluster)
        .arg("-o")
        .arg(format!(
            "-c listen_addresses=127.0.0.1 -p {port} -k {}",
            data.display()
        ))
        .arg("-l")
        .arg(data.join("server.log"))
        .args(["-w", "start"]))?;
    Ok(Postgres {
        url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
        data: cluster,
        bin,
    })
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = as_server_user(&self.bin, "pg_ctl")
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "fast", "stop"])
            .status();
    }
}
