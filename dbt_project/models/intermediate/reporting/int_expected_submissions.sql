-- Every submission expected for the periods in scope (2023-Q1 .. through), kpi-rules.md "Timeliness and
-- completeness", with its due instant from the reporting calendar (never hard-coded):
--   quarterly assignment   one per period from its first_period            due: the period's due_at
--   annual assignment      one per year, in period Y-Q4, from first_period due: due_at of Y-Q4
--   once assignment        one, in its first_period                        due: that period's due_at
--   annual_implementation  one per year (period Y-Q4) from every ministry, province and governing body
--                          registered at the year's annual_report_due_at (15 December Y 00:00 Vietnam
--                          time), as known at as_of; a unit whose report for Y is received is expected
--                          for Y whatever its registration says (it did report).
with periods as (
    select
        p.period_code,
        p.year,
        p.quarter,
        p.period_index,
        p.due_at,
        c.annual_report_due_at
    from {{ ref('int_reporting_periods__in_scope') }} as p
    inner join {{ ref('stg_reference__reporting_calendar') }} as c
        on c.period_code = p.period_code
),

assignments as (
    select
        a.unit_code,
        a.dataset,
        a.frequency,
        f.period_index as first_period_index
    from {{ ref('stg_reference__dataset_assignments') }} as a
    inner join {{ ref('stg_reference__reporting_calendar') }} as f
        on f.period_code = a.first_period
),

assigned as (
    select
        a.unit_code,
        a.dataset,
        a.frequency,
        p.period_code,
        p.year,
        p.quarter,
        p.period_index,
        p.due_at,
        cast('dataset_assignment' as varchar) as expected_because
    from assignments as a
    inner join periods as p
        on (a.frequency = 'quarterly' and p.period_index >= a.first_period_index)
        or (a.frequency = 'annual' and p.quarter = 4 and p.period_index >= a.first_period_index)
        or (a.frequency = 'once' and p.period_index = a.first_period_index)
),

annual_report_periods as (
    select period_code, year, quarter, period_index, due_at, annual_report_due_at
    from periods
    where quarter = 4 and annual_report_due_at is not null
),

registered as (
    select distinct
        s.unit_code,
        p.period_code
    from annual_report_periods as p
    inner join {{ ref('int_unit_registrations__spells') }} as s
        on s.is_active
        and (s.effective_from is null or s.effective_from <= p.annual_report_due_at)
        and (s.effective_to is null or s.effective_to > p.annual_report_due_at)
),

reported as (
    select distinct
        v.unit_code,
        v.period_code
    from {{ ref('int_submissions__visible') }} as v
    where v.dataset = 'annual_implementation'
),

annual_reports as (
    select
        coalesce(g.unit_code, r.unit_code) as unit_code,
        coalesce(g.period_code, r.period_code) as period_code,
        case when g.unit_code is not null then 'registered' else 'reported' end as expected_because
    from registered as g
    full outer join reported as r
        on r.unit_code = g.unit_code
        and r.period_code = g.period_code
)

select
    unit_code,
    dataset,
    frequency,
    period_code,
    year,
    quarter,
    period_index,
    due_at,
    expected_because
from assigned

union all

select
    a.unit_code,
    cast('annual_implementation' as varchar) as dataset,
    cast('annual' as varchar) as frequency,
    p.period_code,
    p.year,
    p.quarter,
    p.period_index,
    p.annual_report_due_at as due_at,
    cast(a.expected_because as varchar) as expected_because
from annual_reports as a
inner join annual_report_periods as p
    on p.period_code = a.period_code
