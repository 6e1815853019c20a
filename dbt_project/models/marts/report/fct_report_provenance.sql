-- Provenance of the figures of a report for period P (the annual report: Y-Q4; the six-month review:
-- Y-Q2): per dataset, the submission versions of the periods up to P known at as_of, the current ones
-- (used, by status) and the superseded ones. One row per period of the reporting calendar and dataset
-- with at least one version; submissions of a period not in the calendar are not counted.
with versions as (
    select *
    from {{ ref('fct_submission_version') }}
    where period_index is not null
),

counted as (
    select
        c.period_code,
        c.period_index,
        v.dataset,
        sum(case when v.is_current then 1 else 0 end) as submissions_used,
        sum(case when v.is_current and v.submission_status = 'official' then 1 else 0 end) as official,
        sum(case when v.is_current and v.submission_status = 'provisional' then 1 else 0 end) as provisional,
        sum(case when v.is_current then 0 else 1 end) as superseded
    from {{ ref('stg_reference__reporting_calendar') }} as c
    inner join versions as v
        on v.period_index <= c.period_index
    group by c.period_code, c.period_index, v.dataset
)

select
    cast(c.period_code as varchar) as period_code,
    cast(c.period_index as integer) as period_index,
    cast(c.dataset as varchar) as dataset,
    cast(c.submissions_used as integer) as submissions_used,
    cast(c.official as integer) as official,
    cast(c.provisional as integer) as provisional,
    cast(c.superseded as integer) as superseded,
    b.as_of
from counted as c
cross join {{ ref('int_build__params') }} as b
