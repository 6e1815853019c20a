-- The stage indicators I8R, I8T, I8E for every period in scope: the stage of the indicator's platform at
-- P (seed platform_responsibilities: radio → I8R, television → I8T, epress → I8E; per-subject stock rule
-- over platform_stage), its rank, the year's target stage and its rank. No stage known at P: stage NULL.
select
    pr.indicator_code,
    pr.platform_code,
    p.period_code,
    p.year,
    p.quarter,
    p.period_index,
    s.stage,
    st.stage_rank,
    t.target_stage,
    tst.stage_rank as target_stage_rank,
    s.source_submission_id,
    s.source_period_code
from {{ ref('stg_reference__platform_responsibilities') }} as pr
cross join {{ ref('int_reporting_periods__in_scope') }} as p
left join {{ ref('int_platform_stage__at_period') }} as s
    on s.period_code = p.period_code
    and s.platform_code = pr.platform_code
left join {{ ref('stg_reference__platform_stages') }} as st
    on st.stage = s.stage
left join {{ ref('stg_reference__indicator_targets') }} as t
    on t.indicator_code = pr.indicator_code
    and t.year = p.year
    and t.target_stage is not null
left join {{ ref('stg_reference__platform_stages') }} as tst
    on tst.stage = t.target_stage
