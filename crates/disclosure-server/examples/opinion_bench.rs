//! `cargo run --release -p disclosure-server --example opinion_bench -- BINARY [POSTGRES_URL]`:
//! durable opinion submissions per second and their p99 latency against the real server,
//! from 64 concurrent keep-alive clients on loopback. Without a URL: one instance on SQLite
//! (WAL, synchronous=FULL, group commit); with the URL of a PostgreSQL server: two
//! instances on a fresh database of it, the clients alternating between them, each
//! instance trusting 127.0.0.1 as its proxy and each client posting as its own forwarded
//! address (as citizens behind a portal's proxy do), so the shared per-address limit is
//! counted in the database as in production. Prints one flat JSON object.

// The tests' helpers: this benchmark uses a part of them.
#[path = "../tests/common/spawn.rs"]
#[allow(dead_code)]
mod spawn;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use spawn::{free_port, prepare, scratch, spawn_on, take_next, wait_ready, CONSULTATION};

const OPINIONS: usize = 20_000;
const CLIENTS: usize = 64;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let binary = PathBuf::from(
        args.next()
            .expect("usage: opinion_bench SERVER_BINARY [POSTGRES_URL]"),
    );
    let postgres = match args.next() {
        Some(url) => Some(spawn::fresh_database(&url, "opinion_bench").await),
        None => None,
    };
    let dir = scratch("opinion-bench");
    prepare(&dir);
    let instances = if postgres.is_some() { 2 } else { 1 };
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CLIENTS)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let mut servers = Vec::new();
    let mut bases = Vec::new();
    for _ in 0..instances {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        servers.push(match &postgres {
            Some(url) => spawn_on_behind_proxy(&binary, &dir, port, url),
            None => spawn_on(&binary, &dir, port, None),
        });
        wait_ready(&client, &base).await;
        bases.push(base);
    }

    let next = Arc::new(Mutex::new(0usize));
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(OPINIONS)));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let (next, latencies, client, bases) = (
            next.clone(),
            latencies.clone(),
            client.clone(),
            bases.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let address = format!("198.51.{}.{}", c / 250, c % 250 + 1);
            loop {
                let Some(n) = take_next(&next, OPINIONS) else {
                    return;
                };
                let sent = Instant::now();
                let response = client
                    .post(format!(
                        "{}/api/consultations/{CONSULTATION}/opinions",
                        bases[n % bases.len()]
                    ))
                    .header("Idempotency-Key", format!("bench-opinion-{n:06}"))
                    .header("X-Forwarded-For", &address)
                    .json(&serde_json::json!({"text": format!("第{n}条意见：建议延长公示期。"), "phone": "13800001234"}))
                    .send()
                    .await
                    .expect("the server answers");
                assert!(
                    response.status().is_success(),
                    "every opinion is accepted: {}",
                    response.status()
                );
                latencies
                    .lock()
                    .unwrap()
                    .push(sent.elapsed().as_secs_f64() * 1000.0);
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    for mut server in servers {
        let _ = server.kill();
        let _ = server.wait();
    }
    let mut latencies = latencies.lock().unwrap().clone();
    latencies.sort_by(f64::total_cmp);
    let p99 = latencies[(latencies.len() * 99 / 100).min(latencies.len() - 1)];
    let suffix = if postgres.is_some() { "_2x_pg" } else { "" };
    let figures = serde_json::json!({
        format!("opinions_per_s{suffix}"): (OPINIONS as f64 / elapsed).round(),
        format!("opinion_p99_ms{suffix}"): (p99 * 10.0).round() / 10.0,
        format!("opinion_median_ms{suffix}"): (latencies[latencies.len() / 2] * 10.0).round() / 10.0,
    });
    println!("{}", serde_json::to_string_pretty(&figures).unwrap());
    let _ = std::fs::remove_dir_all(&dir);
}

/// An instance on PostgreSQL that trusts 127.0.0.1 as its reverse proxy.
fn spawn_on_behind_proxy(
    binary: &std::path::Path,
    dir: &std::path::Path,
    port: u16,
    url: &str,
) -> std::process::Child {
    spawn::command(binary, dir, port)
        .args([
            "--submissions-per-minute",
            "100000000",
            "--trusted-proxy",
            "127.0.0.1",
        ])
        .env("DATABASE_URL", url)
        .env("DISCLOSURE_CONTACT_KEY", spawn::CONTACT_KEY)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the server starts")
}
