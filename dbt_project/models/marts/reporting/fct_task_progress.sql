-- One row per action-plan task instance (int_task_instances) with its status at the build's as_of
-- (kpi-rules.md, "Action-plan tasks"): the status of the most recently received row for it in a
-- current task_progress submission from one of its lead units (for an annual task, a row for that
-- year), else not_reported. overdue: the due date is before the as-of date (Vietnam time) and the status
-- is not completed; continuous and per_project_schedule tasks (no due date) are never overdue.
-- output_met: output_count >= output_min where the task has an output target (false when no count is
-- reported), NULL where it has none.
{{ fct_task_progress(h=false) }}
