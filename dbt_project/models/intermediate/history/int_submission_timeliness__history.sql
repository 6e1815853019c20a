-- fct_submission_timeliness evaluated at each knowledge instant of each period (int_knowledge__reporting_instants),
-- before fct_submission_timeliness_history keeps the rows where a state changes (macros/history.sql).
{{ fct_submission_timeliness(h=true) }}
