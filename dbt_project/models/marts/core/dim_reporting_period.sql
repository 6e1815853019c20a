-- The reporting calendar (reference seed `reporting_calendar`), with the periods this build computes.
select
    c.period_code,
    c.year,
    c.quarter,
    c.period_index,
    c.coverage_start,
    c.coverage_end,
    c.due_at,
    c.annual_report_due_at,
    c.needs_trend_review,
    coalesce(c.period_index >= b.first_period_index and c.period_index <= b.through_period_index, false)
        as is_in_scope
from {{ ref('stg_reference__reporting_calendar') }} as c
cross join {{ ref('int_build__params') }} as b
