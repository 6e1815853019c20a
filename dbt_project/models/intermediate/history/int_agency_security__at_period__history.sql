{{ changes_with(history_inputs()['security']) }}
-- int_agency_security__at_period at each knowledge instant of each period (int_knowledge__instants): the same rules, keyed
-- on known_at as well (macros/history.sql).
{{ int_agency_security__at_period(h=true) }}
