{#- Body of fct_indicator_provisional_share and its twin fct_indicator_provisional_share_history
    (macros/history.sql). The twin applies the same rules to every version that can count (not only the
    current ones) at each instant one of the versions of its (indicator, period, dataset, unit) arrives or is
    superseded (h_current), so each unit's contribution is evaluated at its own instants only; the period's
    counts at an instant are the running sums of the units' changes, from zero at the start of time. -#}
{% macro fct_indicator_provisional_share(h) -%}
{%- set lookback = var('stock_lookback_periods', 4) %}
with periods as (
    select * from {{ ref('int_reporting_periods__reportable') }}
),

indicator_datasets as (
    {%- for code, datasets in pressdx_indicator_datasets().items() %}
    {%- for ds in datasets %}
    select cast('{{ code }}' as varchar) as indicator_code, cast('{{ ds }}' as varchar) as dataset
    {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
    {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
),

current_versions as (
    select *
    from {{ ref('int_submissions__visible') }}
    where {{ 'true' if h else 'is_current' }} and period_index is not null
),

possible as (
    select
        d.indicator_code,
        p.period_code,
        d.dataset,
        s.unit_code,
        s.submission_id,
        s.submission_status,
        s.period_index,
        s.received_at
        {%- if h %},
        s.superseded_at
        {%- endif %}
    from periods as p
    cross join indicator_datasets as d
    inner join current_versions as s
        on s.dataset = d.dataset
        and s.period_index <= p.period_index
    left join {{ ref('stg_reference__platform_responsibilities') }} as r
        on r.indicator_code = d.indicator_code
    where (r.unit_code is null or s.unit_code = r.unit_code)
        and (
            (d.dataset = 'agency_revenue' and s.year = p.year)
            or d.dataset = 'agency_revenue_baseline'
            or (
                d.dataset not in ('agency_revenue', 'agency_revenue_baseline')
                and s.period_index > p.period_index - {{ lookback }}
            )
        )
),
{%- if h %}

grid as (
    select indicator_code, period_code, dataset, unit_code, received_at as known_at from possible
    union
    select indicator_code, period_code, dataset, unit_code, superseded_at as known_at from possible
    where superseded_at is not null
),
{%- endif %}

candidates as (
    select
        {{ h_col('g', h) }}
        s.indicator_code,
        s.period_code,
        s.dataset,
        s.unit_code,
        s.submission_id,
        s.submission_status,
        case
            when s.dataset = 'agency_revenue' then 1
            else row_number() over (
                partition by {{ h_col('g', h) }} s.indicator_code, s.period_code, s.dataset, s.unit_code
                order by s.period_index desc, s.received_at desc, s.submission_id desc
            )
        end as pick
    from possible as s
    {%- if h %}
    inner join grid as g
        on g.indicator_code = s.indicator_code
        and g.period_code = s.period_code
        and g.dataset = s.dataset
        and g.unit_code = s.unit_code
        and {{ h_current('s', 'g', h) }}
    {%- endif %}
),
{%- if h %}

unit_counts as (
    select
        g.known_at,
        g.indicator_code,
        g.period_code,
        g.dataset,
        g.unit_code,
        count(c.submission_id) as submissions_used,
        sum(case when c.submission_status = 'provisional' then 1 else 0 end) as provisional_submissions
    from grid as g
    left join candidates as c
        on c.known_at = g.known_at
        and c.indicator_code = g.indicator_code
        and c.period_code = g.period_code
        and c.dataset = g.dataset
        and c.unit_code = g.unit_code
        and c.pick = 1
    group by g.known_at, g.indicator_code, g.period_code, g.dataset, g.unit_code
),

unit_changes as (
    select
        indicator_code,
        period_code,
        known_at,
        submissions_used - coalesce(lag(submissions_used) over (
            partition by indicator_code, period_code, dataset, unit_code order by known_at
        ), 0) as submissions_used,
        coalesce(provisional_submissions, 0) - coalesce(lag(provisional_submissions) over (
            partition by indicator_code, period_code, dataset, unit_code order by known_at
        ), 0) as provisional_submissions
    from unit_counts

    union all

    select i.indicator_code, p.period_code, {{ history_start() }} as known_at, 0 as submissions_used,
        0 as provisional_submissions
    from {{ ref('stg_reference__indicators') }} as i
    cross join periods as p
),

period_changes as (
    select indicator_code, period_code, known_at, sum(submissions_used) as submissions_used,
        sum(provisional_submissions) as provisional_submissions
    from unit_changes
    group by indicator_code, period_code, known_at
),

counted as (
    select
        known_at,
        indicator_code,
        period_code,
        cast(sum(submissions_used) over (
            partition by indicator_code, period_code order by known_at rows between unbounded preceding and current row
        ) as bigint) as submissions_used,
        cast(sum(provisional_submissions) over (
            partition by indicator_code, period_code order by known_at rows between unbounded preceding and current row
        ) as bigint) as provisional_submissions
    from period_changes
)

select
    c.known_at,
    cast(i.indicator_code as varchar) as indicator_code,
    cast(p.period_code as varchar) as period_code,
    cast(p.year as integer) as year,
    cast(p.quarter as integer) as quarter,
    cast(p.period_index as integer) as period_index,
    cast(coalesce(c.submissions_used, 0) as integer) as submissions_used,
    cast(coalesce(c.provisional_submissions, 0) as integer) as provisional_submissions,
    {{ pct('c.provisional_submissions', 'c.submissions_used') }} as provisional_share_pct
from counted as c
inner join {{ ref('stg_reference__indicators') }} as i
    on i.indicator_code = c.indicator_code
inner join periods as p
    on p.period_code = c.period_code
{%- else %}

counted as (
    select
        indicator_code,
        period_code,
        count(*) as submissions_used,
        sum(case when submission_status = 'provisional' then 1 else 0 end) as provisional_submissions
    from candidates
    where pick = 1
    group by indicator_code, period_code
)

select
    cast(i.indicator_code as varchar) as indicator_code,
    cast(p.period_code as varchar) as period_code,
    cast(p.year as integer) as year,
    cast(p.quarter as integer) as quarter,
    cast(p.period_index as integer) as period_index,
    cast(coalesce(c.submissions_used, 0) as integer) as submissions_used,
    cast(coalesce(c.provisional_submissions, 0) as integer) as provisional_submissions,
    {{ pct('c.provisional_submissions', 'c.submissions_used') }} as provisional_share_pct,
    b.as_of
from {{ ref('stg_reference__indicators') }} as i
cross join periods as p
cross join {{ ref('int_build__params') }} as b
left join counted as c
    on c.indicator_code = i.indicator_code
    and c.period_code = p.period_code
{%- endif %}
{%- endmacro %}
