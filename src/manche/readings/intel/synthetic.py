"""Generated observations of boats and engines with known truth, for tests and benchmarks.

Nothing here is real data. Each *entity* (a boat with an ISO 10087 CIN, or an engine with a
serial in its make's format) is observed several times (1 + Poisson(3) observations, so about 4
on average); each observation is the identifier as an officer might have written it:

- **partial** (``partial_rate``, default 10 %): 1-3 characters lost at the start (60 %) or the
  end; the missing end is marked (``…``) in 70 % of partials, otherwise the serial is just
  shorter;
- **character errors** (``char_error_rate``, default 5 %): that share of observations carries
  one wrong character (two in a fifth of them); with ``per_character=True`` every character is
  wrong with that probability instead (a much harsher reading: a 12-character serial then has
  at least one error 46 % of the time). An error is a classic OCR confusion (O/0, I/1, S/5,
  B/8, Z/2, G/6) when the character has one (50 %), else a random substitution (25 %), a
  deletion (10 %), a swap with the next character (10 %) or an inserted character (5 %);
- formatting noise (hyphens, spaces, lower case), misspelt makes (3 %), power unknown (30 %)
  or wrong (2 %).

Serials are drawn uniformly from each format's space, so distinct engines of one make rarely
lie within one edit of each other; real production runs are sequential and denser, which makes
fuzzy links riskier than measured here (docs/intelligence.md, limits).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from manche.domain.identifiers.engine_serial import resolve_make
from manche.domain.identifiers.examples import (
    DIGITS as _DIGITS,
)
from manche.domain.identifiers.examples import (
    ENGINE_MAKES,
    engine_serial,
    hin,
    manufacturer_codes,
)
from manche.domain.identifiers.examples import (
    LETTERS as _LETTERS,
)
from manche.readings.intel.linking import Linkage, link_observations

_CONFUSE = {
    "O": "0",
    "0": "O",
    "I": "1",
    "1": "I",
    "S": "5",
    "5": "S",
    "B": "8",
    "8": "B",
    "Z": "2",
    "2": "Z",
    "G": "6",
    "6": "G",
}
_ALNUM = _DIGITS + _LETTERS

_MISSPELL = {
    "Yamaha": "Yamahha",
    "Mercury": "Mercurry",
    "Suzuki": "Suzuky",
    "Honda": "Hondda",
    "Tohatsu": "Tohatzu",
    "Parsun": "Parsunn",
}


@dataclass(frozen=True, slots=True)
class Synthetic:
    """Observations (columns) with the true entity of each."""

    kind: list[str]  # "boat" | "engine"
    make: list[str]  # as written (may be misspelt)
    true_make: list[str]
    identifier: list[str]  # as written
    attribute: list[float | None]  # power (hp) or length (m), as written
    truth: npt.NDArray[np.int64]
    # what the generator did to each observation (for analyses such as the linking ceiling)
    true_identifier: list[str] = field(default_factory=list)
    true_attribute: list[float] = field(default_factory=list)
    lost: list[int] = field(default_factory=list)  # characters lost (partial serial), 0 if whole
    errors: list[int] = field(default_factory=list)  # character errors applied

    def __len__(self) -> int:
        return len(self.identifier)


def _error(rnd: random.Random, out: list[str], i: int) -> int:
    """Apply one error at position ``i`` of ``out`` (in place); return the next position."""
    c = out[i]
    r = rnd.random()
    if r < 0.5 and c in _CONFUSE:
        out[i] = _CONFUSE[c]
    elif r < 0.75:
        out[i] = rnd.choice([x for x in _ALNUM if x != c])
    elif r < 0.85 and len(out) > 1:
        del out[i]
        return i
    elif r < 0.95 and i + 1 < len(out):
        out[i], out[i + 1] = out[i + 1], c
        return i + 2
    else:
        out.insert(i + 1, rnd.choice(_ALNUM))
        return i + 2
    return i + 1


def _garble(rnd: random.Random, text: str, rate: float, per_character: bool) -> tuple[str, int]:
    """The text with errors, and how many errors were applied."""
    out = list(text)
    if per_character:
        i = count = 0
        while i < len(out):
            if rnd.random() < rate:
                i = _error(rnd, out, i)
                count += 1
            else:
                i += 1
        return "".join(out), count
    if rnd.random() >= rate:
        return text, 0
    count = 2 if rnd.random() < 0.2 else 1
    for _ in range(count):
        _error(rnd, out, rnd.randrange(len(out)))
    return "".join(out), count


def _format(rnd: random.Random, text: str, kind: str) -> str:
    r = rnd.random()
    if kind == "boat" and r < 0.6 and len(text) == 14:
        text = text[:2] + "-" + text[2:]
    elif r < 0.3 and len(text) > 6:
        cut = rnd.randint(3, 4)
        text = text[:cut] + "-" + text[cut:]
    elif r < 0.4:
        text = text.lower()
    return text


def generate(
    n: int,
    *,
    seed: int = 1,
    char_error_rate: float = 0.05,
    partial_rate: float = 0.10,
    boat_share: float = 0.25,
    per_character: bool = False,
) -> Synthetic:
    """``n`` observations of about ``n / 4`` boats and engines, reproducible from ``seed``."""
    rnd = random.Random(seed)
    nrng = np.random.default_rng(seed)
    counts = 1 + nrng.poisson(3.0, size=n)
    entities = int(np.searchsorted(np.cumsum(counts), n)) + 1
    counts = counts[:entities]
    counts[-1] -= int(counts.sum()) - n
    mics = manufacturer_codes(rnd, 150)
    names = list(ENGINE_MAKES)
    shares = [ENGINE_MAKES[m][0] for m in names]
    kind: list[str] = []
    make: list[str] = []
    true_make: list[str] = []
    ident: list[str] = []
    attr: list[float | None] = []
    true_ids: list[str] = []
    true_attrs: list[float] = []
    lost_list: list[int] = []
    error_list: list[int] = []
    truth = np.repeat(np.arange(entities, dtype=np.int64), counts)
    for e in range(entities):
        if rnd.random() < boat_share:
            k, m, true_id = "boat", "", hin(rnd, mics)
            value: float = round(rnd.uniform(6.0, 12.0), 1)
            choices: tuple[float, ...] = (value,)
        else:
            k = "engine"
            m = rnd.choices(names, weights=shares)[0]
            true_id = engine_serial(rnd, m)
            choices = ENGINE_MAKES[m][1]
            value = rnd.choice(choices)
        for _ in range(int(counts[e])):
            text = true_id
            lost = 0
            if rnd.random() < partial_rate:
                lost = rnd.randint(1, 3)
                marked = rnd.random() < 0.7
                if rnd.random() < 0.6:
                    text, count = _garble(rnd, text[lost:], char_error_rate, per_character)
                    text = ("…" if marked else "") + text
                else:
                    text, count = _garble(rnd, text[:-lost], char_error_rate, per_character)
                    text += "…" if marked else ""
            else:
                text, count = _garble(rnd, text, char_error_rate, per_character)
                text = _format(rnd, text, k)
            written_make = m
            if m and rnd.random() < 0.03:
                written_make = _MISSPELL[m]
            r = rnd.random()
            a: float | None = value
            if r < 0.30:
                a = None
            elif r < 0.32 and k == "engine":
                a = rnd.choice([p for p in ENGINE_MAKES[m][1] if p != value] or [value])
            kind.append(k)
            make.append(written_make)
            true_make.append(m)
            ident.append(text)
            attr.append(a)
            true_ids.append(true_id)
            true_attrs.append(value)
            lost_list.append(lost)
            error_list.append(count)
    return Synthetic(
        kind, make, true_make, ident, attr, truth, true_ids, true_attrs, lost_list, error_list
    )


def link_generated(data: Synthetic) -> Linkage:
    """Link generated observations as the intelligence reading does: resolve the make as
    written (cached per spelling), block by kind and make, link."""
    resolved: dict[str, str | None] = {}
    makes: list[str | None] = []
    blocks: list[str] = []
    for kind, written in zip(data.kind, data.make, strict=True):
        if kind == "boat":
            makes.append(None)
            blocks.append("boat")
            continue
        if written not in resolved:
            resolved[written] = resolve_make(written)[0]
        make = resolved[written]
        makes.append(make)
        blocks.append(f"engine|{make or written.upper()}")
    return link_observations(
        blocks, data.identifier, data.attribute, makes=makes, hin=[k == "boat" for k in data.kind]
    )


def pairwise_scores(
    truth: npt.NDArray[np.int64], predicted: npt.NDArray[np.int64]
) -> tuple[float, float]:
    """Pairwise precision and recall: over all pairs of observations, those put in one group
    by the linker that are truly one entity, and those truly one entity that the linker put in
    one group."""

    def pairs(labels: npt.NDArray[np.int64]) -> int:
        _, sizes = np.unique(labels, return_counts=True)
        return int((sizes * (sizes - 1) // 2).sum())

    joint = truth.astype(np.int64) * (int(predicted.max()) + 1) + predicted
    tp = pairs(joint)
    predicted_pairs = pairs(predicted)
    true_pairs = pairs(truth)
    precision = tp / predicted_pairs if predicted_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    return precision, recall


def bcubed_scores(
    truth: npt.NDArray[np.int64], predicted: npt.NDArray[np.int64]
) -> tuple[float, float]:
    """B-cubed (per observation) precision and recall: for each observation, the share of its
    predicted group that is truly its entity, and the share of its entity found in its group,
    averaged over observations (large groups weigh no more than their observations)."""
    joint = truth.astype(np.int64) * (int(predicted.max()) + 1) + predicted
    _, cell_inverse, cell_sizes = np.unique(joint, return_inverse=True, return_counts=True)
    _, pred_inverse, pred_sizes = np.unique(predicted, return_inverse=True, return_counts=True)
    _, true_inverse, true_sizes = np.unique(truth, return_inverse=True, return_counts=True)
    cell = cell_sizes[cell_inverse].astype(np.float64)
    precision = float(np.mean(cell / pred_sizes[pred_inverse]))
    recall = float(np.mean(cell / true_sizes[true_inverse]))
    return precision, recall
