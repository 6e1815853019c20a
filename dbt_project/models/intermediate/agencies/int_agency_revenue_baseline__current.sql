{{ changes_with(['agency_revenue_baseline']) }}
-- The 2022 revenue baseline of each agency known at the build's as-of instant (I4): the row of the most
-- recently received *current* agency_revenue_baseline submission that contains the agency
-- (kpi-rules.md; macros/latest_values.sql).
{{ int_agency_revenue_baseline__current(h=false) }}
