-- int_indicator_members__revenue_growth at each knowledge instant of each period (int_knowledge__instants): the same rules, keyed
-- on known_at as well (macros/history.sql).
{{ config(materialized='view') }}
{{ int_indicator_members__revenue_growth(h=true) }}
