//! The fee-list browser in the demo portal, in headless Chromium, as a citizen uses it:
//! filtering on a fragment, a legal basis no longer in force, switching lists with the
//! mouse and the keyboard, downloading the current view as CSV (with the list's heading and
//! its changes), printing it, the card layout of a narrow screen, and each list's name,
//! version, notice and 本次调整 view (what changed since the version published before).

use std::time::Duration;

use disclosure_e2e::{click, dist, query_string, texts, Session};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};

/// Waits until the live region says something other than loading, and returns it.
async fn settled(client: &Client, previous: &str) -> String {
    for _ in 0..200 {
        let status = texts(client, ".nx-fees__status").await.concat();
        if status.starts_with('共') && status != previous {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the fee list did not settle (last: {previous})");
}

async fn script(client: &Client, body: &str) -> serde_json::Value {
    client.execute(body, vec![]).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_filters_switches_lists_downloads_and_prints() {
    let session = Session::start(&dist()).await;
    let client = &session.client;
    let filter = session.open("/fees.html", "#nx-fees-filter").await;
    let all = settled(client, "").await;
    assert!(all.starts_with("共 ") && all.ends_with(" 项"), "{all}");

    // A fragment of an item name.
    filter.send_keys("护照").await.unwrap();
    let narrowed = settled(client, &all).await;
    assert!(narrowed.ends_with("符合条件的 2 项"), "{narrowed}");
    let names = texts(client, ".nx-fees__list tbody th[scope=row]").await;
    assert!(names.iter().all(|n| n.contains("护照")), "{names:?}");
    assert!(query_string(client).await.contains("fq="));

    // A fee whose legal basis the validity lookup knows as repealed is flagged in words,
    // and its basis links to that lookup.
    filter.clear().await.unwrap();
    filter.send_keys("道路占用").await.unwrap();
    settled(client, &all).await;
    let warning = client
        .wait()
        .for_element(Locator::Css(".nx-fees__warning"))
        .await
        .unwrap();
    assert!(warning.text().await.unwrap().contains("已废止"));
    let link = client
        .find(Locator::Css(".nx-fees__basis a"))
        .await
        .unwrap();
    assert!(link
        .attr("href")
        .await
        .unwrap()
        .unwrap()
        .starts_with("validity.html?wh="));

    // The government-fund list, by mouse; back to the whole list by keyboard.
    filter.clear().await.unwrap();
    filter.send_keys(" ").await.unwrap();
    click(client, "#nx-fees-tab-fund").await;
    let caption = client
        .wait()
        .for_element(Locator::XPath("//caption[contains(., '政府性基金')]"))
        .await
        .unwrap();
    assert!(caption
        .text()
        .await
        .unwrap()
        .starts_with("宁乡市政府性基金目录清单"));
    let fund_tab = client
        .find(Locator::Css("#nx-fees-tab-fund"))
        .await
        .unwrap();
    fund_tab.send_keys(&Key::Home.to_string()).await.unwrap();
    client
        .wait()
        .for_element(Locator::Css("#nx-fees-tab-admin[aria-selected=true]"))
        .await
        .unwrap();
    let focused = script(client, "return document.activeElement.id").await;
    assert_eq!(focused, "nx-fees-tab-admin");

    // Download: the file the page makes is caught before the browser saves it.
    script(
        client,
        "window.__downloads = [];
         const make = URL.createObjectURL;
         URL.createObjectURL = (blob) => { window.__blob = blob; return make(blob); };
         HTMLAnchorElement.prototype.click = function () { window.__downloads.push(this.download); };",
    )
    .await;
    client
        .find(Locator::XPath("//button[contains(., '下载当前清单')]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let names = script(client, "return window.__downloads").await;
    assert_eq!(
        names,
        serde_json::json!(["宁乡市行政事业性收费目录清单.csv"])
    );
    let csv = client
        .execute_async(
            "const done = arguments[0]; window.__blob.text().then(done);",
            vec![],
        )
        .await
        .unwrap();
    let csv = csv.as_str().unwrap();
    let mut lines = csv.trim_start_matches('\u{FEFF}').lines();
    // The list's name, version and notice above the table, its changes below it.
    assert_eq!(
        lines.by_ref().take(3).collect::<Vec<_>>(),
        [
            "宁乡市行政事业性收费目录清单（2025年版）",
            "版本日期：2025-03-01",
            "发布文号：宁财综〔2025〕3号"
        ]
    );
    assert_eq!(
        lines.next().unwrap(),
        "部门,项目名称,子项,收费标准,计费单位,政策依据,资金管理方式,立项级次,涉企,备注,单位性质,收费性质,服务内容"
    );
    let rows = lines.by_ref().take_while(|line| !line.is_empty()).count();
    let changes: Vec<&str> = lines.collect();
    assert_eq!(changes[0], "本次调整（动态调整情况说明）", "{changes:?}");
    assert!(
        changes.contains(&"取消,公安,户口簿工本费,,,5 元/本,"),
        "{changes:?}"
    );
    assert!(
        all.contains(&format!("共 {rows} 项")),
        "{rows} rows for {all}"
    );

    // Print: the whole view is drawn, then the browser's print runs; the print stylesheet
    // hides the controls.
    script(
        client,
        "window.__printed = 0; window.print = () => { window.__printed += 1; };",
    )
    .await;
    client
        .find(Locator::XPath("//button[contains(., '打印当前清单')]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    for _ in 0..100 {
        if script(client, "return window.__printed").await == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(script(client, "return window.__printed").await, 1);
    let drawn = script(
        client,
        "return document.querySelectorAll('.nx-fees__row').length",
    )
    .await;
    assert_eq!(drawn.as_u64().unwrap() as usize, rows);
    let hides_controls = script(
        client,
        "return [...document.styleSheets].some(sheet => [...sheet.cssRules].some(rule =>
            rule.media && rule.media.mediaText === 'print' && rule.cssText.includes('.nx-fees__controls')));",
    )
    .await;
    assert_eq!(hides_controls, true);
    // The printout names the list, its version and its notice above the table.
    let heading = script(
        client,
        "const shown = [];
         for (const sheet of document.styleSheets) for (const rule of sheet.cssRules)
           if (rule.media && rule.media.mediaText === 'print')
             for (const inner of rule.cssRules)
               if (/nx-fees__(heading|name|meta)/.test(inner.selectorText) && inner.style.display === 'none')
                 shown.push(inner.selectorText);
         const name = document.querySelector('.nx-fees__name');
         return [shown.length === 0, name.compareDocumentPosition(document.querySelector('.nx-fees__list')) === Node.DOCUMENT_POSITION_FOLLOWING, name.textContent];",
    )
    .await;
    assert_eq!(
        heading,
        serde_json::json!([true, true, "宁乡市行政事业性收费目录清单（2025年版）"])
    );

    // A phone-sized window: each fee is a card whose cells name their column.
    client.set_window_size(360, 800).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let layout = script(
        client,
        "const row = document.querySelector('.nx-fees__row');
         const cell = row.querySelector('td');
         return [getComputedStyle(row).display, getComputedStyle(cell, '::before').content,
                 document.documentElement.scrollWidth <= window.innerWidth];",
    )
    .await;
    assert_eq!(layout, serde_json::json!(["block", "\"部门：\"", true]));
    client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_list_shows_its_version_and_notice_and_what_changed_since_the_last_one() {
    let session = Session::start(&dist()).await;
    let client = &session.client;
    session.open("/fees.html", "#nx-fees-filter").await;
    settled(client, "").await;
    assert_eq!(
        texts(client, ".nx-fees__name").await,
        ["宁乡市行政事业性收费目录清单（2025年版）"]
    );
    assert_eq!(
        texts(client, ".nx-fees__meta")
            .await
            .concat()
            .replace('\n', ""),
        "版本日期：2025-03-01发布文号：宁财综〔2025〕3号"
    );
    // 本次调整: closed at first, opened by its summary, each change with old and new values.
    let summary = client
        .find(Locator::Css(".nx-fees__changes summary"))
        .await
        .unwrap();
    assert_eq!(
        summary.text().await.unwrap(),
        "本次调整（动态调整情况说明）：新增 1 项，取消 1 项，调整 1 项"
    );
    assert!(texts(client, ".nx-fees__change").await.concat().is_empty());
    summary.click().await.unwrap();
    let rows: Vec<String> = texts(client, ".nx-fees__change")
        .await
        .into_iter()
        .map(|row| row.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        rows,
        [
            "新增 卫生健康 医疗事故技术鉴定费 按省核定标准计收（元/例）",
            "取消 公安 户口簿工本费 5 元/本",
            "调整 住房城乡建设 污水处理费（非居民用水） 收费标准 1.2 元/立方米 1.4 元/立方米",
        ]
    );
    assert_eq!(
        texts(client, ".nx-fees__changes caption").await,
        ["与 2024-03-01 版相比"]
    );
    // The road-occupation fee cites its basis with its title; the repealed number is flagged.
    let filter = client.find(Locator::Css("#nx-fees-filter")).await.unwrap();
    filter.send_keys("道路占用").await.unwrap();
    client
        .wait()
        .for_element(Locator::Css(".nx-fees__warning"))
        .await
        .unwrap();
    assert!(texts(client, ".nx-fees__basis-title")
        .await
        .concat()
        .contains("《关于城市道路占用费和挖掘修复费收费标准的通知》"));

    // The two catalogues new in 2025: every item of a first version is new.
    for (tab, name, count) in [
        (
            "#nx-fees-tab-deposit",
            "宁乡市涉企保证金目录清单（2025年版）",
            4,
        ),
        (
            "#nx-fees-tab-service",
            "宁乡市政府定价的经营服务性收费目录清单（2025年版）",
            4,
        ),
    ] {
        click(client, tab).await;
        client
            .wait()
            .for_element(Locator::XPath(&format!(
                "//p[@class='nx-fees__name' and .='{name}']"
            )))
            .await
            .unwrap();
        let summary = texts(client, ".nx-fees__changes summary").await.concat();
        assert_eq!(
            summary,
            format!("本次调整（动态调整情况说明）：新增 {count} 项，取消 0 项，调整 0 项")
        );
    }
    // The fund list did not change: it says so.
    click(client, "#nx-fees-tab-fund").await;
    let none = client
        .wait()
        .for_element(Locator::Css(".nx-fees__changes-none"))
        .await
        .unwrap();
    assert_eq!(none.text().await.unwrap(), "本次调整：与上一版相比无变化。");
    client.clone().close().await.unwrap();
}
