//! `disclosure-index fees`: import the lists, compare them with the version published
//! before (动态调整情况说明), check every legal basis against the validity lookup, and
//! write `fees.json` only when nothing stops it.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use disclosure_core::fees::{FeeChanges, FeeFile, FeeList};
use disclosure_core::lookup::{lookup, LookupEntry, LookupOutcome};
use disclosure_core::validity::Status;
use time::Date;

use crate::files::{write, FileError};
use crate::{Inputs, FEES_FILE, VALIDITY_FILE};

/// What `disclosure-index fees` takes.
#[derive(clap::Args)]
pub struct FeeArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// The folder of the last published `fees.json`: each list records what changed since
    /// (items added, removed, and changed in standard, unit, basis or 涉企).
    #[arg(long)]
    pub previous: Option<PathBuf>,
    /// The validity lookup file (`validity.json`) to check legal bases against; by
    /// default the one in --out, if there is one. Bases it knows as repealed, expired or
    /// not yet in force are reported, and --strict refuses them.
    #[arg(long)]
    pub validity: Option<PathBuf>,
    /// The day the bases are checked for (YYYY-MM-DD); today in China by default.
    #[arg(long)]
    pub today: Option<String>,
}

/// A legal basis that is not in force on the day checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasisWarning {
    /// `行政事业性收费: 公安 居民身份证工本费（…）`.
    pub item: String,
    /// The basis's canonical document number.
    pub number: String,
    /// Its status on the day checked.
    pub status: Status,
}

impl std::fmt::Display for BasisWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: legal basis {} is {} ({}) per the validity lookup; fix the list before publishing",
            self.item,
            self.number,
            self.status.word_en(),
            self.status.word()
        )
    }
}

/// Why `fees` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum FeesError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error("{0} bad cell(s) or row(s); nothing written (--strict)")]
    BadCells(usize),
    #[error("{0} legal basis(es) not in force; nothing written (--strict)")]
    BasesNotInForce(usize),
    #[error("no valid fee item in the input; nothing written")]
    Empty,
    /// A file named in the command that is not JSON of the expected shape.
    #[error("{}: {error}", path.display())]
    Json {
        path: std::path::PathBuf,
        error: serde_json::Error,
    },
    /// A previous fees.json (--previous) in a format this tool does not read.
    #[error("{}: not a fee-list file this tool reads (format {format:?})", path.display())]
    PreviousFormat {
        path: std::path::PathBuf,
        format: String,
    },
    #[error("--today {0}: not a date (YYYY-MM-DD)")]
    Today(String),
}

/// Runs the command: reads the lists, checks them, writes `fees.json` and the plain page.
pub fn run(args: &FeeArgs) -> Result<(), FeesError> {
    let inputs = &args.inputs;
    let out = inputs.out.as_path();
    let files = inputs.files()?;
    let started = std::time::Instant::now();
    let mut import = super::read_fee_lists(&files);
    for notice in &import.notices {
        eprintln!("{notice}");
    }
    for problem in &import.problems {
        eprintln!("{problem}");
    }
    if inputs.strict && !import.problems.is_empty() {
        return Err(FeesError::BadCells(import.problems.len()));
    }
    if import.file.lists.is_empty() {
        return Err(FeesError::Empty);
    }
    if let Some(previous) = &args.previous {
        let path = previous.join(FEES_FILE);
        let previous = read_json::<FeeFile>(&path)?;
        if !previous.is_readable() {
            return Err(FeesError::PreviousFormat {
                path,
                format: previous.format,
            });
        }
        record_changes(&mut import.file, &previous);
    }
    let day = match &args.today {
        Some(text) => {
            disclosure_core::parse_date(text).map_err(|_| FeesError::Today(text.clone()))?
        }
        None => disclosure_core::date::china_date(time::OffsetDateTime::now_utc()),
    };
    let validity = args
        .validity
        .clone()
        .or_else(|| Some(out.join(VALIDITY_FILE)).filter(|path| path.exists()));
    let warnings = match &validity {
        Some(path) => basis_warnings(&import.file, &read_json::<Vec<LookupEntry>>(path)?, day),
        None => Vec::new(),
    };
    for warning in &warnings {
        eprintln!("{warning}");
    }
    if inputs.strict && !warnings.is_empty() {
        return Err(FeesError::BasesNotInForce(warnings.len()));
    }
    let elapsed = started.elapsed();
    fs::create_dir_all(out).map_err(FileError::of(out))?;
    let json = serde_json::to_vec(&import.file).expect("fee lists serialize");
    write(&out.join(FEES_FILE), &json)?;
    // The lists as a plain page too (no JavaScript needed; what search engines index).
    let today = disclosure_core::date::china_date(time::OffsetDateTime::now_utc());
    let page = crate::plain::fees_page(&import.file, "宁乡市", today);
    write(&out.join(crate::plain::FEES_PAGE), page.as_bytes())?;
    let counts: Vec<String> = import
        .file
        .lists
        .iter()
        .map(|list| format!("{} {}", list.kind.title(), list.items.len()))
        .collect();
    for list in &import.file.lists {
        if let Some(changes) = &list.changes {
            eprintln!(
                "{}: {} added, {} removed, {} changed since {}",
                list.kind.title(),
                changes.added.len(),
                changes.removed.len(),
                changes.changed.len(),
                changes.since.as_deref().unwrap_or("the previous version")
            );
        }
    }
    eprintln!(
        "wrote {} items to {} ({} bytes), skipped {} bad cell(s), {} basis warning(s), read in {:.3} s",
        counts.join(" + "),
        out.join(FEES_FILE).display(),
        json.len(),
        import.problems.len(),
        warnings.len(),
        elapsed.as_secs_f64()
    );
    Ok(())
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, FeesError> {
    let bytes = fs::read(path).map_err(FileError::of(path))?;
    serde_json::from_slice(&bytes).map_err(|error| FeesError::Json {
        path: path.to_path_buf(),
        error,
    })
}

/// Records on each list what changed since the previous file's list of the same kind; a
/// list new to this version has all its items added.
pub fn record_changes(file: &mut FeeFile, previous: &FeeFile) {
    for list in &mut file.lists {
        let before = previous
            .lists
            .iter()
            .find(|old| old.kind == list.kind)
            .cloned()
            .unwrap_or_else(|| FeeList::new(list.kind, Vec::new()));
        list.changes = Some(FeeChanges::between(&before, list));
    }
}

/// Every item whose basis the validity lookup knows as not in force on `day` (its
/// version in force if it has one, else its latest: the rule the widget shows).
pub fn basis_warnings(file: &FeeFile, entries: &[LookupEntry], day: Date) -> Vec<BasisWarning> {
    let mut statuses: HashMap<String, Option<Status>> = HashMap::new();
    let mut warnings = Vec::new();
    for list in &file.lists {
        for item in &list.items {
            for number in item.basis.iter().filter_map(|basis| basis.key()) {
                let status = statuses
                    .entry(number.clone())
                    .or_insert_with(|| match lookup(entries, &number, day) {
                        LookupOutcome::ByNumber { found, .. } => {
                            found.first().map(|entry| entry.status_on(day))
                        }
                        _ => None,
                    })
                    .clone();
                if let Some(status) = status.filter(|status| !status.in_force()) {
                    warnings.push(BasisWarning {
                        item: format!(
                            "{}: {} {}",
                            list.kind.title(),
                            item.department,
                            item.full_name()
                        ),
                        number,
                        status,
                    });
                }
            }
        }
    }
    warnings
}
