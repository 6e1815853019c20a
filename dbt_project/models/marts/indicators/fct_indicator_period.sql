-- One row per indicator and period, 2023-Q1 through the build's through period, with the year's
-- target and the status against it (kpi-rules.md). Rows exist for every period even without data.
-- Ratio indicators (I1-I7) come from int_indicator_values; stage indicators (I8R/I8T/I8E) from
-- int_indicator_stages, filling stage, stage_rank, target_stage and its rank (numerator, denominator, value and
-- coverage do not exist for them: NULL).
{{ fct_indicator_period(h=false) }}
