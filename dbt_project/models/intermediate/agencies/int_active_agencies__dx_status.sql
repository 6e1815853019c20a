-- The agencies active at each period P, each with its digital-transformation status at P when one is
-- known (has_dx_status false and the status columns NULL otherwise: unknown, not false).
{{ int_active_agencies__dx_status(h=false) }}
