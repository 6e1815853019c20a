"""Revenue outliers computed in SQL (issue 14) give the warnings the former Python computation gave.

A run of revenue files (two intake runs, on both engines) with planted outliers, re-sent months, corrected
months, an agency with too little history, one with no spread, two files received at the same second:
each accepted file's ``outlier`` warnings must be those of the reference below, the former in-memory
computation (history = the files accepted before, the latest value of each agency-month in received order,
the file's own months left out, ``MIN_HISTORY`` months at least, MAD 0: no warning).
"""

from __future__ import annotations

import random
import re
import statistics
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from ingest.intake import take_in
from ingest.parsing import Limits
from ingest.sources import Incoming, Source
from ingest.submission import prepare
from ingest.warnings import MIN_HISTORY, MODIFIED_Z_LIMIT
from pressdx.domain.reference import reference

T0 = datetime(2024, 6, 20, 3, 0, tzinfo=UTC)
CBC = Source("CBC:inbox", "CBC", "folder")
HEAD = "unit_code,dataset,period,status,"
AGENCIES = [f"A{i:03d}" for i in range(1, 13)]
REGISTER = HEAD + "agency_code,agency_name,agency_kind,governing_body,media_types\n" + "".join(
    f"CBC,agency_register,2024-Q2,official,{a},Báo {a},newspaper,Bộ,print\n" for a in AGENCIES)


def months(first: str, n: int) -> list[date]:
    y, m = map(int, first.split("-"))
    return [date(y + (m - 1 + k) // 12, (m - 1 + k) % 12 + 1, 1) for k in range(n)]


def revenue_csv(rows: list[tuple[str, date, int]]) -> str:
    return HEAD + "agency_code,month,revenue_vnd\n" + "".join(
        f"CBC,agency_revenue,2024-Q2,official,{a},{m:%Y-%m},{v}\n" for a, m, v in rows)


def scenario() -> list[list[tuple[str, str, str, int]]]:
    """Two runs of (name, csv text, minutes after T0) files, the register first."""
    rnd = random.Random(14)
    base = {a: rnd.randint(50, 500) * 1_000_000 for a in AGENCIES}

    def normal(a):
        return int(base[a] * rnd.uniform(0.8, 1.2))

    first = [(a, m, normal(a)) for a in AGENCIES[:10] for m in months("2023-01", 8)]
    first = [(a, m, 7_000_000 if a == "A009" else v) for a, m, v in first]  # A009: no spread
    first = [r for r in first if r[0] != "A010" or r[1] < date(2023, 5, 1)]  # A010: 4 months only
    second = [(a, m, normal(a) * (12 if a in ("A001", "A004") else 1)) for a in AGENCIES[:10]
              for m in months("2023-09", 2)]
    second += [("A009", date(2023, 11, 1), 9_000_000), ("A010", date(2023, 11, 1), 10**12)]
    resend = [r for r in second if r[0] == "A001" and r[1] == date(2023, 9, 1)]  # unchanged: judged already
    third = resend + [("A002", date(2023, 5, 1), base["A002"] * 20),  # a corrected month, now far off
                      ("A003", date(2023, 12, 1), base["A003"] // 40), ("A005", date(2023, 12, 1), normal("A005"))]
    tie = [("A003", date(2023, 12, 1), normal("A003")), ("A006", date(2024, 1, 1), base["A006"] * 30)]
    later = [(a, m, normal(a) * (25 if (a, m.month) in (("A002", 2), ("A007", 3)) else 1))
             for a in AGENCIES[:8] for m in months("2024-01", 3)]
    later += [("A011", date(2024, 1, 1), 5)]  # no history at all
    run1 = [("register.csv", REGISTER, 0), ("r1.csv", revenue_csv(first), 1), ("r2.csv", revenue_csv(second), 2),
            ("r3a.csv", revenue_csv(third), 3), ("r3b.csv", revenue_csv(tie), 3)]  # r3b: same second, after r3a
    run2 = [("r4.csv", revenue_csv(later), 60), ("r5.csv", revenue_csv(second[:6]), 61)]  # r5: old months again
    return [run1, run2]


def reference_outliers(series: dict[str, dict], rows: list[dict]) -> list[tuple[int, str]]:
    """The former Python computation (ingest/warnings.py before issue 14): (line, z as told) per warning."""
    mine: dict[str, dict] = defaultdict(dict)
    for r in rows:
        mine[r["agency_code"]][r["month"]] = r
    out = []
    for code, ms in mine.items():
        before = series.get(code, {})
        changed = [r for m, r in ms.items() if before.get(m) != r["revenue_vnd"]]
        history = [v for m, v in before.items() if v is not None and m not in ms]
        if not changed or len(history) < MIN_HISTORY:
            continue
        med = statistics.median(history)
        mad = statistics.median([abs(x - med) for x in history])
        if mad == 0:
            continue
        for r in changed:
            z = 0.6745 * (float(r["revenue_vnd"]) - med) / mad
            if abs(z) > MODIFIED_Z_LIMIT:
                out.append((r["_line"], f"{z:.1f}"))
    return out


def test_sql_outliers_are_the_python_ones(wh, tmp_path):
    series: dict[str, dict] = defaultdict(dict)
    expected, got, values = {}, {}, {}
    for n, run in enumerate(scenario()):
        items = [Incoming(CBC, name, text.encode(), T0 + timedelta(minutes=mins)) for name, text, mins in run]
        res = take_in(wh, items, run_id=f"r{n}", data_root=tmp_path, limits=Limits())
        assert not res.rejected, [s.report() for s in res.rejected]
        for sub in res.accepted:  # in the order they were taken in
            if sub.meta["dataset"] != "agency_revenue":
                continue
            rows = prepare(sub.item, reference(), Limits()).rows
            expected[sub.item.path] = reference_outliers(series, rows)
            for r in rows:
                series[r["agency_code"]][r["month"]] = float(r["revenue_vnd"])
            got[sub.item.path] = [(w.row, re.search(r"modified z-score (-?[\d.]+) >", w.message_en)[1])
                                  for w in sub.warnings if w.rule == "outlier"]
            values[sub.item.path] = {w.value for w in sub.warnings if w.rule == "outlier"}
    assert got == expected
    told = {path: [line for line, _ in ws] for path, ws in expected.items()}
    assert len(told["r2.csv"]) >= 4  # A001 and A004, both months
    assert told["r3a.csv"]  # the corrected A002 month, against the other seven
    assert told["r3b.csv"]  # A006 at 30 times its level
    assert told["r4.csv"] and told["r5.csv"] == []  # r5: the months r2 sent, against a history now holding r4
    assert "1000000000000" not in values["r2.csv"]  # A010: 4 months, too few to judge
    assert "9000000" not in values["r2.csv"]  # A009: eight equal months, no spread to judge by
