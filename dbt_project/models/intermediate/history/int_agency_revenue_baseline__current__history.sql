{{ changes_with(history_inputs()['baseline']) }}
-- int_agency_revenue_baseline__current at each knowledge instant of each period (int_knowledge__instants): the same rules, keyed
-- on known_at as well (macros/history.sql).
{{ int_agency_revenue_baseline__current(h=true) }}
