//! Plain pages built with the data: semantic HTML that works without JavaScript, prints
//! well and is what a search engine indexes. The widgets' `data-fallback` links to them.
//!
//! `fees.html` is every published fee list (目录清单): its name, version and issuing notice,
//! and each item with its standard, unit and legal basis, as the list gives them.
//! `library.html` is the 行政规范性文件库: every normative document by issuing body and
//! year, with its validity as of the build date, which the page states (a status is
//! computed for a day, never stored). Values are written through maud, which escapes
//! every one of them.

use std::collections::BTreeMap;

use disclosure_core::fees::{FeeFile, FeeItem};
use disclosure_core::lookup::LookupEntry;
use disclosure_core::validity::Term;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use time::Date;

/// Name of the fee lists' page beside `fees.json`.
pub const FEES_PAGE: &str = "fees.html";

/// Name of the library page beside `validity.json`.
pub const LIBRARY_PAGE: &str = "library.html";

/// Styles of the plain pages: readable at any size, 16px floor, printable.
const STYLE: &str = "body{font:max(1rem,16px)/1.6 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem;color:#1a1a1a}\
a{color:#0b4f9c}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}\
th,td{border:1px solid #767676;padding:.4rem;text-align:left;vertical-align:top}\
caption{text-align:left;font-weight:bold}nav ul{columns:14rem}\
@media print{a{color:inherit;text-decoration:none}nav{display:none}}";

/// The head of every plain page.
fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) }
            style { (PreEscaped(STYLE)) }
        }
    }
}

