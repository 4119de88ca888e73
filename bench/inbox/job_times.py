"""Where a worker's time went: Celery's per-job runtimes summed by task from a worker log.

    MANCREL_BENCH_KEEP=1 MANCREL_BENCH_LOG_LEVEL=INFO ../../.venv/bin/python bench.py classified
    ../../.venv/bin/python job_times.py /tmp/mancrel-bench-catalog-XXXX/worker.log

Runtimes are wall time inside each job (a busy machine inflates them); jobs that returned 'skipped'
(their work done by another job's batch), and those a job's pre-check or completion row found
done, are counted apart, and revoked jobs (dropped unrun) are counted.
"""

import json
import sys
from collections import defaultdict


def job_times(lines) -> tuple[dict[str, list[float]], int]:
    runtimes: dict[str, list[float]] = defaultdict(list)
    revoked = 0
    already_done: set[str] = set()  # worker/task.py logs these before Celery logs their runtime
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue  # Celery's start-up banner is not JSON
        revoked += "revoked" in record.get("message", "").lower()
        if record.get("message") == "task already done, skipped":
            already_done.add(record.get("task_id"))
        data = record.get("data") or {}
        if "runtime" in data:
            skipped = data.get("return_value") == "'skipped'" or data.get("id") in already_done
            runtimes[data["name"] + (" (skipped)" if skipped else "")].append(float(data["runtime"]))
    return runtimes, revoked


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as log:
        runtimes, revoked = job_times(log)
    print(f"{'task':40s} {'jobs':>6s} {'seconds':>9s} {'ms/job':>8s}")
    for name, values in sorted(runtimes.items(), key=lambda item: -sum(item[1])):
        print(f"{name:40s} {len(values):6d} {sum(values):9.2f} {1000 * sum(values) / len(values):8.1f}")
    print(f"revoked jobs dropped unrun: {revoked}")


if __name__ == "__main__":
    main()
