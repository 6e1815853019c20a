-- The history of fct_revenue_growth_histogram (bitemporal, docs/knowledge-time.md): complete I4 agencies per
-- growth bin at each period, valid for known_from <= T < known_to; evaluated on the grid of
-- fct_revenue_growth_summary_history, a row kept where a bin's count changes.
with evaluated as (
    {{ fct_revenue_growth_histogram(h=true) }}
),

compressed as (
    {{ history_compress('evaluated', ['period_code', 'period_index', 'bin_number', 'lower_pct', 'upper_pct'],
                        ['agency_count'], instants=ref('int_knowledge__instants')) }}
)

select
    cast(period_code as varchar) as period_code,
    cast(period_index as integer) as period_index,
    cast(bin_number as integer) as bin_number,
    cast(lower_pct as integer) as lower_pct,
    cast(upper_pct as integer) as upper_pct,
    cast(agency_count as integer) as agency_count,
    cast(known_from as timestamptz) as known_from,
    cast(known_to as timestamptz) as known_to,
    cast(changed_by_submission_id as varchar) as changed_by_submission_id
from compressed
