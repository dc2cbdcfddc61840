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
``two-edits``
    For an identifier seen once and still alone: within two edits (OSA) of exactly one group
    seen at least :data:`TWO_EDITS_SUPPORT` times, attribute not contradicting. Candidates
    come from the deletion neighbourhoods of the two *half windows* (first and last ``h``
    characters, ``h`` about half the block's usual length): two skeletons within two edits
    have a half within one edit of the other's (pigeonhole). Used only in blocks that are not
    *crowded* (at most :data:`CROWDED` of the spellings seen twice have another within two
    edits); a last rescue pass also tries groups seen three times through an exact half.
``partial-one-edit``
    A partial serial within one edit of the end of exactly one group (rescue pass).
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
    "two-edits": 0.6,
    "partial-one-edit": 0.55,
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
    if len(key) > 14 and partial is None:  # a character read twice or added: drop the country
        return key[2:], None
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


def _distinct(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The distinct values, sorted (by sorting: faster than numpy's hashing unique here)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if values.size else values


def _one_edit_candidates(
    skels: list[str], node_block: npt.NDArray[np.int64], max_bucket: int = MAX_BUCKET
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
    packed = packed[np.r_[True, packed[1:] != packed[:-1]]]  # one key per owner
    mask = np.uint64((1 << bits) - 1)
    all_h = packed >> np.uint64(bits)
    all_o = (packed & mask).astype(np.int64)
    starts = np.flatnonzero(np.r_[True, all_h[1:] != all_h[:-1]])
    sizes = np.diff(np.r_[starts, all_h.size])
    pairs: list[npt.NDArray[np.int64]] = []
    two = starts[sizes == 2]
    if two.size:
        pairs.append(np.stack([all_o[two], all_o[two + 1]], axis=1))
    # larger buckets, one size at a time (owners in a bucket are distinct: keys were deduplicated)
    for size in np.unique(sizes[(sizes > 2) & (sizes <= max_bucket)]).tolist():
        first = starts[sizes == size]
        ii, jj = np.triu_indices(size, k=1)
        pairs.append(
            np.stack(
                [all_o[first[:, None] + ii[None, :]].ravel(), all_o[first[:, None] + jj].ravel()],
                axis=1,
            )
        )
    if not pairs:
        return np.empty((0, 2), dtype=np.int64)
    cand = np.concatenate(pairs)
    cand = cand[cand[:, 0] != cand[:, 1]]
    cand.sort(axis=1)
    codes_1d = _distinct(cand[:, 0] * n + cand[:, 1])
    return np.stack([codes_1d // n, codes_1d % n], axis=1)


def _ranges(keys: npt.NDArray[np.bytes_], prefixes: list[str]) -> tuple[list[int], list[int]]:
    """For each prefix, the range of the sorted ``keys`` that start with it."""
    if not prefixes:
        return [], []
    low = np.array(prefixes, dtype=np.bytes_)
    high = np.array([p + "\x7f" for p in prefixes], dtype=np.bytes_)
    return np.searchsorted(keys, low).tolist(), np.searchsorted(keys, high).tolist()


def _tag(block: int) -> str:
    """An ASCII prefix naming a block in sorted keys (sorts below every letter and digit)."""
    return f"{block:06d}\x01"


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

    joined = "\n".join(identifiers)
    bulk = (
        joined.encode().translate(_BYTES_FOLD, b" -/\t").decode().split("\n")
        if joined.count("\n") == n - 1
        else [""] * n
    )
    skels: list[str] = bulk
    ends: list[str | None] = [None] * n
    if n:
        # fast path, vectorised: plain ASCII letters and digits (no marker, nothing odd)
        arr = np.array(bulk)
        plain = np.strings.isalnum(arr)
        if arr.dtype.itemsize:
            plain &= arr.view(np.uint32).reshape(n, -1).max(axis=1) < 128
        lengths = np.strings.str_len(arr)
        minimum = np.fromiter((_MIN_LENGTH.get(m or "", 0) for m in make_list), np.int64, n)
        is_hin = np.fromiter(hin_list, bool, n)
        for i in np.flatnonzero(plain & ~is_hin & (lengths < minimum)).tolist():
            ends[i] = "either"
        countries = iso_countries()
        for i in np.flatnonzero(~plain | is_hin).tolist():
            key = bulk[i]
            if plain[i]:  # a HIN of plain characters
                if len(key) == 12:
                    continue
                if len(key) == 14 and identifiers[i][:2].upper() in countries:
                    skels[i] = key[2:]
                    continue
            skels[i], ends[i] = link_key(identifiers[i], make_list[i], hin=hin_list[i])
    block_ids: dict[str, int] = {}

    def block_of(i: int) -> int:
        return block_ids.setdefault(blocks[i], len(block_ids))

    # an observation is a node of the graph unless it is marked partial (an unmarked short one
    # may be a deletion: it takes part in one-edit linking, then in partial linking if alone)
    node_of_key: dict[str, int] = {}
    obs_node_list = [
        node_of_key.setdefault(b + "\x1f" + k, len(node_of_key))
        if k and (e is None or e == "either" or e == "country-or-start")
        else -1
        for b, k, e in zip(blocks, skels, ends, strict=True)
    ]
    obs_node = np.asarray(obs_node_list, dtype=np.int64)
    keyed = obs_node.copy()  # node by identical skeleton (later passes may attach others)
    partial_obs: list[tuple[int, int, str, str]] = [  # (obs, block, skeleton, which end)
        (i, block_of(i), skels[i], e) for i, e in enumerate(ends) if e is not None and skels[i]
    ]
    with_node = np.flatnonzero(obs_node >= 0)
    n_nodes = len(node_of_key)
    _, first_pos = np.unique(obs_node[with_node], return_index=True)
    node_first_arr = with_node[first_pos]
    node_first: list[int] = node_first_arr.tolist()
    node_skel = [skels[i] for i in node_first]
    node_block = [block_of(i) for i in node_first]
    attr_arr = np.array([np.nan if a is None else a for a in attrs], dtype=np.float64)
    node_attr_arr = np.full(n_nodes, np.nan)
    known = with_node[~np.isnan(attr_arr[with_node])]
    if known.size:
        # the attribute most often given for the identifier (one wrong power does not
        # contradict the others); ties: the one given first
        k_node, k_attr = obs_node[known], attr_arr[known]
        order = np.lexsort((known, k_attr, k_node))
        k_node, k_attr, k_first = k_node[order], k_attr[order], known[order]
        run = np.flatnonzero(np.r_[True, (k_node[1:] != k_node[:-1]) | (k_attr[1:] != k_attr[:-1])])
        count = np.diff(np.r_[run, k_node.size])
        r_node, r_attr, r_first = k_node[run], k_attr[run], k_first[run]
        pick = np.lexsort((r_first, -count, r_node))
        r_node, r_attr = r_node[pick], r_attr[pick]
        lead = np.r_[True, r_node[1:] != r_node[:-1]]
        node_attr_arr[r_node[lead]] = r_attr[lead]
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
    if node_skel:
        tag = [_tag(b) for b in node_block]
        fwd_keys = [t + s for t, s in zip(tag, node_skel, strict=True)]
        rev_keys = [t + s[::-1] for t, s in zip(tag, node_skel, strict=True)]
        fwd_order = sorted(range(len(fwd_keys)), key=fwd_keys.__getitem__)
        rev_order = sorted(range(len(rev_keys)), key=rev_keys.__getitem__)
        fwd_array = np.array([fwd_keys[i] for i in fwd_order], dtype=np.bytes_)
        rev_array = np.array([rev_keys[i] for i in rev_order], dtype=np.bytes_)
        # no union happens in this pass: the roots are computed once
        root_list = [uf.find(x) for x in range(n_nodes)]
        root_arr = np.asarray(root_list, dtype=np.int64)
        sizes = np.bincount(root_arr, minlength=n_nodes)  # nodes per group
        singles = np.bincount(obs_node[obs_node >= 0], minlength=n_nodes)  # observations per node
        alone = ((singles == 1) & (sizes[root_arr] == 1)).tolist()
        # every observation still alone after one-edit linking is tried as a partial serial
        # (unmarked truncation can leave a length its format also allows)
        marked = {p[0] for p in partial_obs}
        extra = [
            (node_first[x], node_block[x], node_skel[x], "either")
            for x in np.flatnonzero(alone).tolist()
            if node_first[x] not in marked
        ]
        node_of = obs_node.tolist()
        # a short reading seen several times alike is still only a part of its serial
        lone_node = (sizes[root_arr] == 1).tolist()
        usable = [
            p
            for p in partial_obs
            if len(p[2]) >= MIN_PARTIAL and (node_of[p[0]] < 0 or lone_node[node_of[p[0]]])
        ] + [p for p in extra if len(p[2]) >= MIN_PARTIAL]
        own = {obs: node_of[obs] for obs, *_ in usable}
        for obs, *_ in usable:
            obs_node[obs] = -1
        q_start = [_tag(b) + s[::-1] for _, b, s, end in usable]  # start missing: suffix
        q_end = [  # end missing: prefix (without the country code of a short HIN)
            _tag(b) + (s[2:] if end == "country-or-start" else s) for _, b, s, end in usable
        ]
        lo_s, hi_s = _ranges(rev_array, q_start)
        lo_e, hi_e = _ranges(fwd_array, q_end)
        tol = attribute_tolerance
        for k, (obs, _b, skel, end) in enumerate(usable):
            nodes: list[int] = []
            if end != "end":  # start, either, country-or-start
                nodes.extend(rev_order[lo_s[k] : hi_s[k]])
            if end != "start":
                nodes.extend(fwd_order[lo_e[k] : hi_e[k]])
            a = attrs[obs]
            mine = own[obs]
            roots: dict[int, int] = {}
            for x in nodes:
                if x == mine:
                    continue
                b_attr = node_attr[x]
                if (
                    a is None
                    or b_attr is None
                    or abs(a - b_attr) <= tol * max(abs(a), abs(b_attr), 1e-9)
                ):
                    roots.setdefault(root_list[x], x)
            if len(roots) == 1:
                target = next(iter(roots.values()))
                obs_node[obs] = target
                conf = min(0.85, 0.55 + 0.03 * len(skel))
                whole = node_skel[target]
                links.append(
                    Link(
                        node_first[target],
                        obs,
                        "partial",
                        round(100 * len(skel) / len(whole), 1),
                        conf,
                        f"{skel} is the {'end' if whole.endswith(skel) else 'start'} of {whole}",
                    )
                )
            else:
                if len(roots) > 1:
                    ambiguous[obs] = len(roots)
                if mine >= 0:
                    obs_node[obs] = mine

        crowded_blocks: set[int] = set()
        root_arr = _two_edits(
            obs_node,
            node_skel,
            node_block,
            node_attr,
            node_first,
            uf,
            attribute_tolerance,
            links,
            crowded_blocks,
        )
        _rescue(
            n,
            obs_node,
            partial_obs,
            node_skel,
            node_block,
            node_attr,
            node_first,
            uf,
            attrs,
            attribute_tolerance,
            (fwd_array, fwd_order, rev_array, rev_order),
            links,
            ambiguous,
            root_arr,
            crowded_blocks,
        )

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
        node=np.where(obs_node == keyed, keyed, -1),
        node_first=node_first_arr,
        texts=identifiers,
    )
    confirmed = list(confirmed)
    split = list(split)
    if confirmed or split:
        _apply_decisions(linkage, confirmed, split)
    return linkage


CROWDED = 0.02
"""Two-edit links are made only in blocks where at most this share of the spellings seen at
least twice have another such spelling (of another group) within two edits: where true
identifiers crowd, a reading two edits away is as likely another boat or engine."""

HALF_BUCKET = 12
"""A key of the half-window neighbourhood shared by more distinct skeletons than this is not
used (a half made of a make's fixed prefix says nothing)."""


def _two_edits(
    obs_node: npt.NDArray[np.int64],
    node_skel: list[str],
    node_block: list[int],
    node_attr: list[float | None],
    node_first: list[int],
    uf: _UnionFind,
    tolerance: float,
    links: list[Link],
    crowded_blocks: set[int],
) -> npt.NDArray[np.int64]:
    """Join an identifier seen once, still alone, to the one group within two edits.

    Candidates: two skeletons within two edits have a half (the first or last ``h``
    characters, ``h`` about half the block's usual length) within one edit of the other's, so
    they share a key of the halves' deletion neighbourhoods. Verified with OSA distance <= 2;
    the observation is joined when one group is nearest (ties between groups: no link).
    Decisions are taken on the groups as they stood before this pass. Returns the roots."""
    n_nodes = len(node_skel)
    roots = np.fromiter((uf.find(x) for x in range(n_nodes)), dtype=np.int64, count=n_nodes)
    if n_nodes < 2:
        return roots
    attached = np.bincount(obs_node[obs_node >= 0], minlength=n_nodes)
    group_obs = np.bincount(roots, weights=attached, minlength=n_nodes)
    lengths = np.fromiter((len(s) for s in node_skel), dtype=np.int64, count=n_nodes)
    blocks = np.asarray(node_block, dtype=np.int64)
    lonely = (attached == 1) & (group_obs[roots] == 1) & (lengths >= MIN_ONE_EDIT)
    if not lonely.any():
        return roots
    # the half-window length of each block: half its median length (rounded up)
    half = np.zeros(int(blocks.max()) + 1, dtype=np.int64)
    order = np.lexsort((lengths, blocks))
    starts = np.flatnonzero(np.r_[True, blocks[order][1:] != blocks[order][:-1]])
    ends = np.r_[starts[1:], n_nodes]
    mid = order[(starts + ends) // 2]
    half[blocks[mid]] = (lengths[mid] + 1) // 2
    h = np.minimum(half[blocks], lengths).tolist()
    windows = [s[:k] for s, k in zip(node_skel, h, strict=True)]
    windows += [s[-k:] if k else "" for s, k in zip(node_skel, h, strict=True)]
    cand = _one_edit_candidates(windows, np.r_[2 * blocks, 2 * blocks + 1], HALF_BUCKET)
    if not cand.size:
        return roots
    cand = cand % n_nodes
    cand = cand[roots[cand[:, 0]] != roots[cand[:, 1]]]
    seen = attached >= 2
    lonely_pair = lonely[cand[:, 0]] | lonely[cand[:, 1]]
    cand = cand[lonely_pair | (seen[cand[:, 0]] & seen[cand[:, 1]])]
    if not cand.size:
        return roots
    cand.sort(axis=1)
    codes = _distinct(cand[:, 0] * n_nodes + cand[:, 1])
    cand = np.stack([codes // n_nodes, codes % n_nodes], axis=1)
    left = [node_skel[k] for k in cand[:, 0].tolist()]
    right = [node_skel[k] for k in cand[:, 1].tolist()]
    dist = process.cpdist(left, right, scorer=OSA.distance, score_cutoff=2, dtype=np.int32)
    near = dist <= 2
    # how crowded each block is: distinct spellings seen at least twice (mostly true
    # identifiers) that have another such spelling, of another group, within two edits
    both_seen = near & seen[cand[:, 0]] & seen[cand[:, 1]]
    crowded_nodes = np.zeros(n_nodes, dtype=bool)
    crowded_nodes[cand[both_seen].ravel()] = True
    n_blocks = int(blocks.max()) + 1
    crowd = np.bincount(blocks[crowded_nodes], minlength=n_blocks) / np.maximum(
        np.bincount(blocks[seen], minlength=n_blocks), 1
    )
    open_block = (crowd <= CROWDED).tolist()
    crowded_blocks.update(np.flatnonzero(crowd > CROWDED).tolist())
    best: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)  # node -> root -> (d, y)
    lonely_l = lonely.tolist()
    roots_l = roots.tolist()
    keep = near & ~both_seen
    pairs = zip(cand[keep, 0].tolist(), cand[keep, 1].tolist(), dist[keep].tolist(), strict=True)
    for x, y, d in pairs:
        if not open_block[node_block[x]] or not _compatible(node_attr[x], node_attr[y], tolerance):
            continue
        for a, b in ((x, y), (y, x)):
            if lonely_l[a] and group_obs[roots_l[b]] >= TWO_EDITS_SUPPORT:
                known = best[a].get(roots_l[b])
                if known is None or d < known[0]:
                    best[a][roots_l[b]] = (d, b)
    for x, found in best.items():
        if len(found) != 1:  # several groups within two edits: no link
            continue
        d, y = next(iter(found.values()))
        if uf.union(x, y):
            links.append(
                Link(
                    node_first[y],
                    node_first[x],
                    "two-edits",
                    round(100 * (1 - d / max(len(node_skel[x]), 1)), 1),
                    CONFIDENCE["two-edits"],
                    f"{node_skel[x]} ~ {node_skel[y]} ({d} edits)",
                )
            )
    return np.fromiter((uf.find(x) for x in range(n_nodes)), dtype=np.int64, count=n_nodes)


TWO_EDITS_SUPPORT = 3
"""Two edits join an observation only to a group with at least this many observations."""

RESCUE_WINDOW = 256
"""A half-key matching more distinct identifiers than this is not used by the rescue pass."""


def _rescue(
    n: int,
    obs_node: npt.NDArray[np.int64],
    partial_obs: list[tuple[int, int, str, str]],
    node_skel: list[str],
    node_block: list[int],
    node_attr: list[float | None],
    node_first: list[int],
    uf: _UnionFind,
    attrs: Sequence[float | None],
    tolerance: float,
    index: tuple[npt.NDArray[np.bytes_], list[int], npt.NDArray[np.bytes_], list[int]],
    links: list[Link],
    ambiguous: dict[int, int],
    root_of: npt.NDArray[np.int64],
    crowded_blocks: set[int],
) -> None:
    """Last pass for observations still alone: a whole identifier within two edits, or a
    partial one within one edit of its end, of exactly one group, found through an exact half
    (two errors in different halves are not found)."""
    fwd_array, fwd_order, rev_array, rev_order = index
    n_nodes = len(node_skel)
    attached = np.bincount(obs_node[obs_node >= 0], minlength=n_nodes)
    root_size = np.bincount(root_of, weights=attached, minlength=n_nodes)
    end_of = {p[0]: p[3] for p in partial_obs}
    node_of = obs_node.tolist()
    attached_l = attached.tolist()
    root_l = root_of.tolist()
    root_size_l = root_size.tolist()
    lonely: list[tuple[int, int, str, str | None, int]] = []
    for obs, b, skel, which in partial_obs:
        if node_of[obs] < 0 and len(skel) >= MIN_PARTIAL + 2:
            lonely.append((obs, b, skel, which, -1))
    single = np.flatnonzero((attached == 1) & (root_size[root_of] == 1))
    for x in single.tolist():
        obs = node_first[x]
        if node_of[obs] == x and obs not in end_of and len(node_skel[x]) >= MIN_ONE_EDIT:
            lonely.append((obs, node_block[x], node_skel[x], None, x))
    heads = [_tag(b) + skel[: max(4, (len(skel) + 1) // 2)] for _, b, skel, _, _ in lonely]
    tails = [_tag(b) + skel[-max(4, (len(skel) + 1) // 2) :][::-1] for _, b, skel, _, _ in lonely]
    lo_f, hi_f = _ranges(fwd_array, heads)
    lo_r, hi_r = _ranges(rev_array, tails)
    for item, (obs, _b, skel, end, own) in enumerate(lonely):
        nodes: list[int] = []
        if end in (None, "end", "either") and hi_f[item] - lo_f[item] <= RESCUE_WINDOW:
            nodes.extend(fwd_order[lo_f[item] : hi_f[item]])
        if (
            end in (None, "start", "either", "country-or-start")
            and hi_r[item] - lo_r[item] <= RESCUE_WINDOW
        ):
            nodes.extend(rev_order[lo_r[item] : hi_r[item]])
        a = attrs[obs]
        k = len(skel)
        matches: dict[int, tuple[int, int]] = {}
        for x in set(nodes):
            if x == own or attached_l[x] == 0 or not _compatible(a, node_attr[x], tolerance):
                continue
            whole = node_skel[x]
            if end is None:
                if node_block[x] in crowded_blocks:
                    continue  # two edits only where identifiers do not crowd
                if root_size_l[root_l[x]] < TWO_EDITS_SUPPORT:
                    continue  # two edits only towards a group seen that often
                d = OSA.distance(skel, whole, score_cutoff=2)
                limit = 2
            else:
                pieces = []
                for size in (k - 1, k, k + 1):
                    if end in ("start", "either", "country-or-start"):
                        pieces.append(whole[-size:])
                    if end in ("end", "either"):
                        pieces.append(whole[:size])
                d = min(OSA.distance(skel, piece, score_cutoff=1) for piece in pieces)
                limit = 1
            if d <= limit:
                root = root_l[x]
                if root not in matches or d < matches[root][1]:
                    matches[root] = (x, d)
        if len(matches) == 1:
            x, d = next(iter(matches.values()))
            if own >= 0:
                uf.union(own, x)
            else:
                obs_node[obs] = x
            rule = "two-edits" if end is None else "partial-one-edit"
            links.append(
                Link(
                    node_first[x],
                    obs,
                    rule,
                    round(100 * (1 - d / max(k, 1)), 1),
                    CONFIDENCE[rule],
                    f"{skel} ~ {node_skel[x]} ({d} edits)",
                )
            )
        elif len(matches) > 1 and own < 0:
            ambiguous[obs] = max(ambiguous.get(obs, 0), len(matches))


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
