-- The stage indicators I8R, I8T, I8E for every period in scope: the stage of the indicator's platform at
-- P (seed platform_responsibilities: radio → I8R, television → I8T, epress → I8E; per-subject stock rule
-- over platform_stage), its rank, the year's target stage and its rank. No stage known at P: stage NULL.
{{ int_indicator_stages(h=false) }}
