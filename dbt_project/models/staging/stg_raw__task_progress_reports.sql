-- Progress of the action-plan tasks a unit leads.
-- One row per data row of every accepted submission version (all versions are kept;
-- the as-of filter and the choice of the current version are made in intermediate).
select
    {{ stg_raw_meta_columns() }},
    cast(task_code as varchar) as task_code,
    cast(year as bigint) as year,
    cast(status as varchar) as status,
    cast(progress_pct as double precision) as progress_pct,
    cast(output_count as bigint) as output_count,
    cast(deliverable_ref as varchar) as deliverable_ref,
    cast(note as varchar) as note
from {{ source('raw', 'task_progress') }}
