-- Revenue growth over 2022 of each agency at each period P in scope (I4, kpi-rules.md): one row per
-- period and agency that has a 2022 baseline (every agency of the I4 denominator has one).
--   window         December Y-1 through the last month of P: the calendar months from the first day the
--                  reporting year Y covers (the earliest coverage_start of Y's periods in the calendar
--                  seed) through E(P), so Q1 4 months, Q2 7, Q3 10, Q4 12 with the default calendar
--   months_known   window months whose revenue is known (int_agency_revenue__monthly)
--   in_denominator active at P, doing_digital_transformation true at P (per-subject stock rule) and a
--                  baseline > 0
--   meets          every window month known and sum / (baseline × months / 12) − 1 ≥ threshold(Y),
--                  decided in exact decimal arithmetic (sum × 1200 ≥ baseline × months × (100 + pct)), so
--                  that an agency exactly at the threshold meets it on both engines; growth_pct is the
--                  same figure in double precision, for display.
with periods as (
    select
        p.period_code,
        p.year,
        p.quarter,
        p.period_index,
        y.window_start,
        p.coverage_end as window_end,
        {{ month_index('y.window_start') }} as window_start_index,
        {{ month_index('p.coverage_end') }} as window_end_index
    from {{ ref('int_reporting_periods__in_scope') }} as p
    inner join (
        select c.year, min(c.coverage_start) as window_start
        from {{ ref('stg_reference__reporting_calendar') }} as c
        group by c.year
    ) as y
        on y.year = p.year
),

thresholds as (
    select t.year, t.min_revenue_growth_pct
    from {{ ref('stg_reference__indicator_targets') }} as t
    where t.indicator_code = 'I4'
),

baselines as (
    select agency_code, revenue_2022_vnd, source_submission_id, source_period_code, source_received_at
    from {{ ref('int_agency_revenue_baseline__current') }}
),

window_revenue as (
    select
        p.period_code,
        m.agency_code,
        count(*) as months_known,
        sum(m.revenue_vnd) as window_revenue_vnd
    from periods as p
    inner join {{ ref('int_agency_revenue__monthly') }} as m
        on m.month_index >= p.window_start_index
        and m.month_index <= p.window_end_index
    group by p.period_code, m.agency_code
),

joined as (
    select
        p.period_code,
        p.year,
        p.quarter,
        p.period_index,
        b.agency_code,
        coalesce(r.is_active, false) as is_active,
        d.doing_digital_transformation,
        b.revenue_2022_vnd,
        b.source_submission_id as baseline_submission_id,
        p.window_start,
        p.window_end,
        p.window_end_index - p.window_start_index + 1 as window_months,
        coalesce(w.months_known, 0) as months_known,
        w.window_revenue_vnd,
        t.min_revenue_growth_pct as threshold_pct
    from periods as p
    cross join baselines as b
    left join {{ ref('int_agency_register__at_period') }} as r
        on r.period_code = p.period_code
        and r.agency_code = b.agency_code
    left join {{ ref('int_active_agencies__dx_status') }} as d
        on d.period_code = p.period_code
        and d.agency_code = b.agency_code
    left join window_revenue as w
        on w.period_code = p.period_code
        and w.agency_code = b.agency_code
    left join thresholds as t
        on t.year = p.year
)

select
    period_code,
    year,
    quarter,
    period_index,
    agency_code,
    is_active,
    doing_digital_transformation,
    revenue_2022_vnd,
    baseline_submission_id,
    coalesce(is_active and doing_digital_transformation and revenue_2022_vnd > 0, false) as in_denominator,
    window_start,
    window_end,
    cast(window_months as integer) as window_months,
    cast(months_known as integer) as months_known,
    months_known >= window_months as all_months_known,
    cast(window_revenue_vnd as bigint) as window_revenue_vnd,
    cast(revenue_2022_vnd as double precision) * cast(window_months as double precision) / 12
        as prorated_baseline_vnd,
    case
        when revenue_2022_vnd > 0 and months_known >= window_months then
            (
                cast(window_revenue_vnd as double precision)
                / (cast(revenue_2022_vnd as double precision) * cast(window_months as double precision) / 12)
                - 1
            ) * 100
    end as growth_pct,
    threshold_pct,
    case
        when revenue_2022_vnd is null or revenue_2022_vnd <= 0 or threshold_pct is null then cast(null as boolean)
        when months_known < window_months then false
        else cast(window_revenue_vnd as numeric(38, 0)) * 1200
            >= cast(revenue_2022_vnd as numeric(38, 0)) * window_months
            * (100 + cast(threshold_pct as numeric(38, 6)))
    end as meets_threshold
from joined
