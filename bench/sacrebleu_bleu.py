#!/usr/bin/env python3
"""The sacreBLEU side of the BLEU benchmark (sacreBLEU 2.6.0 in bench/.out/venv).

Usage: sacrebleu_bleu.py DIR TOKENIZE  -- reads DIR/hyp.txt and DIR/ref*.txt like bleu-variant.ts.
"""
import json
import os
import resource
import sys
import time

started = time.perf_counter()
from sacrebleu.metrics import BLEU  # noqa: E402

directory, tokenize = sys.argv[1], sys.argv[2]


def lines(name):
    with open(os.path.join(directory, name), encoding="utf-8") as handle:
        return handle.read().rstrip("\n").split("\n")


begin = time.perf_counter()
hypotheses = lines("hyp.txt")
references = [lines(name) for name in sorted(os.listdir(directory)) if name.startswith("ref")]
score = BLEU(tokenize=tokenize).corpus_score(hypotheses, references)
elapsed = (time.perf_counter() - begin) * 1000
print(json.dumps({
    "ms": elapsed,
    "result": f"BLEU {score.score:.10f}, {round(len(hypotheses) / (elapsed / 1000)):,} segments/s",
    "maxRssKiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
