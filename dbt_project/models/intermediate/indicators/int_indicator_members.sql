-- Denominator members of every ratio indicator computed from members (see macros/indicators.sql),
-- one row per indicator, period and member.
{{ int_indicator_members(h=false) }}
