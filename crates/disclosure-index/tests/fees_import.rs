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
    // The four catalogues of 2025, each with its name, version and notice.
    let kinds: Vec<FeeListKind> = file.lists.iter().map(|l| l.kind).collect();
    assert_eq!(
        kinds,
        [
            FeeListKind::Administrative,
            FeeListKind::Fund,
            FeeListKind::Deposit,
            FeeListKind::PricedService
        ]
    );
    for list in &file.lists {
        assert!(list.name.ends_with("目录清单（2025年版）"), "{}", list.name);
        assert_eq!(list.version.as_deref(), Some("2025-03-01"));
        assert_eq!(list.notice.as_deref(), Some("宁财综〔2025〕3号"));
    }
    let road = admin.iter().find(|i| i.item == "城市道路占用费").unwrap();
    assert_eq!(
        road.basis[0].key().as_deref(),
        Some("宁发改价费〔2016〕8号")
    );
    assert!(road.basis[0]
        .title
        .as_deref()
        .unwrap()
        .ends_with("收费标准的通知》"));
    let services = file.list(FeeListKind::PricedService);
    assert!(services
        .iter()
        .all(|i| !i.unit_nature.is_empty() && !i.nature.is_empty() && !i.service.is_empty()));
    let deposits = file.list(FeeListKind::Deposit);
    assert_eq!(deposits.len(), 4);
    assert!(deposits.iter().all(|i| i.enterprise));
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

