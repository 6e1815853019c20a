{#- Body of fct_unit_reporting_rate and of its history mart fct_unit_reporting_rate_history (macros/history.sql). -#}
{% macro fct_unit_reporting_rate(h) -%}
with counted as (
    select
        {{ h_col('t', h) }}
        t.unit_code,
        t.period_code,
        t.year,
        t.quarter,
        t.period_index,
        count(*) as expected,
        sum(case when t.state <> 'not_due' then 1 else 0 end) as due,
        sum(case when t.state = 'on_time' then 1 else 0 end) as on_time,
        sum(case when t.state = 'late' then 1 else 0 end) as late,
        sum(case when t.state = 'missing' then 1 else 0 end) as missing,
        sum(case when t.state = 'not_due' then 1 else 0 end) as not_due,
        sum(case when t.provisional then 1 else 0 end) as provisional
    {%- if h %}
    from {{ ref('int_submission_timeliness__history') }} as t
    {%- else %}
    from {{ ref('fct_submission_timeliness') }} as t
    {%- endif %}
    group by {{ h_col('t', h) }} t.unit_code, t.period_code, t.year, t.quarter, t.period_index
)

select
    {{ 'c.known_at,' if h }}
    cast(c.unit_code as varchar) as unit_code,
    cast(c.period_code as varchar) as period_code,
    cast(c.year as integer) as year,
    cast(c.quarter as integer) as quarter,
    cast(c.period_index as integer) as period_index,
    cast(c.expected as integer) as expected,
    cast(c.due as integer) as due,
    cast(c.on_time as integer) as on_time,
    cast(c.late as integer) as late,
    cast(c.missing as integer) as missing,
    cast(c.not_due as integer) as not_due,
    cast(c.provisional as integer) as provisional,
    {{ pct('c.on_time + c.late', 'c.due') }} as completeness_pct,
    {{ pct('c.on_time', 'c.due') }} as timeliness_pct
    {%- if not h %},
    b.as_of
    {%- endif %}
from counted as c
{%- if not h %}
cross join {{ ref('int_build__params') }} as b
{%- endif %}
{%- endmacro %}
