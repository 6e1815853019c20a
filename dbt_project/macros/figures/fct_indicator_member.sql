{#- Body of fct_indicator_member and of its evaluation at every knowledge instant, int_indicator_member__history
    (macros/history.sql), which `pressdx trace --as-of T` reads at the period's latest instant <= T. -#}
{% macro fct_indicator_member(h) -%}
with members as (
    {%- if h %}
    {#- each member at every instant, from its indicator's evaluation at the latest instant of its input;
        the instants of the other inputs come along, for the joins below #}
    select g.known_at,
        {%- for input in ('register', 'dx_status', 'security', 'curriculum', 'revenue_growth') %}
        g.{{ input }}_known_at,
        {%- endfor %}
        m.indicator_code, m.period_code, m.member_code, m.is_known, m.numerator_value, m.denominator_value
    from ({{ h_indicator_grid() }}) as g
    inner join {{ ref('int_indicator_members__history') }} as m
        on m.indicator_code = g.indicator_code
        and m.period_code = g.period_code
        and m.known_at = g.input_known_at
    {%- else %}
    select m.indicator_code, m.period_code, m.member_code, m.is_known, m.numerator_value, m.denominator_value
    from {{ ref('int_indicator_members') }} as m
    {%- endif %}
),

periods as (
    select p.period_code, p.year, p.quarter, p.period_index
    from {{ ref('int_reporting_periods__in_scope') }} as p
),

register_rows as (
    select r.submission_id, r.agency_code, min(r.row_number) as row_number
    from {{ ref('stg_raw__agency_registers') }} as r
    group by r.submission_id, r.agency_code
),

register as (
    select
        {{ h_col('a', h) }}
        a.period_code,
        a.agency_code,
        a.agency_name,
        a.source_submission_id,
        a.source_period_code,
        rr.row_number as source_row_number
    from {{ h_ref('int_agency_register__at_period', h) }} as a
    left join register_rows as rr
        on rr.submission_id = a.source_submission_id
        and rr.agency_code = a.agency_code
),

dx as (
    select
        {{ h_col('d', h) }}
        d.period_code,
        d.agency_code,
        d.distributes_on_digital_platforms,
        d.uses_data_ai_platform,
        d.converged_newsroom,
        d.doing_digital_transformation,
        d.staff_total,
        d.staff_trained,
        d.source_submission_id,
        d.source_period_code,
        d.source_row_number
    from {{ h_ref('int_agency_dx_status__at_period', h) }} as d
),

security as (
    select {{ h_col('s', h) }} s.period_code, s.agency_code, s.security_level, s.source_submission_id,
        s.source_period_code, s.source_row_number
    from {{ h_ref('int_agency_security__at_period', h) }} as s
),

curriculum_rows as (
    select c.submission_id, c.institution_code, min(c.row_number) as row_number
    from {{ ref('stg_raw__university_curricula') }} as c
    group by c.submission_id, c.institution_code
),

curriculum as (
    select
        {{ h_col('u', h) }}
        u.period_code,
        u.institution_code,
        u.institution_name,
        u.curriculum_updated,
        u.source_submission_id,
        u.source_period_code,
        cr.row_number as source_row_number
    from {{ h_ref('int_university_curriculum__at_period', h) }} as u
    left join curriculum_rows as cr
        on cr.submission_id = u.source_submission_id
        and cr.institution_code = u.institution_code
),

baseline_rows as (
    select b.submission_id, b.agency_code, min(b.row_number) as row_number
    from {{ ref('stg_raw__agency_revenue_baselines') }} as b
    group by b.submission_id, b.agency_code
),

growth as (
    select
        {{ h_col('g', h) }}
        g.period_code,
        g.agency_code,
        g.revenue_2022_vnd,
        g.baseline_submission_id,
        br.row_number as baseline_row_number,
        g.window_start,
        g.window_end,
        g.window_months,
        g.months_known,
        g.window_revenue_vnd,
        g.growth_pct,
        g.threshold_pct,
        g.meets_threshold
    from {{ h_ref('int_agency_revenue_growth__at_period', h) }} as g
    left join baseline_rows as br
        on br.submission_id = g.baseline_submission_id
        and br.agency_code = g.agency_code
    where g.in_denominator
),

ratio_members as (
    select
        {{ h_col('m', h) }}
        m.indicator_code,
        m.period_code,
        m.member_code,
        case when m.indicator_code = 'I5' then 'institution' else 'agency' end as member_kind,
        case when m.indicator_code = 'I5' then c.institution_name else r.agency_name end as member_name,
        m.is_known,
        m.numerator_value > 0 as in_numerator,
        m.numerator_value,
        m.denominator_value,
        case
            when not m.is_known then 'no_value'
            when m.indicator_code in ('I1', 'I2', 'I3', 'I5') and m.numerator_value > 0 then 'flag_true'
            when m.indicator_code in ('I1', 'I2', 'I3', 'I5') then 'flag_false'
            when m.indicator_code = 'I7' and m.numerator_value > 0 then 'level_at_least_minimum'
            when m.indicator_code = 'I7' then 'level_below_minimum'
            when m.indicator_code = 'I6' then 'persons_counted'
            when m.indicator_code = 'I4' and m.numerator_value > 0 then 'meets_threshold'
            when m.indicator_code = 'I4' then 'below_threshold'
        end as known_reason,
        case m.indicator_code
            when 'I1' then 'distributes_on_digital_platforms'
            when 'I2' then 'uses_data_ai_platform'
            when 'I3' then 'converged_newsroom'
            when 'I4' then 'revenue_vnd'
            when 'I5' then 'curriculum_updated'
            when 'I6' then 'staff_trained'
            when 'I7' then 'security_level'
        end as value_column,
        case m.indicator_code
            when 'I1' then d.distributes_on_digital_platforms
            when 'I2' then d.uses_data_ai_platform
            when 'I3' then d.converged_newsroom
            when 'I5' then c.curriculum_updated
        end as flag_value,
        case when m.indicator_code = 'I7' then s.security_level end as security_level,
        case when m.indicator_code in ('I4', 'I6') then d.doing_digital_transformation end
            as doing_digital_transformation,
        case when m.indicator_code = 'I6' then d.staff_total end as staff_total,
        case when m.indicator_code = 'I6' then d.staff_trained end as staff_trained,
        g.revenue_2022_vnd,
        g.baseline_submission_id,
        g.baseline_row_number,
        g.window_start,
        g.window_end,
        g.window_months,
        g.months_known,
        g.window_revenue_vnd,
        g.growth_pct,
        g.threshold_pct,
        case
            when m.indicator_code = 'I5' then 'university_curriculum'
            when m.indicator_code = 'I7' then 'agency_security'
            else 'agency_dx_status'
        end as source_dataset,
        case
            when m.indicator_code = 'I5' then c.source_submission_id
            when m.indicator_code = 'I7' then s.source_submission_id
            else d.source_submission_id
        end as source_submission_id,
        case
            when m.indicator_code = 'I5' then c.source_period_code
            when m.indicator_code = 'I7' then s.source_period_code
            else d.source_period_code
        end as source_period_code,
        case
            when m.indicator_code = 'I5' then c.source_row_number
            when m.indicator_code = 'I7' then s.source_row_number
            else d.source_row_number
        end as source_row_number,
        r.source_submission_id as register_submission_id,
        r.source_period_code as register_period_code,
        r.source_row_number as register_row_number
    from members as m
    left join register as r
        on m.indicator_code <> 'I5'
        and r.period_code = m.period_code
        and r.agency_code = m.member_code
        {{ h_on_input('r', 'm', 'register', h) }}
    left join dx as d
        on m.indicator_code in ('I1', 'I2', 'I3', 'I4', 'I6')
        and d.period_code = m.period_code
        and d.agency_code = m.member_code
        {{ h_on_input('d', 'm', 'dx_status', h) }}
    left join security as s
        on m.indicator_code = 'I7'
        and s.period_code = m.period_code
        and s.agency_code = m.member_code
        {{ h_on_input('s', 'm', 'security', h) }}
    left join curriculum as c
        on m.indicator_code = 'I5'
        and c.period_code = m.period_code
        and c.institution_code = m.member_code
        {{ h_on_input('c', 'm', 'curriculum', h) }}
    left join growth as g
        on m.indicator_code = 'I4'
        and g.period_code = m.period_code
        and g.agency_code = m.member_code
        {{ h_on_input('g', 'm', 'revenue_growth', h) }}
),

ratio_rows as (
    select
        {{ h_col('rm', h) }}
        rm.indicator_code,
        rm.period_code,
        rm.member_code,
        rm.member_kind,
        rm.member_name,
        rm.is_known,
        rm.in_numerator,
        rm.numerator_value,
        rm.denominator_value,
        case
            when rm.indicator_code = 'I4' and rm.months_known < rm.window_months then 'window_incomplete'
            else rm.known_reason
        end as reason,
        rm.value_column,
        rm.flag_value,
        rm.security_level,
        rm.doing_digital_transformation,
        rm.staff_total,
        rm.staff_trained,
        rm.revenue_2022_vnd,
        rm.baseline_submission_id,
        rm.baseline_row_number,
        rm.window_start,
        rm.window_end,
        rm.window_months,
        rm.months_known,
        rm.window_revenue_vnd,
        rm.growth_pct,
        rm.threshold_pct,
        cast(null as varchar) as stage,
        cast(null as integer) as stage_rank,
        cast(null as varchar) as target_stage,
        cast(null as integer) as target_stage_rank,
        rm.source_dataset,
        rm.source_submission_id,
        rm.source_period_code,
        rm.source_row_number,
        rm.register_submission_id,
        rm.register_period_code,
        rm.register_row_number
    from ratio_members as rm
),

platform_rows as (
    select {{ h_col('ps', h) }} ps.period_code, ps.platform_code, ps.source_row_number
    from {{ h_ref('int_platform_stage__at_period', h) }} as ps
),

stage_rows as (
    select
        {{ h_col('s', h) }}
        s.indicator_code,
        s.period_code,
        s.platform_code as member_code,
        'platform' as member_kind,
        s.platform_code as member_name,
        s.stage is not null as is_known,
        cast(null as boolean) as in_numerator,
        cast(null as bigint) as numerator_value,
        cast(null as bigint) as denominator_value,
        case when s.stage is null then 'no_value' else 'stage_known' end as reason,
        'stage' as value_column,
        cast(null as boolean) as flag_value,
        cast(null as bigint) as security_level,
        cast(null as boolean) as doing_digital_transformation,
        cast(null as bigint) as staff_total,
        cast(null as bigint) as staff_trained,
        cast(null as bigint) as revenue_2022_vnd,
        cast(null as varchar) as baseline_submission_id,
        cast(null as integer) as baseline_row_number,
        cast(null as date) as window_start,
        cast(null as date) as window_end,
        cast(null as integer) as window_months,
        cast(null as integer) as months_known,
        cast(null as bigint) as window_revenue_vnd,
        cast(null as double precision) as growth_pct,
        cast(null as double precision) as threshold_pct,
        s.stage,
        s.stage_rank,
        s.target_stage,
        s.target_stage_rank,
        'platform_stage' as source_dataset,
        s.source_submission_id,
        s.source_period_code,
        pr.source_row_number,
        cast(null as varchar) as register_submission_id,
        cast(null as varchar) as register_period_code,
        cast(null as integer) as register_row_number
    from {{ h_ref('int_indicator_stages', h) }} as s
    left join platform_rows as pr
        on pr.period_code = s.period_code
        and pr.platform_code = s.platform_code
        {{ h_on_input('pr', 's', 'platform', h) }}
),

all_rows as (
    select * from ratio_rows
    union all
    select * from stage_rows
)

select
    {{ 'a.known_at,' if h }}
    cast(a.indicator_code as varchar) as indicator_code,
    cast(a.period_code as varchar) as period_code,
    cast(p.year as integer) as year,
    cast(p.quarter as integer) as quarter,
    cast(p.period_index as integer) as period_index,
    cast(a.member_code as varchar) as member_code,
    cast(a.member_kind as varchar) as member_kind,
    cast(a.member_name as varchar) as member_name,
    cast(a.is_known as boolean) as is_known,
    cast(a.in_numerator as boolean) as in_numerator,
    cast(a.numerator_value as bigint) as numerator_value,
    cast(a.denominator_value as bigint) as denominator_value,
    cast(a.reason as varchar) as reason,
    cast(a.value_column as varchar) as value_column,
    cast(a.flag_value as boolean) as flag_value,
    cast(a.security_level as bigint) as security_level,
    cast(a.doing_digital_transformation as boolean) as doing_digital_transformation,
    cast(a.staff_total as bigint) as staff_total,
    cast(a.staff_trained as bigint) as staff_trained,
    cast(a.revenue_2022_vnd as bigint) as revenue_2022_vnd,
    cast(a.baseline_submission_id as varchar) as baseline_submission_id,
    cast(a.baseline_row_number as integer) as baseline_row_number,
    cast(a.window_start as date) as window_start,
    cast(a.window_end as date) as window_end,
    cast(a.window_months as integer) as window_months,
    cast(a.months_known as integer) as months_known,
    cast(a.window_revenue_vnd as bigint) as window_revenue_vnd,
    cast(a.growth_pct as double precision) as growth_pct,
    cast(a.threshold_pct as double precision) as threshold_pct,
    cast(a.stage as varchar) as stage,
    cast(a.stage_rank as integer) as stage_rank,
    cast(a.target_stage as varchar) as target_stage,
    cast(a.target_stage_rank as integer) as target_stage_rank,
    cast(a.source_dataset as varchar) as source_dataset,
    cast(a.source_submission_id as varchar) as source_submission_id,
    cast(a.source_period_code as varchar) as source_period_code,
    cast(a.source_row_number as integer) as source_row_number,
    cast(a.register_submission_id as varchar) as register_submission_id,
    cast(a.register_period_code as varchar) as register_period_code,
    cast(a.register_row_number as integer) as register_row_number
    {%- if not h %},
    b.as_of
    {%- endif %}
from all_rows as a
inner join periods as p
    on p.period_code = a.period_code
{%- if not h %}
cross join {{ ref('int_build__params') }} as b
{%- endif %}
{%- endmacro %}