/// The fee lists of `file` of `county` (宁乡市), as published on `today`.
pub fn fees_page(file: &FeeFile, county: &str, today: Date) -> String {
    let title = format!("{county}收费目录清单（文字版）");
    let page = html! {
        (DOCTYPE)
        html lang="zh-CN" {
            (head(&title))
            body {
                header {
                    h1 { (county) "收费目录清单" }
                    p { "本页生成于 " (today) "。清单之外，不得收费。" }
                }
                nav aria-label="清单" {
                    h2 { "目录" }
                    ul {
                        @for (n, list) in file.lists.iter().enumerate() {
                            li { a href={ "#list-" (n) } { (list.display_name(county)) } " （" (list.items.len()) " 项）" }
                        }
                    }
                }
                main {
                    @for (n, list) in file.lists.iter().enumerate() {
                        section aria-labelledby={ "list-" (n) } {
                            h2 id={ "list-" (n) } { (list.display_name(county)) }
                            @if list.version.is_some() || list.notice.is_some() {
                                p {
                                    @if let Some(version) = &list.version { "版本日期：" (version) " " }
                                    @if let Some(notice) = &list.notice { "发布文号：" (notice) }
                                }
                            }
                            @if list.items.is_empty() {
                                p { "本清单暂无收费项目。" }
                            } @else {
                                table {
                                    caption { (list.display_name(county)) "（" (list.items.len()) " 项）" }
                                    thead { tr {
                                        th scope="col" { "序号" }
                                        th scope="col" { "部门（执收单位）" }
                                        th scope="col" { "项目名称" }
                                        th scope="col" { "收费标准" }
                                        th scope="col" { "政策依据" }
                                        th scope="col" { "资金管理方式" }
                                        th scope="col" { "涉企" }
                                    } }
                                    tbody {
                                        @for (k, item) in list.items.iter().enumerate() {
                                            (fee_row(k + 1, item))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    page.into_string()
}

fn fee_row(number: usize, item: &FeeItem) -> Markup {
    html! {
        tr {
            td { (number) }
            td { (item.department) }
            th scope="row" {
                (item.item)
                @if !item.sub_item.is_empty() { "：" (item.sub_item) }
                @if !item.service.is_empty() { br; "服务内容：" (item.service) }
            }
            td { (item.standard.describe(&item.unit)) }
            td { (item.basis_cell()) }
            td { (item.fund_management) }
            td { @if item.enterprise { "是" } @else { "否" } }
        }
    }
}

/// The year a document is filed under: its publication year, else its effective year.
fn year_of(entry: &LookupEntry) -> String {
    entry
        .published
        .as_deref()
        .or(Some(entry.effective.as_str()))
        .and_then(|date| date.get(..4))
        .filter(|year| year.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or("日期不详")
        .to_string()
}

/// A page of the library: `entries` grouped by issuer, then by year (newest first), each
/// with its status on `today` and what changed it.
pub fn library_page(entries: &[LookupEntry], today: Date) -> String {
    let mut by_issuer: BTreeMap<&str, BTreeMap<String, Vec<&LookupEntry>>> = BTreeMap::new();
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for entry in entries {
        let issuer = entry.issuer.as_deref().unwrap_or("制定机关不详");
        by_issuer
            .entry(issuer)
            .or_default()
            .entry(year_of(entry))
            .or_default()
            .push(entry);
        *counts.entry(entry.status_on(today).word()).or_default() += 1;
    }
    let page: Markup = html! {
        (DOCTYPE)
        html lang="zh-CN" {
            (head("行政规范性文件库（文字版）"))
            body {
                header {
                    h1 { "行政规范性文件库" }
                    p { a href=(crate::normative::CHANGES_FEED) type="application/atom+xml" { "订阅文件效力变化（Atom）" } }
                    p { "共 " (entries.len()) " 件。效力状态按 " (today) " 计算（本页生成之日）；此后到期或被废止、修改的文件，以查询页面或原文为准。" }
                    p {
                        @for (word, count) in &counts {
                            span { (word) " " (count) " 件" } " "
                        }
                    }
                }
                nav aria-label="制定机关" {
                    h2 { "按制定机关浏览" }
                    ul {
                        @for (n, (issuer, years)) in by_issuer.iter().enumerate() {
                            li { a href={ "#issuer-" (n) } { (issuer) } " （" (years.values().map(Vec::len).sum::<usize>()) " 件）" }
                        }
                    }
                }
                main {
                    @for (n, (issuer, years)) in by_issuer.iter().enumerate() {
                        section aria-labelledby={ "issuer-" (n) } {
                            h2 id={ "issuer-" (n) } { (issuer) }
                            @for (year, documents) in years.iter().rev() {
                                table {
                                    caption { (issuer) " · " (year) "年（" (documents.len()) " 件）" }
                                    thead { tr {
                                        th scope="col" { "标题" }
                                        th scope="col" { "文号" }
                                        th scope="col" { "施行日期" }
                                        th scope="col" { "有效期至" }
                                        th scope="col" { "效力状态" }
                                    } }
                                    tbody {
                                        @for entry in documents {
                                            (row(entry, today))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    page.into_string()
}

/// One document's row.
fn row(entry: &LookupEntry, today: Date) -> Markup {
    let status = entry.status_on(today);
    let record = entry.record();
    let change = record
        .changes
        .iter()
        .filter(|change| change.on.is_none_or(|on| on <= today))
        .next_back();
    html! {
        tr {
            th scope="row" {
                @match &entry.url {
                    Some(url) => a href=(url) { (entry.title) },
                    None => (entry.title),
                }
                @if let Some(interpretation) = &entry.interpretation_url {
                    " " a href=(interpretation) { "解读" }
                }
            }
            td { (entry.number.as_deref().unwrap_or("")) }
            td { (entry.effective) }
            td {
                @match (&entry.until, entry.term) {
                    (Some(until), _) => (until),
                    (None, Term::Indefinite) => "长期",
                    (None, _) => "",
                }
            }
            td {
                strong { (status.word()) }
                @if let Some(change) = change {
                    @if let Some(by) = change.by_number.as_deref().or(change.by_title.as_deref()) {
                        br; "（依据 " (by)
                        @if let Some(on) = change.on { "，" (on) }
                        "）"
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fee_page_lists_every_item_with_its_standard_and_basis_escaped() {
        let file: FeeFile = serde_json::from_str(
            r#"{"format":"x","lists":[{"kind":"admin","name":"宁乡市行政事业性收费目录清单（2025年版）","version":"2025-03-01","items":[
                {"d":"宁乡市公安局","n":"居民身份证工本费","s":"<b>首次</b>","a":2000,"u":"元/证","f":"缴入国库","e":false},
                {"d":"宁乡市自然资源局","n":"不动产登记费","a":[8000,55000],"u":"元/件","e":true}]}]}"#,
        )
        .unwrap();
        let page = fees_page(&file, "宁乡市", time::macros::date!(2026 - 11 - 30));
        for expected in ["宁乡市行政事业性收费目录清单（2025年版）", "版本日期：2025-03-01", "居民身份证工本费", "20", "元/证", "缴入国库", "不动产登记费", "本页生成于 2026-11-30"] {
            assert!(page.contains(expected), "{expected} missing from {page}");
        }
        assert!(page.contains("&lt;b&gt;首次&lt;/b&gt;") && !page.contains("<b>首次"));
    }

    fn entry(line: &str) -> LookupEntry {
        serde_json::from_str(line).unwrap()
    }

    #[test]
    fn the_library_groups_by_issuer_and_year_states_its_day_and_escapes_every_value() {
        let entries = [
            entry(r#"{"i":"a","t":"关于<script>alert(1)</script>的通知","n":"宁政发〔2019〕3号","b":"宁乡市人民政府","p":"2019-02-20","e":"2019-03-22","u":"2024-03-21","l":"/a.html"}"#),
            entry(r#"{"i":"b","t":"宁乡市鼓励引进高层次人才暂行办法","n":"宁政发〔2025〕11号","b":"宁乡市人民政府","p":"2025-07-02","e":"2025-07-02","j":"/b-jd.html"}"#),
            entry(r#"{"i":"c","t":"收费管理办法","b":"宁乡市财政局","p":"2024-01-05","e":"2024-01-05","c":[{"k":"repealed","n":"宁财发〔2025〕2号","d":"2025-06-01"}]}"#),
        ];
        let today = time::macros::date!(2026 - 11 - 30);
        let page = library_page(&entries, today);
        assert!(page.starts_with("<!DOCTYPE html><html lang=\"zh-CN\">"), "{page}");
        assert!(page.contains("效力状态按 2026-11-30 计算"));
        assert!(page.contains("href=\"validity-changes.atom\""));
        assert!(!page.contains("<script>") && page.contains("&lt;script&gt;"));
        for expected in ["宁乡市人民政府", "宁乡市财政局", "2019年（1 件）", "2025年（1 件）", "失效", "废止", "依据 宁财发〔2025〕2号", "解读"] {
            assert!(page.contains(expected), "{expected} missing");
        }
        // Years newest first within an issuer.
        assert!(page.find("2025年（1 件）").unwrap() < page.find("2019年（1 件）").unwrap());
    }
}
