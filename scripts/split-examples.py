#!/usr/bin/env python3
"""Split the team's written example questions into the seed (train), a tune
set and a held-out set, deterministically by a hash of the text.

    python3 scripts/split-examples.py tmp/examples/part-*.csv

writes knowledge/seed/procedures/procedure_examples.csv (70 %),
eval/own-matter-tune.jsonl (10 %) and eval/own-matter-heldout.jsonl (20 %).
The held-out file is never read while tuning; see eval/OWN.md.
"""
import csv, hashlib, json, sys

rows = []
for path in sys.argv[1:]:
    with open(path, newline='', encoding='utf-8') as f:
        for r in csv.DictReader(f):
            pid, ex = r['procedure_id'].strip(), ' '.join(r['example'].split())
            if pid and ex:
                rows.append((pid, ex.replace('|', '/')))
seen = set()
train, tune, held = [], [], []
for pid, ex in rows:
    if (pid, ex) in seen:
        continue
    seen.add((pid, ex))
    h = int(hashlib.sha1(ex.encode()).hexdigest(), 16) % 10
    (held if h < 2 else tune if h == 2 else train).append((pid, ex))
with open('knowledge/seed/procedures/procedure_examples.csv', 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['procedure_id', 'example'])
    w.writerows(train)
def cases(name, items):
    with open(name, 'w', encoding='utf-8') as f:
        for i, (pid, ex) in enumerate(items, 1):
            f.write(json.dumps({"id": f"{name.split('/')[-1].split('.')[0]}-{i:04d}", "kind": "matter",
                                "turns": [ex], "expect": {"procedure": pid}}, ensure_ascii=False) + '\n')
cases('eval/own-matter-tune.jsonl', tune)
cases('eval/own-matter-heldout.jsonl', held)
print(f'train {len(train)}, tune {len(tune)}, held-out {len(held)}')
