//! Opinions sent while the server is killed with SIGKILL and restarted, again and again:
//! every opinion that got a receipt is stored exactly once, under that receipt.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::spawn::{free_port, post_opinion, prepare, scratch, spawn, take_next, wait_ready};
use disclosure_server::opinions::store::Store;

const OPINIONS: usize = 240;
const CLIENTS: usize = 8;
const KILLS: usize = 4;

/// The SQLite database the spawned server writes.
fn database_url(dir: &std::path::Path) -> String {
    format!(
        "sqlite://{}?mode=rwc",
        dir.join("data/opinions.db").display()
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_receipted_opinion_survives_sigkill_exactly_once() {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_disclosure-server"));
    let dir = scratch("crash");
    prepare(&dir);
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let server = Arc::new(Mutex::new(spawn(&binary, &dir, port)));
    wait_ready(&client, &base).await;

    let next = Arc::new(Mutex::new(0usize));
    let receipts: Arc<Mutex<HashMap<String, String>>> = Arc::default();
    let retries = Arc::new(Mutex::new(0usize));
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let (next, receipts, retries) = (next.clone(), receipts.clone(), retries.clone());
        let (client, base) = (client.clone(), base.clone());
        clients.push(tokio::spawn(async move {
            loop {
                let Some(n) = take_next(&next, OPINIONS) else {
                    return;
                };
                let key = format!("crash-opinion-{n:05}");
                // As the browser does: the same key again until a receipt comes back.
                loop {
                    match post_opinion(&client, &base, &key, n).await {
                        Ok(receipt) => {
                            receipts.lock().unwrap().insert(key, receipt);
                            break;
                        }
                        Err(_) => {
                            *retries.lock().unwrap() += 1;
                            tokio::time::sleep(Duration::from_millis(30)).await
                        }
                    }
                }
            }
        }));
    }
    for round in 0..KILLS {
        // Kill while posts are in flight: after each fifth of the opinions has a receipt.
        let due = (round + 1) * OPINIONS / (KILLS + 1);
        while receipts.lock().unwrap().len() < due {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let mut child = server.lock().unwrap();
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        std::thread::sleep(Duration::from_millis(100));
        *child = spawn(&binary, &dir, port);
    }
    for client in clients {
        client.await.unwrap();
    }
    {
        let mut child = server.lock().unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
    }

    let receipts = receipts.lock().unwrap().clone();
    assert!(
        *retries.lock().unwrap() > 0,
        "the kills must have interrupted some posts"
    );
    assert_eq!(receipts.len(), OPINIONS);
    let store = Store::open(&database_url(&dir)).await.unwrap();
    let stored = store
        .opinions_of(common::spawn::CONSULTATION)
        .await
        .unwrap();
    assert_eq!(
        stored.len(),
        OPINIONS,
        "one stored opinion per receipted opinion"
    );
    for (key, receipt) in &receipts {
        assert_eq!(store.count_by_key(key).await.unwrap(), 1, "{key}");
        let opinion = store.opinion(receipt).await.unwrap();
        assert!(
            opinion.is_some(),
            "receipt {receipt} of {key} is not stored"
        );
    }
}
