-- The history of fct_report_provenance (bitemporal, docs/knowledge-time.md): per calendar period P and
-- dataset, the counts of the versions of the periods up to P known at T, valid for known_from <= T < known_to.
-- A version (fct_submission_version) counts as used, by its status, while it is current
-- (received_at <= T < superseded_at) and as superseded from superseded_at on; a (period, dataset) has a row
-- from the first arrival of one of its versions. The counts are interval sums (macros/history_sum.sql): a
-- version's arrival and supersession are its only changes, so no grid of instants is evaluated.
with versions as (
    select *
    from {{ ref('fct_submission_version') }}
    where period_index is not null
),

items as (
    select
        c.period_code,
        c.period_index,
        v.dataset,
        v.received_at as valid_from,
        v.superseded_at as valid_to,
        1 as submissions_used,
        case when v.submission_status = 'official' then 1 else 0 end as official,
        case when v.submission_status = 'provisional' then 1 else 0 end as provisional,
        0 as superseded
    from {{ ref('stg_reference__reporting_calendar') }} as c
    inner join versions as v
        on v.period_index <= c.period_index

    union all

    select
        c.period_code,
        c.period_index,
        v.dataset,
        v.superseded_at as valid_from,
        cast(null as timestamptz) as valid_to,
        0 as submissions_used,
        0 as official,
        0 as provisional,
        1 as superseded
    from {{ ref('stg_reference__reporting_calendar') }} as c
    inner join versions as v
        on v.period_index <= c.period_index
    where v.superseded_at is not null
),

evaluated as (
    {{ history_interval_sum('items', ['period_code', 'period_index', 'dataset'],
                            ['submissions_used', 'official', 'provisional', 'superseded']) }}
),

arrivals as (
    select dataset, received_at as known_at, min(submission_id) as changed_by_submission_id
    from versions
    group by dataset, received_at
),

compressed as (
    {{ history_compress('evaluated', ['period_code', 'period_index', 'dataset'],
                        ['submissions_used', 'official', 'provisional', 'superseded'],
                        instants='arrivals', instant_keys=['dataset']) }}
)

select
    cast(period_code as varchar) as period_code,
    cast(period_index as integer) as period_index,
    cast(dataset as varchar) as dataset,
    cast(submissions_used as integer) as submissions_used,
    cast(official as integer) as official,
    cast(provisional as integer) as provisional,
    cast(superseded as integer) as superseded,
    cast(known_from as timestamptz) as known_from,
    cast(known_to as timestamptz) as known_to,
    cast(changed_by_submission_id as varchar) as changed_by_submission_id
from compressed
