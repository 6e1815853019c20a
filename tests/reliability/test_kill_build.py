"""kill -9 during a build never mixes two builds: the marts are the old build's or the new one's, whole.

Each trial starts a build that would replace the current marts (old ↔ new: through another period as of
another instant) in a process of its own and kills it with SIGKILL at a random moment of the build (the
delay is drawn over the time a whole build took, publication included). Then every mart is compared with
the reference dumps of both builds: it must equal one of them entirely (0 rows lost, duplicated or
changed), ``dim_build`` included. An as-of build killed half-way must be built again by the next question,
not reused.
"""

from __future__ import annotations

import os
import random
import re
import time

import pytest

from pressdx.warehouse import swap
from pressdx.warehouse.connection import Warehouse
from tests.reliability.conftest import BUILDS, differences, dump, kill9, python, timed_build

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("kill_build")]
TRIALS = int(os.environ.get("PRESSDX_KILL_TRIALS", 3))  # per engine, each about a whole build


@pytest.fixture(scope="module")
def references(loaded):
    """Dumps of the old and the new build, and how long a build took (old, then new: the state is new)."""
    seconds = {}
    dumps = {}
    for which in ("old", "new"):
        seconds[which] = timed_build(loaded, which)
        dumps[which] = dump(loaded)
        assert dumps[which]["dim_build"] and dumps[which]["fct_indicator_period"]
    assert differences(dumps["old"], dumps["new"]) > 0, "the two builds must differ to tell them apart"
    return dumps, seconds


def _state(url, dumps) -> tuple[str, int]:
    now = dump(url)
    lost = {which: differences(now, d) for which, d in dumps.items()}
    which = min(lost, key=lost.get)
    return which, lost[which]


def test_killed_builds_leave_the_old_or_the_new_marts_whole(loaded, references):
    dumps, seconds = references
    seed = int(os.environ.get("PRESSDX_RELIABILITY_SEED", time.time_ns() % 10**6))
    rng = random.Random(seed)
    state = "new"
    outcomes = []
    for _ in range(TRIALS):
        target = "old" if state == "new" else "new"
        delay = rng.uniform(0.2, 1.4) * seconds[target]  # some trials end before the kill
        proc = python("import sys; from pressdx.warehouse.dbt import build; "
                      "build(sys.argv[1], as_of=sys.argv[2], through=sys.argv[3])",
                      loaded.url, BUILDS[target][0].isoformat(), BUILDS[target][1])
        time.sleep(delay)
        finished = proc.poll() is not None
        kill9(proc)
        state, off = _state(loaded, dumps)
        outcomes.append((target, round(delay, 1), "finished" if finished else "killed", state, off))
        assert off == 0, f"seed {seed}: after {outcomes[-1]} the marts mix two builds ({off} rows off)"
        if finished:
            assert state == target
    print(f"\nkill -9 trials on {loaded.kind} (seed {seed}): {outcomes}")
    timed_build(loaded, "new")  # and a build after the kills publishes normally
    assert differences(dump(loaded), dumps["new"]) == 0


ASOF_CODE = ("import sys; from datetime import datetime; from pressdx.warehouse.asof import marts_for; "
             "from pressdx.warehouse.connection import WarehouseURL\n"
             "with marts_for(WarehouseURL.parse(sys.argv[1]), datetime.fromisoformat(sys.argv[2])) as (wh, s):\n"
             "    print(s, flush=True)\n")


def test_a_killed_asof_build_is_built_again_and_answers(loaded, references):
    """Asked as of the new build's instant (through its period), an as-of build equals the new marts."""
    from pressdx.warehouse.asof import marts_for

    dumps, seconds = references
    if differences(dump(loaded), dumps["new"]):
        timed_build(loaded, "new")  # the regular marts say through 2025-Q4, as the as-of build will
    as_of = BUILDS["new"][0]
    started = time.monotonic()  # how long a whole as-of build takes here (dbt parses from scratch for it)
    assert python(ASOF_CODE, loaded.url, as_of.isoformat()).wait(timeout=1800) == 0
    whole = time.monotonic() - started
    with Warehouse(loaded) as wh:
        built = {m.group(1) for (name,) in wh.query("select schema_name from information_schema.schemata")
                 if (m := re.match(r"(asof_[0-9a-f]+_)", name))}
    for p in built:
        swap.drop_schemas(loaded, p)
    rng = random.Random(os.environ.get("PRESSDX_RELIABILITY_SEED", 12))
    interrupted = False
    # When to kill, as a fraction of a whole as-of build: the first try at a random moment of its second
    # half, then halving the interval that is left (a later build of the same key parses and runs faster
    # than the measured one, so a fixed moment may find it finished: killed too late, it is tried sooner).
    too_soon, too_late = 0.0, 1.0
    fraction = rng.uniform(0.6, 0.85)
    for _ in range(8):
        proc = python(ASOF_CODE, loaded.url, as_of.isoformat())
        time.sleep(fraction * whole)
        kill9(proc)
        with Warehouse(loaded) as wh:
            prefixes = {m.group(1) for (name,) in wh.query("select schema_name from information_schema.schemata")
                        if (m := re.match(r"(asof_[0-9a-f]+_)", name))}
            complete = {p for p in prefixes if swap.is_complete(wh, p)}
        if prefixes and not complete:
            interrupted = True
            break
        if complete:  # it finished in time: drop it and kill sooner
            for p in complete:
                swap.drop_schemas(loaded, p)
            too_late = fraction
        else:  # nothing had begun: kill later
            too_soon = fraction
        fraction = (too_soon + too_late) / 2
    assert interrupted, "no try was killed in the middle of the as-of build"
    with marts_for(loaded, as_of) as (_, schema):
        assert schema.startswith("asof_")
    assert differences(dump(loaded, schema), dumps["new"]) == 0
