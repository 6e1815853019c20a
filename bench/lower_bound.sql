-- The lower bound of the dbt build: ONE hand-written query computing I1-I7 for every period in scope,
-- from the raw tables alone, by the rules of shared/spec/kpi-rules.md (the same choices as the dbt
-- project: dbt_project/README.md). Runs unchanged on DuckDB and PostgreSQL.
--
-- Filled in by bench/lower_bound.py (string.Template; the placeholders are these names with a dollar sign):
--   schema          the schema holding submissions and the raw dataset tables (bulk-loaded copies)
--   as_of           knowledge instant, a timestamptz literal: only submissions received by then exist
--   scope           VALUES rows of the periods computed: the first period (2023-Q1, as the dbt project)
--                   through the build's through period
--   lookback        stock values look back this many periods, P included (4)
--   calendar        VALUES rows of reporting_calendar.csv: (period_code, year, period_index, coverage_start, coverage_end)
--   thresholds      VALUES rows of the I4 thresholds: (year, min_revenue_growth_pct)
--
-- Output: indicator_code, period_code, numerator, denominator, member_count, known_member_count,
-- value_pct, coverage_pct — one row per indicator and period, also when a period has no data.
with calendar (period_code, year, period_index, coverage_start, coverage_end) as (
    values $calendar
),

thresholds (year, min_revenue_growth_pct) as (
    values $thresholds
),

-- The periods computed (the calendar's rows first_index..through_index, listed as such so that the
-- planner knows their number: a range filter on VALUES is estimated at one row on PostgreSQL).
scope (period_code) as (
    values $scope
),

periods as (
    select
        c.period_code,
        c.year,
        c.period_index,
        c.coverage_end,
        -- I4 window: December Y-1 (the first day year Y covers) through the last month of P, as month numbers
        cast(extract(year from y.window_start) as integer) * 12 + cast(extract(month from y.window_start) as integer) - 1
            as window_start_month,
        cast(extract(year from c.coverage_end) as integer) * 12 + cast(extract(month from c.coverage_end) as integer) - 1
            as window_end_month
    from calendar as c
    inner join scope as s
        on s.period_code = c.period_code
    inner join (select year, min(coverage_start) as window_start from calendar group by year) as y
        on y.year = c.year
),

-- Knowledge time: versions received by as_of; per (unit, dataset, period) the one received last is current.
current_submissions as (
    select submission_id, dataset, period_index, received_at
    from (
        select
            s.submission_id,
            s.dataset,
            c.period_index,
            s.received_at,
            row_number() over (
                partition by s.unit_code, s.dataset, s.period
                order by s.received_at desc, s.submission_id desc
            ) as version_rank
        from $schema.submissions as s
        left join calendar as c
            on c.period_code = s.period
        where s.received_at <= $as_of
    ) as v
    where version_rank = 1 and period_index is not null
),

-- Stock values: the current submissions whose period lies in P-(lookback-1) .. P, latest period first.
stock_window as (
    select
        p.period_code,
        p.coverage_end,
        s.dataset,
        s.submission_id,
        s.period_index as source_period_index,
        s.received_at
    from periods as p
    inner join current_submissions as s
        on s.period_index <= p.period_index
        and s.period_index > p.period_index - $lookback
        and s.dataset in ('agency_register', 'university_curriculum', 'agency_dx_status', 'agency_security')
),

-- Full lists: the list at P is the one submission with the latest period in the window, whole.
list_at_period as (
    select period_code, coverage_end, dataset, submission_id
    from (
        select
            w.*,
            row_number() over (
                partition by w.period_code, w.dataset
                order by w.source_period_index desc, w.received_at desc, w.submission_id desc
            ) as list_rank
        from stock_window as w
        where w.dataset in ('agency_register', 'university_curriculum')
    ) as l
    where list_rank = 1
),

active as (
    select
        l.period_code,
        r.agency_code,
        r.media_types like '%;%' as has_multiple_media_types,
        (';' || r.media_types || ';') like '%;electronic;%' as has_electronic_media
    from list_at_period as l
    inner join $schema.agency_register as r
        on r.submission_id = l.submission_id
    where l.dataset = 'agency_register'
        and (r.licensed_on is null or r.licensed_on <= l.coverage_end)
        and (r.closed_on is null or r.closed_on > l.coverage_end)
),

