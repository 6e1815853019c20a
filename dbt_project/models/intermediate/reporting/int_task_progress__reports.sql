{{ changes_with(['task_progress']) }}
-- task_progress rows that can give a task instance its status: rows of the current version (at as_of)
-- of each (unit, task_progress, period) submission, sent by one of the task's lead units. Superseded
-- versions are never used, whole; a row from a unit that does not lead the task is ignored (intake
-- rejects such a file anyway).
{{ int_task_progress__reports(h=false) }}
