//! The phone benchmark (issue 18): our search widget and Pagefind 1.6 side by side, on the
//! same queries, from the same site, under the same network — localhost, then Lighthouse's
//! mobile profile (150 ms round trip, 1.6 Mbit/s shared; shaped by the test site itself,
//! [`disclosure_e2e::link`]) over HTTP/1.1 on plain HTTP (`mobile_*`), and the same link
//! over HTTPS with a certificate made for the run, where Chromium speaks HTTP/2
//! (`h2_mobile_*`: every request of a round on one connection at once, as a portal behind
//! a current HTTPS front end serves them). The shaping delays responses, not connections:
//! TCP and TLS handshakes cost nothing here, which flatters HTTP/1.1's six connections
//! more than HTTP/2's one.
//!
//! For each query: a first visit (a fresh browser profile, nothing cached: from navigation
//! start to the top 10 on screen, the UI, the engine and the index included), a second
//! visit in the same profile with the next query (code and head in the browser's cache),
//! a warm query in that page, and the second visit's query asked again in that page
//! (`held`: every byte it reads already held, so the figure is the engine's and the
//! page's own time, which issue 18 wants at most 20 ms). Pagefind runs from its own API on a bare page
//! (`pagefind-bench.html`, written by xtask with Pagefind's index of the corpus rendered
//! as pages), ours through the widget on the portal's search page.

use std::collections::BTreeMap;
use std::time::Duration;

use disclosure_e2e::link::Shape;
use disclosure_e2e::{settled_status, Driver, Site};
use fantoccini::Client;

/// Queries per kind: each costs two first visits (ours, Pagefind's) of seconds each on
/// the mobile link.
const QUERIES_PER_KIND: usize = 2;
const KINDS: [&str; 5] = ["title", "title_sub", "phrase", "typo", "multi"];

/// A query of the sample with the documents it should find.
pub struct Probe<'a> {
    pub kind: &'a str,
    pub q: &'a str,
    pub expected: &'a [String],
}

/// What one engine did on one visit.
#[derive(Default, Clone)]
struct Visit {
    ms: f64,
    bytes: f64,
    requests: f64,
    /// Requests for the index files only (ours: `data/`; Pagefind: its fragments and
    /// chunks), what a query itself asks for.
    index_requests: f64,
    found: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Engine {
    Ours,
    Pagefind,
}

impl Engine {
    fn name(self) -> &'static str {
        match self {
            Engine::Ours => "ours",
            Engine::Pagefind => "pagefind",
        }
    }

    fn page(self, query: &str) -> String {
        match self {
            Engine::Ours => format!("/?q={}", encode(query)),
            Engine::Pagefind => format!("/pagefind-bench.html?q={}", encode(query)),
        }
    }

    fn is_index_request(self, path: &str) -> bool {
        match self {
            Engine::Ours => path.contains("/data/"),
            Engine::Pagefind => {
                path.contains("/pagefind/")
                    && !path.ends_with(".js")
                    && !path.ends_with(".wasm")
                    && !path.contains("wasm.")
            }
        }
    }
}

