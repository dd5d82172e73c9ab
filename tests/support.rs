//! What the browser tests share: the built portal and the opinion API served on 127.0.0.1
//! by the project's own server routes (on a fresh SQLite file), Debian's ChromeDriver, and
//! a fresh headless Chromium session.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use disclosure_server::opinions::contact::ContactKey;
use disclosure_server::opinions::store::Store;
use disclosure_server::opinions::Settings;
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

pub mod link;
pub mod proxies;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The built portal: `DISCLOSURE_DIST`, or `dist/` at the workspace root (written by
/// `cargo xtask test` and `cargo xtask demo`).
pub fn dist() -> PathBuf {
    std::env::var_os("DISCLOSURE_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist"))
}

/// The portal served on an ephemeral port of 127.0.0.1, counting the bytes it sends and
/// recording the paths asked for; it can be stopped and started again on the same port.
pub struct Site {
    pub address: SocketAddr,
    /// How the site answers requests for the pack, and what it was asked.
    pub pack_host: Arc<PackHost>,
    sent: Arc<AtomicU64>,
    requested: Arc<Mutex<Vec<String>>>,
    /// The opinion store, kept across a stop and a start.
    pub store: Store,
    /// Where the store's SQLite file lives, removed with the site.
    data: PathBuf,
    app: axum::Router,
    /// Served over HTTPS (HTTP/2 and HTTP/1.1 offered by ALPN) with this certificate, made
    /// for 127.0.0.1 on start; plain HTTP/1.1 without.
    tls: Option<axum_server::tls_rustls::RustlsConfig>,
    running: Mutex<
        Option<(
            tokio::sync::oneshot::Sender<()>,
            tokio::task::JoinHandle<()>,
        )>,
    >,
}

/// Builds the routes a site serves from its folder and the opinion API.
pub type Routes = fn(&Path, axum::Router) -> axum::Router;

impl Site {
    /// The portal served by the project's own server routes.
    pub async fn start(dist: &Path) -> Site {
        Site::start_with(dist, disclosure_server::app).await
    }

    /// The portal's files served by a plain static file server (tower-http's `ServeDir`
    /// alone: `Range`, no compression, no cache headers, no API), as any static host.
    pub async fn start_plain(dist: &Path) -> Site {
        Site::start_with(dist, |dist, _api| {
            axum::Router::new().fallback_service(tower_http::services::ServeDir::new(dist))
        })
        .await
    }

    /// The portal served by the project's own server routes, trusting 127.0.0.1 as its
    /// reverse proxy (nginx and Caddy run there in the tests) and taking `per_minute`
    /// opinions from each client.
    pub async fn start_behind_proxy(dist: &Path, per_minute: u32) -> Site {
        Site::start_configured(
            dist,
            disclosure_server::app,
            per_minute,
            &["127.0.0.1"],
            None,
            None,
        )
        .await
    }

    async fn start_with(dist: &Path, routes: Routes) -> Site {
        Site::start_configured(dist, routes, 1000, &[], None, None).await
    }

    /// The portal served by the project's own server routes over a slow network
    /// ([`link::Shape`]), for benchmarks.
    pub async fn start_shaped(dist: &Path, shape: link::Shape) -> Site {
        let app = disclosure_server::app;
        Site::start_configured(dist, app, 1000, &[], Some(shape), None).await
    }

    /// As [`Site::start_shaped`], over HTTPS with a certificate made now for 127.0.0.1,
    /// where browsers speak HTTP/2 (sessions from [`Driver::browser`] accept it).
    pub async fn start_shaped_https(dist: &Path, shape: link::Shape) -> Site {
        let (app, tls) = (disclosure_server::app, Some(self_signed().await));
        Site::start_configured(dist, app, 1000, &[], Some(shape), tls).await
    }