-- Per-subject values: per agency, the row of the submission with the latest period in the window holding it.
dx_status as (
    select *
    from (
        select
            w.period_code,
            d.agency_code,
            d.distributes_on_digital_platforms,
            d.uses_data_ai_platform,
            d.converged_newsroom,
            d.doing_digital_transformation,
            d.staff_total,
            d.staff_trained,
            row_number() over (
                partition by w.period_code, d.agency_code
                order by w.source_period_index desc, w.received_at desc, w.submission_id desc
            ) as subject_rank
        from stock_window as w
        inner join $schema.agency_dx_status as d
            on d.submission_id = w.submission_id
        where w.dataset = 'agency_dx_status'
    ) as x
    where subject_rank = 1
),

security as (
    select *
    from (
        select
            w.period_code,
            a.agency_code,
            a.security_level,
            row_number() over (
                partition by w.period_code, a.agency_code
                order by w.source_period_index desc, w.received_at desc, w.submission_id desc
            ) as subject_rank
        from stock_window as w
        inner join $schema.agency_security as a
            on a.submission_id = w.submission_id
        where w.dataset = 'agency_security'
    ) as x
    where subject_rank = 1
),

-- Revenue: per (agency, month) the value of the most recently received current submission holding it.
revenue as (
    select agency_code, month_number, revenue_vnd
    from (
        select
            r.agency_code,
            cast(extract(year from r.month) as integer) * 12 + cast(extract(month from r.month) as integer) - 1
                as month_number,
            r.revenue_vnd,
            row_number() over (
                partition by r.agency_code, r.month
                order by s.received_at desc, s.submission_id desc
            ) as month_rank
        from current_submissions as s
        inner join $schema.agency_revenue as r
            on r.submission_id = s.submission_id
        where s.dataset = 'agency_revenue'
    ) as x
    where month_rank = 1
),

baseline as (
    select agency_code, revenue_2022_vnd
    from (
        select
            b.agency_code,
            b.revenue_2022_vnd,
            row_number() over (
                partition by b.agency_code
                order by s.received_at desc, s.submission_id desc
            ) as baseline_rank
        from current_submissions as s
        inner join $schema.agency_revenue_baseline as b
            on b.submission_id = s.submission_id
        where s.dataset = 'agency_revenue_baseline'
    ) as x
    where baseline_rank = 1
),

-- I1, I2, I3, I6: active agencies and their status at P (unknown: no status row).
agg_dx as (
    select
        a.period_code,
        count(*) as active_count,
        sum(case when d.distributes_on_digital_platforms is not null then 1 else 0 end) as i1_known,
        sum(case when d.distributes_on_digital_platforms then 1 else 0 end) as i1_num,
        sum(case when d.uses_data_ai_platform is not null then 1 else 0 end) as i2_known,
        sum(case when d.uses_data_ai_platform then 1 else 0 end) as i2_num,
        sum(case when a.has_multiple_media_types then 1 else 0 end) as i3_members,
        sum(case when a.has_multiple_media_types and d.converged_newsroom is not null then 1 else 0 end) as i3_known,
        sum(case when a.has_multiple_media_types and d.converged_newsroom then 1 else 0 end) as i3_num,
        sum(case when d.staff_total is not null and d.staff_trained is not null then 1 else 0 end) as i6_known,
        sum(case when d.staff_total is not null and d.staff_trained is not null then d.staff_trained else 0 end)
            as i6_num,
        sum(case when d.staff_total is not null and d.staff_trained is not null then d.staff_total else 0 end)
            as i6_den
    from active as a
    left join dx_status as d
        on d.period_code = a.period_code
        and d.agency_code = a.agency_code
    group by a.period_code
),

-- I4: the months of each period's window (at most 12: December Y-1 .. the last month of P), then each
-- agency's known months and revenue in the window (equality joins only: no range join to plan).
window_months as (
    select p.period_code, p.window_start_month + o.k as month_number
    from periods as p
    cross join (values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11)) as o (k)
    where o.k <= p.window_end_month - p.window_start_month
),

window_revenue as (
    select w.period_code, m.agency_code, count(*) as months_known, sum(m.revenue_vnd) as window_revenue
    from window_months as w
    inner join revenue as m
        on m.month_number = w.month_number
    group by w.period_code, m.agency_code
),

