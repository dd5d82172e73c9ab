//! `disclosure-index fees` on the demo lists, on CSV files with bad rows, and on workbooks
//! made here the way finance bureaus make them (a title row, merged header cells, a
//! department merged down over its items, empty rows, full-width amounts).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use disclosure_core::fees::{Basis, FeeFile, FeeListKind, Standard};
use rust_xlsxwriter::{Format, Workbook};

fn tool(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_disclosure-index"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Each basis as the list writes it.
fn cells(basis: &[Basis]) -> Vec<String> {
    basis.iter().map(Basis::cell).collect()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("disclosure-fees-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the import; returns what it wrote (if anything) and what it reported.
fn import(input: &Path, out: &Path) -> (Option<FeeFile>, String) {
    let output = tool(&[
        "fees",
        "--input",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let report = String::from_utf8_lossy(&output.stderr).into_owned();
    let written = std::fs::read_to_string(out.join("fees.json"))
        .ok()
        .map(|text| serde_json::from_str(&text).unwrap());
    assert_eq!(output.status.success(), written.is_some(), "{report}");
    (written, report)
}

#[test]
fn imports_the_demo_lists_without_a_bad_cell() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../index/fees");
    let out = scratch("demo");
    let (file, report) = import(&demo, &out);
    let file = file.unwrap();
    assert!(report.contains("skipped 0 bad cell(s)"), "{report}");
    let admin = file.list(FeeListKind::Administrative);
    let funds = file.list(FeeListKind::Fund);
    assert!(
        admin.len() >= 40 && funds.len() >= 8,
        "{} {}",
        admin.len(),
        funds.len()
    );
    // No separate 涉企 list in the demo: it is the 涉企 part of the whole list.
    assert!(file.lists.iter().all(|l| l.kind != FeeListKind::Enterprise));
    let enterprise = file.list(FeeListKind::Enterprise);
    assert!(!enterprise.is_empty() && enterprise.iter().all(|item| item.enterprise));
    let passport = admin
        .iter()
        .find(|i| i.item == "因私普通护照工本费")
        .unwrap();
    assert_eq!(passport.standard, Standard::Amount(12000));
    assert_eq!(cells(&passport.basis), ["发改价格〔2019〕914号"]);
}

#[test]
fn reports_each_bad_csv_cell_by_row_and_column_and_keeps_the_good_rows() {
    let dir = scratch("bad-csv");
    let input = dir.join("涉企收费清单.csv");
    std::fs::write(
        &input,
        "部门,项目名称,子项,收费标准,计费单位,政策依据,资金管理方式,立项级次,涉企,备注\n\
         公安,机动车号牌工本费,汽车号牌,１００元,元/副,发改价格〔2004〕2831号,缴入国库,中央,是,\n\
         ,机动车号牌工本费,摩托车号牌,35,元/副,发改价格〔2004〕2831号,缴入国库,中央,是,\n\
         ,,,,,,,,,\n\
         公安,临时号牌,,5元#,元/张,发改价格〔2004〕2831号,缴入国库,中央,是,\n\
         自然资源,不动产登记费,非住宅类,550,元/件,发改价格规[2016]2559号,缴入国库,县,是,\n\
         外事,领事认证代办费,商业文件,元100,元/件,计价格（1999）466号；湘发改价费规〔2021〕417号,缴入国库,省,是,\n",
    )
    .unwrap();
    let (file, report) = import(&input, &dir.join("out"));
    let file = file.unwrap();
    let place = input.display().to_string();
    for expected in [
        format!("{place} row 3, column A (部门): 缺少部门; row skipped"),
        format!("{place} row 5, column D (收费标准): 无法识别收费标准“5元#”"),
        format!("{place} row 6, column H (立项级次): 立项级次“县”应为“中央”或“省”"),
    ] {
        assert!(report.contains(&expected), "{expected}\nnot in\n{report}");
    }
    // The empty row 4 is not data and is not reported; three bad rows are.
    assert_eq!(report.matches("row skipped").count(), 3, "{report}");
    let items = file.list(FeeListKind::Enterprise);
    let names: Vec<String> = items.iter().map(|i| i.full_name()).collect();
    assert_eq!(
        names,
        ["机动车号牌工本费（汽车号牌）", "领事认证代办费（商业文件）"]
    );
    assert_eq!(items[0].standard, Standard::Amount(10000));
    assert_eq!(
        cells(&items[1].basis),
        ["计价格〔1999〕466号", "湘发改价费规〔2021〕417号"]
    );

    // With --strict nothing is written.
    let strict = tool(&[
        "fees",
        "--input",
        input.to_str().unwrap(),
        "--out",
        dir.join("strict").to_str().unwrap(),
        "--strict",
    ]);
    assert!(!strict.status.success());
    assert!(!dir.join("strict/fees.json").exists());
}

#[test]
fn reads_a_csv_file_saved_in_gbk() {
    let dir = scratch("gbk");
    let text =
        "部门,项目名称,收费标准,计费单位,政策依据\n公安,护照加注费,20,元/次,价费字〔1993〕164号\n";
    let (bytes, _, _) = encoding_rs::GBK.encode(text);
    let input = dir.join("收费.csv");
    std::fs::write(&input, &bytes).unwrap();
    let (file, report) = import(&input, &dir.join("out"));
    let items = file.unwrap().list(FeeListKind::Administrative);
    assert_eq!(items.len(), 1, "{report}");
    assert_eq!(items[0].item, "护照加注费");
}

#[test]
fn reads_workbooks_with_titles_merged_cells_and_several_lists() {
    let dir = scratch("xlsx");
    let path = dir.join("宁乡市收费目录清单.xlsx");
    let mut workbook = Workbook::new();
    let plain = Format::new();
    let fees = workbook.add_worksheet();
    fees.set_name("行政事业性收费").unwrap();
    fees.merge_range(0, 0, 0, 6, "宁乡市行政事业性收费目录清单（2024年）", &plain)
        .unwrap();
    // Two header rows: 收费标准 merged over 金额 and 计费单位; the others merged down.
    for (column, header) in [
        (0, "序号"),
        (1, "执收单位"),
        (2, "收费项目"),
        (5, "政策依据"),
        (6, "涉企"),
    ] {
        fees.merge_range(1, column, 2, column, header, &plain)
            .unwrap();
    }
    fees.merge_range(1, 3, 1, 4, "收费标准", &plain).unwrap();
    fees.write(2, 3, "金额").unwrap();
    fees.write(2, 4, "计费单位").unwrap();
    // 公安 merged down over three items; one amount is a number cell, one full-width text.
    fees.merge_range(3, 1, 5, 1, "公安", &plain).unwrap();
    let rows: [(u32, &str, &str, &str); 3] = [
        (3, "居民身份证工本费", "", "元/证"),
        (4, "护照加注费", "２０", "元/次"),
        (5, "往来港澳通行证工本费", "", "元/证"),
    ];
    for (row, item, amount, unit) in rows {
        fees.write(row, 0, row - 2).unwrap();
        fees.write(row, 2, item).unwrap();
        if !amount.is_empty() {
            fees.write(row, 3, amount).unwrap();
        }
        fees.write(row, 4, unit).unwrap();
        fees.write(row, 5, "发改价格〔2019〕914号").unwrap();
        fees.write(row, 6, "否").unwrap();
    }
    fees.write(3, 3, 20.0).unwrap();
    fees.write(5, 3, 60).unwrap();
    // An empty row, then a row whose department is missing and whose amount is garbled.
    fees.write(7, 2, "不动产登记费").unwrap();
    fees.write(7, 3, "8O").unwrap();
    fees.write(7, 5, "发改价格规〔2016〕2559号").unwrap();

    let funds = workbook.add_worksheet();
    funds.set_name("政府性基金").unwrap();
    for (column, header) in ["基金名称", "征收部门", "征收标准", "征收依据"]
        .iter()
        .enumerate()
    {
        funds.write(0, column as u16, *header).unwrap();
    }
    for (column, cell) in [
        "地方教育附加",
        "税务",
        "按实际缴纳增值税、消费税税额的2%计征",
        "财综〔2010〕98号",
    ]
    .iter()
    .enumerate()
    {
        funds.write(1, column as u16, *cell).unwrap();
    }
    workbook.add_worksheet().set_name("说明").unwrap();
    workbook.save(&path).unwrap();

    let (file, report) = import(&path, &dir.join("out"));
    let file = file.unwrap();
    let place = format!("{} [行政事业性收费]", path.display());
    assert!(
        report.contains(&format!("{place} row 8, column B (部门): 缺少部门")),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "{place} row 8, column D (收费标准): 无法识别收费标准“8O”"
        )),
        "{report}"
    );
    assert_eq!(report.matches("row skipped").count(), 2, "{report}");
    let admin = file.list(FeeListKind::Administrative);
    let summary: Vec<(&str, &str, Standard)> = admin
        .iter()
        .map(|i| (i.department.as_str(), i.item.as_str(), i.standard.clone()))
        .collect();
    assert_eq!(
        summary,
        [
            ("公安", "居民身份证工本费", Standard::Amount(2000)),
            ("公安", "护照加注费", Standard::Amount(2000)),
            ("公安", "往来港澳通行证工本费", Standard::Amount(6000)),
        ]
    );
    assert_eq!(admin[1].unit, "元/次");
    let funds = file.list(FeeListKind::Fund);
    assert_eq!(funds.len(), 1);
    assert_eq!(funds[0].department, "税务");
    assert_eq!(
        funds[0].standard,
        Standard::Words("按实际缴纳增值税、消费税税额的2%计征".into())
    );
}

#[test]
fn a_file_that_is_not_a_spreadsheet_is_reported_not_a_panic() {
    let dir = scratch("broken");
    let path = dir.join("收费.xlsx");
    std::fs::write(&path, b"PK\x03\x04 this is not a workbook").unwrap();
    let (file, report) = import(&path, &dir.join("out"));
    assert!(file.is_none());
    assert!(report.contains("not a readable spreadsheet"), "{report}");
    assert!(report.contains("no valid fee item"), "{report}");
}
