{#- Body of int_indicator_values and its twin __history (macros/history.sql). The twin's members are held
    at the instants of each indicator's input (indicator_inputs()); each figure at an instant sums them at
    the latest of those at or before it (h_indicator_grid: input_known_at). -#}
{% macro int_indicator_values(h) -%}
with indicators as (
    select i.indicator_code
    from {{ ref('stg_reference__indicators') }} as i
    where i.indicator_code in (
        {%- for code in pressdx_member_indicators() %}'{{ code }}'{{ ", " if not loop.last }}{% endfor -%}
    )
),

aggregated as (
    select
        {{ h_col('m', h) }}
        m.indicator_code,
        m.period_code,
        sum(m.numerator_value) as numerator,
        sum(m.denominator_value) as denominator,
        count(*) as member_count,
        sum(case when m.is_known then 1 else 0 end) as known_member_count
    from {{ h_ref('int_indicator_members', h) }} as m
    group by {{ h_col('m', h) }} m.indicator_code, m.period_code
),

completed as (
    select
        {{ h_col('p', h) }}
        i.indicator_code,
        p.period_code,
        p.year,
        p.quarter,
        p.period_index,
        cast(coalesce(a.numerator, 0) as bigint) as numerator,
        cast(coalesce(a.denominator, 0) as bigint) as denominator,
        cast(coalesce(a.member_count, 0) as bigint) as member_count,
        cast(coalesce(a.known_member_count, 0) as bigint) as known_member_count
    {%- if h %}
    from ({{ h_indicator_grid() }}) as p
    inner join indicators as i
        on i.indicator_code = p.indicator_code
    left join aggregated as a
        on a.indicator_code = i.indicator_code
        and a.period_code = p.period_code
        and a.known_at = p.input_known_at
    {%- else %}
    from indicators as i
    cross join {{ ref('int_reporting_periods__in_scope') }} as p
    left join aggregated as a
        on a.indicator_code = i.indicator_code
        and a.period_code = p.period_code
    {%- endif %}
)

select
    {{ h_col('', h) }}
    indicator_code,
    period_code,
    year,
    quarter,
    period_index,
    numerator,
    denominator,
    member_count,
    known_member_count,
    {{ pct('numerator', 'denominator') }} as value_pct,
    {{ pct('known_member_count', 'member_count') }} as coverage_pct
from completed
{%- endmacro %}
