-- Monthly revenue of each (agency, month) known at the build's as-of instant (I4): the value in the most
-- recently received *current* agency_revenue submission that contains that (agency, month), whatever
-- its period: a later submission may correct an earlier month, and a superseded version is never used
-- (kpi-rules.md, "Values known for period P"). Submissions for a period missing from the calendar are
-- ignored. Ties on received_at are broken by the larger submission_id.
with candidates as (
    select
        r.agency_code,
        r.month,
        r.revenue_vnd,
        s.submission_id,
        s.period_code,
        s.received_at,
        row_number() over (
            partition by r.agency_code, r.month
            order by s.received_at desc, s.submission_id desc
        ) as month_rank
    from {{ ref('int_submissions__visible') }} as s
    inner join {{ ref('stg_raw__agency_revenues') }} as r
        on r.submission_id = s.submission_id
    where s.dataset = 'agency_revenue'
        and s.is_current
        and s.period_index is not null
)

select
    agency_code,
    month,
    {{ month_index('month') }} as month_index,
    revenue_vnd,
    submission_id as source_submission_id,
    period_code as source_period_code,
    received_at as source_received_at
from candidates
where month_rank = 1
