{#- Body of fct_submission_timeliness and of its history mart fct_submission_timeliness_history (macros/history.sql). -#}
{% macro fct_submission_timeliness(h) -%}
with expected as (
    select * from {{ h_ref('int_expected_submissions', h) }}
),

versions as (
    select
        {{ h_col('g', h) }}
        v.unit_code,
        v.dataset,
        v.period_code,
        min(v.received_at) as first_received_at,
        max(case when {{ h_current('v', 'g', h) }} then v.received_at end) as current_received_at,
        count(*) as version_count,
        max(case when v.version_number = 1 then v.submission_id end) as first_submission_id,
        max(case when {{ h_current('v', 'g', h) }} then v.submission_id end) as current_submission_id,
        max(case when {{ h_current('v', 'g', h) }} then v.submission_status end) as current_submission_status
    {%- if h %}
    from {{ ref('int_knowledge__reporting_instants') }} as g
    inner join {{ ref('int_submissions__visible') }} as v
        on v.period_code = g.period_code
        and v.received_at <= g.known_at
    {%- else %}
    from {{ ref('int_submissions__visible') }} as v
    {%- endif %}
    group by {{ h_col('g', h) }} v.unit_code, v.dataset, v.period_code
)

select
    {{ 'e.known_at,' if h }}
    cast(e.unit_code as varchar) as unit_code,
    cast(e.dataset as varchar) as dataset,
    cast(e.period_code as varchar) as period_code,
    cast(e.year as integer) as year,
    cast(e.quarter as integer) as quarter,
    cast(e.period_index as integer) as period_index,
    cast(e.frequency as varchar) as frequency,
    cast(e.expected_because as varchar) as expected_because,
    e.due_at,
    cast(
        case
            when v.first_received_at < e.due_at then 'on_time'
            when v.first_received_at is not null then 'late'
            when {{ 'e.known_at' if h else 'b.as_of' }} >= e.due_at then 'missing'
            else 'not_due'
        end as varchar
    ) as state,
    coalesce(v.current_submission_status = 'provisional', false) as provisional,
    v.first_received_at,
    -- whole days late, rounded up, from the due instant to the first version (late ones only)
    case
        when v.first_received_at >= e.due_at then cast(ceil(
            (extract(epoch from v.first_received_at) - extract(epoch from e.due_at)) / 86400
        ) as integer)
    end as days_late,
    v.current_received_at,
    cast(coalesce(v.version_count, 0) as integer) as version_count,
    cast(v.first_submission_id as varchar) as first_submission_id,
    cast(v.current_submission_id as varchar) as current_submission_id,
    cast(v.current_submission_status as varchar) as current_submission_status
    {%- if not h %},
    b.as_of
    {%- endif %}
from expected as e
{%- if not h %}
cross join {{ ref('int_build__params') }} as b
{%- endif %}
left join versions as v
    on v.unit_code = e.unit_code
    and v.dataset = e.dataset
    and v.period_code = e.period_code
    {{ h_on('v', 'e', h) }}
{%- endmacro %}
