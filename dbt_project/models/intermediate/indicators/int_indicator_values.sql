-- Numerator, denominator, value and coverage of every member-based ratio indicator for every period
-- in scope, including periods without any member (denominator 0: value and coverage NULL).
--   value_pct    = 100 × Σ numerator_value / Σ denominator_value
--   coverage_pct = 100 × members whose value is known / members
with indicators as (
    select i.indicator_code
    from {{ ref('stg_reference__indicators') }} as i
    where i.indicator_code in (
        {%- for code in pressdx_member_indicators() %}'{{ code }}'{{ ", " if not loop.last }}{% endfor -%}
    )
),

aggregated as (
    select
        m.indicator_code,
        m.period_code,
        sum(m.numerator_value) as numerator,
        sum(m.denominator_value) as denominator,
        count(*) as member_count,
        sum(case when m.is_known then 1 else 0 end) as known_member_count
    from {{ ref('int_indicator_members') }} as m
    group by m.indicator_code, m.period_code
),

completed as (
    select
        i.indicator_code,
        p.period_code,
        p.year,
        p.quarter,
        p.period_index,
        cast(coalesce(a.numerator, 0) as bigint) as numerator,
        cast(coalesce(a.denominator, 0) as bigint) as denominator,
        cast(coalesce(a.member_count, 0) as bigint) as member_count,
        cast(coalesce(a.known_member_count, 0) as bigint) as known_member_count
    from indicators as i
    cross join {{ ref('int_reporting_periods__in_scope') }} as p
    left join aggregated as a
        on a.indicator_code = i.indicator_code
        and a.period_code = p.period_code
)

select
    indicator_code,
    period_code,
    year,
    quarter,
    period_index,
    numerator,
    denominator,
    member_count,
    known_member_count,
    {{ pct('numerator', 'denominator') }} as value_pct,
    {{ pct('known_member_count', 'member_count') }} as coverage_pct
from completed
