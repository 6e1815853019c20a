{{ changes_with(history_inputs()['security_level']) }}
-- int_indicator_members__security_level at each knowledge instant of each period (int_knowledge__instants): the same rules, keyed
-- on known_at as well (macros/history.sql).
{{ config(materialized='view') }}
{{ int_indicator_members__security_level(h=true) }}
