//! Reading officials' files: JSON Lines in the corpus format and folders of HTML pages.
//! Every bad record is reported with its place and reason; nothing panics on input.

use std::collections::HashMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use disclosure_core::{DocumentRecord, PortalDocument, RecordError};

use crate::files::FileError;
use scraper::{ElementRef, Html, Node, Selector};

/// A record, row, cell or file of the input that was not read, and why.
#[derive(Debug)]
pub struct Problem {
    /// `file:line` for JSON Lines and CSV rows, the file for an HTML page or a file that
    /// cannot be read; for fee lists `file [sheet]`, `file [sheet] row N` or
    /// `file [sheet] row N, column X (header)`.
    pub location: String,
    pub fault: RecordFault,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.fault)
    }
}

/// Why a record, row, cell or sheet of an input file is not read, in words for the
/// operator (its `Display`): a problem, or for the fee import also a notice of what it
/// leaves out on purpose ([`crate::fees::SheetFault`]: a hidden sheet).
#[derive(Debug, thiserror::Error)]
pub enum RecordFault {
    /// The file (or a line of it) cannot be read.
    #[error("cannot read: {0}")]
    Io(std::io::Error),
    /// A CSV file cannot be opened.
    #[error("cannot read: {0}")]
    Csv(csv::Error),
    /// A CSV file's header row cannot be read.
    #[error("cannot read the header: {0}")]
    CsvHeader(csv::Error),
    /// A CSV row cannot be read.
    #[error("unreadable row: {0}")]
    CsvRow(csv::Error),
    /// A file or line whose bytes are not UTF-8 text.
    #[error("not valid UTF-8")]
    NotUtf8,
    /// A JSON Lines line that is no JSON object of the record's shape.
    #[error("invalid JSON: {0}")]
    Json(serde_json::Error),
    /// An HTML page naming no title where government sites put one.
    #[error("HTML page without a title (no ArticleTitle, <h1> or <title>)")]
    NoTitle,
    /// A record the domain core refuses ([`PortalDocument::try_from`]).
    #[error(transparent)]
    Record(#[from] RecordError),
    /// A document id already taken, and where it was first.
    #[error("duplicate id {id:?} (first at {first})")]
    DuplicateId { id: String, first: String },
    /// A normative-document id already taken.
    #[error("duplicate id {0:?}")]
    DuplicateEntry(String),
    /// A normative-document record the validity lookup refuses.
    #[error(transparent)]
    Entry(#[from] crate::normative::EntryFault),
    /// What the fee import did not read in a file, sheet, row or cell.
    #[error(transparent)]
    Sheet(#[from] crate::fees::SheetFault),
}

/// What the inputs held.
#[derive(Debug, Default)]
pub struct Ingested {
    pub documents: Vec<PortalDocument>,
    pub problems: Vec<Problem>,
}

/// A file to read, and the folder its page ids and URLs are relative to.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub path: PathBuf,
    pub root: PathBuf,
}

/// The files an input path stands for, in a stable order: the file itself, or the
/// `.jsonl`, `.csv` and `.html` files below a folder.
pub fn input_files(path: &Path) -> Result<Vec<InputFile>, FileError> {
    let metadata = fs::metadata(path).map_err(FileError::of(path))?;
    if metadata.is_file() {
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        return Ok(vec![InputFile {
            path: path.to_path_buf(),
            root,
        }]);
    }
    let mut files = Vec::new();
    let mut folders = vec![path.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries = fs::read_dir(&folder).map_err(FileError::of(&folder))?;
        for entry in entries {
            let entry = entry.map_err(FileError::of(&folder))?;
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if matches!(
                extension(&path).as_str(),
                "jsonl" | "html" | "htm" | "csv" | "xlsx" | "xls" | "ods"
            ) {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files
        .into_iter()
        .map(|file| InputFile {
            path: file,
            root: path.to_path_buf(),
        })
        .collect())
}

/// A file's extension in lower case, which says how to read it.
pub fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// Reads every input file; `progress` is told how many bytes were consumed.
pub fn ingest(files: &[InputFile], mut progress: impl FnMut(u64)) -> Ingested {
    let mut ingested = Ingested::default();
    let mut first_seen: HashMap<String, String> = HashMap::new();
    for InputFile { path: file, root } in files {
        let mut accept = |document: Result<PortalDocument, RecordFault>,
                          location: String,
                          ingested: &mut Ingested| match document {
            Ok(document) => {
                if let Some(first) = first_seen.get(&document.id) {
                    ingested.problems.push(Problem {
                        location,
                        fault: RecordFault::DuplicateId {
                            id: document.id.clone(),
                            first: first.clone(),
                        },
                    });
                } else {
                    first_seen.insert(document.id.clone(), location);
                    ingested.documents.push(document);
                }
            }
            Err(fault) => ingested.problems.push(Problem { location, fault }),
        };
        let display = file.display().to_string();
        let kind = extension(file);
        if kind == "jsonl" {
            read_json_lines(file, &display, &mut ingested, &mut accept, &mut progress);
        } else if kind == "html" || kind == "htm" {
            let result = fs::read(file).map_err(RecordFault::Io).and_then(|bytes| {
                progress(bytes.len() as u64);
                let html = String::from_utf8(bytes).map_err(|_| RecordFault::NotUtf8)?;
                let relative = file.strip_prefix(root).unwrap_or(file);
                page_document(&html, relative)
            });
            accept(result, display, &mut ingested);
        }
    }
    ingested
}

fn read_json_lines(
    file: &Path,
    display: &str,
    ingested: &mut Ingested,
    accept: &mut impl FnMut(Result<PortalDocument, RecordFault>, String, &mut Ingested),
    progress: &mut impl FnMut(u64),
) {
    let handle = match fs::File::open(file) {
        Ok(handle) => handle,
        Err(error) => {
            ingested.problems.push(Problem {
                location: display.to_string(),
                fault: RecordFault::Io(error),
            });
            return;
        }
    };
    let mut reader = BufReader::new(handle);
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(read) => progress(read as u64),
            Err(error) => {
                ingested.problems.push(Problem {
                    location: format!("{display}:{}", number + 1),
                    fault: RecordFault::Io(error),
                });
                break;
            }
        }
        number += 1;
        let location = format!("{display}:{number}");
        let Ok(text) = std::str::from_utf8(&line) else {
            accept(Err(RecordFault::NotUtf8), location, ingested);
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        let document = serde_json::from_str::<DocumentRecord>(text)
            .map_err(RecordFault::Json)
            .and_then(|record| Ok(PortalDocument::try_from(record)?));
        accept(document, location, ingested);
    }
}

/// Reads a published page. Metadata follows the names government sites already carry
/// (`ArticleTitle`, `PubDate`, `ContentSource`, `ColumnName`), plus `DocNumber`,
/// `InterpretationUrl` and `ArticleId` of ours; the title falls back to `<h1>`, then `<title>`.
pub fn page_document(html: &str, relative_path: &Path) -> Result<PortalDocument, RecordFault> {
    let page = Html::parse_document(html);
    let meta = |name: &str| -> Option<String> {
        let selector = Selector::parse(&format!("meta[name=\"{name}\"]")).ok()?;
        page.select(&selector)
            .next()
            .and_then(|element| element.value().attr("content"))
            .map(|content| content.trim().to_string())
            .filter(|content| !content.is_empty())
    };
    let first_text = |css: &str| -> Option<String> {
        let selector = Selector::parse(css).ok()?;
        page.select(&selector)
            .map(|element| collapse_spaces(&element.text().collect::<String>()))
            .find(|text| !text.is_empty())
    };
    let title = meta("ArticleTitle")
        .or_else(|| first_text("h1"))
        .or_else(|| first_text("title"))
        .ok_or(RecordFault::NoTitle)?;
    let content = ["article", "main", "#zoom", ".article-content", "body"]
        .iter()
        .filter_map(|css| Selector::parse(css).ok())
        .find_map(|selector| page.select(&selector).next());
    let body = content.map(block_text).unwrap_or_default();
    let path_id = relative_path
        .with_extension("")
        .to_string_lossy()
        .replace('\\', "/");
    let record = DocumentRecord {
        id: meta("ArticleId").or(Some(path_id)),
        title: Some(title),
        url: meta("Url").or_else(|| Some(relative_path.to_string_lossy().replace('\\', "/"))),
        category: meta("ColumnName"),
        department: meta("ContentSource"),
        doc_number: meta("DocNumber"),
        date: meta("PubDate"),
        body: Some(body),
        interpretation_url: meta("InterpretationUrl"),
        ..DocumentRecord::default()
    };
    Ok(PortalDocument::try_from(record)?)
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of an element with one paragraph per block element, skipping what is not
/// content (scripts, styles, navigation, headers and footers).
fn block_text(element: ElementRef) -> String {
    fn walk(element: ElementRef, out: &mut String) {
        for child in element.children() {
            match child.value() {
                Node::Text(text) => out.push_str(&collapse_spaces(text)),
                Node::Element(inner) => {
                    let name = inner.name();
                    if matches!(
                        name,
                        "script"
                            | "style"
                            | "nav"
                            | "header"
                            | "footer"
                            | "noscript"
                            | "template"
                            | "h1"
                    ) {
                        continue;
                    }
                    let block = matches!(
                        name,
                        "p" | "div"
                            | "br"
                            | "li"
                            | "tr"
                            | "section"
                            | "article"
                            | "table"
                            | "h2"
                            | "h3"
                            | "h4"
                            | "h5"
                            | "h6"
                            | "blockquote"
                            | "pre"
                    );
                    if block {
                        out.push('\n');
                    }
                    if let Some(inner) = ElementRef::wrap(child) {
                        walk(inner, out);
                    }
                    if block {
                        out.push('\n');
                    }
                }
                _ => {}
            }
        }
    }
    let mut raw = String::new();
    walk(element, &mut raw);
    raw.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_portal_page_with_its_metadata() {
        let html = r#"<html><head><title>关于印发收费清单的通知 - 宁乡市人民政府</title>
            <meta name="ArticleTitle" content="关于印发收费清单的通知">
            <meta name="PubDate" content="2023-03-01 09:00">
            <meta name="ContentSource" content="宁乡市财政局">
            <meta name="ColumnName" content="通知公告">
            <meta name="DocNumber" content="宁财发〔2023〕2号"></head>
            <body><nav>首页 | 政务公开</nav><article><h1>关于印发收费清单的通知</h1>
            <p>各乡镇人民政府：</p><p>现将收费清单印发给你们。</p><script>var x=1;</script></article>
            <footer>版权所有</footer></body></html>"#;
        let document = page_document(html, Path::new("notices/2023/fee.html")).unwrap();
        assert_eq!(document.id, "notices/2023/fee");
        assert_eq!(document.title, "关于印发收费清单的通知");
        assert_eq!(document.department.as_deref(), Some("宁乡市财政局"));
        assert_eq!(document.category.as_deref(), Some("通知公告"));
        assert_eq!(document.doc_number.as_deref(), Some("宁财发〔2023〕2号"));
        assert_eq!(document.published.unwrap().to_string(), "2023-03-01");
        assert_eq!(
            document.body,
            "各乡镇人民政府：\n\n现将收费清单印发给你们。"
        );
        assert_eq!(document.url.as_deref(), Some("notices/2023/fee.html"));
    }

    #[test]
    fn reports_pages_without_title_or_body() {
        let no_title = page_document("<html><body><p>正文</p></body></html>", Path::new("a.html"));
        assert!(matches!(no_title, Err(RecordFault::NoTitle)));
        assert!(no_title
            .unwrap_err()
            .to_string()
            .contains("without a title"));
        let no_body = page_document(
            "<html><head><title>标题</title></head><body> </body></html>",
            Path::new("a.html"),
        );
        assert!(matches!(no_body, Err(RecordFault::Record(_))));
        assert_eq!(no_body.unwrap_err().to_string(), "empty body");
    }

    #[test]
    fn reports_each_bad_line_with_its_place() {
        let folder = std::env::temp_dir().join(format!("ingest-test-{}", std::process::id()));
        fs::create_dir_all(&folder).unwrap();
        let file = folder.join("records.jsonl");
        let lines = [
            r#"{"id":"1","title":"好","body":"正文"}"#,
            r#"{"id":"2","title":"坏"#,
            "",
            r#"{"id":"3","body":"正文"}"#,
            r#"{"id":"4","title":"日期","body":"正文","date":"2023-02-30"}"#,
            r#"{"id":"1","title":"重复","body":"正文"}"#,
            r#"{"id":"5","title":"空","body":""}"#,
            r#"[1,2,3]"#,
        ];
        fs::write(&file, lines.join("\n").into_bytes()).unwrap();
        let mut bytes = 0;
        let input = InputFile {
            path: file.clone(),
            root: folder.clone(),
        };
        let ingested = ingest(&[input], |n| bytes += n);
        assert_eq!(ingested.documents.len(), 1);
        let places: Vec<String> = ingested
            .problems
            .iter()
            .map(|p| p.location.rsplit(':').next().unwrap().to_string())
            .collect();
        assert_eq!(places, ["2", "4", "5", "6", "7", "8"]);
        let reasons: Vec<String> = ingested
            .problems
            .iter()
            .map(|p| p.fault.to_string())
            .collect();
        assert!(reasons[0].starts_with("invalid JSON"));
        assert_eq!(reasons[1], "missing title");
        assert!(reasons[2].contains("impossible date"));
        assert!(reasons[3].starts_with("duplicate id \"1\""));
        assert_eq!(reasons[4], "empty body");
        assert_eq!(bytes, fs::metadata(&file).unwrap().len());
        fs::remove_dir_all(folder).unwrap();
    }
}