    async fn start_configured(
        dist: &Path,
        routes: Routes,
        per_minute: u32,
        trusted_proxies: &[&str],
        shape: Option<link::Shape>,
        tls: Option<axum_server::tls_rustls::RustlsConfig>,
    ) -> Site {
        assert!(
            dist.join("index.html").is_file(),
            "{} holds no built portal: run `cargo xtask test`, which builds it first",
            dist.display()
        );
        let sent = Arc::new(AtomicU64::new(0));
        let requested = Arc::new(Mutex::new(Vec::new()));
        let (counter, log) = (sent.clone(), requested.clone());
        let data = std::env::temp_dir().join(format!(
            "disclosure-site-{}-{}",
            std::process::id(),
            PROFILES.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&data);
        std::fs::create_dir_all(&data).unwrap();
        let store = Store::open(&format!(
            "sqlite://{}?mode=rwc",
            data.join("opinions.db").display()
        ))
        .await
        .expect("the opinion store opens");
        let settings = Settings {
            contact_key: ContactKey::from_hex(&ContactKey::generate_hex().unwrap()).unwrap(),
            admin_token: None,
            allowed_origins: Vec::new(),
            submissions_per_minute: per_minute,
            trusted_proxies: disclosure_server::proxy::TrustedProxies::parse(
                &trusted_proxies
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>(),
            )
            .expect("trusted proxies"),
        };
        let api = disclosure_server::opinions::api(store.clone(), settings);
        let pack_host = Arc::new(PackHost::default());
        let host = pack_host.clone();
        let app = routes(dist, api)
            .layer(middleware::from_fn(move |request: Request, next: Next| {
                let counter = counter.clone();
                log.lock().unwrap().push(request.uri().path().to_string());
                async move { count_body(next.run(request).await, counter).await }
            }))
            .layer(middleware::from_fn(move |request: Request, next: Next| {
                let host = host.clone();
                async move { host.answer(request, next).await }
            }));
        let app = match shape {
            Some(shape) => {
                let link = link::Link::new(shape);
                app.layer(middleware::from_fn(move |request: Request, next: Next| {
                    link.clone().answer(request, next)
                }))
            }
            None => app,
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a local port");
        let site = Site {
            address: listener.local_addr().expect("bound"),
            pack_host,
            sent,
            requested,
            store,
            data,
            app,
            tls,
            running: Mutex::new(None),
        };
        site.serve(listener);
        site
    }

    fn serve(&self, listener: tokio::net::TcpListener) {
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let service = self
            .app
            .clone()
            .into_make_service_with_connect_info::<SocketAddr>();
        let task = match &self.tls {
            None => tokio::spawn(async move {
                axum::serve(listener, service)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await
                    .expect("the site serves")
            }),
            Some(tls) => {
                let handle = axum_server::Handle::new();
                let listener = listener.into_std().expect("a standard listener");
                let server = axum_server::from_tcp_rustls(listener, tls.clone())
                    .expect("the site serves HTTPS")
                    .handle(handle.clone());
                tokio::spawn(async move {
                    tokio::spawn(async move {
                        let _ = stopped.await;
                        handle.graceful_shutdown(Some(Duration::from_secs(1)));
                    });
                    server.serve(service).await.expect("the site serves")
                })
            }
        };
        *self.running.lock().unwrap() = Some((stop, task));
    }

    /// Stops serving, as a server that went down: no new connection is accepted and idle
    /// ones are closed.
    pub async fn stop(&self) {
        let running = self.running.lock().unwrap().take();
        if let Some((stop, task)) = running {
            let _ = stop.send(());
            let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
        }
    }

    /// Serves again on the same address.
    pub async fn restart(&self) {
        let listener = tokio::net::TcpListener::bind(self.address)
            .await
            .expect("the same port again");
        self.serve(listener);
    }

    pub fn url(&self, path: &str) -> String {
        let scheme = match self.tls {
            Some(_) => "https",
            None => "http",
        };
        format!(
            "{scheme}://{}/{}",
            self.address,
            path.trim_start_matches('/')
        )
    }

    /// Whether any request so far asked for a path ending with `suffix`.
    pub fn was_requested(&self, suffix: &str) -> bool {
        self.requested
            .lock()
            .unwrap()
            .iter()
            .any(|path| path.ends_with(suffix))
    }

    /// Whether a file of the build's code was asked for under its stable name
    /// (`worker_bg.wasm`) or its content-hashed one (`worker_bg.<16 hex>.wasm`, which the
    /// built pages name).
    pub fn was_requested_code(&self, name: &str) -> bool {
        let Some((stem, extension)) = name.rsplit_once('.') else {
            return self.was_requested(name);
        };
        self.requested.lock().unwrap().iter().any(|path| {
            let file = path.rsplit('/').next().unwrap_or_default();
            file == name
                || file
                    .strip_prefix(stem)
                    .and_then(|rest| rest.strip_suffix(extension))
                    .and_then(|hash| hash.strip_prefix('.')?.strip_suffix('.'))
                    .is_some_and(|hash| {
                        hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
                    })
        })
    }

    /// Every path asked for so far, in order.
    pub fn requested_paths(&self) -> Vec<String> {
        self.requested.lock().unwrap().clone()
    }

    /// Bytes of response bodies sent so far, as sent (compressed where compressed).
    pub fn bytes_sent(&self) -> u64 {
        self.sent.load(Ordering::SeqCst)
    }
}

/// The site's ways with requests for the pack (`*.pack`), to play the hosts a portal may
/// have, and the record of every such request and of those for the head's file
/// (`*.head`).
#[derive(Default)]
pub struct PackHost {
    /// Ignore `Range` and send the whole file (200), as a host without range support.
    pub refuse_ranges: std::sync::atomic::AtomicBool,
    /// Cut off this many of the next range requests after their headers, as a dropped
    /// connection.
    pub drop_next: std::sync::atomic::AtomicU32,
    /// When not 0, ignore a `Range` naming more ranges than this and send the whole file
    /// (200), as nginx's `max_ranges` does.
    pub max_ranges: std::sync::atomic::AtomicUsize,
    /// Hold back the engine's Wasm (`worker_bg*.wasm`) until this is set false again (at
    /// most 30 s), as a slow link would: what the page asks meanwhile is its own.
    pub hold_engine: AtomicBool,
    /// Hold back the worker's probe of several ranges (a request for two one-byte ranges
    /// of the pack) until this is set false again (at most 30 s), as a slow link would:
    /// the first query's rounds go out before its answer.
    pub hold_probe: AtomicBool,
    /// Hold back the head's own file (`*.head`) until this is set false again (at most
    /// 30 s): the probe of several ranges answers before the worker has opened the index.
    pub hold_head: AtomicBool,
    requests: Mutex<Vec<PackRequest>>,
}

/// One request for the pack or its head's own file, as the site answered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackRequest {
    /// A request for the head's file (`search.<hash>.head`), not the pack.
    pub head: bool,
    /// The `Range` header as sent, if any.
    pub range: Option<String>,
    pub status: u16,
    /// Bytes of the body sent (before a cut-off).
    pub bytes: u64,
    /// Whether the connection was cut off after the headers.
    pub dropped: bool,
}

impl PackHost {
    /// Every request for the pack or its head's file so far.
    pub fn requests(&self) -> Vec<PackRequest> {
        self.requests.lock().unwrap().clone()
    }

