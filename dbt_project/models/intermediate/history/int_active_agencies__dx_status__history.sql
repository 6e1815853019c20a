{{ changes_with(history_inputs()['active']) }}
-- int_active_agencies__dx_status at each knowledge instant of each period (int_knowledge__instants): the same rules, keyed
-- on known_at as well (macros/history.sql).
{{ int_active_agencies__dx_status(h=true) }}
