//! Opinions sent while the server is killed with SIGKILL and restarted, again and again:
//! every opinion that got a receipt is stored exactly once, under that receipt.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::spawn::{free_port, post_opinion, prepare, scratch, spawn_on, take_next, wait_ready};
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
    let dir = scratch("crash");
    survives_sigkill(&dir, 1, None, &database_url(&dir)).await;
}

/// Two instances on one PostgreSQL database, clients alternating between them; one of
/// them is killed with SIGKILL and restarted, again and again.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_postgresql_lose_no_opinion_when_one_is_killed() {
    let Ok(url) = std::env::var("DISCLOSURE_TEST_POSTGRES_URL") else {
        eprintln!("DISCLOSURE_TEST_POSTGRES_URL is not set; `cargo xtask test` starts PostgreSQL and sets it");
        return;
    };
    let dir = scratch("crash-pg");
    survives_sigkill(&dir, 2, Some(&url), &url).await;
}

/// Sends [`OPINIONS`] opinions from [`CLIENTS`] clients to `instances` servers (the
/// same key again, to the next instance, until a receipt comes back) while the first
/// instance is killed [`KILLS`] times; then checks every receipt in `database`.
async fn survives_sigkill(
    dir: &std::path::Path,
    instances: usize,
    database: Option<&str>,
    check_in: &str,
) {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_disclosure-server"));
    prepare(dir);
    let ports: Vec<u16> = (0..instances).map(|_| free_port()).collect();
    let bases: Vec<String> = ports
        .iter()
        .map(|port| format!("http://127.0.0.1:{port}"))
        .collect();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let mut servers = Vec::new();
    for (n, port) in ports.iter().enumerate() {
        // The first instance migrates; the others start on the same schema.
        servers.push(spawn_on(&binary, dir, *port, database));
        wait_ready(&client, &bases[n]).await;
    }
    let victim = Arc::new(Mutex::new(servers.remove(0)));

    let next = Arc::new(Mutex::new(0usize));
    let receipts: Arc<Mutex<HashMap<String, String>>> = Arc::default();
    let retries = Arc::new(Mutex::new(0usize));
    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let (next, receipts, retries) = (next.clone(), receipts.clone(), retries.clone());
        let (client, bases) = (client.clone(), bases.clone());
        clients.push(tokio::spawn(async move {
            let mut turn = c;
            loop {
                let Some(n) = take_next(&next, OPINIONS) else {
                    return;
                };
                let key = format!("crash-opinion-{n:05}-{}", std::process::id());
                // As the browser does: the same key again until a receipt comes back.
                loop {
                    turn += 1;
                    match post_opinion(&client, &bases[turn % bases.len()], &key, n).await {
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
        let mut child = victim.lock().unwrap();
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        std::thread::sleep(Duration::from_millis(100));
        *child = spawn_on(&binary, dir, ports[0], database);
    }
    for client in clients {
        client.await.unwrap();
    }
    for mut child in
        servers
            .into_iter()
            .chain([Arc::try_unwrap(victim).ok().unwrap().into_inner().unwrap()])
    {
        child.kill().unwrap();
        child.wait().unwrap();
    }

    let receipts = receipts.lock().unwrap().clone();
    assert!(
        *retries.lock().unwrap() > 0,
        "the kills must have interrupted some posts"
    );
    assert_eq!(receipts.len(), OPINIONS);
    let store = Store::open(check_in).await.unwrap();
    for (key, receipt) in &receipts {
        assert_eq!(store.count_by_key(key).await.unwrap(), 1, "{key}");
        let opinion = store.opinion(receipt).await.unwrap();
        assert!(
            opinion.is_some(),
            "receipt {receipt} of {key} is not stored"
        );
    }
    if database.is_none() {
        let stored = store
            .count_opinions(common::spawn::CONSULTATION)
            .await
            .unwrap();
        assert_eq!(
            stored, OPINIONS as i64,
            "one stored opinion per receipted opinion"
        );
    }
}
