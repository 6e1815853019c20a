-- I4: agencies whose revenue grew at least the year's threshold over 2022. Members: the agencies active at
-- P, doing digital transformation at P, with a 2022 baseline > 0; in the numerator when they meet the
-- threshold (every window month known and growth ≥ threshold(Y)); unknown when a window month is missing
-- (such an agency does not meet it). See int_agency_revenue_growth__at_period.
select
    cast('I4' as varchar) as indicator_code,
    period_code,
    agency_code as member_code,
    all_months_known as is_known,
    cast(case when meets_threshold then 1 else 0 end as bigint) as numerator_value,
    cast(1 as bigint) as denominator_value
from {{ ref('int_agency_revenue_growth__at_period') }}
where in_denominator
