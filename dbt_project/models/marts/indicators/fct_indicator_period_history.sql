-- The history of every figure of fct_indicator_period (bitemporal, docs/knowledge-time.md): one row per
-- indicator, period and version of its figure, valid for knowledge instants known_from <= T < known_to
-- (known_from NULL: from the start of time, nothing known yet; known_to NULL: still current). A figure
-- changes only when a submission is taken in, so the rules are evaluated at the instants at which one of
-- the period's submissions arrived or was superseded (int_knowledge__instants, the *__history models) and a
-- row is kept where the figure changes. The figures as of T are the rows with
-- coalesce(known_from, '-infinity') <= T and (known_to is null or known_to > T); for T at or after the
-- build's as_of they are fct_indicator_period. changed_by_submission_id names the submission whose arrival
-- made the change (fct_submission_version).
with evaluated as (
    {{ fct_indicator_period(h=true) }}
),

compressed as (
    {{ history_compress(
        'evaluated',
        ['indicator_code', 'period_code', 'year', 'quarter', 'period_index'],
        ['numerator', 'denominator', 'value_pct', 'target_pct', 'min_revenue_growth_pct', 'stage', 'stage_rank',
         'target_stage', 'target_stage_rank', 'status', 'coverage_pct'],
        instants=ref('int_knowledge__instants')
    ) }}
)

select
    cast(indicator_code as varchar) as indicator_code,
    cast(period_code as varchar) as period_code,
    cast(year as integer) as year,
    cast(quarter as integer) as quarter,
    cast(period_index as integer) as period_index,
    cast(numerator as bigint) as numerator,
    cast(denominator as bigint) as denominator,
    cast(value_pct as double precision) as value_pct,
    cast(target_pct as double precision) as target_pct,
    cast(min_revenue_growth_pct as double precision) as min_revenue_growth_pct,
    cast(stage as varchar) as stage,
    cast(stage_rank as integer) as stage_rank,
    cast(target_stage as varchar) as target_stage,
    cast(target_stage_rank as integer) as target_stage_rank,
    cast(status as varchar) as status,
    cast(coverage_pct as double precision) as coverage_pct,
    cast(known_from as timestamptz) as known_from,
    cast(known_to as timestamptz) as known_to,
    cast(changed_by_submission_id as varchar) as changed_by_submission_id
from compressed
