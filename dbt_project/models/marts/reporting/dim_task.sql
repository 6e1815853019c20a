-- The 36 action-plan tasks of Decision 781 (reference seed `tasks`), with their order in the decision.
with tasks as (
    select * from {{ ref('stg_reference__tasks') }}
)

select
    cast(t.task_code as varchar) as task_code,
    cast(
        case t.section
            when 'I' then 1 when 'II' then 2 when 'III' then 3
            when 'IV' then 4 when 'V' then 5 when 'VI' then 6
        end * 1000 + cast(split_part(t.task_code, '.', 2) as integer) as integer
    ) as task_order,
    cast(t.section as varchar) as section,
    cast(t.title_en as varchar) as title_en,
    cast(t.title_vi as varchar) as title_vi,
    cast(t.lead_units as varchar) as lead_units,
    cast({{ list_length('t.lead_units') }} as integer) as lead_unit_count,
    cast(t.coordinating_units as varchar) as coordinating_units,
    cast(t.deliverable_vi as varchar) as deliverable_vi,
    cast(t.output_target as varchar) as output_target,
    cast(t.output_min as integer) as output_min,
    cast(t.due_text_vi as varchar) as due_text_vi,
    cast(t.due_kind as varchar) as due_kind,
    t.due_date,
    cast(t.recurring_from_year as integer) as recurring_from_year,
    cast(t.recurring_to_year as integer) as recurring_to_year,
    t.due_kind in ('continuous', 'per_project_schedule') as is_never_overdue
from tasks as t
