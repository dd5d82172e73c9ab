//! `disclosure-server`: serves the built portal (`dist/`) and its index files.
//!
//! Static files get `Range` support (a later reader fetches parts of the packed index),
//! gzip or brotli when the browser accepts them (`.wasm` and the pack compress well), and
//! their right MIME types (`application/wasm` lets browsers compile while downloading).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use disclosure_server::static_site;

#[derive(Parser)]
#[command(
    name = "disclosure-server",
    version,
    about = "Serve the disclosure portal and its index files"
)]
struct Cli {
    /// Folder of the built portal.
    #[arg(long, default_value = "dist")]
    site: PathBuf,
    /// Address to listen on; the default serves this machine only.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    if !cli.site.join("index.html").is_file() {
        eprintln!(
            "error: {} has no index.html; build the portal first (cargo xtask demo)",
            cli.site.display()
        );
        return std::process::ExitCode::FAILURE;
    }
    let listener = match tokio::net::TcpListener::bind(cli.listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("error: cannot listen on {}: {error}", cli.listen);
            return std::process::ExitCode::FAILURE;
        }
    };
    eprintln!(
        "serving {} on http://{} (Ctrl-C stops)",
        cli.site.display(),
        cli.listen
    );
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match axum::serve(listener, static_site(&cli.site))
        .with_graceful_shutdown(shutdown)
        .await
    {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
