{{ changes_with(['agency_revenue']) }}
-- Monthly revenue of each (agency, month) known at the build's as-of instant (I4): the value in the most
-- recently received *current* agency_revenue submission that contains that (agency, month), whatever
-- its period: a later submission may correct an earlier month, and a superseded version is never used
-- (kpi-rules.md, "Values known for period P"; macros/latest_values.sql).
{{ int_agency_revenue__monthly(h=false) }}