    /// Every request for the pack itself so far (not its head's file).
    pub fn pack_requests(&self) -> Vec<PackRequest> {
        self.requests()
            .into_iter()
            .filter(|request| !request.head)
            .collect()
    }

    async fn answer(&self, mut request: Request, next: Next) -> Response {
        let path = request.uri().path();
        let head = path.ends_with(".head");
        if path.contains("worker_bg") && path.ends_with(".wasm") {
            held(&self.hold_engine).await;
        }
        if head {
            held(&self.hold_head).await;
        }
        if !path.ends_with(".pack") && !head {
            return next.run(request).await;
        }
        let range = request
            .headers()
            .get(axum::http::header::RANGE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_string);
        if range.as_deref().is_some_and(is_probe_of_several) {
            held(&self.hold_probe).await;
        }
        let max_ranges = self.max_ranges.load(Ordering::SeqCst);
        let too_many = range
            .as_deref()
            .is_some_and(|range| max_ranges > 0 && range.split(',').count() > max_ranges);
        if self.refuse_ranges.load(Ordering::SeqCst) || too_many {
            request.headers_mut().remove(axum::http::header::RANGE);
        }
        let response = next.run(request).await;
        let (parts, body) = response.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        let dropped = range.is_some()
            && self
                .drop_next
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
                    left.checked_sub(1)
                })
                .is_ok();
        self.requests.lock().unwrap().push(PackRequest {
            head,
            range,
            status: parts.status.as_u16(),
            bytes: bytes.len() as u64,
            dropped,
        });
        if dropped {
            // The headers promise the whole part; the body breaks off before it.
            let broken = futures_util::stream::once(async {
                Err::<axum::body::Bytes, _>(std::io::Error::other("connection dropped"))
            });
            return Response::from_parts(parts, Body::from_stream(broken));
        }
        Response::from_parts(parts, Body::from(bytes))
    }
}

