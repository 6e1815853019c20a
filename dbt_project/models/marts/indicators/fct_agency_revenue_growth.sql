-- Revenue growth over 2022 of each agency at each period (I4, kpi-rules.md): one row per period in scope
-- and agency that has a 2022 baseline (which includes every agency of the I4 denominator), with the
-- window, the months known, the window revenue, the pro-rated baseline, the growth and whether it meets
-- the year's threshold. fct_indicator_period's I4 numerator counts the rows with in_denominator and
-- meets_threshold true. Figures are those known at `as_of`.
select
    cast(g.period_code as varchar) as period_code,
    cast(g.year as integer) as year,
    cast(g.quarter as integer) as quarter,
    cast(g.period_index as integer) as period_index,
    cast(g.agency_code as varchar) as agency_code,
    cast(g.is_active as boolean) as is_active,
    cast(g.doing_digital_transformation as boolean) as doing_digital_transformation,
    cast(g.in_denominator as boolean) as in_denominator,
    cast(g.window_start as date) as window_start,
    cast(g.window_end as date) as window_end,
    cast(g.window_months as integer) as window_months,
    cast(g.months_known as integer) as months_known,
    cast(g.all_months_known as boolean) as all_months_known,
    cast(g.window_revenue_vnd as bigint) as window_revenue_vnd,
    cast(g.revenue_2022_vnd as bigint) as baseline_revenue_2022_vnd,
    cast(g.prorated_baseline_vnd as double precision) as prorated_baseline_vnd,
    cast(g.growth_pct as double precision) as growth_pct,
    cast(g.threshold_pct as double precision) as threshold_pct,
    cast(g.meets_threshold as boolean) as meets_threshold,
    cast(g.baseline_submission_id as varchar) as baseline_submission_id,
    b.as_of
from {{ ref('int_agency_revenue_growth__at_period') }} as g
cross join {{ ref('int_build__params') }} as b
