{{ changes_with(history_inputs()['revenue']) }}
-- int_agency_revenue__monthly at each knowledge instant of each period (int_knowledge__instants): the same rules, keyed
-- on known_at as well (macros/history.sql).
{{ int_agency_revenue__monthly(h=true) }}
