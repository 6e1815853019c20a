-- The history of fct_reporting_rate_year_to_date (bitemporal, docs/knowledge-time.md): the counts of all
-- units together for Y-Q1 .. Y-Qq, valid for known_from <= T < known_to. They are the sums of the unit rows
-- of fct_unit_reporting_rate_year_to_date_history valid at T (interval sums, macros/history_sum.sql: a sum
-- changes only where one of its unit rows does), zero from the start of time where nothing is expected, and
-- the two rates on the sums (the rules of fct_reporting_rate_year_to_date).
with items as (
    select
        c.period_code,
        c.year,
        c.quarter as through_quarter,
        u.known_from as valid_from,
        u.known_to as valid_to,
        u.expected,
        u.due,
        u.on_time,
        u.late,
        u.missing,
        u.not_due,
        u.provisional
    from {{ ref('fct_unit_reporting_rate_year_to_date_history') }} as u
    inner join {{ ref('stg_reference__reporting_calendar') }} as c
        on c.year = u.year
        and c.quarter = u.through_quarter
),

calendar as (
    select c.period_code, c.year, c.quarter as through_quarter
    from {{ ref('stg_reference__reporting_calendar') }} as c
),

summed as (
    {{ history_interval_sum('items', ['period_code', 'year', 'through_quarter'],
                            ['expected', 'due', 'on_time', 'late', 'missing', 'not_due', 'provisional'],
                            keys='calendar') }}
),

evaluated as (
    select
        s.*,
        {{ pct('s.on_time + s.late', 's.due') }} as completeness_pct,
        {{ pct('s.on_time', 's.due') }} as timeliness_pct
    from summed as s
),

instants as (
    select year, known_at, min(changed_by_submission_id) as changed_by_submission_id
    from {{ ref('int_knowledge__reporting_instants') }}
    group by year, known_at
),

compressed as (
    {{ history_compress('evaluated', ['period_code', 'year', 'through_quarter'],
                        ['expected', 'due', 'on_time', 'late', 'missing', 'not_due', 'provisional',
                         'completeness_pct', 'timeliness_pct'],
                        instants='instants', instant_keys=['year']) }}
)

select
    cast(period_code as varchar) as period_code,
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
