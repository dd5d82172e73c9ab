//! `library_filter_ms_per_key`: the library's filter (`Library::view`, the reducer the
//! validity widget runs on every keystroke) over 20,000 generated normative documents,
//! measured natively in release mode — not in a browser, where Wasm runs it somewhat
//! slower; the budget is 16 ms per keystroke. Prints one JSON object for `cargo xtask
//! bench`: the mean and the slowest keystroke, and the time to prepare the library once.

use std::time::Instant;

use disclosure_core::library::{Library, LibraryAction, LibraryQuery, StatusGroup, PAGE_SIZE};
use disclosure_core::lookup::{LookupChange, LookupEntry};
use disclosure_core::validity::{ChangeKind, Term};
use disclosure_core::DocNumber;

/// The county's documents, as many as asked, from a fixed pattern (no randomness, so
/// runs compare).
fn generated(count: usize) -> Vec<LookupEntry> {
    let bodies = [
        ("宁乡市人民政府", "宁政发"),
        ("宁乡市人民政府办公室", "宁政办发"),
        ("宁乡市住房和城乡建设局", "宁住建发"),
        ("宁乡市教育局", "宁教发"),
        ("宁乡市民政局", "宁民发"),
        ("宁乡市财政局", "宁财发"),
        ("宁乡市自然资源局", "宁自然资发"),
        ("宁乡市农业农村局", "宁农发"),
        ("宁乡市卫生健康局", "宁卫健发"),
        ("宁乡市市场监督管理局", "宁市监发"),
    ];
    let subjects = [
        "公共租赁住房",
        "农村村民住宅建设",
        "城市道路占用挖掘",
        "义务教育阶段学校招生入学",
        "养老服务补贴",
        "最低生活保障",
        "耕地保护",
        "物业服务",
        "食品安全",
        "医疗救助",
        "殡葬",
        "户外广告设置",
        "建筑垃圾",
        "就业创业补贴",
        "消防安全",
    ];
    let kinds = [
        "管理办法",
        "实施细则",
        "管理规定（暂行）",
        "实施意见",
        "办法（试行）",
    ];
    (0..count)
        .map(|n| {
            let (issuer, code) = bodies[n % bodies.len()];
            let year = 2000 + (n % 27) as i32;
            let serial = n / 27 + 1;
            let number = format!("{code}〔{year}〕{serial}号");
            let effective = format!("{year}-{:02}-{:02}", n % 12 + 1, n % 28 + 1);
            let changes = match n % 9 {
                0 => vec![LookupChange {
                    kind: ChangeKind::Repealed,
                    by_number: Some(format!("{code}〔{}〕1号", year + 1)),
                    by_title: None,
                    on: Some(format!("{}-06-01", year + 1)),
                }],
                1 => vec![LookupChange {
                    kind: ChangeKind::Amended,
                    by_number: None,
                    by_title: None,
                    on: Some(format!("{}-03-01", year + 1)),
                }],
                _ => vec![],
            };
            LookupEntry {
                id: format!("doc-{n}"),
                title: format!(
                    "{issuer}关于印发{}{}的通知（第{n}件）",
                    subjects[n % subjects.len()],
                    kinds[n % kinds.len()]
                ),
                key: DocNumber::parse(&number).ok().map(|d| d.key()),
                number: Some(number),
                issuer: Some(issuer.to_string()),
                published: Some(effective.clone()),
                effective,
                until: None,
                term: if n % 50 == 0 {
                    Term::Indefinite
                } else {
                    Term::Normative
                },
                changes,
                url: Some(format!("/zwgk/{year}/doc-{n}.html")),
                interpretation_url: None,
            }
        })
        .collect()
}

fn main() {
    let entries = generated(20_000);
    let today = time::macros::date!(2026 - 11 - 30);
    let started = Instant::now();
    let library = Library::new(&entries, today);
    let prepare_ms = started.elapsed().as_secs_f64() * 1000.0;

    // What a citizen does: types a phrase letter by letter, then a number, changes each
    // filter and pages; every step is one view of the library.
    let mut steps: Vec<LibraryQuery> = Vec::new();
    let mut query = LibraryQuery::default();
    let mut typed = String::new();
    for c in "公共租赁住房 管理办法".chars() {
        typed.push(c);
        query = query.apply(LibraryAction::Text(typed.clone()));
        steps.push(query.clone());
    }
    for text in ["宁住建发[2010]3号", "", "宁乡市 教育"] {
        query = query.apply(LibraryAction::Text(text.to_string()));
        steps.push(query.clone());
    }
    for action in [
        LibraryAction::Status(Some(StatusGroup::Current)),
        LibraryAction::Issuer(Some("宁乡市教育局".to_string())),
        LibraryAction::Year(Some(2024)),
        LibraryAction::Page(1),
        LibraryAction::Clear,
        LibraryAction::Status(Some(StatusGroup::Expired)),
        LibraryAction::Page(40),
    ] {
        query = query.apply(action);
        steps.push(query.clone());
    }
    let rounds = 5;
    let mut slowest = 0.0f64;
    let mut total = 0.0f64;
    let mut shown = 0usize;
    for _ in 0..rounds {
        for step in &steps {
            let started = Instant::now();
            let view = library.view(step, PAGE_SIZE);
            // The widget clones the page it draws.
            let page: Vec<LookupEntry> = view.entries.iter().map(|e| (*e).clone()).collect();
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            shown += page.len() + view.total;
            slowest = slowest.max(ms);
            total += ms;
        }
    }
    let per_key = total / (rounds * steps.len()) as f64;
    let round = |ms: f64| (ms * 1000.0).round() / 1000.0;
    println!(
        "{{\"library_filter_ms_per_key\":{},\"library_filter_ms_max\":{},\"library_prepare_ms\":{},\"library_documents\":{}}}",
        round(per_key),
        round(slowest),
        round(prepare_ms),
        library.len()
    );
    // Keeps the work from being optimized away.
    assert!(shown > 0);
}
