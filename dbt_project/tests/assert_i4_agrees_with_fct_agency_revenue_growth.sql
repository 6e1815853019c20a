-- Singular test: I4 in fct_indicator_period is exactly what fct_agency_revenue_growth says, agency by
-- agency: denominator = rows in_denominator, numerator = those that meet the threshold, coverage = share
-- of them whose every window month is known, min_revenue_growth_pct = the rows' threshold. A returned
-- row is a period where the report's I4 could not be traced back to the agencies behind it.
with growth as (
    select
        period_code,
        sum(case when in_denominator then 1 else 0 end) as denominator,
        sum(case when in_denominator and meets_threshold then 1 else 0 end) as numerator,
        sum(case when in_denominator and all_months_known then 1 else 0 end) as known,
        max(threshold_pct) as threshold_pct,
        min(threshold_pct) as min_threshold_pct
    from {{ ref('fct_agency_revenue_growth') }}
    group by period_code
),

i4 as (
    select *
    from {{ ref('fct_indicator_period') }}
    where indicator_code = 'I4'
)

select
    f.period_code,
    f.numerator,
    f.denominator,
    f.coverage_pct,
    g.numerator as growth_numerator,
    g.denominator as growth_denominator,
    g.known as growth_known
from i4 as f
left join growth as g
    on g.period_code = f.period_code
where f.numerator <> coalesce(g.numerator, 0)
    or f.denominator <> coalesce(g.denominator, 0)
    or (f.denominator > 0 and abs(
        f.coverage_pct - cast(g.known as double precision) * 100 / cast(g.denominator as double precision)
    ) > 1e-9)
    or (g.threshold_pct is not null and f.min_revenue_growth_pct is distinct from g.threshold_pct)
    or g.threshold_pct is distinct from g.min_threshold_pct
