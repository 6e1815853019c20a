{{ changes_with([]) }}
-- The periods a report of this build can name: the periods in scope (var('first_period') through the
-- through period) and those whose coverage has started at the as-of date in Vietnam time. A report of a
-- year beyond the through period still shows the periods that have begun (without indicator figures).
select
    c.period_code,
    c.year,
    c.quarter,
    c.period_index,
    c.period_index <= b.through_period_index as is_in_scope
from {{ ref('stg_reference__reporting_calendar') }} as c
cross join {{ ref('int_build__params') }} as b
where c.period_index >= b.first_period_index
    and (c.period_index <= b.through_period_index or c.coverage_start <= b.as_of_local_date)
