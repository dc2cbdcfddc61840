"""Linking boat and engine observations: speed and accuracy against known truth.

    PYTHONPATH=src .venv/bin/python benchmarks/intel_linking.py [--n 1000000] [--repeat 3]

1. Generates ``--n`` observations with known truth (manche.readings.intel.synthetic: 5 % of
   readings carry character errors, 10 % are partial serials; about 4 observations per boat
   or engine) and links them with Manche's linker (deletion-neighbourhood blocking + rapidfuzz
   verification + partial and rescue passes). Prints observations/s (wall clock and process
   CPU time; the machine is shared, so both are shown with the load average) and pairwise
   precision and recall against the truth.
2. On a ``--subset`` (default 20,000) of the same observations, runs a naive all-pairs
   baseline: rapidfuzz ``process.cdist`` over every pair (normalised Indel similarity >= 90 on
   upper-cased identifiers without separators, same kind and make), groups = connected
   components. Prints both methods' time, precision and recall, and the ratio.
3. Both interpretations of "5 % character errors", each with its full run and its subset
   comparison: *per reading* (5 % of readings carry one or two errors) and *per character*
   (every character wrong with probability 5 %, so about 45 % of 12-character serials carry
   at least one error). ``--only`` runs one of them. The issue's targets are held to the
   per-reading row ("5 % character errors, 10 % partial serials": both shares of the
   observations); the per-character row is a stress test (docs/intelligence.md, section 8).

Pairwise precision: of all pairs of observations put in one group, the share truly of one
boat/engine; pairwise recall: of all pairs truly of one boat/engine, the share put in one group.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
from rapidfuzz import fuzz, process

from manche.readings.intel.linking import _UnionFind
from manche.readings.intel.synthetic import (
    Synthetic,
    bcubed_scores,
    generate,
    link_generated,
    pairwise_scores,
)


def subset(data: Synthetic, size: int) -> Synthetic:
    """The observations of the first entities, up to ``size`` observations (whole entities)."""
    if size >= len(data):
        return data
    cut = int(np.searchsorted(data.truth, data.truth[size - 1], side="left")) or size
    return Synthetic(
        data.kind[:cut],
        data.make[:cut],
        data.true_make[:cut],
        data.identifier[:cut],
        data.attribute[:cut],
        data.truth[:cut],
    )


def naive_all_pairs(data: Synthetic, cutoff: float = 90.0, chunk: int = 2000) -> np.ndarray:
    keys = ["".join(c for c in ident.upper() if c.isalnum()) for ident in data.identifier]
    block = [f"{k}|{m.upper()}" for k, m in zip(data.kind, data.true_make, strict=True)]
    block_codes = np.unique(np.array(block), return_inverse=True)[1]
    n = len(keys)
    uf = _UnionFind(n)
    for start in range(0, n, chunk):
        scores = process.cdist(
            keys[start : start + chunk],
            keys,
            scorer=fuzz.ratio,
            score_cutoff=cutoff,
            dtype=np.uint8,
            workers=1,
        )
        rows, cols = np.nonzero(scores)
        rows = rows + start
        same = block_codes[rows] == block_codes[cols]
        for a, b in zip(rows[same].tolist(), cols[same].tolist(), strict=True):
            if a < b:
                uf.union(a, b)
    return np.fromiter((uf.find(i) for i in range(n)), dtype=np.int64, count=n)


def timed(function, *args):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def run(args: argparse.Namespace, label: str, per_character: bool) -> None:
    """One interpretation of "5 % character errors": full link, then the subset comparison."""
    print(f"== {label}")
    data, gen_wall, _ = timed(lambda: generate(args.n, seed=args.seed, per_character=per_character))
    print(
        f"generated {len(data):,} observations of {int(data.truth.max()) + 1:,} boats/engines "
        f"in {gen_wall:.1f} s (not counted)"
    )
    walls, cpus = [], []
    linkage = None
    for _ in range(args.repeat):
        linkage, wall, cpu = timed(link_generated, data)
        walls.append(wall)
        cpus.append(cpu)
    assert linkage is not None
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    precision, recall = pairwise_scores(data.truth, linkage.group)
    print(
        f"Manche linker, {len(data):,} obs: {wall:.2f} s wall ({len(data) / wall:,.0f} obs/s), "
        f"{cpu:.2f} s CPU ({len(data) / cpu:,.0f} obs/s per core); "
        f"pairwise precision {precision:.4f}, recall {recall:.4f} (median of {args.repeat})"
    )
    b_precision, b_recall = bcubed_scores(data.truth, linkage.group)
    print(
        f"  by cluster (B-cubed, per observation): precision {b_precision:.4f}, "
        f"recall {b_recall:.4f}"
    )

    small = subset(data, args.subset)
    ours, ours_wall, _ = timed(link_generated, small)
    ours_p, ours_r = pairwise_scores(small.truth, ours.group)
    naive, naive_wall, _ = timed(naive_all_pairs, small)
    naive_p, naive_r = pairwise_scores(small.truth, naive)
    print(f"subset of {len(small):,} obs:")
    print(
        f"  Manche linker          {ours_wall:8.2f} s  precision {ours_p:.4f}  recall {ours_r:.4f}"
    )
    print(
        f"  naive all-pairs cdist  {naive_wall:8.2f} s  precision {naive_p:.4f}  "
        f"recall {naive_r:.4f}"
    )
    projected = naive_wall * (len(data) / len(small)) ** 2
    print(
        f"  ratio naive / Manche: {naive_wall / ours_wall:,.0f}x on {len(small):,}; all-pairs "
        f"on {len(data):,} would take ~{projected:,.0f} s ({projected / 3600:,.1f} h)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--subset", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the full link (median)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--only", choices=("per-reading", "per-character"), help="run one interpretation only"
    )
    args = parser.parse_args()

    print(
        f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
        f"({os.cpu_count()} CPUs)"
    )
    if args.only != "per-character":
        run(args, "per reading: 5 % of readings carry one or two character errors", False)
    if args.only != "per-reading":
        run(args, "per character: every character wrong with probability 5 %", True)


if __name__ == "__main__":
    main()
