-- Singular test: fct_indicator_period has a row for every indicator of dim_indicator (I1-I7, I8R, I8T,
-- I8E) and every period from 2023-Q1 through the build's through period, data or not. A returned row is
-- an (indicator, period) pair missing from the mart, or a row for an indicator dim_indicator does not know.
with expected as (
    select i.indicator_code, p.period_code
    from {{ ref('dim_indicator') }} as i
    cross join {{ ref('int_reporting_periods__in_scope') }} as p
),

actual as (
    select indicator_code, period_code
    from {{ ref('fct_indicator_period') }}
)

select e.indicator_code, e.period_code, 'missing from fct_indicator_period' as problem
from expected as e
where not exists (
    select 1 from actual as a
    where a.indicator_code = e.indicator_code and a.period_code = e.period_code
)

union all

select a.indicator_code, a.period_code, 'not an indicator of dim_indicator or a period in scope' as problem
from actual as a
where not exists (
    select 1 from expected as e
    where e.indicator_code = a.indicator_code and e.period_code = a.period_code
)
