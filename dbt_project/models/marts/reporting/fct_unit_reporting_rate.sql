-- Reporting rates per unit and period (kpi-rules.md, "Timeliness and completeness"), from
-- fct_submission_timeliness: due = expected submissions whose state is not not_due,
-- completeness_pct = 100 × (on_time + late) / due, timeliness_pct = 100 × on_time / due (NULL when
-- nothing is due yet). Annual implementation reports and task progress count in period Y-Q4.
with counted as (
    select
        t.unit_code,
        t.period_code,
        t.year,
        t.quarter,
        t.period_index,
        count(*) as expected,
        sum(case when t.state <> 'not_due' then 1 else 0 end) as due,
        sum(case when t.state = 'on_time' then 1 else 0 end) as on_time,
        sum(case when t.state = 'late' then 1 else 0 end) as late,
        sum(case when t.state = 'missing' then 1 else 0 end) as missing,
        sum(case when t.state = 'not_due' then 1 else 0 end) as not_due,
        sum(case when t.provisional then 1 else 0 end) as provisional
    from {{ ref('fct_submission_timeliness') }} as t
    group by t.unit_code, t.period_code, t.year, t.quarter, t.period_index
)

select
    cast(c.unit_code as varchar) as unit_code,
    cast(c.period_code as varchar) as period_code,
    cast(c.year as integer) as year,
    cast(c.quarter as integer) as quarter,
    cast(c.period_index as integer) as period_index,
    cast(c.expected as integer) as expected,
    cast(c.due as integer) as due,
    cast(c.on_time as integer) as on_time,
    cast(c.late as integer) as late,
    cast(c.missing as integer) as missing,
    cast(c.not_due as integer) as not_due,
    cast(c.provisional as integer) as provisional,
    {{ pct('c.on_time + c.late', 'c.due') }} as completeness_pct,
    {{ pct('c.on_time', 'c.due') }} as timeliness_pct,
    b.as_of
from counted as c
cross join {{ ref('int_build__params') }} as b
