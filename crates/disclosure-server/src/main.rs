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

use anyhow::{bail, Context};
use clap::{Parser, Subcommand, ValueEnum};
use disclosure_core::consultation::Consultation;
use disclosure_server::officials::auth::Role;
use disclosure_server::opinions::contact::ContactKey;
use disclosure_server::opinions::store::Store;
use disclosure_server::opinions::{api, Settings};
use disclosure_server::proxy::TrustedProxies;
use tracing_subscriber::EnvFilter;

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
    /// A JSON file of consultations (an array) to import at start: those whose id the
    /// database lacks are added; after that the database (and the console) is the record.
    #[arg(long)]
    consultations: Option<PathBuf>,
    /// A portal origin (https://www.example.gov.cn) whose pages may post opinions; repeatable.
    #[arg(long = "allowed-origin")]
    allowed_origins: Vec<String>,
    /// A reverse proxy (address or CIDR block, e.g. 127.0.0.1 or 10.0.0.0/8) whose
    /// Forwarded / X-Forwarded-* headers name the client; repeatable; none by default.
    #[arg(long = "trusted-proxy")]
    trusted_proxies: Vec<String>,
    /// Opinions accepted per address per minute (shared by all instances on PostgreSQL).
    #[arg(long, default_value_t = 20)]
    submissions_per_minute: u32,
    /// Log lines as text or as JSON objects (one per line); DISCLOSURE_LOG filters them
    /// (default `info,sqlx=warn`).
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Erase the phone numbers and e-mail addresses of opinions on consultations whose
    /// results were published at least DAYS days ago, then exit.
    EraseContacts {
        #[arg(long)]
        after_days: u32,
    },
    /// Write a consistent copy of the SQLite database to FILE while the server runs
    /// (SQLite's VACUUM INTO), then exit. For PostgreSQL use pg_dump.
    Backup {
        #[arg(long)]
        to: PathBuf,
    },
    /// Officials' accounts for the console (/admin/).
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Put a backup made with `backup` in place as the database of --data (which must
    /// hold none yet), check it, then exit.
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account (the first admin, say); its password is read from standard input.
    Add {
        name: String,
        /// editor, reviewer, publisher or admin; repeatable.
        #[arg(long = "role", required = true)]
        roles: Vec<Role>,
    },
}

fn database_url(data: &Path) -> anyhow::Result<String> {
    if let Ok(url) = std::env::var("DATABASE_URL") {
        return Ok(url);
    }
    std::fs::create_dir_all(data).with_context(|| data.display().to_string())?;
    Ok(format!(
        "sqlite://{}?mode=rwc",
        data.join("opinions.db").display()
    ))
}

fn contact_key(data: &Path) -> anyhow::Result<ContactKey> {
    if let Ok(hex) = std::env::var("DISCLOSURE_CONTACT_KEY") {
        return ContactKey::from_hex(&hex).context("DISCLOSURE_CONTACT_KEY");
    }
    let file = data.join("contact.key");
    if !file.exists() {
        std::fs::create_dir_all(data).with_context(|| data.display().to_string())?;
        std::fs::write(&file, ContactKey::generate_hex()?)
            .with_context(|| file.display().to_string())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600));
        }
        tracing::warn!(
            file = %file.display(),
            "no DISCLOSURE_CONTACT_KEY; made a contact key (keep it apart from backups of the database)"
        );
    }
    let hex = std::fs::read_to_string(&file).with_context(|| file.display().to_string())?;
    ContactKey::from_hex(&hex).with_context(|| file.display().to_string())
}

async fn load_consultations(store: &Store, file: &Path) -> anyhow::Result<usize> {
    let text = std::fs::read_to_string(file).with_context(|| file.display().to_string())?;
    let consultations: Vec<Consultation> =
        serde_json::from_str(&text).with_context(|| file.display().to_string())?;
    for consultation in &consultations {
        consultation
            .check()
            .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        store.import_consultation(consultation).await?;
    }
    Ok(consultations.len())
}

fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_env("DISCLOSURE_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let trusted_proxies = TrustedProxies::parse(&cli.trusted_proxies)?;
    match cli.command {
        Some(Command::Restore { from }) => {
            if std::env::var_os("DATABASE_URL").is_some() {
                bail!("restore puts a SQLite backup in place; for PostgreSQL use pg_restore");
            }
            let copied = Store::restore_sqlite(&from, &cli.data).await?;
            eprintln!("restored {copied} opinion(s) from {} into {}", from.display(), cli.data.display());
            return Ok(());
        }
        Some(Command::Backup { to }) => {
            let store = Store::open(&database_url(&cli.data)?).await?;
            let opinions = store.backup_sqlite(&to).await?;
            eprintln!("backed up {opinions} opinion(s) to {}", to.display());
            return Ok(());
        }
        _ => {}
    }
    let store = Store::open(&database_url(&cli.data)?).await?;
    if let Some(Command::User {
        command: UserCommand::Add { name, roles },
    }) = &cli.command
    {
        let mut password = String::new();
        std::io::stdin().read_line(&mut password)?;
        let password = password.trim_end_matches(['\r', '\n']).to_string();
        disclosure_server::officials::add_account_from_cli(&store, name, roles, password).await?;
        eprintln!("created the account {name}");
        return Ok(());
    }
    if let Some(Command::EraseContacts { after_days }) = cli.command {
        let cutoff =
            time::OffsetDateTime::now_utc().date() - time::Duration::days(i64::from(after_days));
        let erased = store.erase_contacts(&cutoff.to_string()).await?;
        eprintln!("erased the contact data of {erased} opinion(s) published on or before {cutoff}");
        return Ok(());
    }
    if !cli.site.join("index.html").is_file() {
        bail!(
            "{} has no index.html; build the portal first (cargo xtask demo)",
            cli.site.display()
        );
    }
    if let Some(file) = &cli.consultations {
        let loaded = load_consultations(&store, file).await?;
        tracing::info!(loaded, file = %file.display(), "consultations loaded");
    }
    let settings = Settings {
        contact_key: contact_key(&cli.data)?,
        admin_token: std::env::var("DISCLOSURE_ADMIN_TOKEN")
            .ok()
            .filter(|t| !t.trim().is_empty()),
        allowed_origins: cli.allowed_origins,
        submissions_per_minute: cli.submissions_per_minute,
        trusted_proxies,
    };
    let listener = tokio::net::TcpListener::bind(cli.listen)
        .await
        .with_context(|| format!("cannot listen on {}", cli.listen))?;
    tracing::info!(
        site = %cli.site.display(),
        listen = %cli.listen,
        database = ?store.backend(),
        "serving (Ctrl-C stops)"
    );
    let app = disclosure_server::app(&cli.site, api(store, settings));
    // Ctrl-C, or SIGTERM from systemd: finish the requests in flight, then stop.
    let shutdown = async {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            match signal(SignalKind::terminate()) {
                Ok(mut terminate) => {
                    tokio::select! {
                        _ = tokio::signal::ctrl_c() => {}
                        _ = terminate.recv() => {}
                    }
                }
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    };
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