/// Returns once `hold` is false, or after 30 s.
async fn held(hold: &AtomicBool) {
    for _ in 0..600 {
        if !hold.load(Ordering::SeqCst) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Whether `range` (a `Range` header) asks two one-byte ranges, as the worker's probe of
/// several ranges does.
pub fn is_probe_of_several(range: &str) -> bool {
    let ranges: Vec<&str> = range.trim_start_matches("bytes=").split(',').collect();
    ranges.len() == 2
        && ranges.iter().all(|range| {
            range
                .split_once('-')
                .is_some_and(|(start, end)| start == end)
        })
}

async fn count_body(response: Response, counter: Arc<AtomicU64>) -> Response {
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    counter.fetch_add(bytes.len() as u64, Ordering::SeqCst);
    Response::from_parts(parts, Body::from(bytes))
}

/// A ChromeDriver process on a free port, stopped when dropped.
pub struct Driver {
    child: tokio::process::Child,
    pub url: String,
    /// The browser profiles made for this driver's sessions, removed with it: each holds
    /// about 100 MB of cache, which a long test run must not leave behind.
    profiles: Mutex<Vec<PathBuf>>,
}

impl Driver {
    /// Starts chromedriver on a free port of 127.0.0.1 and waits until it answers its
    /// `/status` as ready. The port is chosen by binding port 0 and letting it go, so
    /// another server of a test running beside this one may take it first: chromedriver
    /// then exits, and a plain connect would have reached that other server (seen once:
    /// `a browser session starts: ConnectionRefused` when the other server had closed).
    /// So it is asked for its status, and started again on another port if it exits.
    pub async fn start() -> Driver {
        for _ in 0..DRIVER_STARTS {
            if let Some(driver) = Driver::start_once().await {
                return driver;
            }
        }
        panic!("chromedriver did not start in {DRIVER_STARTS} tries (ports taken, or it fails)");
    }

    /// One try of [`Driver::start`]: `None` when chromedriver exits or does not answer
    /// ready within [`DRIVER_READY_WITHIN`].
    async fn start_once() -> Option<Driver> {
        let port = proxies::free_port();
        let mut child = tokio::process::Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("{CHROMEDRIVER}: {e} (cargo xtask test installs chromium-driver)")
            });
        let url = format!("http://127.0.0.1:{port}");
        let deadline = tokio::time::Instant::now() + DRIVER_READY_WITHIN;
        while tokio::time::Instant::now() < deadline {
            if !matches!(child.try_wait(), Ok(None)) {
                return None;
            }
            if driver_ready(port).await {
                return Some(Driver {
                    child,
                    url,
                    profiles: Mutex::new(Vec::new()),
                });
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        None
    }

    /// A new headless Chromium with a fresh, empty profile (nothing cached).
    pub async fn browser(&self) -> Client {
        let profile = std::env::temp_dir().join(format!(
            "disclosure-chromium-{}-{}",
            std::process::id(),
            PROFILES.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&profile);
        self.profiles.lock().unwrap().push(profile.clone());
        // The HTTPS sites' certificate is trusted by its key, as a real one would be
        // (Chromium caches nothing from a site whose certificate it merely accepts).
        let trusted = format!(
            "--ignore-certificate-errors-spki-list={}",
            test_certificate().public_key_sha256
        );
        let capabilities = serde_json::json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--no-first-run",
                    "--disable-sync", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.display()),
                    trusted,
                ]
            }
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .expect("a browser session starts")
    }
}

static PROFILES: AtomicU64 = AtomicU64::new(0);

/// How many ports [`Driver::start`] tries chromedriver on.
const DRIVER_STARTS: usize = 5;

/// How long one try of [`Driver::start`] waits for chromedriver to answer ready.
const DRIVER_READY_WITHIN: Duration = Duration::from_secs(10);

/// Whether the chromedriver on `port` answers `GET /status` with `"ready": true` (the
/// WebDriver status endpoint), rather than some other server holding the port.
async fn driver_ready(port: u16) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Ok(mut stream) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await else {
        return false;
    };
    // HTTP/1.1: chromedriver closes an HTTP/1.0 request without an answer.
    let request =
        format!("GET /status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).await.is_err() {
        return false;
    }
    // Read until the body parses: chromedriver answers `Connection: close` but may keep
    // the socket open, so the end of the stream is not waited for.
    let read = async {
        let mut answer = Vec::new();
        let mut chunk = [0u8; 1024];
        loop {
            let body = answer
                .windows(4)
                .position(|window| window == b"\r\n\r\n")
                .and_then(|end| serde_json::from_slice::<Value>(&answer[end + 4..]).ok());
            if let Some(status) = body {
                return status["value"]["ready"] == Value::Bool(true);
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return false,
                Ok(read) => answer.extend_from_slice(&chunk[..read]),
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(2), read)
        .await
        .unwrap_or(false)
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
        for profile in self.profiles.lock().unwrap().drain(..) {
            let _ = std::fs::remove_dir_all(profile);
        }
    }
}

