-- Annual figures and progress classes of the ratio indicators (I1-I7; kpi-rules.md, "Progress towards
-- 2025 and 2030", the UN Statistics Division "Progress Chart" method). One row per ratio indicator, year
-- Y of the build (2023 .. the year of the through period) and target year T_y that has a target for the
-- indicator (2025 for all, 2030 for I1-I4; list: macro pressdx_progress_target_years()).
--   annual value of year Y   the figure of period Y-Q4 (NULL when there is none)
--   b, t                     first and latest year of 2023..Y with an annual value; n their count
--   class, in this order     achieved       v_t ≥ target, or T_y ≤ t and v_{T_y} ≥ target
--                            missed         T_y ≤ t otherwise (the target year has passed)
--                            insufficient_data   n < 2
--                            stagnation_or_regression   target ≤ v_b (the value fell below a target
--                                           the base already met; the ratio is undefined)
--                            on_track / acceleration_needed / stagnation_or_regression
--                                           ratio ≥ 0.95 / 0.10 ≤ ratio < 0.95 / ratio < 0.10
--   CAGR = (v_t / v_b)^(1 / (t − b)) − 1, a zero v_b taken as 0.001 (n ≥ 2)
--   projected = min(100, v_t × (1 + CAGR)^(T_y − t)) and ratio = (projected − v_b) / (target − v_b), both
--   only while the target year is ahead (t < T_y).
-- Arithmetic is IEEE double precision with the same operations on both engines (no decimal literals).
{%- set ratio_codes = pressdx_member_indicators() %}
{%- set target_years = pressdx_progress_target_years() %}
with years as (
    select distinct p.year
    from {{ ref('int_reporting_periods__in_scope') }} as p
),

annual_values as (
    select v.indicator_code, v.year, v.value_pct
    from {{ ref('int_indicator_values') }} as v
    where v.quarter = 4
),

target_years as (
    select
        t.indicator_code,
        t.year as target_year,
        t.target_share_pct as target_pct
    from {{ ref('stg_reference__indicator_targets') }} as t
    where t.target_share_pct is not null
        and t.year in ({% for y in target_years %}{{ y | int }}{{ ", " if not loop.last }}{% endfor %})
        and t.indicator_code in ({% for c in ratio_codes %}'{{ c }}'{{ ", " if not loop.last }}{% endfor %})
),

frame as (
    select
        ty.indicator_code,
        y.year,
        ty.target_year,
        ty.target_pct
    from target_years as ty
    cross join years as y
),

span as (
    select
        f.indicator_code,
        f.year,
        f.target_year,
        min(a.year) as base_year,
        max(a.year) as latest_year,
        count(*) as annual_value_count
    from frame as f
    inner join annual_values as a
        on a.indicator_code = f.indicator_code
        and a.year <= f.year
        and a.value_pct is not null
    group by f.indicator_code, f.year, f.target_year
),

measured as (
    select
        f.indicator_code,
        f.year,
        f.target_year,
        f.target_pct,
        cur.value_pct as annual_value_pct,
        s.base_year,
        vb.value_pct as base_value_pct,
        s.latest_year,
        vt.value_pct as latest_value_pct,
        vty.value_pct as target_year_value_pct,
        coalesce(s.annual_value_count, 0) as annual_value_count
    from frame as f
    left join span as s
        on s.indicator_code = f.indicator_code
        and s.year = f.year
        and s.target_year = f.target_year
    left join annual_values as cur
        on cur.indicator_code = f.indicator_code
        and cur.year = f.year
    left join annual_values as vb
        on vb.indicator_code = f.indicator_code
        and vb.year = s.base_year
    left join annual_values as vt
        on vt.indicator_code = f.indicator_code
        and vt.year = s.latest_year
    left join annual_values as vty
        on vty.indicator_code = f.indicator_code
        and vty.year = f.target_year
        and vty.year <= f.year
),

with_cagr as (
    select
        m.*,
        case
            when m.annual_value_count >= 2 then
                power(
                    m.latest_value_pct / (
                        case when m.base_value_pct = 0 then cast(1 as double precision) / 1000 else m.base_value_pct end
                    ),
                    cast(1 as double precision) / cast(m.latest_year - m.base_year as double precision)
                ) - 1
        end as cagr
    from measured as m
),

with_projection as (
    select
        c.*,
        case
            when c.cagr is not null and c.latest_year < c.target_year then
                least(
                    cast(100 as double precision),
                    c.latest_value_pct
                    * power(1 + c.cagr, cast(c.target_year - c.latest_year as double precision))
                )
        end as projected_value_pct
    from with_cagr as c
),

with_ratio as (
    select
        p.*,
        case
            when p.projected_value_pct is not null and p.target_pct > p.base_value_pct then
                (p.projected_value_pct - p.base_value_pct) / (p.target_pct - p.base_value_pct)
        end as progress_ratio
    from with_projection as p
),

classified as (
    select
        r.*,
        case
            when r.annual_value_count = 0 then 'insufficient_data'
            when r.latest_value_pct >= r.target_pct then 'achieved'
            when r.target_year <= r.latest_year and r.target_year_value_pct >= r.target_pct then 'achieved'
            when r.target_year <= r.latest_year then 'missed'
            when r.annual_value_count < 2 then 'insufficient_data'
            when r.target_pct <= r.base_value_pct then 'stagnation_or_regression'
            when r.progress_ratio >= cast('0.95' as double precision) then 'on_track'
            when r.progress_ratio >= cast('0.10' as double precision) then 'acceleration_needed'
            else 'stagnation_or_regression'
        end as progress_class
    from with_ratio as r
)

select
    cast(c.indicator_code as varchar) as indicator_code,
    cast(c.year as integer) as year,
    cast(c.annual_value_pct as double precision) as annual_value_pct,
    cast(c.target_year as integer) as target_year,
    cast(c.target_pct as double precision) as target_pct,
    cast(c.base_year as integer) as base_year,
    cast(c.base_value_pct as double precision) as base_value_pct,
    cast(c.latest_year as integer) as latest_year,
    cast(c.latest_value_pct as double precision) as latest_value_pct,
    cast(c.annual_value_count as integer) as annual_value_count,
    cast(c.cagr as double precision) as cagr,
    cast(c.projected_value_pct as double precision) as projected_value_pct,
    cast(c.progress_ratio as double precision) as progress_ratio,
    cast(c.progress_class as varchar) as progress_class,
    b.as_of
from classified as c
cross join {{ ref('int_build__params') }} as b
