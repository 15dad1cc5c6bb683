"""Draws the benchmark's JSON as one PNG: events/s, CPU seconds per million events and peak RSS,
per workload, Sluice beside Debezium.

    .cache/bench/venv/bin/python scripts/bench.d/plot.py results.json out.png"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

PANELS = [
    ("events_per_second", "events/s (higher is better)"),
    ("cpu_seconds_per_million_events", "CPU s per million events (lower is better)"),
    ("peak_rss_mb", "peak RSS, MB (lower is better)"),
]
COLORS = {"sluice": "#1f77b4", "debezium": "#d62728"}


def main(source, target):
    with open(source) as data:
        results = json.load(data)
    workloads = [name for name, w in results["workloads"].items()
                 if any(PANELS[0][0] in w["summary"].get(s, {}) for s in COLORS)]
    figure, axes = plt.subplots(1, len(PANELS), figsize=(5 * len(PANELS), 4.2))
    width = 0.38
    for axis, (metric, title) in zip(axes, PANELS):
        for offset, system in ((-width / 2, "sluice"), (width / 2, "debezium")):
            values = [results["workloads"][w]["summary"].get(system, {}).get(metric, 0) for w in workloads]
            if any(values):
                axis.bar([i + offset for i in range(len(workloads))], values, width, label=system,
                         color=COLORS[system])
        axis.set_title(title, fontsize=10)
        axis.set_xticks(range(len(workloads)))
        axis.set_xticklabels(workloads, rotation=20, fontsize=8)
        axis.grid(axis="y", alpha=0.3)
    axes[0].legend()
    environment = results["environment"]
    figure.suptitle(f"Sluice vs Debezium {environment.get('debezium', '')} — {environment.get('date', '')}, "
                    f"{environment.get('machine', '')}", fontsize=10)
    figure.tight_layout()
    figure.savefig(target, dpi=110)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
