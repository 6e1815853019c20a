-- int_unit_registrations__spells at each knowledge instant of each period (int_knowledge__reporting_instants): the same rules, keyed
-- on known_at as well (macros/history.sql).
{{ int_unit_registrations__spells(h=true) }}
