{#- Body of fct_indicator_input and of its evaluation at every knowledge instant, int_indicator_input__history
    (macros/history.sql), which `pressdx trace --as-of T` reads at the period's latest instant <= T. -#}
{% macro fct_indicator_input(h) -%}
{#- In the twin, each use reads the member view on its own (a CTE read four times would be computed for every
    instant and period on PostgreSQL before the question's period and instant could narrow it). -#}
{%- set members_sql %}
    select
        {{ h_col('m', h) }}
        m.indicator_code,
        m.period_code,
        m.member_code,
        m.source_dataset,
        m.source_submission_id,
        m.register_submission_id,
        m.baseline_submission_id,
        m.window_start,
        m.window_end
    from {{ ref('int_indicator_member__history') if h else ref('fct_indicator_member') }} as m
{%- endset %}
{%- set members = '(' ~ members_sql ~ ')' if h else 'members' %}
with
{%- if not h %}
members as (
{{ members_sql }}
),
{%- endif %}

revenue_months as (
    select {{ h_col('i', h) }} {{ 'r.period_code,' if h }} r.agency_code, r.month_index, r.source_submission_id
    from {{ h_ref('int_agency_revenue__monthly', h) }} as r
    {%- if h %}
    inner join {{ ref('int_knowledge__instants') }} as i
        on i.period_code = r.period_code
        and {{ h_input_at('i', 'revenue') }} = r.known_at
    {%- endif %}
),

uses as (
    select {{ h_col('', h) }} indicator_code, period_code, member_code, source_submission_id as submission_id,
        'member_value' as input_role
    from {{ members }} as members
    where source_submission_id is not null
    union all
    select {{ h_col('', h) }} indicator_code, period_code, member_code, register_submission_id as submission_id,
        'register' as input_role
    from {{ members }} as members
    where register_submission_id is not null
    union all
    select {{ h_col('', h) }} indicator_code, period_code, member_code, baseline_submission_id as submission_id,
        'revenue_baseline' as input_role
    from {{ members }} as members
    where baseline_submission_id is not null
    union all
    select distinct {{ h_col('m', h) }} m.indicator_code, m.period_code, m.member_code,
        r.source_submission_id as submission_id,
        'monthly_revenue' as input_role
    from {{ members }} as m
    inner join revenue_months as r
        on r.agency_code = m.member_code
        and r.month_index >= {{ month_index('m.window_start') }}
        and r.month_index <= {{ month_index('m.window_end') }}
        {%- if h %}
        and r.period_code = m.period_code
        and r.known_at = m.known_at
        {%- endif %}
    where m.indicator_code = 'I4'
),

{#- A member is one row of its indicator and period (a tested key) and the revenue uses are distinct, so each
    (member, submission, role) is one row of `uses`: count(*) counts members, and unlike count(distinct) its
    aggregate spills to disk (DuckDB ran out of memory here at 100 x the national sample). #}
counted as (
    select {{ h_col('', h) }} indicator_code, period_code, submission_id, input_role,
        count(*) as member_count
    from uses
    group by {{ h_col('', h) }} indicator_code, period_code, submission_id, input_role
)

select
    {{ 'c.known_at,' if h }}
    cast(c.indicator_code as varchar) as indicator_code,
    cast(c.period_code as varchar) as period_code,
    cast(p.year as integer) as year,
    cast(p.quarter as integer) as quarter,
    cast(c.submission_id as varchar) as submission_id,
    cast(c.input_role as varchar) as input_role,
    cast(c.member_count as integer) as member_count,
    cast(v.unit_code as varchar) as unit_code,
    cast(v.dataset as varchar) as dataset,
    cast(v.period_code as varchar) as submission_period_code,
    cast(v.submission_status as varchar) as submission_status,
    v.received_at,
    cast(v.sha256 as varchar) as sha256
    {%- if not h %},
    b.as_of
    {%- endif %}
from counted as c
inner join {{ ref('int_reporting_periods__in_scope') }} as p
    on p.period_code = c.period_code
inner join {{ ref('int_submissions__visible') }} as v
    on v.submission_id = c.submission_id
{%- if not h %}
cross join {{ ref('int_build__params') }} as b
{%- endif %}
{%- endmacro %}
