-- The history of every row of fct_indicator_annual, annual figures and progress classes (bitemporal,
-- docs/knowledge-time.md): valid for knowledge instants known_from <= T < known_to (NULL: from the start
-- of time / still current). An annual figure of indicator X changes only when one of X's Q4 figures does,
-- so the same rules (macros/figures/fct_indicator_annual.sql) are evaluated at each instant at which a Q4
-- figure of X changes in fct_indicator_period_history, and a row is kept where the row changes.
-- changed_by_submission_id: the submission whose arrival made the change.
with evaluated as (
    {{ fct_indicator_annual(h=true) }}
),

instants as (
    {{ annual_instants() }}
),

compressed as (
    {{ history_compress(
        'evaluated',
        ['indicator_code', 'year', 'target_year'],
        ['annual_value_pct', 'target_pct', 'base_year', 'base_value_pct', 'latest_year', 'latest_value_pct',
         'annual_value_count', 'cagr', 'projected_value_pct', 'progress_ratio', 'progress_class'],
        instants='instants', instant_keys=['indicator_code']
    ) }}
)

select
    cast(indicator_code as varchar) as indicator_code,
    cast(year as integer) as year,
    cast(annual_value_pct as double precision) as annual_value_pct,
    cast(target_year as integer) as target_year,
    cast(target_pct as double precision) as target_pct,
    cast(base_year as integer) as base_year,
    cast(base_value_pct as double precision) as base_value_pct,
    cast(latest_year as integer) as latest_year,
    cast(latest_value_pct as double precision) as latest_value_pct,
    cast(annual_value_count as integer) as annual_value_count,
    cast(cagr as double precision) as cagr,
    cast(projected_value_pct as double precision) as projected_value_pct,
    cast(progress_ratio as double precision) as progress_ratio,
    cast(progress_class as varchar) as progress_class,
    cast(known_from as timestamptz) as known_from,
    cast(known_to as timestamptz) as known_to,
    cast(changed_by_submission_id as varchar) as changed_by_submission_id
from compressed
