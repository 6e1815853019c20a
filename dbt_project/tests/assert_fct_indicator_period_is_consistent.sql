-- Singular test: the figures of fct_indicator_period agree with the KPI rules (kpi-rules.md).
-- A returned row is an (indicator, period) whose figures contradict each other, with `problem` saying how:
--   * a count is negative or the numerator exceeds a ratio indicator's denominator;
--   * value_pct is not 100 × numerator / denominator (or is set while the denominator is 0);
--   * coverage_pct is outside 0..100, or set while the denominator is 0;
--   * status does not follow from value_pct and target_pct (or stage_rank and the target stage).
-- Any returned row fails the build: a figure that would be published is wrong.
with f as (
    select * from {{ ref('fct_indicator_period') }}
),

problems as (
    select
        indicator_code,
        period_code,
        case
            when numerator < 0 or denominator < 0 then 'negative count'
            when stage is null and numerator > denominator then 'numerator exceeds denominator'
            when denominator = 0 and value_pct is not null then 'value without denominator'
            when denominator > 0 and stage is null and (
                value_pct is null
                or abs(value_pct - cast(numerator as double precision) * 100 / cast(denominator as double precision)) > 1e-9
            ) then 'value_pct is not 100 × numerator / denominator'
            when coverage_pct < 0 or coverage_pct > 100 then 'coverage outside 0..100'
            -- I6 counts persons: with active agencies whose staff figures are all unknown its denominator is
            -- 0 while its coverage (a share of agencies) is 0 %, not NULL.
            when denominator = 0 and stage is null and coverage_pct is not null and indicator_code <> 'I6'
                then 'coverage without members'
            when stage is null and status <> {{ ratio_status('value_pct', 'target_pct') }}
                then 'status does not follow from value and target'
        end as problem
    from f
)

select *
from problems
where problem is not null
