{#- Body of fct_unit_reporting_rate_year_to_date and of its history mart fct_unit_reporting_rate_year_to_date_history (macros/history.sql). -#}
{% macro fct_unit_reporting_rate_year_to_date(h) -%}
with quarters as (
    select cast(1 as integer) as through_quarter
    union all select cast(2 as integer)
    union all select cast(3 as integer)
    union all select cast(4 as integer)
),

summed as (
    select
        {{ h_col('r', h) }}
        r.unit_code,
        r.year,
        q.through_quarter,
        sum(r.expected) as expected,
        sum(r.due) as due,
        sum(r.on_time) as on_time,
        sum(r.late) as late,
        sum(r.missing) as missing,
        sum(r.not_due) as not_due,
        sum(r.provisional) as provisional
    {%- if h %}
    from {{ ref('int_unit_reporting_rate__history') }} as r
    {%- else %}
    from {{ ref('fct_unit_reporting_rate') }} as r
    {%- endif %}
    inner join quarters as q
        on r.quarter <= q.through_quarter
    group by {{ h_col('r', h) }} r.unit_code, r.year, q.through_quarter
)

select
    {{ 's.known_at,' if h }}
    cast(s.unit_code as varchar) as unit_code,
    cast(s.year as integer) as year,
    cast(s.through_quarter as integer) as through_quarter,
    cast(s.expected as integer) as expected,
    cast(s.due as integer) as due,
    cast(s.on_time as integer) as on_time,
    cast(s.late as integer) as late,
    cast(s.missing as integer) as missing,
    cast(s.not_due as integer) as not_due,
    cast(s.provisional as integer) as provisional,
    {{ pct('s.on_time + s.late', 's.due') }} as completeness_pct,
    {{ pct('s.on_time', 's.due') }} as timeliness_pct
    {%- if not h %},
    b.as_of
    {%- endif %}
from summed as s
{%- if not h %}
cross join {{ ref('int_build__params') }} as b
{%- endif %}
{%- endmacro %}
