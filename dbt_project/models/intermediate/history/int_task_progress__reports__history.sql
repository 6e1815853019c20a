{{ changes_with(['task_progress']) }}
-- int_task_progress__reports at each task knowledge instant (int_knowledge__task_instants): the same rules,
-- keyed on known_at as well (macros/history.sql).
{{ int_task_progress__reports(h=true) }}
