-- Reporting rates of each unit for a reporting year through one of its quarters (kpi-rules.md,
-- "Timeliness and completeness"): the counts of fct_unit_reporting_rate summed over the periods Y-Q1 ..
-- Y-Qq (through_quarter 4: the whole year, annual reports included; 2: the first half), then
-- completeness_pct = 100 × (on_time + late) / due and timeliness_pct = 100 × on_time / due on the sums
-- (never the mean of the periods' percentages); NULL while nothing is due. A row exists when at least one
-- submission of those periods is expected from the unit.
with quarters as (
    select cast(1 as integer) as through_quarter
    union all select cast(2 as integer)
    union all select cast(3 as integer)
    union all select cast(4 as integer)
),

summed as (
    select
        r.unit_code,
        r.year,
        q.through_quarter,
        sum(r.expected) as expected,
        sum(r.due) as due,
        sum(r.on_time) as on_time,
        sum(r.late) as late,
        sum(r.missing) as missing,
        sum(r.not_due) as not_due,
        sum(r.provisional) as provisional
    from {{ ref('fct_unit_reporting_rate') }} as r
    inner join quarters as q
        on r.quarter <= q.through_quarter
    group by r.unit_code, r.year, q.through_quarter
)

select
    cast(s.unit_code as varchar) as unit_code,
    cast(s.year as integer) as year,
    cast(s.through_quarter as integer) as through_quarter,
    cast(s.expected as integer) as expected,
    cast(s.due as integer) as due,
    cast(s.on_time as integer) as on_time,
    cast(s.late as integer) as late,
    cast(s.missing as integer) as missing,
    cast(s.not_due as integer) as not_due,
    cast(s.provisional as integer) as provisional,
    {{ pct('s.on_time + s.late', 's.due') }} as completeness_pct,
    {{ pct('s.on_time', 's.due') }} as timeliness_pct,
    b.as_of
from summed as s
cross join {{ ref('int_build__params') }} as b
