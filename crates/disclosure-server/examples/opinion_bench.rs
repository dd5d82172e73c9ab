//! `cargo run --release -p disclosure-server --example opinion_bench -- BINARY`: durable
//! opinion submissions per second and their p99 latency against the real server on
//! SQLite (WAL, synchronous=FULL, group commit), from concurrent clients on loopback.
//! Prints one flat JSON object.

#[path = "../tests/common/spawn.rs"]
mod spawn;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use spawn::{free_port, post_opinion, prepare, scratch, spawn, take_next, wait_ready};

const OPINIONS: usize = 20_000;
const CLIENTS: usize = 64;

#[tokio::main]
async fn main() {
    let binary = PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: opinion_bench SERVER_BINARY"),
    );
    let dir = scratch("opinion-bench");
    prepare(&dir);
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = spawn(&binary, &dir, port);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CLIENTS)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    wait_ready(&client, &base).await;

    let next = Arc::new(Mutex::new(0usize));
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(OPINIONS)));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (next, latencies, client, base) = (
            next.clone(),
            latencies.clone(),
            client.clone(),
            base.clone(),
        );
        tasks.push(tokio::spawn(async move {
            loop {
                let Some(n) = take_next(&next, OPINIONS) else {
                    return;
                };
                let sent = Instant::now();
                post_opinion(&client, &base, &format!("bench-opinion-{n:06}"), n)
                    .await
                    .expect("every opinion is accepted");
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
    let _ = server.kill();
    let _ = server.wait();
    let mut latencies = latencies.lock().unwrap().clone();
    latencies.sort_by(f64::total_cmp);
    let p99 = latencies[(latencies.len() * 99 / 100).min(latencies.len() - 1)];
    let figures = serde_json::json!({
        "opinions_per_s": (OPINIONS as f64 / elapsed).round(),
        "opinion_p99_ms": (p99 * 10.0).round() / 10.0,
        "opinion_median_ms": (latencies[latencies.len() / 2] * 10.0).round() / 10.0,
    });
    println!("{}", serde_json::to_string_pretty(&figures).unwrap());
    let _ = std::fs::remove_dir_all(&dir);
}
