//! `disclosure-index`: the operators' tool that turns officials' files into the portal's
//! search bundle, and measures it.

mod eval;
mod fees;
mod files;
mod ingest;
mod normative;
mod plain;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use disclosure_core::lookup::LookupEntry;
use disclosure_search::pack::{Manifest, PACK_FORMAT};
use disclosure_search::writer::IndexBuilder;
use disclosure_search::{SearchIndex, SearchRequest, SortOrder};

use crate::files::{write, FileError};

#[derive(Parser)]
#[command(
    name = "disclosure-index",
    version,
    about = "Build, evaluate and query the disclosure portal's search index"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// What a command that reads officials' files takes.
#[derive(clap::Args)]
struct Inputs {
    /// Files (.jsonl, .html, .csv) or folders holding them.
    #[arg(long = "input", required = true, num_args = 1..)]
    inputs: Vec<PathBuf>,
    #[arg(long)]
    out: PathBuf,
    /// Fail on the first bad record instead of skipping it.
    #[arg(long)]
    strict: bool,
}

impl Inputs {
    /// Every file the inputs stand for.
    fn files(&self) -> Result<Vec<ingest::InputFile>, FileError> {
        let mut files = Vec::new();
        for input in &self.inputs {
            files.extend(ingest::input_files(input)?);
        }
        Ok(files)
    }

    /// Prints each bad record; with `--strict`, any of them stops the command.
    fn report(&self, problems: &[ingest::Problem]) -> anyhow::Result<()> {
        for problem in problems {
            eprintln!("{problem}");
        }
        if self.strict && !problems.is_empty() {
            bail!("{} bad record(s); nothing written (--strict)", problems.len());
        }
        Ok(())
    }
}