/// Runs the import with more arguments; returns what it wrote, what it reported, and
/// whether it succeeded.
fn import_with(input: &Path, out: &Path, extra: &[&str]) -> (Option<FeeFile>, String, bool) {
    let mut args = vec![
        "fees",
        "--input",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let output = tool(&args);
    let report = String::from_utf8_lossy(&output.stderr).into_owned();
    let written = std::fs::read_to_string(out.join("fees.json"))
        .ok()
        .map(|text| serde_json::from_str(&text).unwrap());
    (written, report, output.status.success())
}

/// Writes the header row of the columns most lists use, at `row`.
fn headers(sheet: &mut rust_xlsxwriter::Worksheet, row: u32) {
    for (column, header) in [
        "序号",
        "执收单位",
        "收费项目",
        "计费单位",
        "收费标准",
        "政策依据",
        "涉企",
    ]
    .iter()
    .enumerate()
    {
        sheet.write(row, column as u16, *header).unwrap();
    }
}

/// One item row: department, item, unit and basis as text; the standard is written by
/// the caller in column E as the case needs.
fn item_row(sheet: &mut rust_xlsxwriter::Worksheet, row: u32, item: &str, basis: &str) {
    sheet.write(row, 0, row).unwrap();
    sheet.write(row, 1, "公安").unwrap();
    sheet.write(row, 2, item).unwrap();
    sheet.write(row, 3, "元/证").unwrap();
    sheet.write(row, 5, basis).unwrap();
    sheet.write(row, 6, "否").unwrap();
}

#[test]
fn an_xlsx_is_read_as_the_sheet_shows_it_and_what_cannot_be_an_amount_is_reported() {
    use rust_xlsxwriter::Formula;
    let dir = scratch("shown");
    let path = dir.join("宁乡市收费目录清单.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("行政事业性收费").unwrap();
    sheet
        .write(0, 0, "宁乡市行政事业性收费目录清单（2025年版）")
        .unwrap();
    sheet.write(1, 0, "版本日期：2025年3月1日").unwrap();
    sheet.write(1, 3, "发布文号：宁财综[2025]3号").unwrap();
    // A note naming the catalogue again does not rename the list.
    sheet.write(1, 5, "本目录清单自2025年3月1日起执行").unwrap();
    headers(sheet, 2);
    let date = Format::new().set_num_format("m\"月\"d\"日\"");
    let percent = Format::new().set_num_format("0%");
    let thousands = Format::new().set_num_format("#,##0.00");
    let currency = Format::new().set_num_format("\"¥\"#,##0.00");
    // Row 4: `3-10` typed, turned into a date by Excel (serial 46091, shown 3月10日).
    item_row(sheet, 3, "临时号牌工本费", "发改价格〔2004〕2831号");
    sheet
        .write_number_with_format(3, 4, 46_091.0, &date)
        .unwrap();
    // Row 5: `20%` typed, stored 0.2.
    item_row(sheet, 4, "代办费", "发改价格〔2004〕2831号");
    sheet.write_number_with_format(4, 4, 0.2, &percent).unwrap();
    // Row 6: a thousands separator; row 7: a currency format; row 8: a number stored as
    // text; row 9: a formula's cached value; row 10: a formula error.
    item_row(sheet, 5, "不动产登记费", "发改价格规〔2016〕2559号");
    sheet
        .write_number_with_format(5, 4, 1234.5, &thousands)
        .unwrap();
    item_row(sheet, 6, "护照加注费", "价费字〔1993〕164号");
    sheet
        .write_number_with_format(6, 4, 20.0, &currency)
        .unwrap();
    item_row(
        sheet,
        7,
        "居民身份证工本费",
        "计价格[1999]466号,[1992]价费字198号",
    );
    sheet.write(7, 4, "１,０００").unwrap();
    item_row(
        sheet,
        8,
        "城市道路占用费",
        "宁乡市发展和改革局、宁乡市财政局《关于城市道路占用费和挖掘修复费收费标准的通知》（宁发改价费〔2016〕8号）",
    );
    sheet
        .write_formula(8, 4, Formula::new("=1+2").set_result("3"))
        .unwrap();
    item_row(sheet, 9, "挖掘修复费", "宁发改价费〔2016〕8号");
    sheet
        .write_formula(9, 4, Formula::new("=1+\"a\"").set_result("#VALUE!"))
        .unwrap();
    // Row 11: a basis that reads as nothing; row 12: a 32,767-character remark column is
    // not a column here, so a 32,767-character item name instead.
    item_row(sheet, 10, "验证费", "见有关文件");
    sheet.write(10, 4, 5).unwrap();
    let long_name = "费".repeat(32_767);
    item_row(sheet, 11, &long_name, "发改价格〔2004〕2831号");
    sheet.write(11, 4, 5).unwrap();

    // Last year's list in a hidden sheet, and a very hidden one.
    let old = workbook.add_worksheet();
    old.set_name("2024年行政事业性收费").unwrap();
    headers(old, 0);
    item_row(old, 1, "居民身份证工本费", "发改价格〔2003〕2322号");
    old.write(1, 4, 60).unwrap();
    old.set_hidden(true);
    let very = workbook.add_worksheet();
    very.set_name("底稿").unwrap();
    headers(very, 0);
    item_row(very, 1, "居民身份证工本费", "发改价格〔2003〕2322号");
    very.write(1, 4, 60).unwrap();
    very.set_very_hidden(true);
    workbook.save(&path).unwrap();

    let (file, report, _) = import_with(&path, &dir.join("out"), &[]);
    let file = file.unwrap();
    let place = format!("{} [行政事业性收费]", path.display());
    for expected in [
        format!("{place} row 4, column E (收费标准): looks like a date (3月10日); type the range as text, e.g. 3-10; row skipped"),
        format!("{place} row 5, column E (收费标准): a percentage (20%) is not an amount"),
        format!("{place} row 10, column E (收费标准): formula error #VALUE!"),
        format!("{place} row 11, column F (政策依据): 政策依据“见有关文件”既不是文号也不是文件名称"),
        format!("{} [2024年行政事业性收费]: hidden sheet skipped", path.display()),
        format!("{} [底稿]: very hidden sheet skipped", path.display()),
    ] {
        assert!(report.contains(&expected), "{expected}\nnot in\n{report}");
    }
    assert_eq!(report.matches("row skipped").count(), 4, "{report}");
    let admin = file.list(FeeListKind::Administrative);
    let read: Vec<(&str, Standard)> = admin
        .iter()
        .map(|i| (i.item.as_str(), i.standard.clone()))
        .collect();
    assert_eq!(
        read,
        [
            ("不动产登记费", Standard::Amount(123_450)),
            ("护照加注费", Standard::Amount(2000)),
            ("居民身份证工本费", Standard::Amount(100_000)),
            ("城市道路占用费", Standard::Amount(300)),
            (long_name.as_str(), Standard::Amount(500)),
        ]
    );
    // Nothing of the hidden sheets: no 60 元 identity card.
    assert!(admin.iter().all(|i| i.standard != Standard::Amount(6000)));
    assert_eq!(
        cells(&admin[2].basis),
        ["计价格〔1999〕466号", "价费字〔1992〕198号"]
    );
    assert_eq!(admin[3].basis.len(), 1);
    assert_eq!(
        admin[3].basis[0].key().as_deref(),
        Some("宁发改价费〔2016〕8号")
    );
    assert_eq!(
        admin[3].basis[0].title.as_deref(),
        Some("宁乡市发展和改革局、宁乡市财政局《关于城市道路占用费和挖掘修复费收费标准的通知》")
    );
    let list = &file.lists[0];
    assert_eq!(list.name, "宁乡市行政事业性收费目录清单（2025年版）");
    assert_eq!(list.version.as_deref(), Some("2025-03-01"));
    assert_eq!(list.notice.as_deref(), Some("宁财综〔2025〕3号"));
}

/// The `content.xml` of an ODS workbook, wrapped with its manifest into `path`.
fn write_ods(path: &Path, tables: &str) {
    use std::io::Write;
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" office:version="1.3">
<office:automatic-styles>
<style:style style:name="ta1" style:family="table"><style:table-properties table:display="true"/></style:style>
<style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style>
</office:automatic-styles>
<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"#;
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap();
}

/// A text cell of an ODS row.
fn ods_text(text: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
    )
}

#[test]
fn an_ods_workbook_reads_a_department_merged_down_for_every_item_and_cells_as_shown() {
    let dir = scratch("ods");
    let path = dir.join("收费清单.ods");
    let header: String = [
        "序号",
        "执收单位",
        "收费项目",
        "收费标准",
        "计费单位",
        "政策依据",
    ]
    .iter()
    .map(|h| ods_text(h))
    .collect();
    let item = |n: u32, department: &str, name: &str, standard: &str| {
        format!(
            "<table:table-row>{}{department}{}{standard}{}{}</table:table-row>",
            ods_text(&n.to_string()),
            ods_text(name),
            ods_text("元/证"),
            ods_text("发改价格〔2003〕2322号"),
        )
    };
    let merged = r#"<table:table-cell table:number-rows-spanned="3" office:value-type="string"><text:p>公安</text:p></table:table-cell>"#;
    let covered = "<table:covered-table-cell/>";
    let amount = |value: &str, shown: &str| {
        format!(
            r#"<table:table-cell office:value-type="float" office:value="{value}"><text:p>{shown}</text:p></table:table-cell>"#
        )
    };
    let tables = format!(
        r#"<table:table table:name="行政事业性收费" table:style-name="ta1">
<table:table-row>{title}</table:table-row>
<table:table-row>{header}</table:table-row>
{row3}{row4}{row5}
{row6}{row7}{row8}
<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
</table:table>
<table:table table:name="2024年行政事业性收费" table:style-name="ta2">
<table:table-row>{header}</table:table-row>
{old}
</table:table>"#,
        title = ods_text("宁乡市行政事业性收费目录清单"),
        row3 = item(1, merged, "居民身份证工本费", &amount("20", "20.00")),
        row4 = item(2, covered, "护照加注费", &amount("1234.5", "¥1,234.50")),
        row5 = item(3, covered, "往来港澳通行证工本费", &amount("60", "60")),
        row6 = item(
            4,
            &ods_text("交通运输"),
            "临时号牌工本费",
            r#"<table:table-cell office:value-type="date" office:date-value="2026-03-10"><text:p>03月10日</text:p></table:table-cell>"#
        ),
        row7 = item(
            5,
            &ods_text("交通运输"),
            "代办费",
            r#"<table:table-cell office:value-type="percentage" office:value="0.2"><text:p>20%</text:p></table:table-cell>"#
        ),
        row8 = item(
            6,
            &ods_text("交通运输"),
            "检测费",
            r#"<table:table-cell table:formula="of:=1+&quot;a&quot;" office:value-type="string" office:string-value="" calcext:value-type="error"><text:p>#VALUE!</text:p></table:table-cell>"#
        ),
        old = item(
            1,
            &ods_text("公安"),
            "居民身份证工本费",
            &amount("60", "60")
        ),
    );
    write_ods(&path, &tables);
    let (file, report, _) = import_with(&path, &dir.join("out"), &[]);
    let file = file.unwrap();
    let place = format!("{} [行政事业性收费]", path.display());
    for expected in [
        format!("{place} row 6, column D (收费标准): looks like a date (03月10日); type the range as text, e.g. 03-10"),
        format!("{place} row 7, column D (收费标准): a percentage (20%) is not an amount"),
        format!("{place} row 8, column D (收费标准): formula error #VALUE!"),
        format!("{} [2024年行政事业性收费]: hidden sheet skipped", path.display()),
    ] {
        assert!(report.contains(&expected), "{expected}\nnot in\n{report}");
    }
    assert_eq!(report.matches("row skipped").count(), 3, "{report}");
    let read: Vec<(String, String, Standard)> = file
        .list(FeeListKind::Administrative)
        .into_iter()
        .map(|i| (i.department, i.item, i.standard))
        .collect();
    let expected = [
        ("公安", "居民身份证工本费", Standard::Amount(2000)),
        ("公安", "护照加注费", Standard::Amount(123_450)),
        ("公安", "往来港澳通行证工本费", Standard::Amount(6000)),
    ];
    assert_eq!(read.len(), expected.len(), "{read:?}\n{report}");
    for ((department, item, standard), (d, i, s)) in read.iter().zip(expected) {
        assert_eq!((department.as_str(), item.as_str(), standard), (d, i, &s));
    }
    assert_eq!(file.lists[0].name, "宁乡市行政事业性收费目录清单");
}

#[test]
fn a_new_version_records_what_changed_and_bases_not_in_force_are_reported_before_publishing() {
    let dir = scratch("versions");
    let header = "部门,项目名称,子项,收费标准,计费单位,政策依据,涉企\n";
    let v1 = dir.join("v1");
    std::fs::create_dir_all(&v1).unwrap();
    std::fs::write(
        v1.join("收费.csv"),
        format!(
            "宁乡市行政事业性收费目录清单\n版本日期：2024-01-01\n{header}\
             公安,居民身份证工本费,临时居民身份证,10,元/证,发改价格〔2003〕2322号,否\n\
             住房城乡建设,城市道路占用费,,3,元/平方米·日,宁发改价费〔2016〕8号,是\n\
             外事,代填签证申请表,,5,元/份,财综〔2003〕45号,否\n"
        ),
    )
    .unwrap();
    let v2 = dir.join("v2");
    std::fs::create_dir_all(&v2).unwrap();
    std::fs::write(
        v2.join("收费.csv"),
        format!(
            "宁乡市行政事业性收费目录清单\n版本日期：2025-03-01\n发布文号：宁财综〔2025〕3号\n{header}\
             公安,居民身份证工本费,临时居民身份证,15,元/证,发改价格〔2003〕2322号,否\n\
             住房城乡建设,城市道路占用费,,3,元/平方米·日,宁发改价费〔2016〕8号,否\n\
             自然资源,不动产登记费,住宅类,80,元/件,发改价格规〔2016〕2559号,是\n"
        ),
    )
    .unwrap();
    let published = dir.join("published");
    let (first, report, _) = import_with(&v1, &published, &[]);
    assert!(first.is_some(), "{report}");
    // The validity lookup of the demo records knows 宁发改价费〔2016〕8号 as repealed.
    let validity = dir.join("validity");
    let demo_records = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../index/validity");
    let made = tool(&[
        "validity",
        "--input",
        demo_records.to_str().unwrap(),
        "--out",
        validity.to_str().unwrap(),
    ]);
    assert!(made.status.success());
    let validity_file = validity.join("validity.json");
    let common = [
        "--previous",
        published.to_str().unwrap(),
        "--validity",
        validity_file.to_str().unwrap(),
        "--today",
        "2025-06-01",
    ];
    let (file, report, ok) = import_with(&v2, &dir.join("out"), &common);
    assert!(ok, "{report}");
    assert!(
        report.contains("行政事业性收费: 住房城乡建设 城市道路占用费: legal basis 宁发改价费〔2016〕8号 is repealed (废止)"),
        "{report}"
    );
    let list = &file.unwrap().lists[0];
    assert_eq!(list.version.as_deref(), Some("2025-03-01"));
    let changes = list.changes.as_ref().unwrap();
    assert_eq!(changes.since.as_deref(), Some("2024-01-01"));
    assert_eq!(changes.added[0].item, "不动产登记费");
    assert_eq!(changes.removed[0].item, "代填签证申请表");
    let fields: Vec<(&str, &str, &str)> = changes
        .changed
        .iter()
        .flat_map(|c| {
            c.fields
                .iter()
                .map(move |f| (c.item.item.as_str(), f.old.as_str(), f.new.as_str()))
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("居民身份证工本费", "10 元/证", "15 元/证"),
            ("城市道路占用费", "是", "否"),
        ]
    );
    assert!(
        report.contains("1 added, 1 removed, 2 changed since 2024-01-01"),
        "{report}"
    );

    // Before it took effect and after its term ran out, the same basis is reported so.
    for (day, status) in [
        ("2016-03-20", "is not yet in force (尚未生效)"),
        ("2022-06-01", "is expired (失效)"),
    ] {
        let (_, report, ok) = import_with(
            &v2,
            &dir.join(format!("out-{day}")),
            &[
                "--validity",
                validity_file.to_str().unwrap(),
                "--today",
                day,
            ],
        );
        assert!(ok, "{report}");
        assert!(
            report.contains(&format!("legal basis 宁发改价费〔2016〕8号 {status}")),
            "{day}: {report}"
        );
    }

    // --strict refuses to publish a list citing a repealed basis.
    let (strict, report, ok) = import_with(
        &v2,
        &dir.join("strict"),
        &[&common[..], &["--strict"]].concat(),
    );
    assert!(!ok && strict.is_none(), "{report}");
    assert!(
        report.contains("1 legal basis(es) not in force; nothing written (--strict)"),
        "{report}"
    );
}

#[test]
fn bad_files_are_reported_with_their_place_never_a_panic() {
    let dir = scratch("bad-files");
    // A workbook encrypted by Office is an OLE2 compound file, whatever its name.
    let locked = dir.join("locked.xlsx");
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.extend(std::iter::repeat_n(0u8, 504));
    bytes.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&locked, &bytes).unwrap();
    // An .xls with a password (a FILEPASS record) and an .ods whose manifest encrypts it.
    let locked_xls = dir.join("locked.xls");
    write_xls_with(
        &locked_xls,
        &[XlsSheet {
            name: "收费",
            state: 0,
            cells: vec![(0, 0, XlsCell::Text("收费项目"))],
            merged: Vec::new(),
        }],
        true,
    );
    let locked_ods = dir.join("locked.ods");
    {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&locked_ods).unwrap());
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        zip.start_file("META-INF/manifest.xml", stored).unwrap();
        zip.write_all(br#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"><manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/></manifest:file-entry></manifest:manifest>"#)
            .unwrap();
        zip.start_file("content.xml", stored).unwrap();
        zip.write_all(b"\x00\x01 encrypted bytes").unwrap();
        zip.finish().unwrap();
    }
    // A CSV in GB18030 with a UTF-8 byte-order mark in front.
    let text = "部门,项目名称,收费标准,计费单位,政策依据\n公安,护照加注费,20,元/次,价费字〔1993〕164号\n公安,㐀字费,10,元/次,价费字〔1993〕164号\n";
    let (gb, _, _) = encoding_rs::GB18030.encode(text);
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(&gb);
    std::fs::write(dir.join("收费.csv"), with_bom).unwrap();
    let (file, report, _) = import_with(&dir, &dir.join("out"), &[]);
    for locked in [&locked, &locked_xls, &locked_ods] {
        assert!(
            report.contains(&format!(
                "{}: the workbook is password-protected (encrypted)",
                locked.display()
            )),
            "{report}"
        );
    }
    let items = file.unwrap().list(FeeListKind::Administrative);
    let names: Vec<&str> = items.iter().map(|i| i.item.as_str()).collect();
    assert_eq!(names, ["护照加注费", "㐀字费"], "{report}");
}

