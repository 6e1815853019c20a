{{ changes_with('*') }}
-- The knowledge instant and the scope of this build: one row. Every as-of-sensitive model joins this
-- row instead of reading the vars itself, so that a build has exactly one as_of and one through.
--   as_of         var('as_of'), default the run's start time (UTC)
--   through       var('through'), default the period whose coverage contains the as-of date in
--                 Vietnam time (the latest period started by then, past the end of the calendar)
with calendar as (
    select
        period_code, year, quarter, period_index, coverage_start, coverage_end, due_at, annual_report_due_at,
        needs_trend_review
    from {{ ref('stg_reference__reporting_calendar') }}
),

requested as (
    select
        {{ pressdx_as_of() }} as as_of,
        {{ pressdx_as_of_local_date() }} as as_of_local_date,
        {{ pressdx_through() }} as through_requested
),

resolved as (
    select
        r.as_of,
        r.as_of_local_date,
        r.through_requested,
        coalesce(
            r.through_requested,
            (
                select c.period_code
                from calendar as c
                where c.coverage_start <= r.as_of_local_date
                order by c.period_index desc
                limit 1
            )
        ) as through_period
    from requested as r
)

select
    r.as_of,
    r.as_of_local_date,
    r.through_period,
    c.period_index as through_period_index,
    r.through_requested is null as through_defaulted,
    (
        select f.period_index
        from calendar as f
        where f.period_code = '{{ var("first_period", "2023-Q1") }}'
    ) as first_period_index
from resolved as r
left join calendar as c
    on c.period_code = r.through_period
