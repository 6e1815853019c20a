-- Reporting rates per unit and period (kpi-rules.md, "Timeliness and completeness"), from
-- fct_submission_timeliness: due = expected submissions whose state is not not_due,
-- completeness_pct = 100 × (on_time + late) / due, timeliness_pct = 100 × on_time / due (NULL when
-- nothing is due yet). Annual implementation reports and task progress count in period Y-Q4.
{{ fct_unit_reporting_rate(h=false) }}
