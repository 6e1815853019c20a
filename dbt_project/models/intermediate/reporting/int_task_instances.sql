-- Action-plan task instances (kpi-rules.md, "Action-plan tasks"): (task, year) for each year of an
-- annual task's range (recurring_from_year .. recurring_to_year), due 31 December of that year; one
-- instance, with the seed's due_date (NULL for continuous and per_project_schedule tasks), for the others.
with tasks as (
    select
        task_code, section, title_en, title_vi, lead_units, coordinating_units, deliverable_vi, output_target,
        output_min, due_text_vi, due_kind, due_date, recurring_from_year, recurring_to_year
    from {{ ref('stg_reference__tasks') }}
),

digits as (
    {%- for d in range(10) %}
    select {{ d }} as d{% if not loop.last %} union all{% endif %}
    {%- endfor %}
),

year_offsets as (
    select tens.d * 10 + units.d as n
    from digits as tens
    cross join digits as units
)

select
    t.task_code,
    cast(t.task_code || '/' || cast(t.recurring_from_year + o.n as varchar) as varchar) as task_instance_code,
    cast(t.recurring_from_year + o.n as integer) as instance_year,
    t.due_kind,
    cast(cast(t.recurring_from_year + o.n as varchar) || '-12-31' as date) as due_date,
    t.lead_units,
    t.output_min
from tasks as t
inner join year_offsets as o
    on t.due_kind = 'annual'
    and t.recurring_from_year + o.n <= t.recurring_to_year

union all

select
    t.task_code,
    t.task_code as task_instance_code,
    cast(null as integer) as instance_year,
    t.due_kind,
    t.due_date,
    t.lead_units,
    t.output_min
from tasks as t
where t.due_kind <> 'annual'