#[test]
fn a_sheet_of_100000_rows_is_read_whole_with_its_bad_rows_reported() {
    let dir = scratch("large");
    let path = dir.join("收费.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    headers(sheet, 0);
    for row in 1..=100_000u32 {
        sheet.write(row, 1, "公安").unwrap();
        sheet.write(row, 2, "工本费").unwrap();
        sheet.write(row, 5, "发改价格〔2003〕2322号").unwrap();
        if row % 10_000 == 0 {
            sheet.write(row, 4, "2O").unwrap();
        } else {
            sheet.write(row, 4, row % 500 + 1).unwrap();
        }
    }
    workbook.save(&path).unwrap();
    let (file, report, _) = import_with(&path, &dir.join("out"), &[]);
    assert_eq!(report.matches("row skipped").count(), 10, "{report}");
    assert!(
        report.contains("row 10001, column E (收费标准)"),
        "{report}"
    );
    assert_eq!(
        file.unwrap().list(FeeListKind::Administrative).len(),
        99_990
    );
}

/// A cell of the `.xls` workbooks written here: text, or a number with its cell format
/// (an index into [`XLS_FORMATS`]).
enum XlsCell<'a> {
    Text(&'a str),
    Number(f64, u16),
}

/// The number formats of the cell styles (XF records) of the `.xls` written here:
/// General, m/d/yy (Excel's built-in 14, as a typed `3-10` gets), 0% (built-in 9).
const XLS_FORMATS: [u16; 3] = [0, 14, 9];

/// One sheet of an `.xls` written here.
struct XlsSheet<'a> {
    name: &'a str,
    /// 0 visible, 1 hidden, 2 very hidden.
    state: u8,
    cells: Vec<(u16, u16, XlsCell<'a>)>,
    /// Merged regions: first row, last row, first column, last column.
    merged: Vec<[u16; 4]>,
}

/// A BIFF8 record: type, length, data.
fn record(out: &mut Vec<u8>, kind: u16, data: &[u8]) {
    out.extend(kind.to_le_bytes());
    out.extend((data.len() as u16).to_le_bytes());
    out.extend(data);
}

/// Writes an Excel 97–2003 workbook: no crate writes `.xls`, so this is the least of the
/// format calamine reads — a compound file holding one `Workbook` stream of BIFF8 records
/// (BOF, cell styles, one BoundSheet8 per sheet with its visibility, EOF; then per sheet
/// BOF, LABEL and NUMBER cells, MERGEDCELLS, EOF).
fn write_xls(path: &Path, sheets: &[XlsSheet]) {
    write_xls_with(path, sheets, false)
}

/// [`write_xls`], with a FILEPASS record (a password) when `encrypted`.
fn write_xls_with(path: &Path, sheets: &[XlsSheet], encrypted: bool) {
    let utf16 =
        |text: &str| -> Vec<u8> { text.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let bof = |kind: u16| -> Vec<u8> {
        let mut data = Vec::new();
        data.extend(0x0600u16.to_le_bytes());
        data.extend(kind.to_le_bytes());
        data.extend([0u8; 12]);
        data
    };
    let mut streams = Vec::new();
    for sheet in sheets {
        let mut out = Vec::new();
        record(&mut out, 0x0809, &bof(0x0010));
        for (row, column, cell) in &sheet.cells {
            let mut data = Vec::new();
            data.extend(row.to_le_bytes());
            data.extend(column.to_le_bytes());
            match cell {
                XlsCell::Text(text) => {
                    data.extend(0u16.to_le_bytes());
                    data.extend((text.encode_utf16().count() as u16).to_le_bytes());
                    data.push(1);
                    data.extend(utf16(text));
                    record(&mut out, 0x0204, &data);
                }
                XlsCell::Number(value, format) => {
                    data.extend(format.to_le_bytes());
                    data.extend(value.to_le_bytes());
                    record(&mut out, 0x0203, &data);
                }
            }
        }
        if !sheet.merged.is_empty() {
            let mut data = (sheet.merged.len() as u16).to_le_bytes().to_vec();
            for region in &sheet.merged {
                data.extend(region.iter().flat_map(|n| n.to_le_bytes()));
            }
            record(&mut out, 0x00E5, &data);
        }
        record(&mut out, 0x000A, &[]);
        streams.push(out);
    }
    let globals = |offsets: &[u32]| -> Vec<u8> {
        let mut out = Vec::new();
        record(&mut out, 0x0809, &bof(0x0005));
        if encrypted {
            record(&mut out, 0x002F, &[1, 0, 1, 0, 2, 0]);
        }
        record(&mut out, 0x0042, &1200u16.to_le_bytes());
        for format in XLS_FORMATS {
            let mut xf = vec![0u8; 20];
            xf[2..4].copy_from_slice(&format.to_le_bytes());
            record(&mut out, 0x00E0, &xf);
        }
        for (sheet, offset) in sheets.iter().zip(offsets) {
            let mut data = offset.to_le_bytes().to_vec();
            data.extend([sheet.state, 0, sheet.name.encode_utf16().count() as u8, 1]);
            data.extend(utf16(sheet.name));
            record(&mut out, 0x0085, &data);
        }
        record(&mut out, 0x000A, &[]);
        out
    };
    let head = globals(&vec![0; sheets.len()]).len() as u32;
    let mut offsets = Vec::new();
    let mut at = head;
    for stream in &streams {
        offsets.push(at);
        at += stream.len() as u32;
    }
    let mut workbook = globals(&offsets);
    workbook.extend(streams.concat());
    let length = workbook.len().max(4096);
    workbook.resize(length.div_ceil(512) * 512, 0);
    let sectors = workbook.len() / 512;
    assert!(sectors <= 126, "the test writer holds one FAT sector");
    // The compound file: header, FAT (sector 0), directory (sector 1), the stream.
    let mut file = vec![0u8; 512];
    file[0..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    file[24..26].copy_from_slice(&0x003Eu16.to_le_bytes());
    file[26..28].copy_from_slice(&3u16.to_le_bytes());
    file[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
    file[30..32].copy_from_slice(&9u16.to_le_bytes());
    file[32..34].copy_from_slice(&6u16.to_le_bytes());
    file[44..48].copy_from_slice(&1u32.to_le_bytes());
    file[48..52].copy_from_slice(&1u32.to_le_bytes());
    file[56..60].copy_from_slice(&4096u32.to_le_bytes());
    file[60..64].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
    file[68..72].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
    for slot in file[76..512].chunks_mut(4) {
        slot.copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
    }
    file[76..80].copy_from_slice(&0u32.to_le_bytes());
    let mut fat = vec![0xFFFF_FFFFu32; 128];
    fat[0] = 0xFFFF_FFFD;
    fat[1] = 0xFFFF_FFFE;
    for n in 0..sectors {
        fat[2 + n] = if n + 1 == sectors {
            0xFFFF_FFFE
        } else {
            (3 + n) as u32
        };
    }
    file.extend(fat.iter().flat_map(|n| n.to_le_bytes()));
    let entry = |name: &str, kind: u8, child: u32, start: u32, size: u32| -> Vec<u8> {
        let mut entry = vec![0u8; 128];
        let name = utf16(name);
        entry[..name.len()].copy_from_slice(&name);
        entry[64..66].copy_from_slice(&((name.len() + 2) as u16).to_le_bytes());
        entry[66] = kind;
        entry[67] = 1;
        entry[68..72].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        entry[72..76].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        entry[76..80].copy_from_slice(&child.to_le_bytes());
        entry[116..120].copy_from_slice(&start.to_le_bytes());
        entry[120..124].copy_from_slice(&size.to_le_bytes());
        entry
    };
    file.extend(entry("Root Entry", 5, 1, 0xFFFF_FFFE, 0));
    file.extend(entry("Workbook", 2, 0xFFFF_FFFF, 2, workbook.len() as u32));
    file.extend(entry("", 0, 0xFFFF_FFFF, 0, 0));
    file.extend(entry("", 0, 0xFFFF_FFFF, 0, 0));
    file.extend(workbook);
    std::fs::write(path, file).unwrap();
}

#[test]
fn an_xls_workbook_reads_merged_departments_and_skips_hidden_sheets_and_dates() {
    use XlsCell::{Number, Text};
    let dir = scratch("xls");
    let path = dir.join("收费清单.xls");
    let header = |cells: &mut Vec<(u16, u16, XlsCell<'static>)>, row: u16| {
        for (column, text) in ["执收单位", "收费项目", "收费标准", "计费单位", "政策依据"]
            .into_iter()
            .enumerate()
        {
            cells.push((row, column as u16, Text(text)));
        }
    };
    let mut current = vec![(0, 0, Text("宁乡市行政事业性收费目录清单"))];
    header(&mut current, 1);
    let items: [(&str, XlsCell, &str); 5] = [
        (
            "居民身份证工本费",
            Number(20.0, 0),
            "发改价格〔2003〕2322号",
        ),
        ("护照加注费", Number(20.0, 0), "[1992]价费字198号"),
        (
            "往来港澳通行证工本费",
            Number(60.0, 0),
            "计价格[1999]466号,[1992]价费字198号",
        ),
        (
            "临时号牌工本费",
            Number(46_091.0, 1),
            "发改价格〔2004〕2831号",
        ),
        ("代办费", Number(0.2, 2), "发改价格〔2004〕2831号"),
    ];
    for (n, (item, standard, basis)) in items.into_iter().enumerate() {
        let row = 2 + n as u16;
        if n == 0 {
            current.push((row, 0, Text("公安")));
        }
        current.push((row, 1, Text(item)));
        current.push((row, 2, standard));
        current.push((row, 3, Text("元/证")));
        current.push((row, 4, Text(basis)));
    }
    let mut old = Vec::new();
    header(&mut old, 0);
    for (column, cell) in [
        Text("公安"),
        Text("居民身份证工本费"),
        Number(60.0, 0),
        Text("元/证"),
        Text("发改价格〔2003〕2322号"),
    ]
    .into_iter()
    .enumerate()
    {
        old.push((1, column as u16, cell));
    }
    write_xls(
        &path,
        &[
            XlsSheet {
                name: "行政事业性收费",
                state: 0,
                cells: current,
                // 公安 merged down over all five items.
                merged: vec![[2, 6, 0, 0]],
            },
            XlsSheet {
                name: "2024年行政事业性收费",
                state: 1,
                cells: old,
                merged: Vec::new(),
            },
        ],
    );
    let (file, report, _) = import_with(&path, &dir.join("out"), &[]);
    let place = format!("{} [行政事业性收费]", path.display());
    for expected in [
        format!("{place} row 6, column C (收费标准): looks like a date (3月10日); type the range as text, e.g. 3-10"),
        format!("{place} row 7, column C (收费标准): a percentage (20%) is not an amount"),
        format!("{} [2024年行政事业性收费]: hidden sheet skipped", path.display()),
    ] {
        assert!(report.contains(&expected), "{expected}\nnot in\n{report}");
    }
    let file = file.unwrap();
    let read: Vec<(String, String, Standard, usize)> = file
        .list(FeeListKind::Administrative)
        .into_iter()
        .map(|i| (i.department, i.item, i.standard, i.basis.len()))
        .collect();
    let expected = [
        ("公安", "居民身份证工本费", Standard::Amount(2000), 1),
        ("公安", "护照加注费", Standard::Amount(2000), 1),
        ("公安", "往来港澳通行证工本费", Standard::Amount(6000), 2),
    ];
    assert_eq!(read.len(), expected.len(), "{read:?}\n{report}");
    for ((department, item, standard, bases), (d, i, s, b)) in read.iter().zip(expected) {
        assert_eq!(
            (department.as_str(), item.as_str(), standard, *bases),
            (d, i, &s, b)
        );
    }
}
