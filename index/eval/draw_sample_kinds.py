#!/usr/bin/env python3
"""Writes sample-kinds-draw.json: a larger draw of two kinds of ../shared/eval/queries-sample.json,
made mechanically from the corpus as ../shared/eval/README.md defines them (seeded, so the
file is the same on every run):

- title_sub: a 4-8 character fragment of a title found in at most 10 titles; expected, the
  documents whose titles hold it (400 queries, seed 7117);
- typo: a full title of at least six Han characters with one of them replaced by a Han
  character of another title (an input method's slip); expected, the documents bearing
  the true title (300 queries, seed 7227).

usage: python3 index/eval/draw_sample_kinds.py [../shared/corpus/laws.jsonl]
"""
import json
import random
import sys
from pathlib import Path

corpus = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parents[2] / "../shared/corpus/laws.jsonl")
records = [json.loads(line) for line in corpus.open(encoding="utf-8")]
titles = [(r["id"], r["title"]) for r in records]
out = []

rng = random.Random(7117)
while len(out) < 400:
    _, title = rng.choice(titles)
    n = rng.randint(4, 8)
    if len(title) < n:
        continue
    start = rng.randint(0, len(title) - n)
    q = title[start:start + n]
    holders = [i for i, t in titles if q in t]
    if len(holders) > 10 or any(x["q"] == q for x in out):
        continue
    out.append({"id": f"title_sub-d7-{len(out):03d}", "kind": "title_sub", "q": q, "expected_ids": holders})

rng = random.Random(7227)
by_title = {}
for r in records:
    by_title.setdefault(r["title"], []).append(r["id"])
han = lambda c: "\u4e00" <= c <= "\u9fff"
chars = [c for r in records for c in r["title"] if han(c)]
names = sorted(by_title)
typos = 0
while typos < 300:
    title = rng.choice(names)
    at = [i for i, c in enumerate(title) if han(c)]
    if len(at) < 6:
        continue
    i = rng.choice(at)
    c = rng.choice(chars)
    if c == title[i]:
        continue
    q = title[:i] + c + title[i + 1:]
    if q in by_title:
        continue
    out.append({"id": f"typo-d7-{typos:03d}", "kind": "typo", "q": q, "expected_ids": by_title[title]})
    typos += 1

target = Path(__file__).with_name("sample-kinds-draw.json")
target.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(f"{len(out)} queries → {target}")
