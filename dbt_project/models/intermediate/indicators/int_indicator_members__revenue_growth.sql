-- I4: agencies whose revenue grew at least the year's threshold over 2022. Members: the agencies active at
-- P, doing digital transformation at P, with a 2022 baseline > 0; in the numerator when they meet the
-- threshold (every window month known and growth ≥ threshold(Y)); unknown when a window month is missing
-- (such an agency does not meet it). See int_agency_revenue_growth__at_period.
{{ int_indicator_members__revenue_growth(h=false) }}