/// Milliseconds from navigation start until the page shows the top 10 of the query in its
/// address, and the ids on screen.
async fn open_and_wait(
    client: &Client,
    site: &Site,
    engine: Engine,
    query: &str,
) -> (f64, Vec<String>) {
    client.goto(&site.url(&engine.page(query))).await.unwrap();
    match engine {
        Engine::Ours => {
            settled_status(client).await;
        }
        Engine::Pagefind => {
            for _ in 0..1200 {
                let done = client
                    .execute("return window.__done || null", vec![])
                    .await
                    .unwrap();
                if !done.is_null() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
        }
    }
    let at = client
        .execute(
            match engine {
                Engine::Ours => "return performance.now()",
                Engine::Pagefind => "return window.__done || performance.now()",
            },
            vec![],
        )
        .await
        .unwrap();
    (
        at.as_f64().unwrap_or(f64::NAN),
        crate::result_ids(client).await,
    )
}

/// A later query in the open page: milliseconds from asking to the top 10 on screen.
async fn warm(client: &Client, engine: Engine, query: &str) -> (f64, Vec<String>) {
    let ms = match engine {
        Engine::Ours => crate::timed_search(client, query).await,
        Engine::Pagefind => client
            .execute_async(
                "const [query, done] = arguments; window.benchSearch(query).then(done);",
                vec![serde_json::json!(query)],
            )
            .await
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(f64::NAN),
    };
    (ms, crate::result_ids(client).await)
}

/// What `site` served between two counts.
struct Served {
    bytes: u64,
    paths: usize,
}

fn served(site: &Site) -> Served {
    Served {
        bytes: site.bytes_sent(),
        paths: site.requested_paths().len(),
    }
}

fn visit_since(site: &Site, engine: Engine, before: &Served, ms: f64, found: bool) -> Visit {
    let paths = site.requested_paths();
    let new = &paths[before.paths.min(paths.len())..];
    Visit {
        ms,
        bytes: (site.bytes_sent() - before.bytes) as f64,
        requests: new.len() as f64,
        index_requests: new.iter().filter(|p| engine.is_index_request(p)).count() as f64,
        found,
    }
}

/// The four visits of every probe for one engine on one site: first, second, warm, held.
async fn measure(
    driver: &Driver,
    site: &Site,
    engine: Engine,
    probes: &[Probe<'_>],
) -> [Vec<Visit>; 4] {
    let (mut first, mut second, mut later, mut held) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (at, probe) in probes.iter().enumerate() {
        let next = &probes[(at + 1) % probes.len()];
        let third = &probes[(at + 2) % probes.len()];
        let client = driver.browser().await;
        let found = |ids: &[String], probe: &Probe| {
            ids.iter().take(10).any(|id| probe.expected.contains(id))
        };
        let before = served(site);
        let (ms, ids) = open_and_wait(&client, site, engine, probe.q).await;
        first.push(visit_since(site, engine, &before, ms, found(&ids, probe)));
        let before = served(site);
        let (ms, ids) = open_and_wait(&client, site, engine, next.q).await;
        second.push(visit_since(site, engine, &before, ms, found(&ids, next)));
        let before = served(site);
        let (ms, ids) = warm(&client, engine, third.q).await;
        later.push(visit_since(site, engine, &before, ms, found(&ids, third)));
        // The second visit's query again: the page holds every byte it reads.
        let before = served(site);
        let (ms, ids) = warm(&client, engine, next.q).await;
        held.push(visit_since(site, engine, &before, ms, found(&ids, next)));
        client.close().await.unwrap();
        // A visit whose top 10 missed its expected document says so: recall is a figure.
        let missed = |visit: &Visit, q: &str| match visit.found {
            true => String::new(),
            false => format!(" (missed {q})"),
        };
        eprintln!(
            "{} {} {}: first {:.0} ms {:.0} KiB {} requests{}; second {:.0} ms{}; warm {:.0} ms{}; held {:.0} ms {:.0} KiB",
            engine.name(),
            probe.kind,
            probe.q,
            first.last().unwrap().ms,
            first.last().unwrap().bytes / 1024.0,
            first.last().unwrap().requests,
            missed(first.last().unwrap(), probe.q),
            second.last().unwrap().ms,
            missed(second.last().unwrap(), next.q),
            later.last().unwrap().ms,
            missed(later.last().unwrap(), third.q),
            held.last().unwrap().ms,
            held.last().unwrap().bytes / 1024.0,
        );
    }
    [first, second, later, held]
}

/// The figures of the phone benchmark, flat, named as issue 18 names them.
pub async fn figures(
    driver: &Driver,
    dist: &std::path::Path,
    probes: &[Probe<'_>],
) -> BTreeMap<String, f64> {
    let chosen: Vec<&Probe> = KINDS
        .iter()
        .flat_map(|kind| {
            probes
                .iter()
                .filter(move |p| p.kind == *kind)
                .take(QUERIES_PER_KIND)
        })
        .collect();
    let chosen: Vec<Probe> = chosen
        .into_iter()
        .map(|p| Probe {
            kind: p.kind,
            q: p.q,
            expected: p.expected,
        })
        .collect();
    let mut figures = BTreeMap::new();
    // HTTP/1.1 on plain HTTP (as the table), and the mobile link again over HTTPS,
    // where Chromium speaks HTTP/2: one connection carries every request at once.
    for (profile, shape, https) in [
        ("local", None, false),
        ("mobile", Some(Shape::MOBILE), false),
        ("h2_mobile", Some(Shape::MOBILE), true),
    ] {
        let site = match (shape, https) {
            (Some(shape), true) => Site::start_shaped_https(dist, shape).await,
            (Some(shape), false) => Site::start_shaped(dist, shape).await,
            (None, _) => Site::start(dist).await,
        };
        for engine in [Engine::Ours, Engine::Pagefind] {
            let [first, second, later, held] = measure(driver, &site, engine, &chosen).await;
            let prefix = match engine {
                Engine::Ours => profile.to_string(),
                Engine::Pagefind => format!("pagefind_{profile}"),
            };
            let field = |visits: &[Visit], f: fn(&Visit) -> f64| -> Vec<f64> {
                visits.iter().map(f).collect()
            };
            for (name, visits) in [
                ("first_visit", &first),
                ("second_visit", &second),
                ("warm", &later),
                ("held", &held),
            ] {
                figures.insert(
                    format!("{prefix}_{name}_ms_median"),
                    crate::median(field(visits, |v| v.ms)),
                );
                figures.insert(
                    format!("{prefix}_{name}_ms_p95"),
                    crate::percentile(field(visits, |v| v.ms), 0.95),
                );
                figures.insert(
                    format!("{prefix}_{name}_kib_median"),
                    crate::kib(crate::median(field(visits, |v| v.bytes))),
                );
                figures.insert(
                    format!("{prefix}_{name}_requests_median"),
                    crate::median(field(visits, |v| v.requests)),
                );
            }
            let all: Vec<&Visit> = first.iter().chain(&second).chain(&later).collect();
            let recall = all.iter().filter(|v| v.found).count() as f64 / all.len().max(1) as f64;
            figures.insert(format!("{prefix}_r_at_10"), recall);
            if engine == Engine::Ours && profile == "local" {
                figures.insert(
                    "cold_query_requests_median".into(),
                    crate::median(field(&first, |v| v.index_requests)),
                );
            }
        }
        site.stop().await;
    }
    figures
}

/// Percent-encodes a query for a URL.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
