//! The `disclosure-index` binary end to end on the demo data and on bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tool(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_disclosure-index"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn demo_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../index/demo")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("disclosure-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn pack_of(out: &Path) -> Vec<u8> {
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    std::fs::read(out.join(manifest["pack"].as_str().unwrap())).unwrap()
}

#[test]
fn builds_the_demo_data_byte_identically_and_searches_it() {
    let (first, second) = (scratch("first"), scratch("second"));
    for out in [&first, &second] {
        let built = tool(&[
            "build",
            "--input",
            demo_data().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(
            built.status.success(),
            "{}",
            String::from_utf8_lossy(&built.stderr)
        );
    }
    assert_eq!(pack_of(&first), pack_of(&second));

    let found = tool(&["search", "--index", first.to_str().unwrap(), "收费清单"]);
    let printed = String::from_utf8_lossy(&found.stdout);
    assert!(
        printed.contains("宁乡市2023年行政事业性【收费清单】"),
        "{printed}"
    );
    // A page without ArticleTitle or <h1> is titled by its <title>.
    let page = tool(&["search", "--index", first.to_str().unwrap(), "一件事一次办"]);
    assert!(String::from_utf8_lossy(&page.stdout).contains("id pages/2023-ythkl"));
}

#[test]
fn reports_bad_records_with_their_place_and_strict_writes_nothing() {
    let input = scratch("bad-input");
    std::fs::write(
        input.join("records.jsonl"),
        "{\"id\":\"1\",\"title\":\"好\",\"body\":\"正文\"}\n{not json}\n{\"id\":\"2\",\"body\":\"无标题\"}\n",
    )
    .unwrap();
    std::fs::write(
        input.join("untitled.html"),
        "<html><body><p>没有标题</p></body></html>",
    )
    .unwrap();
    let out = scratch("bad-out");

    let lenient = tool(&[
        "build",
        "--input",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(lenient.status.success());
    let report = String::from_utf8_lossy(&lenient.stderr);
    assert!(report.contains("records.jsonl:2: invalid JSON"), "{report}");
    assert!(
        report.contains("records.jsonl:3: missing title"),
        "{report}"
    );
    assert!(
        report.contains("untitled.html: HTML page without a title"),
        "{report}"
    );
    assert!(
        report.contains("indexed 1 documents, skipped 3 bad record(s)"),
        "{report}"
    );

    let strict_out = scratch("strict-out");
    let strict = tool(&[
        "build",
        "--strict",
        "--input",
        input.to_str().unwrap(),
        "--out",
        strict_out.to_str().unwrap(),
    ]);
    assert!(!strict.status.success());
    assert!(!strict_out.join("manifest.json").exists());

    let missing = tool(&[
        "build",
        "--input",
        "/no/such/file.jsonl",
        "--out",
        strict_out.to_str().unwrap(),
    ]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/no/such/file.jsonl"));
}

#[test]
fn eval_prints_one_json_object_per_kind() {
    let out = scratch("eval");
    assert!(tool(&[
        "build",
        "--input",
        demo_data().to_str().unwrap(),
        "--out",
        out.to_str().unwrap()
    ])
    .status
    .success());
    let queries = out.join("queries.json");
    std::fs::write(
        &queries,
        r#"[{"id":"t1","kind":"title","q":"宁乡市住房公积金缴存管理办法","expected_ids":["nx-2022-zcwj-gjj"]},
            {"id":"y1","kind":"typo","q":"宁乡市住房公积金缴存管里办法","expected_ids":["nx-2022-zcwj-gjj"]},
            {"id":"m1","kind":"multi","q":"收费清单 不动产","expected_ids":["nowhere"]},
            {"id":"d1","kind":"docnum","q":"宁政发[2019]3号","expected_ids":["nx-2019-gfxwj-3"]}]"#,
    )
    .unwrap();
    let eval = tool(&[
        "eval",
        "--index",
        out.to_str().unwrap(),
        "--queries",
        queries.to_str().unwrap(),
    ]);
    assert!(
        eval.status.success(),
        "{}",
        String::from_utf8_lossy(&eval.stderr)
    );
    let scores: serde_json::Value = serde_json::from_slice(&eval.stdout).unwrap();
    assert_eq!(scores["title"]["n"], 1);
    assert_eq!(scores["title"]["r_at_1"], 1.0);
    assert_eq!(scores["typo"]["r_at_10"], 1.0);
    assert_eq!(scores["multi"]["misses"], serde_json::json!(["m1"]));
    assert!(scores.get("docnum").is_none());
}
