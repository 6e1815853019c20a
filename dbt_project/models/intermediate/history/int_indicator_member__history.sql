-- fct_indicator_member at each knowledge instant of each period (int_knowledge__instants): the same rules, keyed on known_at
-- as well (macros/history.sql). A view: nothing is computed at build time. `pressdx trace --as-of T` reads one
-- figure's rows at its period's latest instant <= T (pressdx.figures.marts), which is the as-of build's
-- fct_indicator_member at T.
{{ config(materialized='view') }}
{{ fct_indicator_member(h=true) }}
