{#- Body of fct_indicator_period and of its history mart fct_indicator_period_history (macros/history.sql). -#}
{% macro fct_indicator_period(h) -%}
with indicator_values as (
    select * from {{ h_ref('int_indicator_values', h) }}
),

targets as (
    select * from {{ ref('stg_reference__indicator_targets') }}
),

ratio_indicators as (
    select
        {{ h_col('v', h) }}
        v.indicator_code,
        v.period_code,
        v.year,
        v.quarter,
        v.period_index,
        v.numerator,
        v.denominator,
        v.value_pct,
        t.target_share_pct as target_pct,
        t.min_revenue_growth_pct,
        cast(null as varchar) as stage,
        cast(null as integer) as stage_rank,
        cast(null as varchar) as target_stage,
        cast(null as integer) as target_stage_rank,
        {{ ratio_status('v.value_pct', 't.target_share_pct') }} as status,
        v.coverage_pct
    from indicator_values as v
    left join targets as t
        on t.indicator_code = v.indicator_code
        and t.year = v.year
),

stage_indicators as (
    select
        {{ h_col('s', h) }}
        s.indicator_code,
        s.period_code,
        s.year,
        s.quarter,
        s.period_index,
        cast(null as bigint) as numerator,
        cast(null as bigint) as denominator,
        cast(null as double precision) as value_pct,
        cast(null as double precision) as target_pct,
        cast(null as double precision) as min_revenue_growth_pct,
        s.stage,
        s.stage_rank,
        s.target_stage,
        s.target_stage_rank,
        {{ stage_status('s.stage_rank', 's.target_stage_rank') }} as status,
        cast(null as double precision) as coverage_pct
    from {{ h_ref('int_indicator_stages', h) }} as s
),

all_indicators as (
    select * from ratio_indicators
    union all
    select * from stage_indicators
)

select
    {{ 'r.known_at,' if h }}
    cast(r.indicator_code as varchar) as indicator_code,
    cast(r.period_code as varchar) as period_code,
    cast(r.year as integer) as year,
    cast(r.quarter as integer) as quarter,
    cast(r.period_index as integer) as period_index,
    cast(r.numerator as bigint) as numerator,
    cast(r.denominator as bigint) as denominator,
    cast(r.value_pct as double precision) as value_pct,
    cast(r.target_pct as double precision) as target_pct,
    cast(r.min_revenue_growth_pct as double precision) as min_revenue_growth_pct,
    cast(r.stage as varchar) as stage,
    cast(r.stage_rank as integer) as stage_rank,
    cast(r.target_stage as varchar) as target_stage,
    cast(r.target_stage_rank as integer) as target_stage_rank,
    cast(r.status as varchar) as status,
    cast(r.coverage_pct as double precision) as coverage_pct
    {%- if not h %},
    b.as_of
    {%- endif %}
from all_indicators as r
{%- if not h %}
cross join {{ ref('int_build__params') }} as b
{%- endif %}
{%- endmacro %}
