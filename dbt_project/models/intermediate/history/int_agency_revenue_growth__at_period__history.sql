{{ changes_with(history_inputs()['revenue_growth']) }}
-- int_agency_revenue_growth__at_period at each knowledge instant of each period (int_knowledge__instants): the same rules, keyed
-- on known_at as well (macros/history.sql).
{{ int_agency_revenue_growth__at_period(h=true) }}
