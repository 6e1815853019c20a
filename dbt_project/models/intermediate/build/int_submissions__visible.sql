-- Submission versions that exist at the build's as-of instant (received_at <= as_of), numbered per
-- (unit_code, dataset, period_code). The current version is the one received last; the others are
-- superseded (kpi-rules.md, "Knowledge time"). Ties on received_at are broken by submission_id.
-- superseded_at: when the next version of the same (unit, dataset, period) arrived (NULL: still current),
-- so that a version is current at an instant k <= as_of exactly when received_at <= k < superseded_at:
-- the history models (int_knowledge__instants and the *__history twins) evaluate the rules at such k.
with visible as (
    select
        s.submission_id, s.unit_code, s.dataset, s.period_code, s.submission_status, s.commentary,
        s.received_at, s.sha256, s.encoding, s.source_name, s.source_path, s.row_count, s.warning_count,
        s.run_id, s.loaded_at
    from {{ ref('stg_raw__submissions') }} as s
    cross join {{ ref('int_build__params') }} as b
    where s.received_at <= b.as_of
)

select
    v.submission_id,
    v.unit_code,
    v.dataset,
    v.period_code,
    c.period_index,
    c.year,
    v.submission_status,
    v.commentary,
    v.received_at,
    v.sha256,
    cast(row_number() over (
        partition by v.unit_code, v.dataset, v.period_code
        order by v.received_at, v.submission_id
    ) as integer) as version_number,
    cast(count(*) over (
        partition by v.unit_code, v.dataset, v.period_code
    ) as integer) as version_count,
    row_number() over (
        partition by v.unit_code, v.dataset, v.period_code
        order by v.received_at desc, v.submission_id desc
    ) = 1 as is_current,
    lead(v.received_at) over (
        partition by v.unit_code, v.dataset, v.period_code
        order by v.received_at, v.submission_id
    ) as superseded_at,
    lead(v.submission_id) over (
        partition by v.unit_code, v.dataset, v.period_code
        order by v.received_at, v.submission_id
    ) as superseded_by
from visible as v
left join {{ ref('stg_reference__reporting_calendar') }} as c
    on c.period_code = v.period_code
