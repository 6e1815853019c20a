-- The history of fct_revenue_growth_summary (bitemporal, docs/knowledge-time.md): the I4 distribution at each
-- period, valid for known_from <= T < known_to. The same rules (macros/figures/fct_revenue_growth_summary.sql)
-- evaluated at the instants at which revenue growth can change (int_agency_revenue_growth__at_period__history);
-- a row is kept where the distribution changes.
with evaluated as (
    {{ fct_revenue_growth_summary(h=true) }}
),

compressed as (
    {{ history_compress('evaluated', ['period_code', 'year', 'quarter', 'period_index'],
                        ['threshold_pct', 'window_start', 'window_end', 'window_months', 'denominator', 'complete',
                         'incomplete', 'meeting', 'median_growth_pct'],
                        instants=ref('int_knowledge__instants')) }}
)

select
    cast(period_code as varchar) as period_code,
    cast(year as integer) as year,
    cast(quarter as integer) as quarter,
    cast(period_index as integer) as period_index,
    cast(threshold_pct as double precision) as threshold_pct,
    cast(window_start as date) as window_start,
    cast(window_end as date) as window_end,
    cast(window_months as integer) as window_months,
    cast(denominator as integer) as denominator,
    cast(complete as integer) as complete,
    cast(incomplete as integer) as incomplete,
    cast(meeting as integer) as meeting,
    cast(median_growth_pct as double precision) as median_growth_pct,
    cast(known_from as timestamptz) as known_from,
    cast(known_to as timestamptz) as known_to,
    cast(changed_by_submission_id as varchar) as changed_by_submission_id
from compressed
