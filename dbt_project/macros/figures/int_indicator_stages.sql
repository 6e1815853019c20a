{#- Body of int_indicator_stages and its twin __history (macros/history.sql). The twin is evaluated at
    every knowledge instant and reads the platform stages at their own latest instant (platform_known_at,
    which fct_indicator_member's twin joins on too). -#}
{% macro int_indicator_stages(h) -%}
select
    {{ h_col('p', h) }}
    {{ 'p.platform_known_at,' if h }}
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
cross join {{ h_grid(h) }} as p
left join {{ h_ref('int_platform_stage__at_period', h) }} as s
    on s.period_code = p.period_code
    and s.platform_code = pr.platform_code
    {{ h_on_input('s', 'p', 'platform', h) }}
left join {{ ref('stg_reference__platform_stages') }} as st
    on st.stage = s.stage
left join {{ ref('stg_reference__indicator_targets') }} as t
    on t.indicator_code = pr.indicator_code
    and t.year = p.year
    and t.target_stage is not null
left join {{ ref('stg_reference__platform_stages') }} as tst
    on tst.stage = t.target_stage
{%- endmacro %}
