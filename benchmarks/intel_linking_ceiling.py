"""How much pairwise recall could any linker reach on the generated observations? An oracle.

    PYTHONPATH=src .venv/bin/python benchmarks/intel_linking_ceiling.py [--sample 20000]
        [--reading per-character|per-reading] [--n 1000000] [--seed 1]

Generates ``--n`` observations (manche.readings.intel.synthetic, the linking benchmark's data)
and draws whole boats/engines at random (seeded) until about ``--sample`` observations are
drawn. An *oracle* that knows every boat's and engine's true identifier (of all ``--n``
observations, not only the sample: the competitors are all of them) assigns each drawn
observation to the nearest true identifier of its block (same kind and true make), comparing
skeletons as the linker makes them (``link_key``: case, separators and classic confusions
folded; a HIN without its country code) with rapidfuzz's OSA distance (substitution,
insertion, deletion, adjacent swap). A partial serial is compared with the start or end of
each true identifier (its length, one less or one more, whichever is nearest). Several true
identifiers at the same smallest distance: a tie, a failure. Three rules:

- ``nearest``: nearest true identifier, ties fail;
- ``power tie-break``: the same, a tie resolved when exactly one of the tied identifiers has a
  power (length) compatible with the one written on the observation;
- ``power filter``: nearest among the identifiers whose power does not contradict the written
  one (written power unknown: all), ties fail; a wrong written power (2 %) then loses the
  observation.

An observation assigned wrongly or in a tie loses its pairs (an ideal linker would leave it
alone, keeping precision at 1); the ceiling is the pairwise recall over the drawn boats and
engines, ``sum C(correct, 2) / sum C(observations, 2)``. Lost observations are broken down by
block, by the number of character errors the generator applied, partial or whole, and by the
distance to the observation's own identifier. Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter, defaultdict

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import OSA

from manche.readings.intel.linking import link_key
from manche.readings.intel.synthetic import generate

FAR = 6
"""Distances are computed up to this (score cutoff); beyond, every candidate counts as tied."""


def pieces(true_skels: list[str], skel: str, end: str) -> list[list[str]]:
    """For a partial skeleton, the pieces of every true skeleton it may be (one list per
    kind of piece, aligned with ``true_skels``)."""
    k = len(skel)
    out: list[list[str]] = []
    for size in (k - 1, k, k + 1):
        if size <= 0:
            continue
        if end in ("start", "either", "country-or-start"):
            out.append([t[-size:] for t in true_skels])
        if end in ("end", "either"):
            out.append([t[:size] for t in true_skels])
    return out


def distances(query: list[str], choices: list[str]) -> npt.NDArray[np.int32]:
    return process.cdist(
        query, choices, scorer=OSA.distance, score_cutoff=FAR, dtype=np.int32, workers=1
    )


def judge(found: npt.NDArray[np.int64], mine: int) -> str:
    if found.size != 1:
        return "tie"
    return "correct" if int(found[0]) == mine else "wrong"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--reading", choices=("per-character", "per-reading"), default="per-character"
    )
    args = parser.parse_args()
    print(
        f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
        f"({os.cpu_count()} CPUs)"
    )
    started = time.process_time()
    data = generate(args.n, seed=args.seed, per_character=args.reading == "per-character")
    n_entities = int(data.truth.max()) + 1
    first = np.searchsorted(data.truth, np.arange(n_entities))
    count = np.bincount(data.truth, minlength=n_entities)
    first_l = first.tolist()

    def block_of(i: int) -> str:
        return "boat" if data.kind[i] == "boat" else f"engine|{data.true_make[i]}"

    # every entity's true skeleton, by block
    entity_block = [block_of(i) for i in first_l]
    entity_skel = [
        link_key(data.true_identifier[i], data.true_make[i] or None, hin=data.kind[i] == "boat")[0]
        for i in first_l
    ]
    entity_power = [data.true_attribute[i] for i in first_l]
    members: dict[str, list[int]] = defaultdict(list)
    for e, b in enumerate(entity_block):
        members[b].append(e)

    # whole entities drawn at random until about --sample observations
    rng = np.random.default_rng(args.seed)
    drawn: list[int] = []
    total = 0
    for e in rng.permutation(n_entities).tolist():
        if total >= args.sample:
            break
        drawn.append(e)
        total += int(count[e])
    observations = [i for e in drawn for i in range(first_l[e], first_l[e] + int(count[e]))]
    print(
        f"{args.reading}: {len(data):,} observations of {n_entities:,} boats/engines generated "
        f"(seed {args.seed}); oracle on {len(observations):,} observations of {len(drawn):,} "
        "drawn at random"
    )

    rules = ("nearest", "power tie-break", "power filter")
    verdict: dict[str, dict[int, str]] = {r: {} for r in rules}  # obs -> correct/wrong/tie
    target: dict[str, dict[int, int]] = {r: {} for r in rules}  # obs -> entity (when wrong)
    own_distance: dict[int, int] = {}
    partial_of: dict[int, bool] = {}
    by_block: dict[str, list[int]] = defaultdict(list)
    for i in observations:
        by_block[block_of(i)].append(i)
    for block, obs_list in sorted(by_block.items()):
        ents = members[block]
        true_skels = [entity_skel[e] for e in ents]
        powers = np.array([entity_power[e] for e in ents])
        position = {e: k for k, e in enumerate(ents)}
        keys = [
            link_key(data.identifier[i], data.true_make[i] or None, hin=block == "boat")
            for i in obs_list
        ]
        whole = [k for k, (s, end) in enumerate(keys) if end is None and s]
        dist = np.full((len(obs_list), len(ents)), FAR + 1, dtype=np.int32)
        if whole:
            dist[whole] = distances([keys[k][0] for k in whole], true_skels)
        # partial serials: one at a time, against the pieces of every true identifier
        for k, (skel, end) in enumerate(keys):
            if end is None or not skel:
                continue
            variants = [skel] + ([skel[2:]] if end == "country-or-start" else [])
            for v, kind in zip(variants, [end, "end"], strict=False):
                for piece in pieces(true_skels, v, kind):
                    np.minimum(dist[k], distances([v], piece)[0], out=dist[k])
        for k, i in enumerate(obs_list):
            row = dist[k]
            mine = position[int(data.truth[i])]
            own_distance[i] = int(row[mine])
            partial_of[i] = keys[k][1] is not None or data.lost[i] > 0
            written = data.attribute[i]
            compatible = np.ones(len(ents), dtype=bool) if written is None else powers == written
            best = int(row.min())
            nearest = np.flatnonzero(row == best)
            if best > FAR:
                verdict["nearest"][i] = verdict["power tie-break"][i] = "tie"
            else:
                tied = nearest[compatible[nearest]] if nearest.size > 1 else nearest
                for rule, found in (("nearest", nearest), ("power tie-break", tied)):
                    verdict[rule][i] = judge(found, mine)
                    target[rule][i] = ents[int(found[0])] if found.size else -1
            masked = np.where(compatible, row, FAR + 1)
            best_c = int(masked.min())
            near_c = np.flatnonzero(masked == best_c)
            verdict["power filter"][i] = "tie" if best_c > FAR else judge(near_c, mine)
            target["power filter"][i] = ents[int(near_c[0])]

    true_pairs = sum(int(count[e]) * (int(count[e]) - 1) // 2 for e in drawn)
    print(f"true pairs among them: {true_pairs:,}")
    print(
        f"{'rule':<16} {'correct':>8} {'wrong':>7} {'tie':>6}  ceiling recall  "
        "(precision if the wrong ones were joined)"
    )
    ceilings: dict[str, float] = {}
    for rule in rules:
        tally = Counter(verdict[rule].values())
        good = Counter(int(data.truth[i]) for i, v in verdict[rule].items() if v == "correct")
        recalled = sum(c * (c - 1) // 2 for c in good.values())
        # a wrongly assigned observation joined to another entity of s observations: s false
        # pairs (an estimate: the other entity's observations are not all drawn)
        false_pairs = sum(
            int(count[target[rule][i]]) for i, v in verdict[rule].items() if v == "wrong"
        )
        ceilings[rule] = recalled / true_pairs
        precision = recalled / (recalled + false_pairs) if recalled else 1.0
        print(
            f"{rule:<16} {tally['correct']:>8,} {tally['wrong']:>7,} {tally['tie']:>6,}  "
            f"{ceilings[rule]:.4f}          ({precision:.4f})"
        )
    best_rule = max(rules, key=ceilings.__getitem__)
    print(f"ceiling (best rule, {best_rule}): pairwise recall {ceilings[best_rule]:.4f}")

    # what is lost under the best rule, and why
    lost = {i for i, v in verdict[best_rule].items() if v != "correct"}
    entity_size = {e: int(count[e]) for e in drawn}

    def pairs_lost(group: list[int]) -> int:
        return sum(entity_size[int(data.truth[i])] - 1 for i in group)  # upper bound

    print(f"\nlost under '{best_rule}': {len(lost):,} observations of {len(observations):,}")
    print(f"{'block':<16} {'obs':>7} {'lost':>6} {'lost %':>7}  {'entities':>9} in the block")
    for block, obs_list in sorted(by_block.items()):
        n_lost = sum(i in lost for i in obs_list)
        print(
            f"{block:<16} {len(obs_list):>7,} {n_lost:>6,} {100 * n_lost / len(obs_list):>6.1f}%"
            f"  {len(members[block]):>9,}"
        )
    print(f"\n{'errors applied':<22} {'obs':>7} {'lost':>6} {'lost %':>7}  {'~pairs lost':>11}")
    cells: dict[str, list[int]] = defaultdict(list)
    for i in observations:
        e = min(data.errors[i], 3)
        label = f"{'partial' if data.lost[i] else 'whole'}, {e}{'+' if e == 3 else ''} error(s)"
        cells[label].append(i)
    for label in sorted(cells):
        group = cells[label]
        gone = [i for i in group if i in lost]
        print(
            f"{label:<22} {len(group):>7,} {len(gone):>6,} {100 * len(gone) / len(group):>6.1f}%"
            f"  {pairs_lost(gone):>11,}"
        )
    print(f"\n{'OSA distance to own':<22} {'obs':>7} {'lost':>6} {'lost %':>7}  wrong / tie")
    dist_cells: dict[int, list[int]] = defaultdict(list)
    for i in observations:
        dist_cells[min(own_distance[i], FAR + 1)].append(i)
    for d in sorted(dist_cells):
        group = dist_cells[d]
        gone = [i for i in group if i in lost]
        wrong = sum(verdict[best_rule][i] == "wrong" for i in gone)
        label = f"{d}" if d <= FAR else f"> {FAR}"
        print(
            f"{label:<22} {len(group):>7,} {len(gone):>6,} {100 * len(gone) / len(group):>6.1f}%"
            f"  {wrong:,} / {len(gone) - wrong:,}"
        )
    print(f"\n{time.process_time() - started:.0f} s CPU")


if __name__ == "__main__":
    main()
