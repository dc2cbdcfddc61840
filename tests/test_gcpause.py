"""The shared pause of the cyclic garbage collector (manche.gcpause)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from manche.gcpause import paused
from manche.readings.intel.linking import link_observations


@pytest.fixture(autouse=True)
def _collector_enabled() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_paused_inside_and_enabled_again_after() -> None:
    with paused():
        assert not gc.isenabled()
        with paused():  # nested
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()


def test_enabled_again_after_an_exception() -> None:
    with pytest.raises(ValueError), paused():
        raise ValueError("inside")
    assert gc.isenabled()


def test_a_collector_disabled_by_the_program_stays_disabled() -> None:
    gc.disable()
    with paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_threads_overlapping_leave_it_enabled_when_the_last_one_leaves() -> None:
    """Thread A enters, B enters, A leaves (B still inside: still paused), B leaves."""
    a_in, b_in, a_out, b_may_leave = (threading.Event() for _ in range(4))
    seen: dict[str, bool] = {}

    def first() -> None:
        with paused():
            a_in.set()
            b_in.wait(5)
        a_out.set()

    def second() -> None:
        a_in.wait(5)
        with paused():
            b_in.set()
            a_out.wait(5)
            seen["after A left"] = gc.isenabled()
            b_may_leave.wait(5)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    a_out.wait(5)
    b_may_leave.set()
    for t in threads:
        t.join(5)
    assert seen == {"after A left": False}
    assert gc.isenabled()


def test_linking_leaves_the_collector_as_it_found_it() -> None:
    linkage = link_observations(["engine|Yamaha"] * 2, ["6CJ-1012345", "6CJ-1O12345"])
    assert linkage.group[0] == linkage.group[1]  # O read for 0: one engine
    assert gc.isenabled()
