#!/usr/bin/env python3
"""Writes lang-kinds-draw.json: a larger draw of the four mechanical kinds of
../shared/eval/queries-lang-sample.json, made from the corpus as ../shared/eval/README.md
defines them (seeded, so the file is the same on every run with the same libraries):

- pinyin: a run of whole words of a title (4-8 characters; words as jieba cuts them) typed
  as toneless pinyin, syllables run together or (three times in ten) spaced; expected, the
  titles (at most 10) holding those characters (150 queries);
- initials: a run of whole title words (4-6 characters) typed as the initials of its
  characters' readings; expected, every title (at most 10) holding a run of characters
  with those initials, each character read as pypinyin reads it alone (150 queries);
- traditional: a 4-12 character cut of a title or of a body clause, in traditional
  characters (OpenCC s2t) and changed by it; expected, the documents (at most 10) whose
  title or body holds the simplified text (150 queries);
- docnum_search: a document number of the corpus typed in a variant spelling
  (`法释(2022)3号`, `法释（2022）3号文件`, `法释2022年3号`, `国务院第77号令`, `国务院令77号` ...);
  expected, the documents bearing that number (120 queries).

Needs `pip install jieba pypinyin opencc-python-reimplemented` (the file is committed:
running this again is only needed to change the draw).

usage: python3 index/eval/draw_lang_kinds.py [../shared/corpus/laws.jsonl]
"""
import json
import logging
import random
import re
import sys
from pathlib import Path

import jieba
import opencc
from pypinyin import lazy_pinyin

jieba.setLogLevel(logging.WARNING)
corpus = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parents[2] / "../shared/corpus/laws.jsonl")
records = [json.loads(line) for line in corpus.open(encoding="utf-8")]
titles = [(r["id"], r["title"]) for r in records]
han = lambda c: "\u4e00" <= c <= "\u9fff"
rng = random.Random(1111)
out = []


def word_run(longest):
    """A run of whole jieba words of a random title, all Han, of 4 to `longest` characters;
    None when the run drawn is shorter."""
    _, title = rng.choice(titles)
    words = list(jieba.cut(title))
    if not words:
        return None
    run = ""
    for word in words[rng.randrange(len(words)):]:
        if not all(han(c) for c in word) or len(run) + len(word) > longest:
            break
        run += word
        if len(run) >= 4 and rng.random() < 0.5:
            break
    return run if len(run) >= 4 else None


count = 0
while count < 150:
    run = word_run(8)
    if run is None:
        continue
    holders = [i for i, t in titles if run in t]
    if len(holders) > 10 or any(q.get("han") == run for q in out):
        continue
    syllables = lazy_pinyin(run)
    q = " ".join(syllables) if rng.random() < 0.3 else "".join(syllables)
    out.append({"id": f"pinyin-d11-{count:03d}", "kind": "pinyin", "q": q, "expected_ids": holders, "han": run})
    count += 1

initial = lambda c: lazy_pinyin(c)[0][0] if han(c) else "#"
title_initials = [(i, "".join(initial(c) for c in t)) for i, t in titles]
count = 0
while count < 150:
    run = word_run(6)
    if run is None:
        continue
    q = "".join(initial(c) for c in run)
    holders = [i for i, initials in title_initials if q in initials]
    if not holders or len(holders) > 10 or any(x["q"] == q for x in out):
        continue
    out.append({"id": f"initials-d11-{count:03d}", "kind": "initials", "q": q, "expected_ids": holders, "han": run})
    count += 1

to_traditional = opencc.OpenCC("s2t")
count = 0
while count < 150:
    record = rng.choice(records)
    if rng.random() < 0.5:
        source = record["title"]
    else:
        clauses = [c for c in re.split(r"[。；，\n]", record["body"]) if len(c) >= 12]
        if not clauses:
            continue
        source = rng.choice(clauses)
    length = rng.randint(4, 12)
    if len(source) < length:
        continue
    start = rng.randint(0, len(source) - length)
    cut = source[start:start + length]
    q = to_traditional.convert(cut)
    if not all(han(c) for c in cut) or q == cut:
        continue
    holders = [r["id"] for r in records if cut in r["title"] or cut in r["body"]]
    if len(holders) > 10:
        continue
    out.append({"id": f"traditional-d11-{count:03d}", "kind": "traditional", "q": q, "expected_ids": holders, "han": cut})
    count += 1


def variants(number):
    m = re.match(r"^(.*?)〔(\d{4})〕(\d+)号$", number)
    if m:
        a, y, k = m.groups()
        return [f"{a}({y}){k}号", f"{a}（{y}）{k}号文件", f"{a}[{y}]{k}号", f"{a}【{y}】第{k}号",
                f"{a}{y}年{k}号", f"{a}〔{y}〕{k}号文", f"{a}{y}-{k}号"]
    m = re.match(r"^(?:中华人民共和国)?(.*?)令第(\d+)号$", number)
    if m:
        a, k = m.groups()
        return [f"{a}令{k}号", f"{a}第{k}号令", f"{a}令第{k}号", f"{a}令（第{k}号）"]
    return []


numbered = [r for r in records if r.get("doc_number")]
count = 0
while count < 120:
    number = rng.choice(numbered)["doc_number"]
    spellings = variants(number)
    if not spellings:
        continue
    q = rng.choice(spellings)
    holders = [r["id"] for r in records if r.get("doc_number") == number or number in (r.get("doc_numbers_all") or [])]
    if any(x["q"] == q for x in out):
        continue
    out.append({"id": f"docnum_search-d11-{count:03d}", "kind": "docnum_search", "q": q, "expected_ids": holders, "number": number})
    count += 1

target = Path(__file__).with_name("lang-kinds-draw.json")
target.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(f"{len(out)} queries written to {target}")
