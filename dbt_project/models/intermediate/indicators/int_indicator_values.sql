-- Numerator, denominator, value and coverage of every member-based ratio indicator for every period
-- in scope, including periods without any member (denominator 0: value and coverage NULL).
--   value_pct    = 100 × Σ numerator_value / Σ denominator_value
--   coverage_pct = 100 × members whose value is known / members
{{ int_indicator_values(h=false) }}
