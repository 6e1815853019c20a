-- The 2022 revenue baseline of each agency known at the build's as-of instant (I4): the row of the most
-- recently received *current* agency_revenue_baseline submission that contains the agency
-- (kpi-rules.md). Submissions for a period missing from the calendar are ignored.
with candidates as (
    select
        b.agency_code,
        b.revenue_2022_vnd,
        s.submission_id,
        s.period_code,
        s.received_at,
        row_number() over (
            partition by b.agency_code
            order by s.received_at desc, s.submission_id desc
        ) as baseline_rank
    from {{ ref('int_submissions__visible') }} as s
    inner join {{ ref('stg_raw__agency_revenue_baselines') }} as b
        on b.submission_id = s.submission_id
    where s.dataset = 'agency_revenue_baseline'
        and s.is_current
        and s.period_index is not null
)

select
    agency_code,
    revenue_2022_vnd,
    submission_id as source_submission_id,
    period_code as source_period_code,
    received_at as source_received_at
from candidates
where baseline_rank = 1
