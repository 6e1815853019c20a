-- int_expected_submissions at each knowledge instant of each period (int_knowledge__reporting_instants): the same rules, keyed
-- on known_at as well (macros/history.sql).
{{ int_expected_submissions(h=true) }}
