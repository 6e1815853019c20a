-- One row per expected submission (int_expected_submissions) with its state at the build's as_of
-- (kpi-rules.md, "Timeliness and completeness"):
--   on_time  its first accepted version was received before the due instant (strictly: a file received
--            at 00:00 of the due day itself is late: "before 3 April" means before 3 April 00:00);
--   late     first received at or after the due instant, but by as_of;
--   missing  none accepted by as_of and as_of is at or past the due instant;
--   not_due  none accepted yet and the due instant is still ahead.
-- Only accepted versions exist (raw.submissions): a rejected file is never "received". provisional: the
-- current version at as_of is still provisional. Submissions nobody expected (e.g. before a dataset's
-- first_period) are not counted.
with expected as (
    select * from {{ ref('int_expected_submissions') }}
),

versions as (
    select
        v.unit_code,
        v.dataset,
        v.period_code,
        min(v.received_at) as first_received_at,
        max(case when v.is_current then v.received_at end) as current_received_at,
        count(*) as version_count,
        max(case when v.version_number = 1 then v.submission_id end) as first_submission_id,
        max(case when v.is_current then v.submission_id end) as current_submission_id,
        max(case when v.is_current then v.submission_status end) as current_submission_status
    from {{ ref('int_submissions__visible') }} as v
    group by v.unit_code, v.dataset, v.period_code
)

select
    cast(e.unit_code as varchar) as unit_code,
    cast(e.dataset as varchar) as dataset,
    cast(e.period_code as varchar) as period_code,
    cast(e.year as integer) as year,
    cast(e.quarter as integer) as quarter,
    cast(e.period_index as integer) as period_index,
    cast(e.frequency as varchar) as frequency,
    cast(e.expected_because as varchar) as expected_because,
    e.due_at,
    cast(
        case
            when v.first_received_at < e.due_at then 'on_time'
            when v.first_received_at is not null then 'late'
            when b.as_of >= e.due_at then 'missing'
            else 'not_due'
        end as varchar
    ) as state,
    coalesce(v.current_submission_status = 'provisional', false) as provisional,
    v.first_received_at,
    -- whole days late, rounded up, from the due instant to the first version (late ones only)
    case
        when v.first_received_at >= e.due_at then cast(ceil(
            (extract(epoch from v.first_received_at) - extract(epoch from e.due_at)) / 86400
        ) as integer)
    end as days_late,
    v.current_received_at,
    cast(coalesce(v.version_count, 0) as integer) as version_count,
    cast(v.first_submission_id as varchar) as first_submission_id,
    cast(v.current_submission_id as varchar) as current_submission_id,
    cast(v.current_submission_status as varchar) as current_submission_status,
    b.as_of
from expected as e
cross join {{ ref('int_build__params') }} as b
left join versions as v
    on v.unit_code = e.unit_code
    and v.dataset = e.dataset
    and v.period_code = e.period_code
