-- A unit's rates for a year through quarter q count exactly its expected submissions of Y-Q1 .. Y-Qq in
-- fct_submission_timeliness; and the all-units row sums the units. A returned row breaks that.
with expected as (
    select
        t.unit_code,
        t.year,
        q.through_quarter,
        count(*) as expected,
        sum(case when t.state = 'on_time' then 1 else 0 end) as on_time,
        sum(case when t.state = 'late' then 1 else 0 end) as late,
        sum(case when t.state = 'missing' then 1 else 0 end) as missing,
        sum(case when t.state = 'not_due' then 1 else 0 end) as not_due
    from {{ ref('fct_submission_timeliness') }} as t
    inner join (select distinct through_quarter from {{ ref('fct_unit_reporting_rate_year_to_date') }}) as q
        on t.quarter <= q.through_quarter
    group by t.unit_code, t.year, q.through_quarter
),

per_unit as (
    select coalesce(e.unit_code, r.unit_code) as unit_code, coalesce(e.year, r.year) as year
    from expected as e
    full outer join {{ ref('fct_unit_reporting_rate_year_to_date') }} as r
        on r.unit_code = e.unit_code
        and r.year = e.year
        and r.through_quarter = e.through_quarter
    where r.unit_code is null
        or e.unit_code is null
        or r.expected <> e.expected
        or r.on_time <> e.on_time
        or r.late <> e.late
        or r.missing <> e.missing
        or r.not_due <> e.not_due
        or r.due <> e.on_time + e.late + e.missing
),

overall as (
    select o.period_code as unit_code, o.year
    from {{ ref('fct_reporting_rate_year_to_date') }} as o
    left join (
        select year, through_quarter, sum(expected) as expected, sum(due) as due, sum(on_time) as on_time
        from {{ ref('fct_unit_reporting_rate_year_to_date') }}
        group by year, through_quarter
    ) as u
        on u.year = o.year
        and u.through_quarter = o.through_quarter
    where o.expected <> coalesce(u.expected, 0)
        or o.due <> coalesce(u.due, 0)
        or o.on_time <> coalesce(u.on_time, 0)
)

select * from per_unit
union all
select * from overall
