-- The history of fct_unit_reporting_rate (bitemporal, docs/knowledge-time.md): each unit's counts and rates
-- for a period, valid for known_from <= T < known_to, from the timeliness evaluated at each reporting instant.
with compressed as (
    {{ history_compress(
        ref('int_unit_reporting_rate__history'),
        ['unit_code', 'period_code', 'year', 'quarter', 'period_index'],
        ['expected', 'due', 'on_time', 'late', 'missing', 'not_due', 'provisional', 'completeness_pct', 'timeliness_pct'],
        instants=ref('int_knowledge__reporting_instants'), instant_keys=['period_code'],
        grid=ref('int_knowledge__reporting_instants'), grid_keys=['period_code']
    ) }}
)

select
    cast(unit_code as varchar) as unit_code,
    cast(period_code as varchar) as period_code,
    cast(year as integer) as year,
    cast(quarter as integer) as quarter,
    cast(period_index as integer) as period_index,
    cast(expected as integer) as expected,
    cast(due as integer) as due,
    cast(on_time as integer) as on_time,
    cast(late as integer) as late,
    cast(missing as integer) as missing,
    cast(not_due as integer) as not_due,
    cast(provisional as integer) as provisional,
    cast(completeness_pct as double precision) as completeness_pct,
    cast(timeliness_pct as double precision) as timeliness_pct,
    cast(known_from as timestamptz) as known_from,
    cast(known_to as timestamptz) as known_to,
    cast(changed_by_submission_id as varchar) as changed_by_submission_id
from compressed
