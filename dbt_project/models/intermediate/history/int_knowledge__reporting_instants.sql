-- The knowledge instants of each period P in scope for timeliness and reporting rates: the instants at
-- which an expected submission of P's reporting year Y can appear or change state, plus the start of time
-- (history_start()). The same instants for every period of a year, so that the year-to-date rates sum the
-- periods at one instant:
--   every version of a submission for a period of Y, at its received_at and its superseded_at (a first
--   version turns not_due/missing into on_time/late; a revision changes the current version; an annual
--   report received makes its unit expected)
--   every due instant of Y (due_at of its periods, the annual report's due instant): not_due → missing
--   every unit registration (registered_at): the roster that says who owes an annual report
-- due instants after the build's as_of are included: with nothing new, a state still turns missing then.
-- changed_by_submission_id: the submission that arrived at known_at (the smallest id when several did);
-- NULL at a due instant, a registration or the start of time.
with periods as (
    select p.period_code, p.year, c.due_at, c.annual_report_due_at
    from {{ ref('int_reporting_periods__in_scope') }} as p
    inner join {{ ref('stg_reference__reporting_calendar') }} as c
        on c.period_code = p.period_code
),

years as (
    select distinct year from periods
),

events as (
    select s.year, s.received_at as known_at, s.submission_id
    from {{ ref('int_submissions__visible') }} as s
    inner join years as y
        on y.year = s.year

    union all

    select s.year, s.superseded_at as known_at, s.superseded_by as submission_id
    from {{ ref('int_submissions__visible') }} as s
    inner join years as y
        on y.year = s.year
    where s.superseded_at is not null

    union all

    select year, due_at as known_at, cast(null as varchar) as submission_id from periods

    union all

    select year, annual_report_due_at as known_at, cast(null as varchar) as submission_id
    from periods
    where annual_report_due_at is not null

    union all

    select y.year, r.registered_at as known_at, cast(null as varchar) as submission_id
    from years as y
    cross join (select distinct registered_at from {{ ref('stg_raw__unit_registrations') }}) as r

    union all

    select year, {{ history_start() }} as known_at, cast(null as varchar) as submission_id from years
),

instants as (
    select year, known_at, min(submission_id) as changed_by_submission_id
    from events
    group by year, known_at
)

select
    p.period_code,
    p.year,
    p.quarter,
    p.period_index,
    p.coverage_start,
    p.coverage_end,
    p.due_at,
    i.known_at,
    i.changed_by_submission_id
from {{ ref('int_reporting_periods__in_scope') }} as p
inner join instants as i
    on i.year = p.year
