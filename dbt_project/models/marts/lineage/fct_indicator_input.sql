-- The submissions each figure was computed from (issue 13): for every indicator and period in scope, one
-- row per submission version whose rows decided a member of fct_indicator_member, with its role:
--   register          the agency register at P that made the members active (I1-I4, I6, I7)
--   member_value      the row that decided each member's value (agency_dx_status, agency_security,
--                     university_curriculum, platform_stage; for I4 doing_digital_transformation)
--   revenue_baseline  the agency's 2022 baseline (I4)
--   monthly_revenue   a month of the I4 growth window (December Y-1 .. E(P)) known at as_of
-- Every input is a current version at the build's as_of (the rules never read a superseded one); what
-- a version is, its hash and its file are in fct_submission_lineage. Read backwards by `pressdx trace`
-- (the inputs of a figure) and forwards by `pressdx trace --submission` (the figures a version fed).
with members as (
    select
        m.indicator_code,
        m.period_code,
        m.member_code,
        m.source_dataset,
        m.source_submission_id,
        m.register_submission_id,
        m.baseline_submission_id,
        m.window_start,
        m.window_end
    from {{ ref('fct_indicator_member') }} as m
),

revenue_months as (
    select r.agency_code, r.month_index, r.source_submission_id
    from {{ ref('int_agency_revenue__monthly') }} as r
),

uses as (
    select indicator_code, period_code, member_code, source_submission_id as submission_id,
        'member_value' as input_role
    from members
    where source_submission_id is not null
    union all
    select indicator_code, period_code, member_code, register_submission_id as submission_id,
        'register' as input_role
    from members
    where register_submission_id is not null
    union all
    select indicator_code, period_code, member_code, baseline_submission_id as submission_id,
        'revenue_baseline' as input_role
    from members
    where baseline_submission_id is not null
    union all
    select distinct m.indicator_code, m.period_code, m.member_code, r.source_submission_id as submission_id,
        'monthly_revenue' as input_role
    from members as m
    inner join revenue_months as r
        on r.agency_code = m.member_code
        and r.month_index >= {{ month_index('m.window_start') }}
        and r.month_index <= {{ month_index('m.window_end') }}
    where m.indicator_code = 'I4'
),

counted as (
    select indicator_code, period_code, submission_id, input_role, count(distinct member_code) as member_count
    from uses
    group by indicator_code, period_code, submission_id, input_role
)

select
    cast(c.indicator_code as varchar) as indicator_code,
    cast(c.period_code as varchar) as period_code,
    cast(p.year as integer) as year,
    cast(p.quarter as integer) as quarter,
    cast(c.submission_id as varchar) as submission_id,
    cast(c.input_role as varchar) as input_role,
    cast(c.member_count as integer) as member_count,
    cast(v.unit_code as varchar) as unit_code,
    cast(v.dataset as varchar) as dataset,
    cast(v.period_code as varchar) as submission_period_code,
    cast(v.submission_status as varchar) as submission_status,
    v.received_at,
    cast(v.sha256 as varchar) as sha256,
    b.as_of
from counted as c
inner join {{ ref('int_reporting_periods__in_scope') }} as p
    on p.period_code = c.period_code
inner join {{ ref('int_submissions__visible') }} as v
    on v.submission_id = c.submission_id
cross join {{ ref('int_build__params') }} as b
