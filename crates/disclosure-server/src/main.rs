//! `disclosure-server`: serves the built portal (`dist/`), its index files and the opinion
//! API, in one process.
//!
//! Static files get `Range` support, gzip or brotli, and their right MIME types. Opinions
//! go to SQLite in the data folder, or to PostgreSQL when `DATABASE_URL` names one.
//! Secrets come from the environment: `DISCLOSURE_CONTACT_KEY` (64 hex digits; without it a
//! key is made once and kept in the data folder) and `DISCLOSURE_ADMIN_TOKEN` (officials'
//! bearer token; without it the officials' routes refuse everyone).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use disclosure_core::consultation::Consultation;
use disclosure_server::opinions::contact::ContactKey;
use disclosure_server::opinions::store::Store;
use disclosure_server::opinions::{api, Settings};

#[derive(Parser)]
#[command(
    name = "disclosure-server",
    version,
    about = "Serve the disclosure portal, its index files and the opinion API"
)]
struct Cli {
    /// Folder of the built portal.
    #[arg(long, default_value = "dist")]
    site: PathBuf,
    /// Address to listen on; the default serves this machine only.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Folder of the SQLite database (created on first start) and, without
    /// DISCLOSURE_CONTACT_KEY, of the contact key. Ignored for the database when
    /// DATABASE_URL is set.
    #[arg(long, default_value = "data")]
    data: PathBuf,
    /// A JSON file of consultations (an array) to add or update at start.
    #[arg(long)]
    consultations: Option<PathBuf>,
    /// A portal origin (https://www.example.gov.cn) whose pages may post opinions; repeatable.
    #[arg(long = "allowed-origin")]
    allowed_origins: Vec<String>,
    /// Opinions accepted per address per minute.
    #[arg(long, default_value_t = 20)]
    submissions_per_minute: u32,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Erase the phone numbers and e-mail addresses of opinions on consultations whose
    /// results were published at least DAYS days ago, then exit.
    EraseContacts {
        #[arg(long)]
        after_days: u32,
    },
}

fn database_url(data: &Path) -> Result<String, String> {
    if let Ok(url) = std::env::var("DATABASE_URL") {
        return Ok(url);
    }
    std::fs::create_dir_all(data).map_err(|e| format!("{}: {e}", data.display()))?;
    Ok(format!(
        "sqlite://{}?mode=rwc",
        data.join("opinions.db").display()
    ))
}

fn contact_key(data: &Path) -> Result<ContactKey, String> {
    if let Ok(hex) = std::env::var("DISCLOSURE_CONTACT_KEY") {
        return ContactKey::from_hex(&hex).map_err(|e| format!("DISCLOSURE_CONTACT_KEY: {e}"));
    }
    let file = data.join("contact.key");
    if !file.exists() {
        std::fs::create_dir_all(data).map_err(|e| format!("{}: {e}", data.display()))?;
        std::fs::write(&file, ContactKey::generate_hex()?)
            .map_err(|e| format!("{}: {e}", file.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600));
        }
        eprintln!(
            "warning: no DISCLOSURE_CONTACT_KEY; made a contact key in {} (keep it apart from backups of the database)",
            file.display()
        );
    }
    let hex = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    ContactKey::from_hex(&hex).map_err(|e| format!("{}: {e}", file.display()))
}

async fn load_consultations(store: &Store, file: &Path) -> Result<usize, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let consultations: Vec<Consultation> =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
    for consultation in &consultations {
        consultation
            .check()
            .map_err(|e| format!("{}: {e}", file.display()))?;
        store.save_consultation(consultation).await?;
    }
    Ok(consultations.len())
}

async fn run(cli: Cli) -> Result<(), String> {
    let store = Store::open(&database_url(&cli.data)?).await?;
    if let Some(Command::EraseContacts { after_days }) = cli.command {
        let cutoff =
            time::OffsetDateTime::now_utc().date() - time::Duration::days(i64::from(after_days));
        let erased = store.erase_contacts(&cutoff.to_string()).await?;
        eprintln!("erased the contact data of {erased} opinion(s) published on or before {cutoff}");
        return Ok(());
    }
    if !cli.site.join("index.html").is_file() {
        return Err(format!(
            "{} has no index.html; build the portal first (cargo xtask demo)",
            cli.site.display()
        ));
    }
    if let Some(file) = &cli.consultations {
        let loaded = load_consultations(&store, file).await?;
        eprintln!("loaded {loaded} consultation(s) from {}", file.display());
    }
    let settings = Settings {
        contact_key: contact_key(&cli.data)?,
        admin_token: std::env::var("DISCLOSURE_ADMIN_TOKEN")
            .ok()
            .filter(|t| !t.trim().is_empty()),
        allowed_origins: cli.allowed_origins,
        submissions_per_minute: cli.submissions_per_minute,
    };
    let listener = tokio::net::TcpListener::bind(cli.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", cli.listen))?;
    eprintln!(
        "serving {} on http://{} (Ctrl-C stops)",
        cli.site.display(),
        cli.listen
    );
    let app = disclosure_server::app(&cli.site, api(store, settings));
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(|e| e.to_string())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
