-- fct_unit_reporting_rate evaluated at each knowledge instant of each period (int_knowledge__reporting_instants),
-- before fct_unit_reporting_rate_history keeps the rows where a rate changes (macros/history.sql).
{{ fct_unit_reporting_rate(h=true) }}
