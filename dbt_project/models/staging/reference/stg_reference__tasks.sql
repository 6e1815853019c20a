select
    cast(task_code as varchar) as task_code,
    cast(section as varchar) as section,
    cast(title_en as varchar) as title_en,
    cast(title_vi as varchar) as title_vi,
    cast(lead_units as varchar) as lead_units,
    cast(coordinating_units as varchar) as coordinating_units,
    cast(deliverable_vi as varchar) as deliverable_vi,
    cast(output_target as varchar) as output_target,
    cast(output_min as integer) as output_min,
    cast(due_text_vi as varchar) as due_text_vi,
    cast(due_kind as varchar) as due_kind,
    cast(due_date as date) as due_date,
    cast(recurring_from_year as integer) as recurring_from_year,
    cast(recurring_to_year as integer) as recurring_to_year
from {{ ref('tasks') }}
