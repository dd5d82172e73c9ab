//! The server binary as operators run it: no personal data in its output while it takes
//! opinions, and the retention command.

mod common;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::spawn::{free_port, prepare, scratch, CONSULTATION};
use disclosure_server::opinions::store::Store;

#[tokio::test]
async fn the_log_holds_no_personal_data_and_retention_erases_contacts() {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_disclosure-server"));
    let dir = scratch("cli");
    prepare(&dir);
    let port = free_port();
    let log = dir.join("server.log");
    let mut server = common::spawn::command(&binary, &dir, port)
        .args(["--log-format", "json"])
        .env_remove("DISCLOSURE_CONTACT_KEY")
        .stdout(Stdio::from(
            std::fs::File::create(dir.join("stdout.log")).unwrap(),
        ))
        .stderr(Stdio::from(std::fs::File::create(&log).unwrap()))
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    common::spawn::wait_ready(&client, &base).await;
    for (key, body) in [
        (
            "cli-key-00001",
            serde_json::json!({"text": "私密的意见内容", "name": "李秘密", "phone": "13912345678", "email": "secret@example.com"}),
        ),
        (
            "cli-key-00002",
            serde_json::json!({"text": "", "phone": "13912345678abc"}),
        ),
    ] {
        client
            .post(format!("{base}/api/consultations/{CONSULTATION}/opinions"))
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
            .await
            .unwrap();
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    server.kill().unwrap();
    server.wait().unwrap();
    let output = std::fs::read_to_string(&log).unwrap()
        + &std::fs::read_to_string(dir.join("stdout.log")).unwrap();
    for secret in [
        "私密的意见内容",
        "李秘密",
        "13912345678",
        "secret@example.com",
    ] {
        assert!(!output.contains(secret), "the log shows {secret}: {output}");
    }
    // --log-format json: every line of the log is one JSON object with a level.
    let log_text = std::fs::read_to_string(&log).unwrap();
    assert!(log_text.lines().count() >= 2, "{log_text}");
    for line in log_text.lines() {
        let entry: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(entry["level"].is_string(), "{line}");
    }
    // Without DISCLOSURE_CONTACT_KEY a key file was made, readable by its owner only.
    let key = dir.join("data/contact.key");
    assert!(key.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    let said = server_command(
        &binary,
        &[
            "--data".as_ref(),
            dir.join("data").as_os_str(),
            "erase-contacts".as_ref(),
            "--after-days".as_ref(),
            "30".as_ref(),
        ],
        None,
    );
    assert!(said.contains("erased the contact data of 0 opinion(s)"), "{said}");
}

/// Opinions sent from 4 clients until `stop` is set; the receipts of those acknowledged.
fn keep_posting(
    base: String,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> tokio::task::JoinHandle<Vec<(String, String)>> {
    tokio::spawn(async move {
        let client = reqwest::Client::new();
        let mut tasks = Vec::new();
        for c in 0..4 {
            let (client, base, stop) = (client.clone(), base.clone(), stop.clone());
            tasks.push(tokio::spawn(async move {
                let mut acknowledged = Vec::new();
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    let key = format!("backup-{c}-{n:05}-{}", std::process::id());
                    if let Ok(receipt) = common::spawn::post_opinion(&client, &base, &key, n).await
                    {
                        acknowledged.push((key, receipt));
                    }
                    n += 1;
                }
                acknowledged
            }));
        }
        let mut all = Vec::new();
        for task in tasks {
            all.extend(task.await.unwrap());
        }
        all
    })
}

/// Runs `disclosure-server` with `args` (and `DATABASE_URL` when given), to success.
fn server_command(
    binary: &std::path::Path,
    args: &[&std::ffi::OsStr],
    database: Option<&str>,
) -> String {
    let mut command = Command::new(binary);
    command.args(args).env_remove("DATABASE_URL");
    if let Some(url) = database {
        command.env("DATABASE_URL", url);
    }
    let out = command.output().unwrap();
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{args:?}: {text}");
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_sqlite_backup_taken_while_opinions_arrive_restores_every_acknowledged_opinion() {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_disclosure-server"));
    let dir = scratch("backup");
    prepare(&dir);
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = common::spawn::spawn(&binary, &dir, port);
    common::spawn::wait_ready(&reqwest::Client::new(), &base).await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let posting = keep_posting(base.clone(), stop.clone());
    tokio::time::sleep(Duration::from_millis(500)).await;
    // What was acknowledged before the backup began must be in it.
    let before = common::spawn::receipts_in(&dir).await;
    let backup = dir.join("opinions-backup.db");
    let said = server_command(
        &binary,
        &[
            "--data".as_ref(),
            dir.join("data").as_os_str(),
            "backup".as_ref(),
            "--to".as_ref(),
            backup.as_os_str(),
        ],
        None,
    );
    assert!(said.contains("backed up"), "{said}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let acknowledged = posting.await.unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(
        before.len() > 10,
        "opinions were arriving: {}",
        before.len()
    );
    // A second backup to the same file is refused rather than overwriting it.
    let refused = Command::new(&binary)
        .arg("--data")
        .arg(dir.join("data"))
        .args(["backup", "--to"])
        .arg(&backup)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("exists already"));

    let restored = dir.join("restored");
    let said = server_command(
        &binary,
        &[
            "--data".as_ref(),
            restored.as_os_str(),
            "restore".as_ref(),
            "--from".as_ref(),
            backup.as_os_str(),
        ],
        None,
    );
    assert!(said.contains("restored"), "{said}");
    let store = Store::open(&format!(
        "sqlite://{}?mode=rwc",
        restored.join("opinions.db").display()
    ))
    .await
    .unwrap();
    for receipt in &before {
        assert!(
            store.opinion(receipt).await.unwrap().is_some(),
            "{receipt} is not in the backup"
        );
    }
    // Everything in the backup was acknowledged to someone (nothing half-written).
    let in_backup = store.count_opinions(CONSULTATION).await.unwrap();
    assert!(in_backup as usize >= before.len() && in_backup as usize <= acknowledged.len());
    // Restoring over a database is refused.
    let again = Command::new(&binary)
        .arg("--data")
        .arg(&restored)
        .args(["restore", "--from"])
        .arg(&backup)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(!again.status.success());
}

/// `pg_dump` and `pg_restore` of the newest PostgreSQL Debian installed.
fn postgres_tool(name: &str) -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|dir| {
            dir.flatten()
                .map(|e| e.path().join("bin").join(name))
                .filter(|p| p.exists())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found.pop().unwrap_or_else(|| PathBuf::from(name))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_postgresql_dump_taken_while_opinions_arrive_restores_every_acknowledged_opinion() {
    let Ok(url) = std::env::var("DISCLOSURE_TEST_POSTGRES_URL") else {
        eprintln!("DISCLOSURE_TEST_POSTGRES_URL is not set; `cargo xtask test` starts PostgreSQL and sets it");
        return;
    };
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_disclosure-server"));
    let dir = scratch("pgdump");
    prepare(&dir);
    let pid = std::process::id();
    let live_url = common::spawn::fresh_database(&url, &format!("backup_live_{pid}")).await;
    let copy_url = common::spawn::fresh_database(&url, &format!("backup_copy_{pid}")).await;
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = common::spawn::spawn_on(&binary, &dir, port, Some(&live_url));
    common::spawn::wait_ready(&reqwest::Client::new(), &base).await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let posting = keep_posting(base.clone(), stop.clone());
    tokio::time::sleep(Duration::from_millis(500)).await;
    let live_store = Store::open(&live_url).await.unwrap();
    let before = live_store.opinions_of(CONSULTATION).await.unwrap();
    let dump = dir.join("opinions.dump");
    // The documented procedure: pg_dump's custom format is one consistent snapshot.
    let out = Command::new(postgres_tool("pg_dump"))
        .args(["--format=custom", "--no-owner", "--file"])
        .arg(&dump)
        .arg(&live_url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    posting.await.unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    let out = Command::new(postgres_tool("pg_restore"))
        .args(["--no-owner", "--dbname"])
        .arg(&copy_url)
        .arg(&dump)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        before.len() > 10,
        "opinions were arriving: {}",
        before.len()
    );
    let restored = Store::open(&copy_url).await.unwrap();
    for opinion in &before {
        assert!(
            restored.opinion(&opinion.receipt).await.unwrap().is_some(),
            "{} is not restored",
            opinion.receipt
        );
    }
}
