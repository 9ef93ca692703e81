"""The pandas + scikit-learn way to score an HW2 submission, for bench/hot-path.ts.

Reads both files, checks each id once, merges, and computes accuracy per split. Prints the time of
that work (imports excluded) and the scores as JSON; the bench times the whole process too.
"""
import json
import sys
import time

started = time.perf_counter()
import pandas as pd  # noqa: E402
from sklearn.metrics import accuracy_score  # noqa: E402

imported = time.perf_counter()
directory = sys.argv[1]
solution = pd.read_csv(f"{directory}/solution.csv", dtype={"Id": str, "Class": str})
submission = pd.read_csv(f"{directory}/submission.csv", dtype={"Id": str, "Class": str})
merged = solution.merge(submission, on="Id", suffixes=("_true", "_pred"), validate="one_to_one")
if len(merged) != len(solution):
    sys.exit("ids missing")
scores = {usage: accuracy_score(rows.Class_true, rows.Class_pred) for usage, rows in merged.groupby("Usage")}
done = time.perf_counter()
print(json.dumps({"workMs": (done - imported) * 1000, "importMs": (imported - started) * 1000, "scores": scores}))