#[derive(Subcommand)]
enum Command {
    /// Read JSON Lines files and folders of HTML pages, validate every record and write
    /// `manifest.json` and one packed index file into DIR.
    Build {
        #[command(flatten)]
        inputs: Inputs,
        /// The synonym list (one group per line, see index/synonyms.txt); without it,
        /// ./index/synonyms.txt if there is one, else the list shipped with the project.
        /// Each bad line is reported as file:line and left out (--strict: nothing written).
        #[arg(long)]
        synonyms: Option<PathBuf>,
        /// The validity lookup file (`validity.json`, written by `validity`): each document
        /// with a record there (same id, or same number and title) carries it, so results
        /// show their status for the day and can be narrowed to 只看现行有效. Without it,
        /// DIR/validity.json when there is one.
        #[arg(long, value_name = "FILE")]
        validity: Option<PathBuf>,
    },
    /// Read normative-document records (JSON Lines, CSV with Chinese headers, or the corpus
    /// format), validate them and write the validity lookup file `validity.json`, the
    /// plain library page and the Atom feed of status changes into DIR; with --expiring,
    /// also report the documents whose term ends soon or has ended while marked 有效.
    Validity(ValidityArgs),
    /// Read fee lists (CSV in UTF-8 or GB18030, .xlsx/.xls/.ods workbooks; each file or
    /// visible sheet is one list, named by the words 基金, 保证金, 经营服务 or 涉企 in its
    /// name), validate every cell as the sheet shows it, compare with the previous version
    /// (--previous), check legal bases against the validity lookup, and write the
    /// fee-list file `fees.json` into DIR.
    Fees(fees::FeeArgs),
    /// Score the index on evaluation queries; prints one JSON object.
    Eval {
        #[arg(long)]
        index: PathBuf,
        #[arg(long)]
        queries: PathBuf,
    },
    /// Print the top hits of a query, with matches in 【】.
    Search {
        #[arg(long)]
        index: PathBuf,
        query: String,
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        department: Option<String>,
        #[arg(long)]
        year_from: Option<u16>,
        #[arg(long)]
        year_to: Option<u16>,
        /// Newest first instead of by relevance.
        #[arg(long)]
        newest: bool,
        /// 只看现行有效: only documents in force today (China's date).
        #[arg(long)]
        in_force: bool,
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
    /// Measure query latency and the index bytes each cold query reads; prints JSON.
    Bench {
        #[arg(long)]
        index: PathBuf,
        #[arg(long)]
        queries: PathBuf,
        /// Also print each query's cold range read to stderr: id, KiB after the head,
        /// rounds, the query, KiB by kind of index file.
        #[arg(long)]
        each: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            inputs,
            synonyms,
            validity,
        } => build(&inputs, synonyms.as_deref(), validity.as_deref()),
        Command::Validity(args) => validity(&args),
        Command::Fees(args) => fees::run(&args).map_err(anyhow::Error::from),
        Command::Eval { index, queries } => eval::run(&index, &queries),
        Command::Search {
            index,
            query,
            category,
            department,
            year_from,
            year_to,
            newest,
            in_force,
            limit,
        } => {
            let request = SearchRequest {
                query,
                category,
                department,
                year_from,
                year_to,
                sort: if newest {
                    SortOrder::Newest
                } else {
                    SortOrder::Relevance
                },
                offset: 0,
                limit,
                today: Some(disclosure_core::date::china_date(
                    time::OffsetDateTime::now_utc(),
                )),
                in_force_only: in_force,
            };
            search(&index, &request)
        }
        Command::Bench {
            index,
            queries,
            each,
        } => eval::bench(&index, &queries, each),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // `{:#}`: the error and what it happened to, `path: reason`.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The project's default synonym list, the same file officials edit (index/synonyms.txt),
/// compiled in for builds run away from the repository.
const DEFAULT_SYNONYMS: &str = include_str!("../../../index/synonyms.txt");

/// Reads the synonym groups for a build: `path`, or ./index/synonyms.txt, or the default
/// list; reports each bad line (file:line: reason), which `--strict` makes fatal.
fn read_synonyms(inputs: &Inputs, path: Option<&Path>) -> anyhow::Result<Vec<Vec<String>>> {
    let local = Path::new("index/synonyms.txt");
    let (name, text) = match path {
        Some(path) => (
            path.display().to_string(),
            fs::read_to_string(path).map_err(FileError::of(path))?,
        ),
        None if local.is_file() => (
            local.display().to_string(),
            fs::read_to_string(local).map_err(FileError::of(local))?,
        ),
        None => (
            "index/synonyms.txt (built in)".to_string(),
            DEFAULT_SYNONYMS.to_string(),
        ),
    };
    let (groups, problems) = disclosure_search::synonyms::parse_synonyms(&name, &text);
    for problem in &problems {
        eprintln!("{problem}");
    }
    if inputs.strict && !problems.is_empty() {
        bail!("{} bad synonym line(s); nothing written (--strict)", problems.len());
    }
    eprintln!("{name}: {} synonym group(s)", groups.len());
    Ok(groups)
}

/// Reads the validity records a build attaches to its documents: `path`, else the
/// `validity.json` already in `out`, else none.
fn read_validity(out: &Path, path: Option<&Path>) -> anyhow::Result<Vec<LookupEntry>> {
    let (path, given) = match path {
        Some(path) => (path.to_path_buf(), true),
        None => (out.join(VALIDITY_FILE), false),
    };
    let bytes = match fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) if !given && error.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("no {}: results will show no validity", path.display());
            return Ok(Vec::new());
        }
        Err(error) => return Err(FileError { path, error }.into()),
    };
    let entries: Vec<LookupEntry> = serde_json::from_slice(&bytes).with_context(|| {
        format!(
            "{}: not a validity lookup file written by `disclosure-index validity`",
            path.display()
        )
    })?;
    eprintln!("{}: {} validity record(s)", path.display(), entries.len());
    Ok(entries)
}

