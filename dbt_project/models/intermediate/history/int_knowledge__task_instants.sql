{{ changes_with(['task_progress']) }}
-- The knowledge instants at which a task instance's status or overdue flag can change, plus the start of
-- time (history_start()): the arrival and the supersession of every task_progress version, and the day
-- after each instance's due date in Vietnam time (overdue: the due date is before the as-of date).
-- changed_by_submission_id: the submission that arrived at known_at (the smallest id when several did);
-- NULL at a due date or the start of time.
with events as (
    select s.received_at as known_at, s.submission_id
    from {{ ref('int_submissions__visible') }} as s
    where s.dataset = 'task_progress'

    union all

    select s.superseded_at as known_at, s.superseded_by as submission_id
    from {{ ref('int_submissions__visible') }} as s
    where s.dataset = 'task_progress'
        and s.superseded_at is not null

    union all

    select distinct {{ local_day_after('i.due_date') }} as known_at, cast(null as varchar) as submission_id
    from {{ ref('int_task_instances') }} as i
    where i.due_date is not null

    union all

    select {{ history_start() }} as known_at, cast(null as varchar) as submission_id
)

select known_at, min(submission_id) as changed_by_submission_id
from events
group by known_at
