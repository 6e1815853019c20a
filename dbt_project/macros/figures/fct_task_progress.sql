{#- Body of fct_task_progress and of its history mart fct_task_progress_history (macros/history.sql). -#}
{% macro fct_task_progress(h) -%}
with instances as (
    select * from {{ ref('int_task_instances') }}
),

ranked as (
    select
        {{ 'g.known_at as grid_known_at,' if h }}
        i.task_instance_code,
        r.*,
        row_number() over (
            partition by {{ h_col('g', h) }} i.task_instance_code
            order by r.received_at desc, r.submission_id desc, r.row_number desc
        ) as report_rank
    from instances as i
    {%- if h %}
    cross join {{ ref('int_knowledge__task_instants') }} as g
    {%- endif %}
    inner join {{ h_ref('int_task_progress__reports', h) }} as r
        on r.task_code = i.task_code
        {{ h_on('r', 'g', h) }}
        and (i.instance_year is null or r.report_year = i.instance_year)
),

latest as (
    select * from ranked where report_rank = 1
)

select
    {{ 'g.known_at,' if h }}
    cast(i.task_instance_code as varchar) as task_instance_code,
    cast(i.task_code as varchar) as task_code,
    cast(i.instance_year as integer) as instance_year,
    cast(i.due_kind as varchar) as due_kind,
    i.due_date,
    cast(coalesce(l.status, 'not_reported') as varchar) as status,
    cast(l.progress_pct as double precision) as progress_pct,
    cast(l.output_count as bigint) as output_count,
    cast(i.output_min as integer) as output_min,
    case
        when i.output_min is null then cast(null as boolean)
        else coalesce(l.output_count >= i.output_min, false)
    end as output_met,
    coalesce(
        i.due_kind not in ('continuous', 'per_project_schedule')
        and {{ local_day_after('i.due_date') ~ ' <= g.known_at' if h else 'i.due_date < b.as_of_local_date' }}
        and coalesce(l.status, 'not_reported') <> 'completed',
        false
    ) as overdue,
    cast(l.unit_code as varchar) as reported_by_unit,
    l.received_at as reported_at,
    cast(l.submission_id as varchar) as source_submission_id,
    cast(l.period_code as varchar) as source_period_code,
    cast(l.submission_status as varchar) as source_submission_status,
    cast(l.deliverable_ref as varchar) as deliverable_ref,
    cast(l.note as varchar) as note
    {%- if not h %},
    b.as_of,
    b.as_of_local_date
    {%- endif %}
from instances as i
{%- if h %}
cross join {{ ref('int_knowledge__task_instants') }} as g
{%- else %}
cross join {{ ref('int_build__params') }} as b
{%- endif %}
left join latest as l
    on l.task_instance_code = i.task_instance_code
    {%- if h %}
    and l.grid_known_at = g.known_at
    {%- endif %}
{%- endmacro %}