fn build(inputs: &Inputs, synonyms: Option<&Path>, validity: Option<&Path>) -> anyhow::Result<()> {
    let started = Instant::now();
    let out = inputs.out.as_path();
    let synonyms = read_synonyms(inputs, synonyms)?;
    let validity = read_validity(out, validity)?;
    let files = inputs.files()?;
    let total_bytes: u64 = files
        .iter()
        .filter_map(|f| fs::metadata(&f.path).ok())
        .map(|m| m.len())
        .sum();
    let bar = indicatif::ProgressBar::new(total_bytes).with_message("reading");
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg:>9} [{bar:40}] {bytes}/{total_bytes} {eta}")
            .expect("the template is valid")
            .progress_chars("=> "),
    );
    let ingested = ingest::ingest(&files, |n| bar.inc(n));
    bar.finish_and_clear();
    inputs.report(&ingested.problems)?;
    if ingested.documents.is_empty() {
        bail!("no valid document in the input; nothing written");
    }

    let bar = indicatif::ProgressBar::new(ingested.documents.len() as u64).with_message("indexing");
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg:>9} [{bar:40}] {pos}/{len} {eta}")
            .expect("the template is valid")
            .progress_chars("=> "),
    );
    let mut builder = IndexBuilder::new().map_err(engine_error)?;
    builder.set_synonyms(synonyms).map_err(engine_error)?;
    builder.set_validity(validity);
    for document in &ingested.documents {
        builder
            .add(document)
            .map_err(engine_error)
            .with_context(|| document.id.clone())?;
        bar.inc(1);
    }
    bar.set_message("packing");
    let built = builder.finish().map_err(engine_error)?;
    bar.finish_and_clear();

    fs::create_dir_all(out).map_err(FileError::of(out))?;
    let pack_name = format!("search.{}.pack", built.content_hash);
    let head_name = format!("search.{}.head", built.content_hash);
    remove_stale_packs(out, &[&pack_name, &head_name])?;
    write(&out.join(&pack_name), &built.pack)?;
    let head = usize::try_from(built.head_bytes)
        .ok()
        .and_then(|end| built.pack.get(..end))
        .context("the pack is shorter than its head")?;
    write(&out.join(&head_name), head)?;
    let manifest = Manifest {
        format: PACK_FORMAT.to_string(),
        pack: pack_name.clone(),
        pack_bytes: built.pack.len() as u64,
        head_bytes: built.head_bytes,
        head: Some(head_name),
        documents: built.doc_count,
    };
    let manifest_json =
        serde_json::to_string_pretty(&manifest).expect("a manifest serializes") + "\n";
    write(&out.join("manifest.json"), manifest_json.as_bytes())?;
    eprintln!(
        "indexed {} documents, skipped {} bad record(s); wrote {} ({} bytes) in {:.1} s",
        built.doc_count,
        ingested.problems.len(),
        out.join(&pack_name).display(),
        built.pack.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Name of the validity lookup file beside the manifest.
pub const VALIDITY_FILE: &str = "validity.json";

/// What `validity` takes.
#[derive(clap::Args)]
struct ValidityArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// Also print, as a table, the documents in force whose term ends within DAYS days
    /// (to re-register before the last day) and those expired but still marked 有效 in
    /// the records.
    #[arg(long, value_name = "DAYS")]
    expiring: Option<u32>,
    /// With --expiring: also write that report as CSV to FILE.
    #[arg(long, value_name = "FILE", requires = "expiring")]
    expiring_csv: Option<PathBuf>,
}

fn validity(args: &ValidityArgs) -> anyhow::Result<()> {
    let inputs = &args.inputs;
    let out = inputs.out.as_path();
    let (entries, words, problems) = normative::read_lookup_marked(&inputs.files()?);
    inputs.report(&problems)?;
    if entries.is_empty() {
        bail!("no valid normative-document record in the input; nothing written");
    }
    fs::create_dir_all(out).map_err(FileError::of(out))?;
    let json = serde_json::to_vec(&entries).expect("entries serialize");
    write(&out.join(VALIDITY_FILE), &json)?;
    // The library as a plain page, its statuses as of today in China (the page says so).
    let today = disclosure_core::date::china_date(time::OffsetDateTime::now_utc());
    write(
        &out.join(plain::LIBRARY_PAGE),
        plain::library_page(&entries, today).as_bytes(),
    )?;
    write(
        &out.join(normative::CHANGES_FEED),
        normative::atom_feed(&entries, today).as_bytes(),
    )?;
    if let Some(days) = args.expiring {
        let report = normative::expiring_report(&entries, &words, today, days);
        print!("{}", report.table());
        if let Some(path) = &args.expiring_csv {
            write(path, report.csv().as_bytes())?;
        }
    }
    eprintln!(
        "wrote {} records to {} ({} bytes), skipped {} bad record(s)",
        entries.len(),
        out.join(VALIDITY_FILE).display(),
        json.len(),
        problems.len()
    );
    Ok(())
}

