-- The I4 distribution at each period (fct_agency_revenue_growth, the agencies of I4's denominator):
-- how many agencies, how many with every window month known (complete), how many meet the year's
-- threshold, and the median growth of the complete ones. The median is the middle value, or the mean of
-- the two middle values, (a + b) / 2, of an even count; NULL when no agency is complete.
with periods as (
    select * from {{ ref('int_reporting_periods__reportable') }}
),

denominator as (
    select
        g.*,
        g.all_months_known and g.growth_pct is not null as is_complete,
        row_number() over (partition by g.period_code order by g.agency_code) as agency_order
    from {{ ref('fct_agency_revenue_growth') }} as g
    where g.in_denominator
),

counted as (
    select
        period_code,
        count(*) as denominator,
        sum(case when is_complete then 1 else 0 end) as complete,
        sum(case when meets_threshold then 1 else 0 end) as meeting,
        count(distinct threshold_pct) as threshold_count,
        max(threshold_pct) as threshold_pct
    from denominator
    group by period_code
),

-- the window of the period, as the first agency of the denominator (by code) has it
windows as (
    select period_code, window_start, window_end, window_months
    from denominator
    where agency_order = 1
),

ranked as (
    select
        period_code,
        growth_pct,
        row_number() over (partition by period_code order by growth_pct) as growth_order,
        count(*) over (partition by period_code) as n
    from denominator
    where is_complete
),

medians as (
    select
        period_code,
        (min(growth_pct) + max(growth_pct)) / 2 as median_growth_pct
    from ranked
    where 2 * growth_order in (n, n + 1, n + 2)
    group by period_code
)

select
    cast(p.period_code as varchar) as period_code,
    cast(p.year as integer) as year,
    cast(p.quarter as integer) as quarter,
    cast(p.period_index as integer) as period_index,
    cast(case when c.threshold_count = 1 then c.threshold_pct end as double precision) as threshold_pct,
    w.window_start,
    w.window_end,
    cast(w.window_months as integer) as window_months,
    cast(coalesce(c.denominator, 0) as integer) as denominator,
    cast(coalesce(c.complete, 0) as integer) as complete,
    cast(coalesce(c.denominator, 0) - coalesce(c.complete, 0) as integer) as incomplete,
    cast(coalesce(c.meeting, 0) as integer) as meeting,
    cast(m.median_growth_pct as double precision) as median_growth_pct,
    b.as_of
from periods as p
cross join {{ ref('int_build__params') }} as b
left join counted as c on c.period_code = p.period_code
left join windows as w on w.period_code = p.period_code
left join medians as m on m.period_code = p.period_code
