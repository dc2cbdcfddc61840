"""A file cache of the built classifier, so a command does not rebuild the layers each run.

The cache file is named by a fingerprint of everything the build depends on: the bundled
files, the source of the modules that build the layers and the index, and the versions of
Python, numpy, shapely/GEOS and pyproj/PROJ. Any change gives a new name; a file that cannot
be read is rebuilt. This is I/O at the edge: the geo functions themselves stay pure.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from importlib import resources
from pathlib import Path

import numpy as np
import pyproj
import shapely

from manche.geo import classify as classify_module
from manche.geo.classify import Classifier, classifier

_SOURCES = ("data", "projection", "treaty", "sovereignty", "tss", "layers", "classify")


def fingerprint() -> str:
    digest = hashlib.sha256()
    data = resources.files("manche").joinpath("data", "geo")
    for entry in sorted(data.iterdir(), key=lambda e: e.name):
        if entry.is_file():
            digest.update(entry.name.encode())
            digest.update(entry.read_bytes())
    package = resources.files("manche").joinpath("geo")
    for name in _SOURCES:
        digest.update(package.joinpath(f"{name}.py").read_bytes())
    versions = (
        sys.version,
        np.__version__,
        shapely.__version__,
        shapely.geos_version_string,
        pyproj.__version__,
        pyproj.proj_version_str,
    )
    digest.update(repr(versions).encode())
    return digest.hexdigest()[:20]


def cached_classifier(cache_dir: Path) -> Classifier:
    """The classifier, read from ``cache_dir`` when a current copy is there, else built and
    written there (atomically). Installed as the one :func:`manche.geo.classify.classify`
    uses."""
    path = cache_dir / f"geo-classifier-{fingerprint()}.pickle"
    built: Classifier | None = None
    try:
        with path.open("rb") as handle:
            loaded = pickle.load(handle)
        if isinstance(loaded, Classifier):
            built = loaded
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        built = None
    if built is None:
        built = classifier()
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".geo-", suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(built, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache we cannot write is only slower, never wrong
    classify_module.install(built)
    return built
