#!/usr/bin/env python3
"""Writes sample-kinds-draw.json: a larger draw of two kinds of ../shared/eval/queries-sample.json,
made mechanically from the corpus as ../shared/eval/README.md defines them (seeded, so the
file is the same on every run):

- title_sub: a 4-8 character fragment of a title found in at most 10 titles; expected, the
  documents whose titles hold it (400 queries, seed 7117);
- typo: a full title of at least six Han characters with one of them replaced by a Han
  character of another title (an input method's slip); expected, the documents bearing
  the true title (300 queries, seed 7227);
- title: a document's full title; expected, the documents bearing it (200 queries, seed
  9101);
- phrase: a run of 6-12 Han characters from a paragraph of a body, found in at most 5
  bodies; expected, those documents (300 queries, seed 9202);
- multi: a word of a document's title and a word of one of its body paragraphs (words of
  two or more Han characters as jieba cuts them), space-separated, held together (in
  title or body) by at most 10 documents; expected, those documents (300 queries, seed
  9303).

The sections after typo need the Python package jieba; each section has its own seeded
generator, so adding one leaves the queries of the others as they were.

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

rng = random.Random(9101)
for number, title in enumerate(rng.sample(names, 200)):
    out.append({"id": f"title-d9-{number:03d}", "kind": "title", "q": title, "expected_ids": by_title[title]})

rng = random.Random(9202)
bodies = [(r["id"], r["body"]) for r in records]
phrases = 0
while phrases < 300:
    _, body = rng.choice(bodies)
    paragraphs = [p for p in body.split("\n\n") if len(p) > 20]
    if not paragraphs:
        continue
    paragraph = rng.choice(paragraphs)
    n = rng.randint(6, 12)
    if len(paragraph) < n:
        continue
    start = rng.randint(0, len(paragraph) - n)
    q = paragraph[start:start + n]
    if not all(han(c) for c in q):
        continue
    holders = [i for i, b in bodies if q in b]
    if len(holders) > 5:
        continue
    out.append({"id": f"phrase-d9-{phrases:03d}", "kind": "phrase", "q": q, "expected_ids": holders})
    phrases += 1

import jieba  # noqa: E402 (only the multi section needs it)

jieba.setLogLevel(60)
rng = random.Random(9303)
words = lambda text: [w for w in jieba.lcut(text) if len(w) >= 2 and all(han(c) for c in w)]
multis = 0
while multis < 300:
    r = rng.choice(records)
    in_title = words(r["title"])
    paragraphs = [p for p in r["body"].split("\n\n") if len(p) > 10]
    if not in_title or not paragraphs:
        continue
    in_body = words(rng.choice(paragraphs))
    if not in_body:
        continue
    a, b = rng.choice(in_title), rng.choice(in_body)
    if a == b:
        continue
    holds = lambda x, w: w in x["title"] or w in x["body"]
    holders = [x["id"] for x in records if holds(x, a) and holds(x, b)]
    if len(holders) > 10:
        continue
    out.append({"id": f"multi-d9-{multis:03d}", "kind": "multi", "q": f"{a} {b}", "expected_ids": holders})
    multis += 1

target = Path(__file__).with_name("sample-kinds-draw.json")
target.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(f"{len(out)} queries → {target}")
