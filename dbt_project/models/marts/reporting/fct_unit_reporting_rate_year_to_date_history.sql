-- The history of fct_unit_reporting_rate_year_to_date (bitemporal, docs/knowledge-time.md): each unit's
-- year-to-date counts and rates, valid for known_from <= T < known_to.
with evaluated as (
    {{ fct_unit_reporting_rate_year_to_date(h=true) }}
),

compressed as (
    {{ history_compress(
        "evaluated",
        ['unit_code', 'year', 'through_quarter'],
        ['expected', 'due', 'on_time', 'late', 'missing', 'not_due', 'provisional', 'completeness_pct', 'timeliness_pct'],
        instants=ref('int_knowledge__reporting_instants'), instant_keys=['year'],
        grid=ref('int_knowledge__reporting_instants'), grid_keys=['year']
    ) }}
)

select
    cast(unit_code as varchar) as unit_code,
    cast(year as integer) as year,
    cast(through_quarter as integer) as through_quarter,
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
