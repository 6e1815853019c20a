-- task_progress rows that can give a task instance its status: rows of the current version (at as_of)
-- of each (unit, task_progress, period) submission, sent by one of the task's lead units. Superseded
-- versions are never used, whole; a row from a unit that does not lead the task is ignored (intake
-- rejects such a file anyway).
select
    r.task_code,
    cast(r.year as integer) as report_year,
    r.status,
    r.progress_pct,
    r.output_count,
    r.deliverable_ref,
    r.note,
    r.unit_code,
    r.submission_id,
    r.period_code,
    r.submission_status,
    r.received_at,
    r.row_number
from {{ ref('stg_raw__task_progress_reports') }} as r
inner join {{ ref('int_submissions__visible') }} as v
    on v.submission_id = r.submission_id
    and v.is_current
inner join {{ ref('stg_reference__tasks') }} as t
    on t.task_code = r.task_code
where strpos(';' || replace(t.lead_units, ' ', '') || ';', ';' || r.unit_code || ';') > 0
