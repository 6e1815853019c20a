{#- Body of fct_indicator_annual and of its history mart fct_indicator_annual_history (macros/history.sql). With h=true the
    annual values are read from fct_indicator_period_history at each instant one of them changes. -#}
{% macro fct_indicator_annual(h) -%}
{%- set ratio_codes = pressdx_member_indicators() %}
{%- set target_years = pressdx_progress_target_years() %}
with
{%- if h %}
annual_instants as (
    {{ annual_instants() }}
),
{%- endif %}

years as (
    select distinct p.year
    from {{ ref('int_reporting_periods__in_scope') }} as p
),

annual_values as (
    {%- if h %}
    select a.known_at, v.indicator_code, v.year, v.value_pct
    from annual_instants as a
    inner join {{ ref('fct_indicator_period_history') }} as v
        on v.indicator_code = a.indicator_code
        and coalesce(v.known_from, {{ history_start() }}) <= a.known_at
        and (v.known_to is null or v.known_to > a.known_at)
    where v.quarter = 4
    {%- else %}
    select v.indicator_code, v.year, v.value_pct
    from {{ ref('int_indicator_values') }} as v
    where v.quarter = 4
    {%- endif %}
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
        {{ h_col('a', h) }}
        ty.indicator_code,
        y.year,
        ty.target_year,
        ty.target_pct
    from target_years as ty
    cross join years as y
    {%- if h %}
    inner join annual_instants as a
        on a.indicator_code = ty.indicator_code
    {%- endif %}
),

span as (
    select
        {{ h_col('f', h) }}
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
        {{ h_on('a', 'f', h) }}
    group by {{ h_col('f', h) }} f.indicator_code, f.year, f.target_year
),

measured as (
    select
        {{ h_col('f', h) }}
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
        {{ h_on('s', 'f', h) }}
    left join annual_values as cur
        on cur.indicator_code = f.indicator_code
        and cur.year = f.year
        {{ h_on('cur', 'f', h) }}
    left join annual_values as vb
        on vb.indicator_code = f.indicator_code
        and vb.year = s.base_year
        {{ h_on('vb', 'f', h) }}
    left join annual_values as vt
        on vt.indicator_code = f.indicator_code
        and vt.year = s.latest_year
        {{ h_on('vt', 'f', h) }}
    left join annual_values as vty
        on vty.indicator_code = f.indicator_code
        and vty.year = f.target_year
        and vty.year <= f.year
        {{ h_on('vty', 'f', h) }}
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
    {{ 'c.known_at,' if h }}
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
    cast(c.progress_class as varchar) as progress_class
    {%- if not h %},
    b.as_of
    {%- endif %}
from classified as c
{%- if not h %}
cross join {{ ref('int_build__params') }} as b
{%- endif %}
{%- endmacro %}
