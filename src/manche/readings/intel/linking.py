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
``nearest-group`` / ``partial-nearest`` / ``nearest-reading``
    A reading still alone (seen once, or a partial serial not linked) joins its nearest group
    of at least two observations when that group is clearly the nearest: skeletons within
    three edits (OSA, rapidfuzz; a partial serial: two from the start or end of the group's
    spelling), the edits weighed by what they say (a digit for a digit, or a letter for a
    letter, the difference between two engines of one run, costs 1; a letter read for a digit,
    an adjacent swap, a character lost or added cost 0.5; a substitution in the make's model
    prefix or a HIN's manufacturer code 1.5), plus 0.5 when the power contradicts
    the group's and minus 0.5 when it is the same; the cost must be within the block's limit
    (lower where identifiers crowd) and the next group at least 1.5 further. Candidates come
    from the deletion neighbourhoods of the two *half windows* (first and last ``h``
    characters, ``h`` about half the block's usual length): within three edits, one half holds
    at most one. With no group near, two readings each seen once, each the other's nearest,
    are joined (``nearest-reading``). A 12-character HIN that starts with a country code is
    also tried as a 14-character one whose end was lost.
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
from manche.gcpause import paused

Rule = Literal["same-identifier", "ocr-equivalent", "one-edit", "partial", "analyst-confirmed"]

CONFIDENCE: dict[str, float] = {
    "same-identifier": 0.99,
    "ocr-equivalent": 0.95,
    "one-edit": 0.8,
    "nearest-group": 0.65,
    "partial-nearest": 0.55,
    "nearest-reading": 0.5,
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

_CHUNK_ROWS = 1 << 14
"""Skeletons hashed at a time by :func:`_one_edit_candidates` (temporaries of a few MB)."""

_MARKER_CHARS = frozenset(".…*?_")
_TABLE: dict[int, str | None] = {ord(c): None for c in " -/\t"}
_TABLE.update({ord(k): v for k, v in LETTER_TO_DIGIT.items()})
_TABLE.update({ord(k.lower()): v for k, v in LETTER_TO_DIGIT.items()})
_TABLE.update({ord(c): c.upper() for c in "acefhjkmnprtuvwxy"})
_FOLD = str.maketrans(_TABLE)
_BYTES_FOLD = bytes(ord(_TABLE.get(b, chr(b)) or " ") if b < 128 else b for b in range(256))
_MIN_LENGTH = {name: min(len(t) for t in m.templates) for name, m in MAKES.items() if m.templates}
_MIN_LENGTH["HIN"] = 12
# a make's model prefix: its format's characters up to the last that is not a digit (Yamaha's
# prefix code and shaft letter, Honda's frame letters, Mercury's digit and letter, Suzuki's model
# code); a HIN's (without its country code) is the manufacturer code
_PREFIX = {
    name: max(max((i + 1 for i, c in enumerate(t) if c != "D"), default=0) for t in m.templates)
    for name, m in MAKES.items()
    if m.templates
}
_PREFIX["HIN"] = 3


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

    def roots(self) -> npt.NDArray[np.int64]:
        """Every element's root (what :meth:`find` gives), by pointer jumping in numpy."""
        parent = np.asarray(self.parent, dtype=np.int64)
        while True:
            grand = parent[parent]
            if np.array_equal(grand, parent):
                return parent
            parent = grand

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


def _char_codes(strings: Sequence[str]) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """Each string's code points (a row each, padded with 0 to the longest), and its length."""
    if not strings:
        return np.zeros((0, 0), dtype=np.uint32), np.zeros(0, dtype=np.int64)
    text = np.array(strings)  # fixed width, padded with NUL; built and measured in C
    lengths = np.strings.str_len(text).astype(np.int64)
    codes = text.view(np.uint32).reshape(len(strings), -1)[:, : int(lengths.max())]
    return codes, lengths


def _one_edit_candidates(
    codes: npt.NDArray[np.uint32],
    lengths: npt.NDArray[np.int64],
    node_block: npt.NDArray[np.int64],
    max_bucket: int = MAX_BUCKET,
    wanted: npt.NDArray[np.bool_] | None = None,
) -> npt.NDArray[np.int64]:
    """Pairs (i, j), i < j, of distinct skeletons sharing a deletion-neighbourhood key.

    The skeletons as :func:`_char_codes` gives them: code points (0 past the end), lengths.
    ``wanted``: only the pairs of which at least one skeleton is wanted (when given)."""
    n = lengths.size
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    width = int(lengths.max())
    if width == 0:
        return np.empty((0, 2), dtype=np.int64)
    codes = codes[:, :width]  # one code point per character
    rng = np.random.default_rng(12345)
    weights = rng.integers(1, 2**63 - 1, size=width, dtype=np.uint64) | np.uint64(1)
    salt = rng.integers(1, 2**63 - 1, dtype=np.uint64) | np.uint64(1)
    bits = max(1, int(n).bit_length())
    salted = node_block.astype(np.uint64) * salt
    # keys per skeleton: one per character deleted, and the skeleton itself (when shorter
    # than the widest)
    per_row = np.minimum(lengths + 1, width)
    row_end = np.cumsum(per_row)
    packed = np.empty(int(row_end[-1]), dtype=np.uint64)
    column = np.arange(width)[None, :]
    # in chunks of rows: the n x width temporaries of one pass over all rows cost more in
    # fresh memory (page faults) than the arithmetic; a chunk's are reused and stay in cache
    with np.errstate(over="ignore"):
        for lo in range(0, n, _CHUNK_ROWS):
            hi = min(n, lo + _CHUNK_ROWS)
            c = codes[lo:hi].astype(np.uint64)
            # variant i (character i deleted) = sum_{j<i} c_j w_j + sum_{j>i} c_j w_{j-1};
            # for i >= length it is the string itself (padding is 0), which is how a string
            # meets the deletions of a string one character longer. The second sum is the
            # row's total of c_j w_{j-1} less its running sum up to i (arithmetic modulo
            # 2**64 throughout)
            tail = np.zeros((hi - lo, width), dtype=np.uint64)
            np.multiply(c[:, 1:], weights[:-1], out=tail[:, 1:])
            np.cumsum(tail, axis=1, dtype=np.uint64, out=tail)
            np.multiply(c, weights, out=c)
            variants = np.zeros((hi - lo, width), dtype=np.uint64)
            np.cumsum(c[:, :-1], axis=1, dtype=np.uint64, out=variants[:, 1:])
            variants += (tail[:, -1] + salted[lo:hi])[:, None]
            variants -= tail
            # the key's high bits, the owner (row) in the low ones
            keys = variants[column <= lengths[lo:hi, None]]
            keys >>= np.uint64(bits)
            keys <<= np.uint64(bits)
            keys |= np.repeat(np.arange(lo, hi, dtype=np.uint64), per_row[lo:hi])
            packed[row_end[lo] - per_row[lo] : row_end[hi - 1]] = keys
    packed.sort()
    # most keys belong to one skeleton only: keep the keys whose hash another key shares (a
    # few), then drop their repeats (a key made twice for one owner, by deleting either of two
    # equal neighbours: repeats are next to each other once sorted)
    hashes = packed >> np.uint64(bits)
    shared = np.flatnonzero(hashes[1:] == hashes[:-1])
    take = np.zeros(packed.size, dtype=bool)
    take[shared] = True
    take[shared + 1] = True
    packed = packed[take]
    packed = packed[np.r_[True, packed[1:] != packed[:-1]]] if packed.size else packed
    all_h = packed >> np.uint64(bits)
    packed &= np.uint64((1 << bits) - 1)
    all_o = packed.view(np.int64)  # owners (below 2**bits: the same as signed)
    starts = np.flatnonzero(np.r_[True, all_h[1:] != all_h[:-1]])
    sizes = np.diff(np.r_[starts, all_h.size])
    # within a bucket the owners are distinct (keys were deduplicated) and increasing (sorted
    # by key, then owner): each pair comes out as (i, j), i < j, coded i << bits | j (j < n <=
    # 2**bits: sorted as the pairs are, and taken apart again without a division)
    pairs: list[npt.NDArray[np.int64]] = []

    def add(i: npt.NDArray[np.int64], j: npt.NDArray[np.int64]) -> None:
        if wanted is not None:  # fewer pairs to deduplicate
            keep = wanted[i] | wanted[j]
            i, j = i[keep], j[keep]
        pairs.append(i << bits | j)

    two = starts[sizes == 2]
    add(all_o[two], all_o[two + 1])
    # larger buckets, one size at a time
    for size in np.unique(sizes[(sizes > 2) & (sizes <= max_bucket)]).tolist():
        first = starts[sizes == size]
        ii, jj = np.triu_indices(size, k=1)
        add(all_o[first[:, None] + ii].ravel(), all_o[first[:, None] + jj].ravel())
    code = _distinct(np.concatenate(pairs))
    out = np.empty((code.size, 2), dtype=np.int64)
    np.right_shift(code, bits, out=out[:, 0])
    np.bitwise_and(code, (1 << bits) - 1, out=out[:, 1])
    return out


def _halves(
    codes: npt.NDArray[np.uint32],
    lengths: npt.NDArray[np.int64],
    k: npt.NDArray[np.int64],
    width: int,
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    """The first and the last ``k`` characters (``k`` at most the length) of each row of
    ``codes`` (as :func:`_char_codes` gives them), as rows of ``width`` code points padded
    with 0: ``s[:k]`` and ``s[-k:]`` (empty when ``k`` is 0) for every string at once."""
    rows = k.size
    if not rows or not width:
        empty = np.zeros((rows, width), dtype=np.uint32)
        return empty, empty.copy()
    last_column = codes.shape[1] - 1  # >= 0: some k > 0, so some string is not empty
    column = np.arange(width)[None, :]
    inside = column < k[:, None]
    at = np.arange(rows)[:, None]
    first = np.where(inside, codes[at, np.minimum(column, last_column)], 0)
    start = lengths[:, None] - k[:, None]
    last = np.where(inside, codes[at, np.clip(start + column, 0, last_column)], 0)
    return first.astype(np.uint32), last.astype(np.uint32)


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
    The collector of reference cycles is paused meanwhile (:mod:`manche.gcpause`).
    """
    with paused():
        return _link(
            blocks,
            identifiers,
            attributes,
            makes,
            hin,
            confirmed,
            split,
            attribute_tolerance,
        )


def _link(
    blocks: Sequence[str],
    identifiers: Sequence[str],
    attributes: Sequence[float | None] | None,
    makes: Sequence[str | None] | None,
    hin: Sequence[bool] | None,
    confirmed: Iterable[tuple[int, int]],
    split: Iterable[tuple[int, int]],
    attribute_tolerance: float,
) -> Linkage:
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
        # a few makes: each one's minimum looked up once, then mapped in C
        minimum_of = {m: _MIN_LENGTH.get(m or "", 0) for m in set(make_list)}
        minimum = np.fromiter(map(minimum_of.__getitem__, make_list), np.int64, n)
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
    # a 12-character HIN starting with a country code may be a 14-character one read
    # without its last two characters: the assignment pass tries that reading too
    alternatives: dict[int, str] = {}
    if n:
        for i in np.flatnonzero(is_hin & ((lengths == 12) | ~plain)).tolist():
            if ends[i] is None and len(skels[i]) == 12:
                head = _plain(identifiers[i].strip())[:2]
                if head in countries:
                    alternatives[i] = skels[i][2:]
    block_ids: dict[str, int] = {}

    def block_of(i: int) -> int:
        return block_ids.setdefault(blocks[i], len(block_ids))

    # an observation is a node of the graph unless it is marked partial (an unmarked short one
    # may be a deletion: it takes part in one-edit linking, then in partial linking if alone)
    node_of_key: dict[tuple[str, str], int] = {}
    obs_node_list = [
        node_of_key.setdefault((b, k), len(node_of_key))
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
    node_attr: list[float | None] = [None if v != v else v for v in node_attr_arr.tolist()]  # NaN
    links: list[Link] = []
    possible: list[Link] = []

    uf = _UnionFind(len(node_skel))
    # one-edit links between distinct skeletons: a spelling seen once attaches to its only
    # neighbour, or to the best-supported one when that is unique; two spellings each seen
    # several times are never joined automatically (sequential serials differ by one digit)
    support = np.bincount(obs_node[with_node], minlength=n_nodes)
    node_codes, node_len = _char_codes(node_skel)
    # the skeletons as an array of objects: many are picked at once (a C loop)
    node_obj = np.array(node_skel, dtype=object)
    cand = _one_edit_candidates(node_codes, node_len, np.asarray(node_block, dtype=np.int64))
    if cand.size:
        dist = process.cpdist(
            node_obj[cand[:, 0]].tolist(),
            node_obj[cand[:, 1]].tolist(),
            scorer=OSA.distance,
            dtype=np.int32,
        )
        # one edit apart and both long enough; the similarity of these only
        cand = cand[(dist == 1) & (node_len[cand].min(axis=1) >= MIN_ONE_EDIT)]
        left, right = node_obj[cand[:, 0]].tolist(), node_obj[cand[:, 1]].tolist()
        sim = process.cpdist(left, right, scorer=OSA.normalized_similarity)
        neighbours: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for (x, y), s in zip(cand.tolist(), sim.tolist(), strict=True):
            if not _compatible(node_attr[x], node_attr[y], attribute_tolerance):
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
        tags = [_tag(b) for b in range(len(block_ids))]  # every block, partial ones' too
        tag = [tags[b] for b in node_block]
        # sorted by numpy (the keys are distinct and ASCII: bytes sort as the strings do)
        fwd_keys = np.array([t + s for t, s in zip(tag, node_skel, strict=True)], np.bytes_)
        rev_keys = np.array([t + s[::-1] for t, s in zip(tag, node_skel, strict=True)], np.bytes_)
        fwd_sort, rev_sort = np.argsort(fwd_keys), np.argsort(rev_keys)
        fwd_order: list[int] = fwd_sort.tolist()
        rev_order: list[int] = rev_sort.tolist()
        fwd_array, rev_array = fwd_keys[fwd_sort], rev_keys[rev_sort]
        # no union happens in this pass: the roots are computed once
        root_arr = uf.roots()
        root_list: list[int] = root_arr.tolist()
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
        q_start = [tags[b] + s[::-1] for _, b, s, end in usable]  # start missing: suffix
        q_end = [  # end missing: prefix (without the country code of a short HIN)
            tags[b] + (s[2:] if end == "country-or-start" else s) for _, b, s, end in usable
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

        _assign(
            obs_node,
            partial_obs,
            alternatives,
            node_skel,
            node_obj,
            node_codes,
            node_len,
            node_block,
            node_first,
            uf,
            root_arr,
            attr_arr,
            attribute_tolerance,
            links,
            ambiguous,
            {
                b: _PREFIX.get("HIN" if hin_list[obs] else (make_list[obs] or ""), 0)
                for b, obs in zip(*_first_of_block(node_block, node_first), strict=True)
            },
        )

    group = np.full(n, -1, dtype=np.int64)
    has_node = obs_node >= 0
    if node_skel:
        group[has_node] = uf.roots()[obs_node[has_node]]
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
"""A block is *open* when at most this share of its spellings seen at least twice have another
such spelling (of another group) within two edits, else *crowded*: where true identifiers
crowd, a reading two edits away is as likely another boat or engine, so the nearest-group pass
asks for less there (:data:`NEAREST_COST`)."""

CROWD_SAMPLE = 50_000
"""Crowding is measured on about this many spellings seen at least twice (every k-th)."""

HALF_BUCKET = 12
"""A key of the half-window neighbourhood shared by more distinct skeletons than this is not
used (a half made of a make's fixed prefix says nothing)."""


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


NEAREST_COST = 1.0
"""A reading still alone joins its nearest group when the weighted edit cost
(:func:`_weighted_cost`, with the power's) is at most this in a crowded block (one
substitution within a class, or two edits of the reading kind), :data:`NEAREST_COST_OPEN` in
an open one; a partial serial: :data:`PARTIAL_COST` and :data:`PARTIAL_COST_OPEN`."""

NEAREST_COST_OPEN = 2.0
PARTIAL_COST = 0.5
PARTIAL_COST_OPEN = 1.0

PAIR_COST = 1.5
"""Two readings each seen once, each the other's nearest with no group near, are joined when
their cost is at most this in an open block, :data:`PAIR_COST_CROWDED` in a crowded one."""

PAIR_COST_CROWDED = 1.0

NEAREST_MARGIN = 1.5
"""The second-nearest group must cost at least this much more than the nearest."""

PREFIX_COST = 1.5
"""The cost of a substitution in a make's model prefix or a HIN's manufacturer code."""

POWER_COST = 0.5
"""Added to the cost when the reading's power (length) contradicts its group's (the value its
observations give most often): a wrong power is a reading error too (2 % in the generator)."""

POWER_BONUS = 0.5
"""Taken off the cost when the reading gives the same power as its group: a foreign engine
near a group has the same power only by chance (one time in three or four)."""

ANCHOR_MIN = 2
"""Groups with at least this many observations are the ones lone readings are assigned to."""


def _first_of_block(node_block: list[int], node_first: list[int]) -> tuple[list[int], list[int]]:
    """Each block, and the first observation of one of its nodes."""
    blocks, first = np.unique(np.asarray(node_block, dtype=np.int64), return_index=True)
    return blocks.tolist(), [node_first[k] for k in first.tolist()]


def _weighted_cost(reading: str, anchor: str, distance: int, prefix: int = 0) -> float:
    """The edits between two skeletons ``distance`` (OSA) apart, weighed by what they say.

    An edit two readings of one identifier often show but two identifiers of one format rarely
    do costs half: a character of the other class (a letter where the other has a digit, or
    the reverse), an adjacent swap, a character lost or added. A substitution within a class
    (digit for digit, letter for letter), the difference between two engines of one
    production run, costs one; a substitution in the first ``prefix`` characters (the make's
    model prefix, a HIN's manufacturer code: another model, another builder) costs
    :data:`PREFIX_COST`."""
    if len(reading) == len(anchor):
        diff = [i for i in range(len(reading)) if reading[i] != anchor[i]]
        if len(diff) <= 2 * distance:
            hard = soft = model = k = 0
            while k < len(diff):
                i = diff[k]
                if (
                    k + 1 < len(diff)
                    and diff[k + 1] == i + 1
                    and reading[i] == anchor[i + 1]
                    and reading[i + 1] == anchor[i]
                ):
                    soft += 1
                    k += 2
                    continue
                if i < prefix:
                    model += 1
                elif reading[i].isdigit() == anchor[i].isdigit():
                    hard += 1
                else:
                    soft += 1
                k += 1
            if hard + soft + model == distance:
                return hard + 0.5 * soft + PREFIX_COST * model
        return 0.5 * distance  # a shift: characters lost and added
    indels = abs(len(reading) - len(anchor))
    return 0.5 * indels + (distance - indels)


def _group_power(
    obs_node: npt.NDArray[np.int64], roots: npt.NDArray[np.int64], attr_arr: npt.NDArray[np.float64]
) -> dict[int, float]:
    """Per group (root), the power (length) given most often, when one is (no tie)."""
    known = np.flatnonzero((obs_node >= 0) & ~np.isnan(attr_arr))
    if not known.size:
        return {}
    r, a = roots[obs_node[known]], attr_arr[known]
    order = np.lexsort((a, r))
    r, a = r[order], a[order]
    run = np.flatnonzero(np.r_[True, (r[1:] != r[:-1]) | (a[1:] != a[:-1])])
    count = np.diff(np.r_[run, r.size])
    rr, aa = r[run], a[run]
    order = np.lexsort((-count, rr))
    rr, aa, count = rr[order], aa[order], count[order]
    lead = np.flatnonzero(np.r_[True, rr[1:] != rr[:-1]])
    second = lead + 1
    tie = np.zeros(lead.size, dtype=bool)
    inside = second < rr.size
    tie[inside] = (rr[second[inside]] == rr[lead[inside]]) & (
        count[second[inside]] == count[lead[inside]]
    )
    return dict(zip(rr[lead[~tie]].tolist(), aa[lead[~tie]].tolist(), strict=True))


_TAIL_ENDS = ("start", "either", "country-or-start")  # the start missing: a tail of the whole
_HEAD_ENDS = ("end", "either")  # the end missing: a head of the whole


def _piece_distances(
    skels: npt.NDArray[np.object_], ends: Sequence[str | None], wholes: list[str], cutoff: int
) -> tuple[list[int], list[str], list[int]]:
    """For each partial skeleton (``skels``: an array of ``str``; ``ends``: which end of it is
    missing) and its ``wholes``: the OSA distance to the nearest start or end of the whole (of
    the skeleton's length, one less or one more; tried in that order of sizes, the whole's end
    before its start, the first try of the least distance kept), that piece, and where it
    starts in the whole; ``cutoff + 1``, ``""`` and 0 when none is within ``cutoff``. Every
    piece is cut by numpy and every distance computed in one rapidfuzz call."""
    m = len(wholes)
    if not m:
        return [], [], []
    length = np.fromiter(map(len, skels), np.int64, m)
    whole = np.array(wholes)
    whole_len = np.strings.str_len(whole).astype(np.int64)
    tail = np.fromiter((e in _TAIL_ENDS for e in ends), bool, m)
    head = np.fromiter((e in _HEAD_ENDS for e in ends), bool, m)
    # the six tries of each, as columns in that order: sizes one less, equal and one more; for
    # each, the tail of that size (whole[-size:]) when the start is missing, then the head
    # (whole[:size]) when the end is
    zero = np.zeros(m, dtype=np.int64)
    start, stop, tried = [], [], []
    for size in (length - 1, length, length + 1):
        start += [np.maximum(0, whole_len - size), zero]
        stop += [whole_len, size]
        tried += [(size > 0) & tail, (size > 0) & head]
    rows, cols = np.nonzero(np.stack(tried, axis=1))
    first, last = np.stack(start, axis=1)[rows, cols], np.stack(stop, axis=1)[rows, cols]
    pieces = np.strings.slice(whole[rows], first, last)
    dist = np.full((m, 6), cutoff + 1, dtype=np.int32)
    dist[rows, cols] = process.cpdist(
        skels[rows].tolist(),
        pieces.tolist(),
        scorer=OSA.distance,
        score_cutoff=cutoff,
        dtype=np.int32,
    )
    # the first try of the least distance (an earlier one is kept on a tie); none within the
    # cutoff: (cutoff + 1, "", 0)
    best = dist.argmin(axis=1)
    best_d = dist[np.arange(m), best]
    found = np.flatnonzero(best_d <= cutoff)
    at_try = np.full((m, 6), -1, dtype=np.int64)
    at_try[rows, cols] = np.arange(rows.size)
    chosen = at_try[found, best[found]]
    piece_l = [""] * m
    at_l = [0] * m
    for k, piece, at in zip(
        found.tolist(), pieces[chosen].tolist(), first[chosen].tolist(), strict=True
    ):
        piece_l[k], at_l[k] = piece, at
    return best_d.tolist(), piece_l, at_l


def _pair_distances(
    skels: npt.NDArray[np.object_],
    ends: npt.NDArray[np.object_],
    whole: npt.NDArray[np.bool_],
    targets: npt.NDArray[np.object_],
    cutoff: int,
    part_cutoff: int,
) -> tuple[npt.NDArray[np.int32], dict[int, tuple[str, int]]]:
    """For pairs (reading, spelling), arrays of ``str`` (``ends``: which end of a partial
    reading is missing; ``whole``: the readings that are not partial): a whole reading's OSA
    distance to the spelling (``cutoff + 1`` when beyond ``cutoff``), in one rapidfuzz call; a
    partial one's to the nearest start or end of it (:func:`_piece_distances`, within
    ``part_cutoff``), with that piece and where it starts in the spelling, by pair."""
    dist = np.full(whole.size, 99, dtype=np.int32)
    whole_k = np.flatnonzero(whole)
    if whole_k.size:
        dist[whole_k] = process.cpdist(
            skels[whole_k].tolist(),
            targets[whole_k].tolist(),
            scorer=OSA.distance,
            score_cutoff=cutoff,
            dtype=np.int32,
        )
    part_k = np.flatnonzero(~whole)
    part_dist, piece, at = _piece_distances(
        skels[part_k], ends[part_k].tolist(), targets[part_k].tolist(), part_cutoff
    )
    dist[part_k] = part_dist
    return dist, dict(zip(part_k.tolist(), zip(piece, at, strict=True), strict=True))


def _assign(
    obs_node: npt.NDArray[np.int64],
    partial_obs: list[tuple[int, int, str, str]],
    alternatives: dict[int, str],
    node_skel: list[str],
    node_obj: npt.NDArray[np.object_],
    node_codes: npt.NDArray[np.uint32],
    lengths: npt.NDArray[np.int64],
    node_block: list[int],
    node_first: list[int],
    uf: _UnionFind,
    roots: npt.NDArray[np.int64],
    attr_arr: npt.NDArray[np.float64],
    tolerance: float,
    links: list[Link],
    ambiguous: dict[int, int],
    prefix_of: dict[int, int],
) -> None:
    """Assign each reading still alone (whole, or partial and unlinked) to its nearest group
    of at least :data:`ANCHOR_MIN` observations, when that group is clearly the nearest; in
    an open block (identifiers do not crowd), also to the nearest other reading seen once.

    Candidates: the readings' and the groups' spellings' half windows (first and last ``h``
    characters, ``h`` about half the block's usual length; a partial serial only the half on
    its known end) share a key of their deletion neighbourhoods when the skeletons are within
    three edits (one half then holds at most one). Verified with rapidfuzz's OSA distance (at
    most 3; a partial: at most 2 from the start or end of the spelling), then weighed
    (:func:`_weighted_cost`, plus :data:`POWER_COST` when the power contradicts the group's).
    The reading joins the nearest group when its cost is within the block's limit and the
    next group's is at least :data:`NEAREST_MARGIN` more. ``alternatives``: observations
    whose skeleton may also be read another way (a 12-character HIN starting with a country
    code may be a 14-character one with its end lost), tried as a partial serial too.
    ``node_obj``, ``node_codes``, ``lengths``: the skeletons as an array of objects and as
    :func:`_char_codes` gives them. ``roots``: each node's group as the passes before left it
    (this one unites only at its end, after every decision).
    """
    n_nodes = len(node_skel)
    if n_nodes < 2:
        return
    attached = np.bincount(obs_node[obs_node >= 0], minlength=n_nodes)
    group_obs = np.bincount(roots, weights=attached, minlength=n_nodes)
    blocks = np.asarray(node_block, dtype=np.int64)
    anchor = (group_obs[roots] >= ANCHOR_MIN) & (attached >= 1)
    lone_whole = np.flatnonzero(
        (attached == 1) & (group_obs[roots] == 1) & (lengths >= MIN_ONE_EDIT)
    ).tolist()
    node_of = obs_node.tolist()
    lone_partial = [p for p in partial_obs if node_of[p[0]] < 0 and len(p[2]) >= MIN_PARTIAL + 2]
    if not anchor.any() or not (lone_whole or lone_partial):
        return
    # the half-window length of each block: half its median length (rounded up)
    half = np.zeros(int(blocks.max()) + 1, dtype=np.int64)
    order = np.lexsort((lengths, blocks))
    starts = np.flatnonzero(np.r_[True, blocks[order][1:] != blocks[order][:-1]])
    ends = np.r_[starts[1:], n_nodes]
    mid = order[(starts + ends) // 2]
    half[blocks[mid]] = (lengths[mid] + 1) // 2
    # items: lone whole readings (by node), lone partial ones, and other readings of a lone
    # whole one (alternatives); each item: (obs, block, skeleton, end, own node, main item)
    items: list[tuple[int, int, str, str | None, int, int]] = [
        (node_first[x], node_block[x], node_skel[x], None, x, i) for i, x in enumerate(lone_whole)
    ]
    items += [
        (obs, b, skel, end, -1, len(items) + k)
        for k, (obs, b, skel, end) in enumerate(lone_partial)
    ]
    for i in range(len(lone_whole)):
        obs, b, _skel, _end, x, _main = items[i]
        alt = alternatives.get(obs)
        if alt is not None and len(alt) >= MIN_PARTIAL + 2:
            items.append((obs, b, alt, "end", x, i))
    n_items = len(items)
    item_obj = np.array([it[2] for it in items], dtype=object)
    item_block = np.fromiter((it[1] for it in items), np.int64, n_items)
    whole_item = np.fromiter((it[3] is None for it in items), bool, n_items)
    # the half windows, as code points: each anchor's first and last, then each item's first
    # (unless only its end is known) and last (unless only its start is), in that order; a
    # window's key says which half of which block it is
    anchors = np.flatnonzero(anchor)
    item_codes, item_len = _char_codes(item_obj.tolist())
    k_anchor = np.minimum(half[blocks[anchors]], lengths[anchors])
    k_item = np.minimum(half[item_block], item_len)
    width = int(max(k_anchor.max(), k_item.max()))
    a_first, a_last = _halves(node_codes[anchors], lengths[anchors], k_anchor, width)
    a_block = blocks[anchors]
    i_first, i_last = _halves(item_codes, item_len, k_item, width)
    # a whole reading has both halves; a partial one the half on its known end
    with_first = np.fromiter((it[3] is None or it[3] in _HEAD_ENDS for it in items), bool, n_items)
    with_last = np.fromiter((it[3] is None or it[3] in _TAIL_ENDS for it in items), bool, n_items)
    chosen = np.stack([with_first, with_last], axis=1).ravel()
    window = np.concatenate(
        [
            np.stack([a_first, a_last], axis=1).reshape(-1, width),
            np.stack([i_first, i_last], axis=1).reshape(-1, width)[chosen],
        ]
    )
    window_len = np.r_[np.repeat(k_anchor, 2), np.repeat(k_item, 2)[chosen]]
    keys = np.r_[
        np.stack([2 * a_block, 2 * a_block + 1], axis=1).ravel(),
        np.stack([2 * item_block, 2 * item_block + 1], axis=1).ravel()[chosen],
    ]
    # >= 0: anchor node; < 0: -1 - item
    own = np.r_[np.repeat(anchors, 2), np.repeat(-1 - np.arange(n_items), 2)[chosen]]
    # crowding: spellings seen at least twice with another such spelling, of another group,
    # within two edits; measured on an evenly spread sample of them (a share, not a list)
    seen = attached >= 2
    step = max(1, int(seen.sum()) // CROWD_SAMPLE)
    sampled = np.zeros(n_nodes, dtype=bool)
    sampled[np.flatnonzero(seen)[::step]] = True
    # the pairs used below have a reading or a sampled spelling (most of the anchors' pairs
    # have neither)
    wanted = (own < 0) | sampled[np.maximum(own, 0)]
    cand = _one_edit_candidates(window, window_len, keys, HALF_BUCKET, wanted)
    if not cand.size:
        return
    a_own, b_own = own[cand[:, 0]], own[cand[:, 1]]
    both = (a_own >= 0) & (b_own >= 0)
    pa, pb = a_own[both], b_own[both]
    keep = seen[pa] & seen[pb] & (sampled[pa] | sampled[pb]) & (roots[pa] != roots[pb])
    pa, pb = pa[keep], pb[keep]
    crowded_nodes = np.zeros(n_nodes, dtype=bool)
    if pa.size:
        code = _distinct(np.minimum(pa, pb) * n_nodes + np.maximum(pa, pb))
        pa, pb = code // n_nodes, code % n_nodes
        near = (
            process.cpdist(
                node_obj[pa].tolist(),
                node_obj[pb].tolist(),
                scorer=OSA.distance,
                score_cutoff=2,
                dtype=np.int32,
            )
            <= 2
        )
        crowded_nodes[pa[near]] = True
        crowded_nodes[pb[near]] = True
    n_blocks = int(blocks.max()) + 1
    crowd = np.bincount(blocks[crowded_nodes & sampled], minlength=n_blocks) / np.maximum(
        np.bincount(blocks[sampled], minlength=n_blocks), 1
    )
    is_open = (crowd <= CROWDED).tolist()
    # reading-to-group candidates
    mixed = (a_own >= 0) != (b_own >= 0)
    item_of = -1 - np.where(a_own < 0, a_own, b_own)[mixed]
    node_of_pair = np.where(a_own >= 0, a_own, b_own)[mixed]
    item_idx, node_pair = np.divmod(_distinct(item_of * n_nodes + node_of_pair), n_nodes)
    # reading-to-reading candidates (every block; the limit is lower in crowded ones):
    # towards a lone whole reading
    two = (a_own < 0) & (b_own < 0)
    ia, ib = -1 - a_own[two], -1 - b_own[two]
    ok = ia != ib
    ia, ib = ia[ok], ib[ok]
    # (from, to): to a whole reading; both ways when both are whole
    src = np.r_[ia[whole_item[ib]], ib[whole_item[ia]]]
    dst = np.r_[ib[whole_item[ib]], ia[whole_item[ia]]]
    pair_src, pair_dst = np.divmod(_distinct(src * n_items + dst), n_items)
    # distances: a whole reading's to the group's spelling, a partial one's to the nearest
    # start or end of it (each kind in one rapidfuzz call)
    whole_pair = whole_item[item_idx]
    item_end = np.array([it[3] for it in items], dtype=object)
    dist, piece_of = _pair_distances(
        item_obj[item_idx], item_end[item_idx], whole_pair, node_obj[node_pair], 3, 2
    )
    power = _group_power(obs_node, roots, attr_arr)
    item_own = np.fromiter((it[4] for it in items), np.int64, n_items)
    item_attr: list[float | None] = [  # NaN: not given
        None if v != v else v for v in attr_arr[[it[0] for it in items]].tolist()
    ]
    # per main item: (cost, target, edits, piece, partial) of each group (by root) near it,
    # and of each lone whole reading (by item) near it
    to_group: dict[int, dict[int, tuple[float, int, int, str, str]]] = defaultdict(dict)
    to_item: dict[int, dict[int, tuple[float, int, int, str, str]]] = defaultdict(dict)
    # near enough (a partial: two edits), and not the reading's own group (an alternative's)
    pair_root = roots[node_pair]
    pair_own = item_own[item_idx]
    near = (
        (dist <= 3)
        & (whole_pair | (dist <= 2))
        & ((pair_own < 0) | (roots[np.maximum(pair_own, 0)] != pair_root))
    )
    kept = np.flatnonzero(near)
    for k, i, x, d, root in zip(
        kept.tolist(),
        item_idx[kept].tolist(),
        node_pair[kept].tolist(),
        dist[kept].tolist(),
        pair_root[kept].tolist(),
        strict=True,
    ):
        _obs, _b, skel, end, _own, main = items[i]
        target, at = (node_skel[x], 0) if end is None else piece_of[k]
        model = max(0, prefix_of[node_block[x]] - at)
        cost = _weighted_cost(skel, target, d, model)
        a, g = item_attr[i], power.get(root)
        if a is not None and g is not None:
            cost += -POWER_BONUS if _compatible(a, g, tolerance) else POWER_COST
        known = to_group[main].get(root)
        if known is None or cost < known[0]:
            to_group[main][root] = (cost, x, d, target, skel)
    # towards a lone whole reading of another main item: within two edits (a partial: one
    # from the start or end of it)
    item_main = np.fromiter((it[5] for it in items), np.int64, n_items)
    other_main = item_main[pair_src] != item_main[pair_dst]
    pair_src, pair_dst = pair_src[other_main], pair_dst[other_main]
    whole_src = whole_item[pair_src]
    pair_dist, pair_piece = _pair_distances(
        item_obj[pair_src], item_end[pair_src], whole_src, item_obj[pair_dst], 2, 1
    )
    kept = np.flatnonzero((pair_dist <= 2) & (whole_src | (pair_dist <= 1)))
    for k, i, j, d in zip(
        kept.tolist(),
        pair_src[kept].tolist(),
        pair_dst[kept].tolist(),
        pair_dist[kept].tolist(),
        strict=True,
    ):
        _obs, _b, skel, end, _own, main = items[i]
        other = items[j]
        if end is None:
            target, at = other[2], 0
        else:
            target, at = pair_piece[k]
        cost = _weighted_cost(skel, target, d, max(0, prefix_of[other[1]] - at))
        if not _compatible(item_attr[i], item_attr[j], tolerance):
            cost += POWER_COST
        known = to_item[main].get(j)
        if known is None or cost < known[0]:
            to_item[main][j] = (cost, j, d, target, skel)
    # decisions: towards a group when one is near; else (open blocks) towards a lone reading
    choice: dict[int, tuple[float, int, int, str, str, float, bool]] = {}
    for main in sorted(set(to_group) | set(to_item)):
        obs, b, skel, end, own_node, _main = items[main]
        near_groups = to_group.get(main)
        by_target = near_groups if near_groups else to_item.get(main, {})
        ranked = sorted(by_target.values())
        cost, x, d, target, used = ranked[0]
        partial = used != skel or end is not None
        following = ranked[1][0] if len(ranked) > 1 else float("inf")
        if not near_groups:
            limit = PAIR_COST if is_open[b] else PAIR_COST_CROWDED
        elif partial:
            limit = PARTIAL_COST_OPEN if is_open[b] else PARTIAL_COST
        else:
            limit = NEAREST_COST_OPEN if is_open[b] else NEAREST_COST
        if cost > limit or following - cost < NEAREST_MARGIN:
            if len(ranked) > 1 and end is not None:
                ambiguous[obs] = max(ambiguous.get(obs, 0), len(ranked))
            continue
        choice[main] = (cost, x, d, target, used, following, bool(near_groups))
    for main, (cost, x, d, target, used, following, group) in choice.items():
        obs, b, skel, end, own_node, _main = items[main]
        partial = used != skel or end is not None
        nxt = "no other near" if following == float("inf") else f"next {following:g}"
        if group:
            into, first = x, node_first[x]
            rule = "partial-nearest" if partial else "nearest-group"
        else:  # a lone whole reading; two whole ones: each must be the other's nearest
            mutual = choice.get(x)
            if end is None and (mutual is None or mutual[6] or mutual[1] != main):
                continue
            if end is None and x < main:
                continue  # the pair is linked once
            into, first = items[x][4], items[x][0]
            rule = "partial-nearest" if partial else "nearest-reading"
        if own_node >= 0:
            uf.union(own_node, into)
        else:
            obs_node[obs] = into
        shown = used if used == skel else f"{used} (its end lost)"
        links.append(
            Link(
                first,
                obs,
                rule,
                round(100 * (1 - d / max(len(skel), 1)), 1),
                CONFIDENCE[rule],
                f"{shown} ~ {target} ({d} edits, cost {cost:g}; {nxt})",
            )
        )
