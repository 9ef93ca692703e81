#!/usr/bin/python3
"""The scikit-learn side of the metrics benchmark (Debian python3-sklearn 1.2.1, python3-pandas).

Usage: sklearn_metrics.py FILE   (header y_true,y_pred,y_score)
Parses with pandas' C reader, then times accuracy, macro-F1 and ROC AUC; prints one JSON line like
metric-variants.ts.
"""
import json
import resource
import sys
import time

started = time.perf_counter()
import numpy as np  # noqa: E402  (imports are part of what a Python scorer pays, but we start the clock here)
import pandas as pd  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score  # noqa: E402

begin = time.perf_counter()
frame = pd.read_csv(sys.argv[1], dtype={"y_true": np.int32, "y_pred": np.int32, "y_score": np.float64})
t = frame["y_true"].to_numpy()
p = frame["y_pred"].to_numpy()
s = frame["y_score"].to_numpy()
b = t % 2
parsed = time.perf_counter()
acc = accuracy_score(t, p)
after_acc = time.perf_counter()
f1 = f1_score(t, p, average="macro")
after_f1 = time.perf_counter()
auc = roc_auc_score(b, s)
done = time.perf_counter()
print(json.dumps({
    "ms": (done - begin) * 1000,
    "parseMs": (parsed - begin) * 1000,
    "accuracyMs": (after_acc - parsed) * 1000,
    "f1Ms": (after_f1 - after_acc) * 1000,
    "aucMs": (done - after_f1) * 1000,
    "result": f"acc {acc:.12f} f1 {f1:.12f} auc {auc:.12f}",
    "maxRssKiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
