//! The fee list of the benchmark: 2,000 items made from the demo list, spread over the
//! departments and towns of a county, the size of a province's published list.

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

/// A CSV list of `items` rows in the demo list's columns (序号 first).
pub fn fee_list(demo_csv: &str, items: usize) -> String {
    let mut lines = demo_csv.lines();
    let header = lines.next().unwrap_or_default();
    let rows: Vec<Vec<&str>> = lines
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.split(',').collect())
        .collect();
    let mut csv = format!("{header}\n");
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
        csv.push_str(&cells.join(","));
        csv.push('\n');
    }
    csv
}
