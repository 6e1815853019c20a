{#- Body of int_expected_submissions and its twin __history (macros/history.sql). -#}
{% macro int_expected_submissions(h) -%}
with periods as (
    select
        {{ h_col('p', h) }}
        p.period_code,
        p.year,
        p.quarter,
        p.period_index,
        p.due_at,
        c.annual_report_due_at
    from {{ h_grid(h, 'int_knowledge__reporting_instants') }} as p
    inner join {{ ref('stg_reference__reporting_calendar') }} as c
        on c.period_code = p.period_code
),

assignments as (
    select
        a.unit_code,
        a.dataset,
        a.frequency,
        f.period_index as first_period_index
    from {{ ref('stg_reference__dataset_assignments') }} as a
    inner join {{ ref('stg_reference__reporting_calendar') }} as f
        on f.period_code = a.first_period
),

assigned as (
    select
        {{ h_col('p', h) }}
        a.unit_code,
        a.dataset,
        a.frequency,
        p.period_code,
        p.year,
        p.quarter,
        p.period_index,
        p.due_at,
        cast('dataset_assignment' as varchar) as expected_because
    from assignments as a
    inner join periods as p
        on (a.frequency = 'quarterly' and p.period_index >= a.first_period_index)
        or (a.frequency = 'annual' and p.quarter = 4 and p.period_index >= a.first_period_index)
        or (a.frequency = 'once' and p.period_index = a.first_period_index)
),

annual_report_periods as (
    select {{ h_col('', h) }} period_code, year, quarter, period_index, due_at, annual_report_due_at
    from periods
    where quarter = 4 and annual_report_due_at is not null
),

registered as (
    select distinct
        {{ h_col('p', h) }}
        s.unit_code,
        p.period_code
    from annual_report_periods as p
    inner join {{ h_ref('int_unit_registrations__spells', h) }} as s
        on s.is_active
        {{ h_on('s', 'p', h) }}
        and (s.effective_from is null or s.effective_from <= p.annual_report_due_at)
        and (s.effective_to is null or s.effective_to > p.annual_report_due_at)
),

reported as (
    select distinct
        {{ h_col('g', h) }}
        v.unit_code,
        v.period_code
    {%- if h %}
    from {{ ref('int_knowledge__reporting_instants') }} as g
    inner join {{ ref('int_submissions__visible') }} as v
        on v.period_code = g.period_code
        and v.received_at <= g.known_at
    {%- else %}
    from {{ ref('int_submissions__visible') }} as v
    {%- endif %}
    where v.dataset = 'annual_implementation'
),

annual_reports as (
    select
        {{ 'coalesce(g.known_at, r.known_at) as known_at,' if h }}
        coalesce(g.unit_code, r.unit_code) as unit_code,
        coalesce(g.period_code, r.period_code) as period_code,
        case when g.unit_code is not null then 'registered' else 'reported' end as expected_because
    from registered as g
    full outer join reported as r
        on r.unit_code = g.unit_code
        and r.period_code = g.period_code
        {{ h_on('r', 'g', h) }}
)

select
    {{ h_col('', h) }}
    unit_code,
    dataset,
    frequency,
    period_code,
    year,
    quarter,
    period_index,
    due_at,
    expected_because
from assigned

union all

select
    {{ h_col('a', h) }}
    a.unit_code,
    cast('annual_implementation' as varchar) as dataset,
    cast('annual' as varchar) as frequency,
    p.period_code,
    p.year,
    p.quarter,
    p.period_index,
    p.annual_report_due_at as due_at,
    cast(a.expected_because as varchar) as expected_because
from annual_reports as a
inner join annual_report_periods as p
    on p.period_code = a.period_code
    {{ h_on('p', 'a', h) }}
{%- endmacro %}