/// Waits until the widget's live region has settled on an answer to the current search
/// (results, none, or an error) and returns its text.
pub async fn settled_status(client: &Client) -> String {
    for _ in 0..600 {
        let text: String = client
            .execute(
                "const s = document.querySelector('.nx-search__status'); return s ? s.textContent : '';",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        if text.starts_with("找到") || text.starts_with("没有") || text.starts_with("搜索失败")
        {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the search did not settle within 30 s");
}

/// A browser on the portal: the site, its driver and a fresh session, kept together so a
/// test holds them for its whole length.
pub struct Session {
    pub site: Site,
    pub client: Client,
    _driver: Driver,
}

impl Session {
    pub async fn start(dist: &Path) -> Session {
        Session::on(Site::start(dist).await).await
    }

    /// A browser on `site`.
    pub async fn on(site: Site) -> Session {
        let driver = Driver::start().await;
        let client = driver.browser().await;
        Session {
            site,
            client,
            _driver: driver,
        }
    }

    /// Opens `path` of the portal and waits for the element `css` (the widget's input).
    pub async fn open(&self, path: &str, css: &str) -> fantoccini::elements::Element {
        self.client
            .goto(&self.site.url(path))
            .await
            .expect("the page opens");
        self.client
            .wait()
            .for_element(fantoccini::Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{path}: no {css}: {e}"))
    }
}

/// The visible text of every element matching `css`, in document order.
pub async fn texts(client: &Client, css: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for element in client
        .find_all(fantoccini::Locator::Css(css))
        .await
        .unwrap()
    {
        texts.push(element.text().await.unwrap());
    }
    texts
}

/// Clicks the first element matching `css`.
pub async fn click(client: &Client, css: &str) {
    client
        .find(fantoccini::Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .click()
        .await
        .unwrap();
}

/// The query string of the page's address, without `?`.
pub async fn query_string(client: &Client) -> String {
    client
        .current_url()
        .await
        .unwrap()
        .query()
        .unwrap_or("")
        .to_string()
}

/// The certificate of this process's HTTPS sites, made once for 127.0.0.1.
struct TestCertificate {
    certificate: Vec<u8>,
    key: Vec<u8>,
    /// Base64 of the SHA-256 of its public key, as Chromium's
    /// `--ignore-certificate-errors-spki-list` names the keys it trusts.
    public_key_sha256: String,
}

fn test_certificate() -> &'static TestCertificate {
    static CERTIFICATE: std::sync::OnceLock<TestCertificate> = std::sync::OnceLock::new();
    CERTIFICATE.get_or_init(|| {
        use base64::Engine as _;
        use rcgen::PublicKeyData as _;
        let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()])
            .expect("a self-signed certificate");
        let spki = certified.signing_key.subject_public_key_info();
        let digest = ring::digest::digest(&ring::digest::SHA256, &spki);
        TestCertificate {
            certificate: certified.cert.der().to_vec(),
            key: certified.signing_key.serialize_der(),
            public_key_sha256: base64::engine::general_purpose::STANDARD.encode(digest),
        }
    })
}

/// The rustls configuration of [`test_certificate`] (HTTP/2 and HTTP/1.1 by ALPN).
async fn self_signed() -> axum_server::tls_rustls::RustlsConfig {
    let made = test_certificate();
    axum_server::tls_rustls::RustlsConfig::from_der(
        vec![made.certificate.clone()],
        made.key.clone(),
    )
    .await
    .expect("rustls takes the certificate")
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

/// Runs `body` with `root(tag)` bound to the shadow root of the first `tag` element.
pub async fn in_shadow(client: &Client, body: &str, args: Vec<Value>) -> Value {
    let script = format!(
        "const root = (tag) => {{ const host = document.querySelector(tag); return host && host.shadowRoot; }};\n{body}"
    );
    client.execute(&script, args).await.unwrap_or(Value::Null)
}

/// Waits until `probe` (a script returning a value) returns something truthy.
pub async fn until(client: &Client, what: &str, probe: &str) -> Value {
    for _ in 0..300 {
        let value = in_shadow(client, probe, vec![]).await;
        if !(value.is_null() || value == json!(false) || value == json!("")) {
            return value;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what}: not within 15 s");
}

/// Submits the form in the shadow root of the first `tag` element, as Enter would.
pub async fn submit_form(client: &Client, tag: &str) {
    in_shadow(
        client,
        "const [tag] = arguments; root(tag).querySelector('form').requestSubmit();",
        vec![json!(tag)],
    )
    .await;
}

/// Types `text` into the shadow root's `input` as a person would (value, then input event).
pub async fn type_into(client: &Client, tag: &str, input: &str, text: &str) {
    in_shadow(
        client,
        "const [tag, css, text] = arguments; const field = root(tag).querySelector(css);
         field.focus(); field.value = text;
         field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));",
        vec![json!(tag), json!(input), json!(text)],
    )
    .await;
}
