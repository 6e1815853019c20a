-- Reporting rates of all units together for a reporting year through one of its quarters: one row per
-- period Y-Qq of the reporting calendar (through_quarter q), summing the counts of every unit's expected
-- submissions of Y-Q1 .. Y-Qq (fct_unit_reporting_rate_year_to_date), with the two rates on the sums;
-- zero counts and NULL rates where nothing is expected (e.g. a year beyond the through period).
with summed as (
    select
        year,
        through_quarter,
        sum(expected) as expected,
        sum(due) as due,
        sum(on_time) as on_time,
        sum(late) as late,
        sum(missing) as missing,
        sum(not_due) as not_due,
        sum(provisional) as provisional
    from {{ ref('fct_unit_reporting_rate_year_to_date') }}
    group by year, through_quarter
)

select
    cast(c.period_code as varchar) as period_code,
    cast(c.year as integer) as year,
    cast(c.quarter as integer) as through_quarter,
    cast(coalesce(s.expected, 0) as integer) as expected,
    cast(coalesce(s.due, 0) as integer) as due,
    cast(coalesce(s.on_time, 0) as integer) as on_time,
    cast(coalesce(s.late, 0) as integer) as late,
    cast(coalesce(s.missing, 0) as integer) as missing,
    cast(coalesce(s.not_due, 0) as integer) as not_due,
    cast(coalesce(s.provisional, 0) as integer) as provisional,
    {{ pct('s.on_time + s.late', 's.due') }} as completeness_pct,
    {{ pct('s.on_time', 's.due') }} as timeliness_pct,
    b.as_of
from {{ ref('stg_reference__reporting_calendar') }} as c
cross join {{ ref('int_build__params') }} as b
left join summed as s
    on s.year = c.year
    and s.through_quarter = c.quarter
