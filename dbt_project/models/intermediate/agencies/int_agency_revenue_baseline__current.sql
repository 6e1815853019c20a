-- The 2022 revenue baseline of each agency known at the build's as-of instant (I4): the row of the most
-- recently received *current* agency_revenue_baseline submission that contains the agency
-- (kpi-rules.md; macros/latest_values.sql).
{{ latest_current_values('agency_revenue_baseline', 'stg_raw__agency_revenue_baselines', ['agency_code'], ['revenue_2022_vnd']) }}
