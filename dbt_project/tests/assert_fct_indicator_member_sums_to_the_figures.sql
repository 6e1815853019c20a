-- Singular test (issue 13): the members of fct_indicator_member add up to the figures of
-- fct_indicator_period, for every indicator and period in scope, so that what an auditor reads member by
-- member is exactly what was published. A returned row is an (indicator, period) where:
--   * Σ numerator_value is not the numerator, or Σ denominator_value the denominator (I6: persons);
--   * the share of known members is not coverage_pct (ratio indicators with members);
--   * a stage indicator (I8R/I8T/I8E) has not exactly one member, or its stage is not the figure's stage.
with members as (
    select
        indicator_code,
        period_code,
        count(*) as member_count,
        sum(case when is_known then 1 else 0 end) as known_count,
        coalesce(sum(numerator_value), 0) as numerator,
        coalesce(sum(denominator_value), 0) as denominator,
        max(stage) as stage
    from {{ ref('fct_indicator_member') }}
    group by indicator_code, period_code
),

checked as (
    select
        f.indicator_code,
        f.period_code,
        case
            when f.numerator is null and coalesce(m.member_count, 0) <> 1
                then 'a stage indicator has not exactly one member'
            when f.numerator is null and m.stage is distinct from f.stage then 'member stage is not the figure stage'
            when f.numerator is not null and coalesce(m.numerator, 0) <> f.numerator
                then 'members do not sum to the numerator'
            when f.numerator is not null and coalesce(m.denominator, 0) <> f.denominator
                then 'members do not sum to the denominator'
            when f.numerator is not null and coalesce(m.member_count, 0) > 0 and abs(
                f.coverage_pct - cast(m.known_count as double precision) * 100 / cast(m.member_count as double precision)
            ) > 1e-9 then 'known members are not the coverage'
        end as problem
    from {{ ref('fct_indicator_period') }} as f
    left join members as m
        on m.indicator_code = f.indicator_code
        and m.period_code = f.period_code
)

select indicator_code, period_code, problem
from checked
where problem is not null

union all

select m.indicator_code, m.period_code, 'members of a figure that does not exist' as problem
from members as m
where not exists (
    select 1 from {{ ref('fct_indicator_period') }} as f
    where f.indicator_code = m.indicator_code and f.period_code = m.period_code
)
