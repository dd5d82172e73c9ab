//! The fee lists of the benchmark: items made from the demo list, spread over the
//! departments and towns of a county (2,000, the size of a province's published list, for
//! the browser; 10,000 for the import's time, `fees_import_10k_s`), and the demo data's
//! import with its previous published version.

use std::path::Path;
use std::time::Instant;

use crate::{indexer, root, run};

/// Imports the demo fee lists into `out`, compared with the version published before them
/// (`index/fees/published/fees.json`), so the demo shows a 本次调整 view.
pub fn import_demo_fees(out: &Path) -> anyhow::Result<()> {
    run(std::process::Command::new(indexer())
        .arg("fees")
        .arg("--input")
        .arg(root().join("index/fees"))
        .arg("--previous")
        .arg(root().join("index/fees/published"))
        .arg("--out")
        .arg(out))
}

/// Seconds `disclosure-index fees` (release) takes to read a CSV list of `items` items,
/// validate them and write `fees.json`, the whole command timed.
pub fn import_seconds(demo_csv: &str, items: usize) -> anyhow::Result<f64> {
    let input = root().join(format!("target/bench-fees-{items}"));
    std::fs::create_dir_all(&input)?;
    std::fs::write(input.join("行政事业性收费.csv"), fee_list(demo_csv, items))?;
    let out = root().join(format!("target/bench-fees-{items}-out"));
    let started = Instant::now();
    run(std::process::Command::new(indexer())
        .arg("fees")
        .arg("--input")
        .arg(&input)
        .arg("--out")
        .arg(&out))?;
    let seconds = started.elapsed().as_secs_f64();
    Ok((seconds * 1000.0).round() / 1000.0)
}

/// County departments that collect fees, beyond those of the demo list.
const DEPARTMENTS: [&str; 24] = [
    "发展改革",
    "教育",
    "公安",
    "民政",
    "司法",
    "财政",
    "人力资源社会保障",
    "自然资源",
    "生态环境",
    "住房城乡建设",
    "交通运输",
    "水利",
    "农业农村",
    "商务",
    "文化旅游广电",
    "卫生健康",
    "应急管理",
    "市场监管",
    "林业",
    "医疗保障",
    "城市管理",
    "税务",
    "法院",
    "外事",
];

/// Towns and streets of 宁乡, which local lists name in sub-items.
const PLACES: [&str; 16] = [
    "玉潭街道",
    "白马桥街道",
    "历经铺街道",
    "城郊街道",
    "金洲镇",
    "双江口镇",
    "灰汤镇",
    "花明楼镇",
    "道林镇",
    "夏铎铺镇",
    "大成桥镇",
    "资福镇",
    "流沙河镇",
    "黄材镇",
    "沩山乡",
    "横市镇",
];

/// Words that set apart local variants of a fee item.
const VARIANTS: [&str; 8] = [
    "城区", "农村", "园区", "临时", "长期", "首次", "延续", "变更",
];

/// A CSV list of `items` rows in the demo list's columns (序号 first), below the demo
/// list's title, version and notice lines.
pub fn fee_list(demo_csv: &str, items: usize) -> String {
    let mut lines = demo_csv.lines();
    let mut csv = String::new();
    let mut header = "";
    for line in lines.by_ref() {
        if line.starts_with("序号,") {
            header = line;
            break;
        }
        csv.push_str(line);
        csv.push('\n');
    }
    let rows: Vec<Vec<&str>> = lines
        .filter(|line| !line.trim().is_empty())
        .map(|line| split_csv_line(line))
        .collect();
    csv.push_str(header);
    csv.push('\n');
    for n in 0..items {
        let base = &rows[n % rows.len()];
        let round = n / rows.len();
        let mut cells: Vec<String> = base.iter().map(|c| c.to_string()).collect();
        cells[0] = (n + 1).to_string();
        if round > 0 {
            cells[1] = DEPARTMENTS[(n * 7 + round) % DEPARTMENTS.len()].to_string();
            cells[2] = format!("{}{}", VARIANTS[round % VARIANTS.len()], base[2]);
            cells[3] = format!("{}（{}）", base[3], PLACES[(n + round) % PLACES.len()]);
        }
        let quoted: Vec<String> = cells
            .iter()
            .map(|cell| {
                if cell.contains(',') {
                    format!("\"{}\"", cell.replace('"', "\"\""))
                } else {
                    cell.clone()
                }
            })
            .collect();
        csv.push_str(&quoted.join(","));
        csv.push('\n');
    }
    csv
}

/// The cells of one line of the demo CSV (quoted cells hold commas, as a cited basis does).
fn split_csv_line(line: &str) -> Vec<&str> {
    let mut cells = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (at, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                cells.push(line[start..at].trim_matches('"'));
                start = at + 1;
            }
            _ => {}
        }
    }
    cells.push(line[start..].trim_matches('"'));
    cells
}
