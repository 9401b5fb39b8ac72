"""Item 5 of issue 17: progress, the GIL released during a run, Ctrl-C stopping it cleanly."""

import os
import signal
import threading
import time

import pytest

import gongfu

SCENARIO = "scenarios/baseline.toml"


def test_progress_reports_every_year(root):
    seen = []
    gongfu.run(
        root / SCENARIO, persons=2000, years=(2022, 2024), replications=2,
        progress=lambda *step: seen.append(step),
    )
    assert [s[4] for s in seen] == [6] * 6
    assert [s[3] for s in seen] == [1, 2, 3, 4, 5, 6]
    assert [(s[1], s[2]) for s in seen] == [(r, y) for r in (0, 1) for y in (2022, 2023, 2024)]
    assert {s[0] for s in seen} == {"baseline"}


def test_an_exception_in_the_callback_stops_the_run(root):
    calls = []

    def stop(*step):
        calls.append(step)
        raise RuntimeError("enough")

    with pytest.raises(RuntimeError, match="enough"):
        gongfu.run(root / SCENARIO, persons=2000, years=(2022, 2030), progress=stop)
    assert len(calls) == 1


def test_gil_is_released_during_a_run(root):
    """A Python thread keeps running while the library simulates: with the GIL held it could
    only tick between years."""
    ticks = 0
    done = threading.Event()

    def count():
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.001)

    years_done = []
    t = threading.Thread(target=count)
    t.start()
    try:
        gongfu.run(
            root / SCENARIO, persons=20000, years=(2022, 2023),
            progress=lambda *s: years_done.append(ticks),
        )
    finally:
        done.set()
        t.join()
    # Ticks happened while the first year was simulated, before any progress call.
    assert years_done[0] > 10, years_done


def test_ctrl_c_interrupts_at_a_year_boundary(root):
    """SIGINT sent while the library simulates (as Ctrl-C sends it) raises KeyboardInterrupt at
    the next year boundary, long before the run's 29 years; the interpreter goes on."""
    seen = []
    first_year = threading.Event()

    def progress(*step):
        seen.append(step)
        first_year.set()

    def interrupt():
        first_year.wait(60)
        os.kill(os.getpid(), signal.SIGINT)

    sender = threading.Thread(target=interrupt)
    sender.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            gongfu.run(root / SCENARIO, persons=20000, years=(2022, 2050), progress=progress)
    finally:
        sender.join()
    assert 1 <= len(seen) < 29, len(seen)


def test_default_progress_draws_a_tqdm_bar_when_tqdm_is_there(root, monkeypatch):
    """With no `progress` given, a run updates a tqdm bar (a stand-in module here: tqdm is not
    among the pinned test tools) to the planned total and closes it."""
    import sys
    import types

    bars = []

    class Bar:
        def __init__(self, total, unit):
            self.total, self.n, self.closed = total, 0, False
            bars.append(self)

        def set_description(self, text):
            self.description = text

        def update(self, k):
            self.n += k

        def close(self):
            self.closed = True

    auto = types.ModuleType("tqdm.auto")
    auto.tqdm = Bar
    monkeypatch.setitem(sys.modules, "tqdm", types.ModuleType("tqdm"))
    monkeypatch.setitem(sys.modules, "tqdm.auto", auto)
    gongfu.run(root / SCENARIO, persons=2000, years=(2022, 2024))
    assert len(bars) == 1
    assert (bars[0].total, bars[0].n, bars[0].closed) == (3, 3, True)
    assert bars[0].description == "baseline rep 0 2024"
