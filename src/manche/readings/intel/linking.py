"""Linking observations of the same boat or engine despite reading errors and partial serials.

Input: one row per observation of an identifier (a HIN on a boat, a serial on an engine) with
its *block* (kind and make: only observations in the same block are ever compared), the text
as read, and one attribute that must not contradict (an engine's power, a boat's length).

Rules, in the order applied (each link records its rule, a score and a confidence):

``same-identifier``
    The skeletons are equal: same characters once separators, case and the classic reading
    confusions (O/0, I/1, S/5, B/8, Z/2, G/6, Q/D/0, L/1) are folded. ``ocr-equivalent`` when
    the texts differed before folding.
``one-edit``
    The skeletons differ by one substitution, insertion, deletion or swap of two adjacent
    characters (optimal string alignment distance 1, computed by rapidfuzz) and the attribute
    does not contradict. Candidates come from *deletion-neighbourhood blocking*: every skeleton
    is indexed under itself and under each string made by deleting one of its characters; two
    skeletons within one edit always share a key, so no pair within one edit is missed and
    no all-pairs comparison is made (the keys are hashed and sorted with numpy).
``partial``
    A partial serial (``…12345``, or shorter than every format of its make) is linked to the
    single group whose skeleton ends (or starts) with it, among full serials of its block whose
    attribute does not contradict. Several candidates: no link, reported as ambiguous.
``analyst-confirmed`` / split
    Analysts' decisions (events, never edits) are applied last: a confirmation adds a link; a
    split forbids two observations from sharing a group, and the groups concerned are rebuilt
    greedily from their links in order of confidence, skipping any link that would join them.

HIN linking ignores the two-letter country code of a 14-character CIN, so a HIN read without it
still links.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import OSA

from manche.domain.identifiers.confusables import LETTER_TO_DIGIT
from manche.domain.identifiers.engine_serial import MAKES
from manche.domain.identifiers.hin import iso_countries

Rule = Literal["same-identifier", "ocr-equivalent", "one-edit", "partial", "analyst-confirmed"]

CONFIDENCE: dict[str, float] = {
    "same-identifier": 0.99,
    "ocr-equivalent": 0.95,
    "one-edit": 0.8,
    "analyst-confirmed": 1.0,
}
"""Fixed confidences per rule (partial links: 0.55 + 0.03 per known character, at most 0.85).
They order links for analysts and for split resolution; they are not calibrated probabilities."""

MIN_PARTIAL = 4
"""Partial serials shorter than this are never linked."""

MIN_ONE_EDIT = 7
"""Identifiers shorter than this are never joined by the one-edit rule."""

MAX_BUCKET = 64
"""A deletion-neighbourhood key shared by more distinct skeletons than this is not used (it
would only come from very short or repetitive identifiers, where one edit means little)."""

_MARKER_CHARS = frozenset(".…*?_")
_TABLE: dict[int, str | None] = {ord(c): None for c in " -/\t"}
_TABLE.update({ord(k): v for k, v in LETTER_TO_DIGIT.items()})
_TABLE.update({ord(k.lower()): v for k, v in LETTER_TO_DIGIT.items()})
_TABLE.update({ord(c): c.upper() for c in "acefhjkmnprtuvwxy"})
_FOLD = str.maketrans(_TABLE)
_BYTES_FOLD = bytes(ord(_TABLE.get(b, chr(b)) or " ") if b < 128 else b for b in range(256))
_MIN_LENGTH = {name: min(len(t) for t in m.templates) for name, m in MAKES.items() if m.templates}
_MIN_LENGTH["HIN"] = 12


def link_key(raw: str, make: str | None, *, hin: bool = False) -> tuple[str, str | None]:
    """(skeleton, partial end) of an identifier as read: separators and case dropped,
    confusions folded; ``partial`` is ``"start"``/``"end"``/``"either"`` or None."""
    text = raw.strip()
    partial: str | None = None
    if text and (text[0] in _MARKER_CHARS or text[-1] in _MARKER_CHARS):
        start = text[0] in _MARKER_CHARS
        end = text[-1] in _MARKER_CHARS
        text = text.strip("".join(_MARKER_CHARS)).strip()
        partial = "either" if start and end else ("start" if start else "end")
    if text.isascii():
        key = text.encode().translate(_BYTES_FOLD, b" -/\t.").decode()
    else:
        key = text.replace(".", "").translate(_FOLD)
    if not key.isalnum():
        key = "".join(c for c in key.upper() if c.isascii() and c.isalnum())
    if hin:
        return _hin_key(text, key, partial)
    if partial is None:
        minimum = _MIN_LENGTH.get("HIN" if hin else (make or ""), 0)
        if len(key) < minimum:
            partial = "either"
    return key, partial


_PLAIN = str.maketrans("", "", " -/.\t…*?_")


def _plain(raw: str) -> str:
    return raw.upper().translate(_PLAIN)


def _hin_key(text: str, key: str, partial: str | None) -> tuple[str, str | None]:
    """HIN keys leave out the country code: the 12 characters of MIC, serial and dates.

    A short HIN starting with two letters may be a country code and the start of the rest
    (end missing) or the end of the HIN (start missing): ``"country-or-start"`` tries both."""
    plain = text[:3].upper().replace("-", "")
    letters = len(plain) >= 2 and plain[:2].isalpha() and plain[:2].isascii()
    if partial == "start":
        return (key[-12:], None) if len(key) >= 12 else (key, "start")
    if len(key) == 14 or (len(key) == 13 and partial is None):
        country = letters and plain[:2] in iso_countries()
        return (key[2:], None) if country else (key[-12:], None)
    if len(key) == 12 and partial is None:
        return key, None
    if partial == "end":
        return (key[2:], "end") if letters else (key, "end")
    return key, "country-or-start" if letters else "either"


@dataclass(frozen=True, slots=True)
class Link:
    """One reason two observations (by index) are in the same group."""

    a: int
    b: int
    rule: str
    score: float  # rapidfuzz normalised similarity x 100 (100 for same-identifier)
    confidence: float
    detail: str = ""


@dataclass(slots=True)
class Linkage:
    """The result: a group per observation, and the links that made the groups.

    ``links`` holds the links between distinct identifiers (one-edit, partial, analysts');
    :meth:`all_links` adds, for observations read as the same identifier, one link from each
    to the first observation of that identifier (``same-identifier`` or ``ocr-equivalent``).
    """

    group: npt.NDArray[np.int64]
    links: list[Link]
    ambiguous: dict[int, int] = field(default_factory=dict)  # partial obs -> candidate groups
    suppressed: list[Link] = field(default_factory=list)  # links dropped by analysts' splits
    possible: list[Link] = field(default_factory=list)  # one edit apart, not joined (for review)
    node: npt.NDArray[np.int64] = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    node_first: npt.NDArray[np.int64] = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    texts: Sequence[str] = ()

    def star_links(self) -> list[Link]:
        out: list[Link] = []
        for i, node in enumerate(self.node.tolist()):
            if node < 0:
                continue
            first = int(self.node_first[node])
            if first == i:
                continue
            same = _plain(self.texts[i]) == _plain(self.texts[first])
            rule = "same-identifier" if same else "ocr-equivalent"
            out.append(Link(first, i, rule, 100.0, CONFIDENCE[rule]))
        return out

    def all_links(self) -> list[Link]:
        suppressed = {(link.a, link.b) for link in self.suppressed}
        star = [link for link in self.star_links() if (link.a, link.b) not in suppressed]
        return star + self.links

    def members(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i, g in enumerate(self.group.tolist()):
            out[g].append(i)
        return dict(out)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[max(ra, rb)] = min(ra, rb)
        return True


def _one_edit_candidates(
    skels: list[str], node_block: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Pairs (i, j), i < j, of distinct skeletons sharing a deletion-neighbourhood key."""
    n = len(skels)
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    width = max(len(s) for s in skels)
    codes = np.frombuffer(
        "".join(s.ljust(width, "\0") for s in skels).encode("latin-1"), dtype=np.uint8
    ).reshape(n, width)
    lengths = np.fromiter((len(s) for s in skels), dtype=np.int64, count=n)
    rng = np.random.default_rng(12345)
    weights = rng.integers(1, 2**63 - 1, size=width, dtype=np.uint64) | np.uint64(1)
    salt = rng.integers(1, 2**63 - 1, dtype=np.uint64) | np.uint64(1)
    bits = max(1, int(n).bit_length())
    with np.errstate(over="ignore"):
        c = codes.astype(np.uint64)
        # variant i (character i deleted) = sum_{j<i} c_j w_j + sum_{j>i} c_j w_{j-1}; for
        # i >= length it is the string itself (padding is 0), which is how a string meets the
        # deletions of a string one character longer
        cw = c * weights
        prefix = np.zeros((n, width), dtype=np.uint64)
        np.cumsum(cw[:, :-1], axis=1, dtype=np.uint64, out=prefix[:, 1:])
        shifted = np.zeros((n, width), dtype=np.uint64)
        shifted[:, 1:] = c[:, 1:] * weights[:-1]
        suffix = shifted[:, ::-1].cumsum(axis=1, dtype=np.uint64)[:, ::-1]
        after = np.zeros((n, width), dtype=np.uint64)
        after[:, :-1] = suffix[:, 1:]
        variants = prefix + after + (node_block.astype(np.uint64) * salt)[:, None]
        keep = np.arange(width)[None, :] <= lengths[:, None]
        owner = np.broadcast_to(np.arange(n, dtype=np.uint64)[:, None], (n, width))[keep]
        packed = (variants[keep] >> np.uint64(bits)) << np.uint64(bits) | owner
    packed.sort()
    mask = np.uint64((1 << bits) - 1)
    all_h = packed >> np.uint64(bits)
    all_o = (packed & mask).astype(np.int64)
    starts = np.flatnonzero(np.r_[True, all_h[1:] != all_h[:-1]])
    sizes = np.diff(np.r_[starts, all_h.size])
    pairs: list[npt.NDArray[np.int64]] = []
    two = starts[sizes == 2]
    if two.size:
        pairs.append(np.stack([all_o[two], all_o[two + 1]], axis=1))
    for s, size in zip(
        starts[(sizes > 2) & (sizes <= MAX_BUCKET)].tolist(),
        sizes[(sizes > 2) & (sizes <= MAX_BUCKET)].tolist(),
        strict=True,
    ):
        members = np.unique(all_o[s : s + size])
        if members.size > 1:
            ii, jj = np.triu_indices(members.size, k=1)
            pairs.append(np.stack([members[ii], members[jj]], axis=1))
    if not pairs:
        return np.empty((0, 2), dtype=np.int64)
    cand = np.concatenate(pairs)
    cand = cand[cand[:, 0] != cand[:, 1]]
    cand.sort(axis=1)
    return np.unique(cand, axis=0) if cand.size else cand


def _compatible(x: float | None, y: float | None, tolerance: float) -> bool:
    return x is None or y is None or abs(x - y) <= tolerance * max(abs(x), abs(y), 1e-9)


def link_observations(
    blocks: Sequence[str],
    identifiers: Sequence[str],
    attributes: Sequence[float | None] | None = None,
    *,
    makes: Sequence[str | None] | None = None,
    hin: Sequence[bool] | None = None,
    confirmed: Iterable[tuple[int, int]] = (),
    split: Iterable[tuple[int, int]] = (),
    attribute_tolerance: float = 0.0,
) -> Linkage:
    """Group observations (by index) that refer to the same boat or engine.

    ``blocks[i]``: comparison block (e.g. ``"engine|Yamaha"``); ``identifiers[i]``: the HIN or
    serial as read; ``attributes[i]``: power (hp) or length (m), or None; ``makes[i]``: the
    canonical make (for its format's minimum length); ``hin[i]``: True for boats' HINs.
    ``confirmed`` / ``split``: analysts' decisions as pairs of observation indices.
    """
    n = len(identifiers)
    attrs: Sequence[float | None] = attributes if attributes is not None else [None] * n
    make_list: Sequence[str | None] = makes if makes is not None else [None] * n
    hin_list: Sequence[bool] = hin if hin is not None else [False] * n

    skels: list[str] = []
    ends: list[str | None] = []
    joined = "\n".join(identifiers)
    bulk = (
        joined.encode().translate(_BYTES_FOLD, b" -/\t").decode().split("\n")
        if joined.count("\n") == n - 1
        else [""] * n
    )
    countries = iso_countries()
    for raw, key, make, is_hin in zip(identifiers, bulk, make_list, hin_list, strict=True):
        if key.isalnum() and key.isascii():  # fast path: no marker, nothing odd
            if not is_hin:
                skels.append(key)
                ends.append("either" if len(key) < _MIN_LENGTH.get(make or "", 0) else None)
                continue
            if len(key) == 12:
                skels.append(key)
                ends.append(None)
                continue
            if len(key) == 14 and raw[:2].upper() in countries:
                skels.append(key[2:])
                ends.append(None)
                continue
        got = link_key(raw, make, hin=is_hin)
        skels.append(got[0])
        ends.append(got[1])
    block_ids: dict[str, int] = {}
    obs_block = [block_ids.setdefault(b, len(block_ids)) for b in blocks]
    # an observation is a node of the graph unless it is marked partial (an unmarked short one
    # may be a deletion: it takes part in one-edit linking, then in partial linking if alone)
    node_of_key: dict[str, int] = {}
    obs_node_list = [
        node_of_key.setdefault(f"{b}\x1f{k}", len(node_of_key))
        if k and (e is None or e == "either" or e == "country-or-start")
        else -1
        for b, k, e in zip(obs_block, skels, ends, strict=True)
    ]
    obs_node = np.asarray(obs_node_list, dtype=np.int64)
    partial_obs: list[tuple[int, int, str, str]] = [  # (obs, block, skeleton, which end)
        (i, obs_block[i], skels[i], e) for i, e in enumerate(ends) if e is not None and skels[i]
    ]
    with_node = np.flatnonzero(obs_node >= 0)
    n_nodes = len(node_of_key)
    _, first_pos = np.unique(obs_node[with_node], return_index=True)
    node_first_arr = with_node[first_pos]
    node_first: list[int] = node_first_arr.tolist()
    node_skel = [skels[i] for i in node_first]
    node_block = [obs_block[i] for i in node_first]
    attr_arr = np.array([np.nan if a is None else a for a in attrs], dtype=np.float64)
    node_attr_arr = np.full(n_nodes, np.nan)
    known = with_node[~np.isnan(attr_arr[with_node])]
    nodes_known, first_known = np.unique(obs_node[known], return_index=True)
    node_attr_arr[nodes_known] = attr_arr[known[first_known]]
    node_attr: list[float | None] = [None if np.isnan(v) else v for v in node_attr_arr.tolist()]
    links: list[Link] = []
    possible: list[Link] = []

    uf = _UnionFind(len(node_skel))
    # one-edit links between distinct skeletons: a spelling seen once attaches to its only
    # neighbour, or to the best-supported one when that is unique; two spellings each seen
    # several times are never joined automatically (sequential serials differ by one digit)
    support = np.bincount(obs_node[with_node], minlength=n_nodes)
    cand = _one_edit_candidates(node_skel, np.asarray(node_block, dtype=np.int64))
    if cand.size:
        left = [node_skel[k] for k in cand[:, 0].tolist()]
        right = [node_skel[k] for k in cand[:, 1].tolist()]
        dist = process.cpdist(left, right, scorer=OSA.distance, dtype=np.int32)
        sim = process.cpdist(left, right, scorer=OSA.normalized_similarity)
        neighbours: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for (x, y), d, s in zip(cand.tolist(), dist.tolist(), sim.tolist(), strict=True):
            if (
                d != 1
                or min(len(node_skel[x]), len(node_skel[y])) < MIN_ONE_EDIT
                or not _compatible(node_attr[x], node_attr[y], attribute_tolerance)
            ):
                continue
            if support[x] == 1:
                neighbours[x].append((y, s))
            if support[y] == 1:
                neighbours[y].append((x, s))
            if support[x] > 1 and support[y] > 1:
                possible.append(
                    Link(
                        node_first[x],
                        node_first[y],
                        "one-edit",
                        round(100 * s, 1),
                        CONFIDENCE["one-edit"],
                        f"{node_skel[x]} ~ {node_skel[y]}: both seen "
                        "several times, not joined automatically",
                    )
                )
        for x, near in neighbours.items():
            if len(near) > 1:
                best = max(support[y] for y, _ in near)
                near = [(y, s) for y, s in near if support[y] == best]
                if len(near) > 1:
                    continue
            y, s = near[0]
            uf.union(x, y)
            links.append(
                Link(
                    node_first[y],
                    node_first[x],
                    "one-edit",
                    round(100 * s, 1),
                    CONFIDENCE["one-edit"],
                    f"{node_skel[x]} ~ {node_skel[y]}",
                )
            )

    # partial serials: unique group among full skeletons of the block with that end
    ambiguous: dict[int, int] = {}
    if partial_obs and node_skel:
        tag = [chr(0x100 + b) for b in node_block]
        fwd_keys = np.array([t + s for t, s in zip(tag, node_skel, strict=True)])
        rev_keys = np.array([t + s[::-1] for t, s in zip(tag, node_skel, strict=True)])
        fwd_order = np.argsort(fwd_keys, kind="stable")
        rev_order = np.argsort(rev_keys, kind="stable")
        fwd_sorted = fwd_keys[fwd_order]
        rev_sorted = rev_keys[rev_order]
        sizes = np.bincount(
            np.fromiter((uf.find(x) for x in range(len(node_skel))), dtype=np.int64),
            minlength=len(node_skel),
        )
        singles = np.bincount(obs_node[obs_node >= 0], minlength=len(node_skel))
        # every observation still alone after one-edit linking is tried as a partial serial
        # (unmarked truncation can leave a length its format also allows)
        marked = {p[0] for p in partial_obs}
        lonely = np.flatnonzero(
            (singles == 1) & (sizes[[uf.find(x) for x in range(len(node_skel))]] == 1)
        )
        first_obs = np.asarray(node_first, dtype=np.int64)
        extra = [
            (int(first_obs[x]), node_block[x], node_skel[x], "either")
            for x in lonely.tolist()
            if int(first_obs[x]) not in marked
        ]
        usable = [
            p
            for p in (*partial_obs, *extra)
            if len(p[2]) >= MIN_PARTIAL
            and (
                obs_node[p[0]] < 0
                or (sizes[uf.find(int(obs_node[p[0]]))] == 1 and singles[obs_node[p[0]]] == 1)
            )
        ]
        own = {obs: int(obs_node[obs]) for obs, *_ in usable}
        for obs, *_ in usable:
            obs_node[obs] = -1
        q_start = [chr(0x100 + b) + s[::-1] for _, b, s, end in usable]  # start missing: suffix
        q_end = [  # end missing: prefix (without the country code of a short HIN)
            chr(0x100 + b) + (s[2:] if end == "country-or-start" else s) for _, b, s, end in usable
        ]
        lo_s = np.searchsorted(rev_sorted, q_start, side="left")
        hi_s = np.searchsorted(rev_sorted, [q + "\uffff" for q in q_start], side="left")
        lo_e = np.searchsorted(fwd_sorted, q_end, side="left")
        hi_e = np.searchsorted(fwd_sorted, [q + "\uffff" for q in q_end], side="left")
        for k, (obs, _b, skel, end) in enumerate(usable):
            nodes: list[int] = []
            if end in ("start", "either", "country-or-start"):
                nodes.extend(rev_order[lo_s[k] : hi_s[k]].tolist())
            if end in ("end", "either", "country-or-start"):
                nodes.extend(fwd_order[lo_e[k] : hi_e[k]].tolist())
            a = attrs[obs]
            nodes = [x for x in nodes if x != own[obs]]
            roots = {uf.find(x) for x in nodes if _compatible(a, node_attr[x], attribute_tolerance)}
            if len(roots) == 1:
                target = next(x for x in nodes if uf.find(x) in roots)
                obs_node[obs] = target
                conf = min(0.85, 0.55 + 0.03 * len(skel))
                whole = node_skel[target]
                links.append(
                    Link(
                        node_first[target],
                        obs,
                        "partial",
                        round(100 * len(skel) / len(node_skel[target]), 1),
                        conf,
                        f"{skel} is the {'end' if whole.endswith(skel) else 'start'} of {whole}",
                    )
                )
            else:
                if len(roots) > 1:
                    ambiguous[obs] = len(roots)
                if own[obs] >= 0:
                    obs_node[obs] = own[obs]

    group = np.full(n, -1, dtype=np.int64)
    has_node = obs_node >= 0
    if node_skel:
        root_of = np.fromiter(
            (uf.find(x) for x in range(len(node_skel))), dtype=np.int64, count=len(node_skel)
        )
        group[has_node] = root_of[obs_node[has_node]]
    # observations without a usable identifier, or unlinked partials: their own group
    loners = np.flatnonzero(~has_node)
    group[loners] = len(node_skel) + np.arange(loners.size)
    # renumber 0..k-1 in order of first appearance
    _, first_idx, inverse = np.unique(group, return_index=True, return_inverse=True)
    rank = np.argsort(np.argsort(first_idx))
    group = rank[inverse].astype(np.int64)

    linkage = Linkage(
        group=group,
        links=links,
        ambiguous=ambiguous,
        possible=possible,
        node=obs_node,
        node_first=node_first_arr,
        texts=identifiers,
    )
    confirmed = list(confirmed)
    split = list(split)
    if confirmed or split:
        _apply_decisions(linkage, confirmed, split)
    return linkage


def _apply_decisions(
    linkage: Linkage, confirmed: list[tuple[int, int]], split: list[tuple[int, int]]
) -> None:
    """Add confirmed links; rebuild the groups touched by a split or confirmation greedily."""
    group = linkage.group
    for a, b in confirmed:
        linkage.links.append(Link(a, b, "analyst-confirmed", 100.0, 1.0))
    touched = {int(group[a]) for pair in (*confirmed, *split) for a in pair}
    members = [i for i in range(group.size) if int(group[i]) in touched]
    index = {obs: k for k, obs in enumerate(members)}
    cannot = {frozenset((index[a], index[b])) for a, b in split if a in index and b in index}
    uf = _UnionFind(len(members))
    comp: dict[int, set[int]] = {k: {k} for k in range(len(members))}
    relevant = [
        link
        for link in (*linkage.star_links(), *linkage.links)
        if link.a in index and link.b in index
    ]
    relevant.sort(key=lambda link: -link.confidence)
    kept: list[Link] = []
    for link in relevant:
        ra, rb = uf.find(index[link.a]), uf.find(index[link.b])
        if ra == rb:
            kept.append(link)
            continue
        if any(frozenset((x, y)) in cannot for x in comp[ra] for y in comp[rb]):
            linkage.suppressed.append(link)
            continue
        uf.union(ra, rb)
        root = uf.find(ra)
        comp[root] = comp[ra] | comp[rb]
        kept.append(link)
    dropped = set(map(id, linkage.suppressed))
    linkage.links = [link for link in linkage.links if id(link) not in dropped]
    next_group = int(group.max()) + 1 if group.size else 0
    new_ids: dict[int, int] = {}
    for obs, k in index.items():
        root = uf.find(k)
        if root not in new_ids:
            new_ids[root] = next_group
            next_group += 1
        group[obs] = new_ids[root]
