"""Warnings that need history: outliers and provisional figures left standing (submissions.md, Warnings).

They never reject a file; they tell the clerk (and the auditor, through ``audit.intake_messages``) that a
figure deserves a second look. History is read from ``raw``, which holds only accepted submissions.
"""

from __future__ import annotations

from pressdx.domain import calendar
from pressdx.domain.findings import warning
from pressdx.warehouse.connection import Warehouse

MODIFIED_Z_LIMIT = 3.5
MIN_HISTORY = 6  # fewer months give a MAD too small to mean anything
STAFF_CHANGE_LIMIT = 0.5
PROVISIONAL_GRACE_PERIODS = 2


# The statistics of one revenue file against what was accepted before it, in SQL on either engine (issue 14):
# the file's rows go to a temporary table; for each of its agencies, the latest earlier value of every month
# (received order; files of one run by when they were loaded) outside the file's own months is the history,
# whose median and MAD (``percentile_cont``, the median's interpolation: the same numbers on DuckDB and
# PostgreSQL, and as ``statistics.median`` for any revenue below 2**52) come back with the rows that changed
# and lie beyond the limit (the z-score is the same IEEE double arithmetic in SQL as in Python, redone there
# for the message).
FILE_TABLE = "pressdx_revenue_file"
_FILE_DDL = f"create temp table if not exists {FILE_TABLE} (pos bigint, agency_code varchar, month date, revenue_vnd bigint)"
_OUTLIER_SQL = f"""
with latest as (
    select agency_code, month, revenue_vnd from (
        select r.agency_code, r.month, r.revenue_vnd,
               row_number() over (partition by r.agency_code, r.month
                                  order by r.received_at desc, s.loaded_at desc, r.row_number desc) as k
        from raw.agency_revenue r join raw.submissions s on s.submission_id = r.submission_id
        where r.agency_code in (select agency_code from {FILE_TABLE})) x
    where k = 1 and revenue_vnd is not null),
hist as (
    select l.agency_code, cast(l.revenue_vnd as double precision) as v from latest l
    where not exists (select 1 from {FILE_TABLE} f where f.agency_code = l.agency_code and f.month = l.month)),
centre as (
    select agency_code, percentile_cont(0.5) within group (order by v) as med
    from hist group by agency_code having count(*) >= ?),
spread as (
    select c.agency_code, c.med, percentile_cont(0.5) within group (order by abs(h.v - c.med)) as mad
    from hist h join centre c on c.agency_code = h.agency_code group by c.agency_code, c.med)
select f.pos, s.med, s.mad
from {FILE_TABLE} f
join spread s on s.agency_code = f.agency_code
left join latest l on l.agency_code = f.agency_code and l.month = f.month
where s.mad <> 0 and (l.revenue_vnd is null or l.revenue_vnd <> f.revenue_vnd)
  and abs(0.6745 * (cast(f.revenue_vnd as double precision) - s.med) / s.mad) > ?
"""


def revenue_centres(wh: Warehouse, rows: list[dict]) -> list[tuple[int, float, float]]:
    """(position in ``rows``, median, MAD) of each row whose value differs from the agency's latest earlier
    one (re-sent unchanged: judged when it first came), where the agency has at least ``MIN_HISTORY`` months
    of history outside the file's own months and a MAD above 0, and whose modified z-score is beyond
    ``MODIFIED_Z_LIMIT``. The history is ``raw.agency_revenue`` as it stands: a file accepted earlier in the
    same run is already there (it is recorded before the next file is judged)."""
    wh.execute(_FILE_DDL)  # each time: a rolled-back transaction may have taken it away
    wh.execute(f"delete from {FILE_TABLE}")
    wh.insert_rows(FILE_TABLE, ("pos", "agency_code", "month", "revenue_vnd"),
                   [(i, r["agency_code"], r["month"], r["revenue_vnd"]) for i, r in enumerate(rows)])
    try:
        found = wh.query(_OUTLIER_SQL, (MIN_HISTORY, MODIFIED_Z_LIMIT))
        return [(int(p), float(med), float(mad)) for p, med, mad in found]
    finally:
        wh.execute(f"delete from {FILE_TABLE}")


def revenue_outliers(wh: Warehouse, sub) -> None:
    """A modified z-score above ``MODIFIED_Z_LIMIT`` against the agency's own history (Iglewicz–Hoaglin),
    told agency by agency in the order the file first names them, each agency's months in file order."""
    rows = sub.rows
    if not rows:
        return
    first: dict[str, int] = {}
    for i, r in enumerate(rows):
        first.setdefault(r["agency_code"], i)
    for pos, med, mad in sorted(revenue_centres(wh, rows), key=lambda t: (first[rows[t[0]]["agency_code"]], t[0])):
        r = rows[pos]
        z = 0.6745 * (float(r["revenue_vnd"]) - med) / mad
        if abs(z) > MODIFIED_Z_LIMIT:
            sub.findings.append(warning("outlier", row=r["_line"], column="revenue_vnd", value=r["revenue_vnd"],
                                        detail=(f"điểm z hiệu chỉnh {z:.1f} > {MODIFIED_Z_LIMIT}",
                                                f"modified z-score {z:.1f} > {MODIFIED_Z_LIMIT}")))


def staff_jumps(wh: Warehouse, sub) -> None:
    """A change of more than 50 % in an agency's staff count against the previous period's current value."""
    p = calendar.period(sub.meta["period"])
    prev = [q.code for q in calendar.periods() if q.index == p.index - 1]
    if not prev:
        return
    rows = wh.query(
        "select d.agency_code, d.staff_total from raw.agency_dx_status d join raw.submissions s "
        "using (submission_id) where s.period = ? and s.unit_code = ? and s.received_at = ("
        " select max(received_at) from raw.submissions x where x.period = s.period and x.unit_code = s.unit_code"
        " and x.dataset = 'agency_dx_status')", (prev[0], sub.meta["unit_code"]))
    before = {code: total for code, total in rows if total}
    for r in sub.rows:
        old, new = before.get(r["agency_code"]), r.get("staff_total")
        if old and new is not None and abs(new - old) / old > STAFF_CHANGE_LIMIT:
            sub.findings.append(warning("outlier", row=r["_line"], column="staff_total", value=new,
                                        detail=(f"kỳ trước {old}, thay đổi > 50 %", f"previous period {old}, change > 50%")))


def provisional_left_standing(wh: Warehouse, sub) -> None:
    """Earlier periods of this unit and dataset whose current version is still provisional two periods on."""
    p = calendar.period(sub.meta["period"])
    rows = wh.query(
        "select period, status from raw.submissions where unit_code = ? and dataset = ? order by received_at",
        (sub.meta["unit_code"], sub.meta["dataset"]))
    current: dict[str, str] = {}
    for period, status in rows:
        current[period] = status
    for period, status in sorted(current.items()):
        if status == "provisional" and calendar.period(period).index <= p.index - PROVISIONAL_GRACE_PERIODS:
            sub.findings.append(warning("provisional_not_replaced", column="status", value=period))


def add_history_warnings(wh: Warehouse, sub) -> None:
    ds = sub.meta["dataset"]
    if ds == "agency_revenue":
        revenue_outliers(wh, sub)
    elif ds == "agency_dx_status":
        staff_jumps(wh, sub)
    provisional_left_standing(wh, sub)
