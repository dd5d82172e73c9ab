//! Lighthouse 12.2.3 (npm, into `target/tools`) against the demo portal served by
//! `disclosure-server`, in Debian's Chromium: the accessibility score of every page, and
//! the performance score and bytes of the search page before its first search.

use anyhow::Context;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::tools::{npm_install, npm_tools, CHROMIUM};
use crate::{root, run};

const LIGHTHOUSE_VERSION: &str = "12.2.3";

/// The demo portal's pages.
pub const PAGES: [&str; 4] = ["/", "/validity.html", "/fees.html", "/consultation.html"];

/// What Lighthouse found on one page.
pub struct Audit {
    pub page: String,
    pub accessibility: f64,
    pub performance: f64,
    pub bytes: f64,
    /// Accessibility audits that did not pass.
    pub failed: Vec<String>,
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn ensure_lighthouse() -> anyhow::Result<std::path::PathBuf> {
    let bin = npm_tools().join("node_modules/.bin/lighthouse");
    let package = npm_tools().join("node_modules/lighthouse/package.json");
    let installed = std::fs::read_to_string(package)
        .is_ok_and(|text| text.contains(&format!("\"version\": \"{LIGHTHOUSE_VERSION}\"")));
    if !installed || !bin.exists() {
        npm_install(&format!("lighthouse@{LIGHTHOUSE_VERSION}"))?;
    }
    Ok(bin)
}

/// Audits every page of the portal built in `dist`.
pub fn audit(dist: &Path) -> anyhow::Result<Vec<Audit>> {
    let lighthouse = ensure_lighthouse()?;
    run(crate::cargo().args(["build", "--package", "disclosure-server"]))?;
    let data = root().join("target/lighthouse");
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data)?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())?
        .port();
    let _server = Server(
        Command::new(root().join("target/debug/disclosure-server"))
            .arg("--site")
            .arg(dist)
            .arg("--data")
            .arg(data.join("opinions"))
            .arg("--consultations")
            .arg(root().join("index/consultations/consultations.json"))
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .stderr(Stdio::null())
            .spawn()
            .context("disclosure-server")?,
    );
    std::thread::sleep(std::time::Duration::from_secs(1));
    let mut audits = Vec::new();
    for (n, page) in PAGES.iter().enumerate() {
        let report = data.join(format!("report-{n}.json"));
        run(Command::new(&lighthouse)
            .arg(format!("http://127.0.0.1:{port}{page}"))
            .arg(format!("--chrome-path={CHROMIUM}"))
            .arg("--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run --disable-sync")
            .args(["--only-categories=accessibility,performance", "--output=json", "--quiet"])
            .arg(format!("--output-path={}", report.display())))?;
        let json: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(&report).with_context(|| report.display().to_string())?,
        )?;
        let score = |category: &str| {
            json["categories"][category]["score"]
                .as_f64()
                .unwrap_or(0.0)
        };
        let failed = json["categories"]["accessibility"]["auditRefs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|reference| reference["id"].as_str())
            .filter(|id| {
                json["audits"][id]["score"]
                    .as_f64()
                    .is_some_and(|s| s < 1.0)
            })
            .map(|id| {
                format!(
                    "{id}: {}",
                    json["audits"][id]["title"].as_str().unwrap_or("")
                )
            })
            .collect();
        audits.push(Audit {
            page: page.to_string(),
            accessibility: score("accessibility"),
            performance: score("performance"),
            bytes: json["audits"]["total-byte-weight"]["numericValue"]
                .as_f64()
                .unwrap_or(0.0),
            failed,
        });
    }
    Ok(audits)
}