-- Members: active, doing digital transformation at P, baseline > 0; in the numerator with every window
-- month known and sum × 1200 ≥ baseline × months × (100 + threshold) (exact decimal arithmetic).
i4_members as (
    select
        p.period_code,
        p.window_end_month - p.window_start_month + 1 as window_months,
        t.min_revenue_growth_pct,
        b.revenue_2022_vnd,
        coalesce(r.months_known, 0) as months_known,
        r.window_revenue
    from periods as p
    inner join active as a
        on a.period_code = p.period_code
    inner join dx_status as d
        on d.period_code = a.period_code
        and d.agency_code = a.agency_code
        and d.doing_digital_transformation
    inner join baseline as b
        on b.agency_code = a.agency_code
        and b.revenue_2022_vnd > 0
    left join window_revenue as r
        on r.period_code = a.period_code
        and r.agency_code = a.agency_code
    left join thresholds as t
        on t.year = p.year
),

agg_i4 as (
    select
        period_code,
        count(*) as members,
        sum(case when months_known >= window_months then 1 else 0 end) as known,
        sum(case
            when months_known >= window_months and min_revenue_growth_pct is not null
                and cast(window_revenue as numeric(38, 0)) * 1200
                    >= cast(revenue_2022_vnd as numeric(38, 0)) * window_months
                    * (100 + cast(min_revenue_growth_pct as numeric(38, 6)))
            then 1 else 0
        end) as num
    from i4_members
    group by period_code
),

-- I5: institutions with a journalism programme on the curriculum list at P.
agg_i5 as (
    select
        l.period_code,
        count(*) as members,
        sum(case when c.curriculum_updated is not null then 1 else 0 end) as known,
        sum(case when c.curriculum_updated then 1 else 0 end) as num
    from list_at_period as l
    inner join $schema.university_curriculum as c
        on c.submission_id = l.submission_id
    where l.dataset = 'university_curriculum'
        and c.has_journalism_program
    group by l.period_code
),

-- I7: active agencies with the electronic media type; security level at P ≥ 3.
agg_i7 as (
    select
        a.period_code,
        count(*) as members,
        sum(case when s.security_level is not null then 1 else 0 end) as known,
        sum(case when s.security_level >= 3 then 1 else 0 end) as num
    from active as a
    left join security as s
        on s.period_code = a.period_code
        and s.agency_code = a.agency_code
    where a.has_electronic_media
    group by a.period_code
),

figures (indicator_code, period_code, numerator, denominator, member_count, known_member_count) as (
    select 'I1', period_code, i1_num, active_count, active_count, i1_known from agg_dx
    union all
    select 'I2', period_code, i2_num, active_count, active_count, i2_known from agg_dx
    union all
    select 'I3', period_code, i3_num, i3_members, i3_members, i3_known from agg_dx
    union all
    select 'I4', period_code, num, members, members, known from agg_i4
    union all
    select 'I5', period_code, num, members, members, known from agg_i5
    union all
    select 'I6', period_code, i6_num, i6_den, active_count, i6_known from agg_dx
    union all
    select 'I7', period_code, num, members, members, known from agg_i7
),

completed as (
    select
        i.indicator_code,
        p.period_code,
        p.period_index,
        cast(coalesce(f.numerator, 0) as bigint) as numerator,
        cast(coalesce(f.denominator, 0) as bigint) as denominator,
        cast(coalesce(f.member_count, 0) as bigint) as member_count,
        cast(coalesce(f.known_member_count, 0) as bigint) as known_member_count
    from (values ('I1'), ('I2'), ('I3'), ('I4'), ('I5'), ('I6'), ('I7')) as i (indicator_code)
    cross join periods as p
    left join figures as f
        on f.indicator_code = i.indicator_code
        and f.period_code = p.period_code
)

select
    indicator_code,
    period_code,
    numerator,
    denominator,
    member_count,
    known_member_count,
    case when denominator = 0 then cast(null as double precision)
        else cast(numerator as double precision) * 100 / cast(denominator as double precision) end as value_pct,
    case when member_count = 0 then cast(null as double precision)
        else cast(known_member_count as double precision) * 100 / cast(member_count as double precision)
    end as coverage_pct
from completed
order by indicator_code, period_index
