//! Debian's nginx and Caddy in front of the portal, each with the configuration the
//! project ships in `deploy/` (nginx includes `deploy/nginx/disclosure-proxy.conf`, Caddy
//! runs `deploy/Caddyfile`), listening on 127.0.0.1 only; and requests sent to them from
//! other loopback addresses, as citizens behind one proxy.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A reverse proxy process; stopped and its folder removed when dropped.
pub struct ReverseProxy {
    pub name: &'static str,
    pub address: SocketAddr,
    child: Child,
    dir: PathBuf,
}

fn deploy(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../deploy")
        .join(file)
}

/// A port of 127.0.0.1 free when asked (bound to port 0 and let go: another process may
/// take it before the caller binds it).
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("disclosure-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

impl ReverseProxy {
    /// nginx (`/usr/sbin/nginx`, one process, no daemon) proxying everything to `upstream`.
    pub async fn nginx(upstream: SocketAddr) -> ReverseProxy {
        let dir = scratch("nginx");
        let port = free_port();
        let d = dir.display();
        let config = format!(
            "daemon off;\nmaster_process off;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
             events {{ worker_connections 256; }}\n\
             http {{\n  access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n  fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n\
             \x20 upstream disclosure {{ server {upstream}; keepalive 8; }}\n\
             \x20 server {{\n    listen 127.0.0.1:{port};\n    location / {{\n      proxy_pass http://disclosure;\n      include {};\n    }}\n  }}\n}}\n",
            deploy("nginx/disclosure-proxy.conf").display()
        );
        std::fs::write(dir.join("nginx.conf"), config).expect("the nginx config");
        let child = Command::new("/usr/sbin/nginx")
            .arg("-p")
            .arg(&dir)
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .arg("-e")
            .arg(dir.join("error.log"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("nginx runs: `cargo xtask test` installs Debian's nginx");
        ReverseProxy::ready("nginx", port, child, dir).await
    }

    /// Caddy (`caddy run`) with `deploy/Caddyfile`, its site `http://127.0.0.1:PORT`.
    pub async fn caddy(upstream: SocketAddr) -> ReverseProxy {
        let dir = scratch("caddy");
        let port = free_port();
        let child = Command::new("caddy")
            .args(["run", "--adapter", "caddyfile", "--config"])
            .arg(deploy("Caddyfile"))
            .env("CADDY_ADMIN", "off")
            .env("DISCLOSURE_SITE", format!("http://127.0.0.1:{port}"))
            .env("DISCLOSURE_BIND", "bind 127.0.0.1")
            .env("DISCLOSURE_UPSTREAM", upstream.to_string())
            .env("HOME", &dir)
            .env("XDG_DATA_HOME", dir.join("data"))
            .env("XDG_CONFIG_HOME", dir.join("config"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("caddy runs: `cargo xtask test` installs Debian's caddy");
        ReverseProxy::ready("caddy", port, child, dir).await
    }

    async fn ready(name: &'static str, port: u16, mut child: Child, dir: PathBuf) -> ReverseProxy {
        let address: SocketAddr = ([127, 0, 0, 1], port).into();
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(address).await.is_ok() {
                return ReverseProxy {
                    name,
                    address,
                    child,
                    dir,
                };
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("{name} stopped at start ({status}); see {}", dir.display());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{name} did not listen on {address}");
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{}", self.address, path.trim_start_matches('/'))
    }

    /// Sends one HTTP/1.1 POST to the proxy from the loopback address `from` (127.0.0.2 …,
    /// a citizen of its own); returns the status.
    pub async fn post_from(
        &self,
        from: IpAddr,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> u16 {
        let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
        socket.bind((from, 0).into()).expect("a loopback address");
        let mut stream = socket
            .connect(self.address)
            .await
            .expect("the proxy answers");
        let mut request = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
            self.address,
            body.len()
        );
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        request.push_str(body);
        stream.write_all(request.as_bytes()).await.expect("sent");
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer).await;
        let answer = String::from_utf8_lossy(&answer);
        answer
            .split_whitespace()
            .nth(1)
            .and_then(|status| status.parse().ok())
            .unwrap_or_else(|| panic!("{}: no status in {answer:?}", self.name))
    }
}

impl Drop for ReverseProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