pub const FEES_FILE: &str = "fees.json";

/// Removes the packs and heads of earlier builds (and their compressed copies), so the
/// folder holds exactly what the manifest names.
fn remove_stale_packs(out: &Path, keep: &[&str]) -> Result<(), FileError> {
    let entries = fs::read_dir(out).map_err(FileError::of(out))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let stem = name
            .strip_suffix(".br")
            .or_else(|| name.strip_suffix(".gz"))
            .unwrap_or(&name);
        let ours =
            name.starts_with("search.") && (stem.ends_with(".pack") || stem.ends_with(".head"));
        if ours && !keep.contains(&stem) {
            let path = entry.path();
            fs::remove_file(&path).map_err(FileError::of(&path))?;
        }
    }
    Ok(())
}

/// Reads the manifest of an index folder and the bytes of its pack.
pub fn load_pack(index_dir: &Path) -> anyhow::Result<Vec<u8>> {
    let manifest_path = index_dir.join("manifest.json");
    let manifest_text = fs::read_to_string(&manifest_path).map_err(FileError::of(&manifest_path))?;
    let manifest: Manifest = serde_json::from_str(&manifest_text)
        .with_context(|| manifest_path.display().to_string())?;
    if manifest.format != PACK_FORMAT {
        bail!(
            "{}: format {:?}, this tool reads {PACK_FORMAT:?}",
            manifest_path.display(),
            manifest.format
        );
    }
    let pack_path = index_dir.join(&manifest.pack);
    Ok(fs::read(&pack_path).map_err(FileError::of(&pack_path))?)
}

/// An error of the search engine (tantivy) as a command's error: its message already
/// holds its cause's, which printing the chain would repeat.
pub fn engine_error(error: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("{error}")
}

pub fn open_index(index_dir: &Path) -> anyhow::Result<SearchIndex> {
    SearchIndex::open(load_pack(index_dir)?).with_context(|| index_dir.display().to_string())
}

fn search(index_dir: &Path, request: &SearchRequest) -> anyhow::Result<()> {
    let index = open_index(index_dir)?;
    let results = index.search(request).map_err(engine_error)?;
    println!("{} document(s) match the whole query", results.total_exact);
    for (rank, hit) in results.hits.iter().enumerate() {
        let mut line = format!("{:>2}. {}", rank + 1, marked(&hit.title));
        for extra in [
            &hit.doc_number,
            &hit.department,
            &hit.published,
            &hit.category,
        ]
        .into_iter()
        .flatten()
        {
            line.push_str(" · ");
            line.push_str(extra);
        }
        if let (Some(record), Some(today)) = (&hit.validity, request.today) {
            line.push_str(" · ");
            line.push_str(record.status_on(today).word());
        }
        if hit.match_kind == disclosure_search::MatchKind::Partial {
            line.push_str(" · (partial match)");
        }
        println!("{line}\n    {}\n    id {}", marked(&hit.snippet), hit.id);
    }
    Ok(())
}

/// The text with its highlights in 【】, for a terminal.
fn marked(text: &disclosure_search::HighlightedText) -> String {
    let mut out = String::new();
    let mut ranges = text.highlights.iter().peekable();
    for (at, c) in text.text.chars().enumerate() {
        if ranges.peek().is_some_and(|r| r.start == at) {
            out.push('【');
        }
        out.push(c);
        if ranges.peek().is_some_and(|r| r.end == at + 1) {
            out.push('】');
            ranges.next();
        }
    }
    out
}
