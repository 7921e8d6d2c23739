#!/usr/bin/env python3
"""Where a task's time goes, from a TEND_TRACE file (core/common/trace_point.h).

Usage: trace_steps.py FILE [FIRST_STEP]

Splits the file into rounds, each starting at FIRST_STEP (default b.submit,
tend-bench's request), orders each round's steps by time and prints, for
every step, the median and 90th percentile of the time since the step
before it, in microseconds. The first five rounds are skipped (warm-up).
Step prefixes: b. tend-bench, c. coordinator, a. agent, r. plugin runner.
"""
import collections
import statistics
import sys


def main():
    path = sys.argv[1]
    first = sys.argv[2] if len(sys.argv) > 2 else "b.submit"
    rounds, current = [], None
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 4 or parts[0] != "TP":
                continue
            at, step = int(parts[1]), parts[3]
            if step == first:
                current = [(at, step)]
                rounds.append(current)
            elif current is not None:
                current.append((at, step))
    gaps, totals = collections.OrderedDict(), []
    for steps in rounds[5:]:
        steps.sort()
        seen, before = set(), steps[0][0]
        for at, step in steps[1:]:
            if step in seen:
                continue
            seen.add(step)
            gaps.setdefault(step, []).append(at - before)
            before = at
        totals.append(steps[-1][0] - steps[0][0])
    if not totals:
        sys.exit(f"{path}: fewer than six rounds starting at {first}")

    def p90(values):
        values = sorted(values)
        return values[int(0.9 * (len(values) - 1))]

    for step, values in gaps.items():
        print(f"{step:16s} median {statistics.median(values):8.0f}  p90 {p90(values):8.0f}"
              f"  ({len(values)} rounds)")
    print(f"{'whole round':16s} median {statistics.median(totals):8.0f}  p90 {p90(totals):8.0f}")


if __name__ == "__main__":
    main()
