//! The server binary as operators run it: no personal data in its output while it takes
//! opinions, and the retention command.

mod common;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::spawn::{free_port, prepare, scratch, CONSULTATION};

#[tokio::test]
async fn the_log_holds_no_personal_data_and_retention_erases_contacts() {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_disclosure-server"));
    let dir = scratch("cli");
    prepare(&dir);
    let port = free_port();
    let log = dir.join("server.log");
    let mut server = common::spawn::command(&binary, &dir, port)
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

    let erase = Command::new(&binary)
        .arg("--data")
        .arg(dir.join("data"))
        .args(["erase-contacts", "--after-days", "30"])
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(
        erase.status.success(),
        "{}",
        String::from_utf8_lossy(&erase.stderr)
    );
    assert!(
        String::from_utf8_lossy(&erase.stderr).contains("erased the contact data of 0 opinion(s)")
    );
}
