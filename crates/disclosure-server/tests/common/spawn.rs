//! Runs the real `disclosure-server` binary on a data folder of its own, for the crash test
//! and the opinion benchmark.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The consultation every spawned server takes opinions for.
pub const CONSULTATION: &str = "bench-open";

/// A fixed contact key: the server must read its own database after a restart.
pub const CONTACT_KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

/// Writes a minimal site and an open consultation into `dir`.
pub fn prepare(dir: &Path) {
    let site = dir.join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(
        site.join("index.html"),
        "<!DOCTYPE html><title>test</title>",
    )
    .unwrap();
    let today = time::OffsetDateTime::now_utc().date();
    let consultation = serde_json::json!([{
        "id": CONSULTATION, "title": "测试意见征集", "department": "宁乡市人民政府办公室",
        "start": (today - time::Duration::days(10)).to_string(),
        "end": (today + time::Duration::days(20)).to_string(),
        "draft_url": "/draft.html"
    }]);
    std::fs::write(dir.join("consultations.json"), consultation.to_string()).unwrap();
}

/// The command that starts the server on `port` with its SQLite database in `dir/data`.
pub fn command(binary: &Path, dir: &Path, port: u16) -> Command {
    let mut command = Command::new(binary);
    command
        .arg("--site")
        .arg(dir.join("site"))
        .arg("--data")
        .arg(dir.join("data"))
        .arg("--consultations")
        .arg(dir.join("consultations.json"))
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .env_remove("DATABASE_URL");
    command
}

/// Starts the server quietly on SQLite, with a fixed contact key and no rate limit to
/// speak of.
pub fn spawn(binary: &Path, dir: &Path, port: u16) -> Child {
    spawn_on(binary, dir, port, None)
}

/// As [`spawn`], on the database of `database_url` when given (instances of one
/// PostgreSQL database share the fixed contact key).
pub fn spawn_on(binary: &Path, dir: &Path, port: u16, database_url: Option<&str>) -> Child {
    let mut command = command(binary, dir, port);
    if let Some(url) = database_url {
        command.env("DATABASE_URL", url);
    }
    command
        .args(["--submissions-per-minute", "100000000"])
        .env("DISCLOSURE_CONTACT_KEY", CONTACT_KEY)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", binary.display()))
}

/// Hands out the numbers 0..`limit` once each to concurrent clients.
pub fn take_next(next: &std::sync::Mutex<usize>, limit: usize) -> Option<usize> {
    let mut next = next.lock().unwrap();
    (*next < limit).then(|| {
        *next += 1;
        *next - 1
    })
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits until the server answers.
pub async fn wait_ready(client: &reqwest::Client, base: &str) {
    for _ in 0..200 {
        if client
            .get(format!("{base}/api/consultations"))
            .send()
            .await
            .is_ok()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server at {base} did not start");
}

pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("disclosure-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Posts one opinion with its idempotency key; the receipt on 201 or 200.
pub async fn post_opinion(
    client: &reqwest::Client,
    base: &str,
    key: &str,
    n: usize,
) -> Result<String, String> {
    let response = client
        .post(format!("{base}/api/consultations/{CONSULTATION}/opinions"))
        .header("Idempotency-Key", key)
        .json(&serde_json::json!({"text": format!("第{n}条意见：建议延长公示期。"), "phone": "13800001234"}))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status();
    if status == reqwest::StatusCode::CREATED || status == reqwest::StatusCode::OK {
        let body: serde_json::Value = response.json().await.map_err(|e| e.to_string())?;
        Ok(body["receipt"].as_str().unwrap_or_default().to_string())
    } else {
        Err(format!("HTTP {status}"))
    }
}

/// The receipts of the opinions in the SQLite database of a spawned server (read beside
/// the running server, as WAL allows).
pub async fn receipts_in(dir: &Path) -> Vec<String> {
    let url = format!(
        "sqlite://{}?mode=rw",
        dir.join("data/opinions.db").display()
    );
    let store = disclosure_server::opinions::store::Store::open(&url)
        .await
        .unwrap();
    store
        .opinions_of(CONSULTATION)
        .await
        .unwrap()
        .into_iter()
        .map(|opinion| opinion.receipt)
        .collect()
}

/// A new empty database `name` on the PostgreSQL server of `server_url` (dropped first if
/// a run before left it), and its URL.
pub async fn fresh_database(server_url: &str, name: &str) -> String {
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(server_url)
        .await
        .expect("PostgreSQL answers");
    for statement in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        sqlx::query(&statement)
            .execute(&admin)
            .await
            .expect("a fresh database");
    }
    admin.close().await;
    let (base, _) = server_url.rsplit_once('/').expect("a database URL");
    format!("{base}/{name}")
}
