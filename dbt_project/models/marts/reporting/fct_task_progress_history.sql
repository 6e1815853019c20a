-- The history of fct_task_progress (bitemporal, docs/knowledge-time.md): each task instance's status, output and
-- overdue flag, valid for knowledge instants known_from <= T < known_to (NULL: from the start of time / still
-- current). They change only when a task_progress version arrives or a due date passes in Vietnam time, so the
-- rules are evaluated at those instants (int_knowledge__task_instants).
with evaluated as (
    {{ fct_task_progress(h=true) }}
),

compressed as (
    {{ history_compress(
        'evaluated',
        ['task_instance_code', 'task_code', 'instance_year', 'due_kind', 'due_date'],
        ['status', 'progress_pct', 'output_count', 'output_min', 'output_met', 'overdue', 'reported_by_unit', 'reported_at', 'source_submission_id', 'source_period_code', 'source_submission_status', 'deliverable_ref', 'note'],
        instants=ref('int_knowledge__task_instants'), instant_keys=[]
    ) }}
)

select
    cast(task_instance_code as varchar) as task_instance_code,
    cast(task_code as varchar) as task_code,
    cast(instance_year as integer) as instance_year,
    cast(due_kind as varchar) as due_kind,
    cast(due_date as date) as due_date,
    cast(status as varchar) as status,
    cast(progress_pct as double precision) as progress_pct,
    cast(output_count as bigint) as output_count,
    cast(output_min as integer) as output_min,
    cast(output_met as boolean) as output_met,
    cast(overdue as boolean) as overdue,
    cast(reported_by_unit as varchar) as reported_by_unit,
    cast(reported_at as timestamptz) as reported_at,
    cast(source_submission_id as varchar) as source_submission_id,
    cast(source_period_code as varchar) as source_period_code,
    cast(source_submission_status as varchar) as source_submission_status,
    cast(deliverable_ref as varchar) as deliverable_ref,
    cast(note as varchar) as note,
    cast(known_from as timestamptz) as known_from,
    cast(known_to as timestamptz) as known_to,
    cast(changed_by_submission_id as varchar) as changed_by_submission_id
from compressed
