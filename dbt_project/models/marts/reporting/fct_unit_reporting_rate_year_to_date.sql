-- Reporting rates of each unit for a reporting year through one of its quarters (kpi-rules.md,
-- "Timeliness and completeness"): the counts of fct_unit_reporting_rate summed over the periods Y-Q1 ..
-- Y-Qq (through_quarter 4: the whole year, annual reports included; 2: the first half), then
-- completeness_pct = 100 × (on_time + late) / due and timeliness_pct = 100 × on_time / due on the sums
-- (never the mean of the periods' percentages); NULL while nothing is due. A row exists when at least one
-- submission of those periods is expected from the unit.
{{ fct_unit_reporting_rate_year_to_date(h=false) }}
