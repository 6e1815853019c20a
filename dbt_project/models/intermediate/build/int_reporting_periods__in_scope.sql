{{ changes_with([]) }}
-- The periods this build computes: var('first_period') (2023-Q1) through the build's through period.
select
    c.period_code,
    c.year,
    c.quarter,
    c.period_index,
    c.coverage_start,
    c.coverage_end,
    c.due_at
from {{ ref('stg_reference__reporting_calendar') }} as c
cross join {{ ref('int_build__params') }} as b
where c.period_index >= b.first_period_index
    and c.period_index <= b.through_period_index
