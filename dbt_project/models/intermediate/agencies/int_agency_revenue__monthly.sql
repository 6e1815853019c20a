-- Monthly revenue of each (agency, month) known at the build's as-of instant (I4): the value in the most
-- recently received *current* agency_revenue submission that contains that (agency, month), whatever
-- its period: a later submission may correct an earlier month, and a superseded version is never used
-- (kpi-rules.md, "Values known for period P"; macros/latest_values.sql).
with latest as (
    {{ latest_current_values('agency_revenue', 'stg_raw__agency_revenues', ['agency_code', 'month'], ['revenue_vnd']) }}
)

select
    agency_code,
    month,
    {{ month_index('month') }} as month_index,
    revenue_vnd,
    source_submission_id,
    source_period_code,
    source_received_at
from latest
