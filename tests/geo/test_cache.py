"""The file cache of the built classifier: written once, read back, rebuilt when unreadable."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from manche.geo import classify as classify_module
from manche.geo.cache import cached_classifier, fingerprint
from manche.geo.classify import classify


@pytest.fixture(autouse=True)
def _uninstall() -> Iterator[None]:
    yield
    classify_module._installed.clear()


def test_written_then_read_back_with_identical_answers(tmp_path: Path) -> None:
    lon = np.array([1.5, 1.322528, 0.0, 2.6])
    lat = np.array([51.0, 51.097722, 50.15, 51.13])
    built = classify(lon, lat)
    cached_classifier(tmp_path)
    files = list(tmp_path.glob("geo-classifier-*.pickle"))
    assert len(files) == 1 and fingerprint() in files[0].name
    stamp = files[0].stat().st_mtime_ns
    classify_module._installed.clear()
    loaded = cached_classifier(tmp_path)
    assert files[0].stat().st_mtime_ns == stamp  # read, not rewritten
    assert classify_module.classifier() is loaded
    again = classify(lon, lat)
    assert list(again.sovereignty) == list(built.sovereignty)
    assert list(again.shipping) == list(built.shipping)
    assert np.allclose(again.nm_to_coast_fr, built.nm_to_coast_fr)


def test_unreadable_cache_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / f"geo-classifier-{fingerprint()}.pickle"
    path.write_bytes(b"not a pickle")
    cached_classifier(tmp_path)
    assert path.read_bytes()[:1] == b"\x80"  # a pickle again
    assert classify([1.5], [51.0]).shipping[0] == "NE-LANE"
