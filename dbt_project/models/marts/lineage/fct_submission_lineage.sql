-- Every submission version known at the build's as_of, with what an auditor needs to find its bytes:
-- the SHA-256 the landing store keeps it under ($PRESSDX_DATA_DIR/landing/<sha[:2]>/<sha>), the source
-- and original file name (or HTTP submission id), and which later version superseded it. The current
-- version and the version numbers are those of int_submissions__visible (kpi-rules.md, "Knowledge time"),
-- never decided again in Python; a version received after as_of does not exist here, so an as-of build
-- shows exactly the versions visible then.
with visible as (
    select
        v.submission_id,
        v.unit_code,
        v.dataset,
        v.period_code,
        v.period_index,
        v.submission_status,
        v.received_at,
        v.sha256,
        v.version_number,
        v.version_count,
        v.is_current
    from {{ ref('int_submissions__visible') }} as v
),

files as (
    select s.submission_id, s.source_name, s.source_path, s.encoding, s.row_count, s.loaded_at
    from {{ ref('stg_raw__submissions') }} as s
),

ordered as (
    select
        v.*,
        lead(v.submission_id) over (
            partition by v.unit_code, v.dataset, v.period_code order by v.version_number
        ) as superseded_by_submission_id,
        lead(v.received_at) over (
            partition by v.unit_code, v.dataset, v.period_code order by v.version_number
        ) as superseded_at
    from visible as v
)

select
    cast(o.submission_id as varchar) as submission_id,
    cast(o.unit_code as varchar) as unit_code,
    cast(o.dataset as varchar) as dataset,
    cast(o.period_code as varchar) as period_code,
    cast(o.period_index as integer) as period_index,
    cast(o.submission_status as varchar) as submission_status,
    o.received_at,
    cast(o.sha256 as varchar) as sha256,
    cast(f.source_name as varchar) as source_name,
    cast(f.source_path as varchar) as source_path,
    cast(f.encoding as varchar) as encoding,
    cast(f.row_count as integer) as row_count,
    f.loaded_at,
    cast(o.version_number as integer) as version_number,
    cast(o.version_count as integer) as version_count,
    o.is_current,
    cast(o.superseded_by_submission_id as varchar) as superseded_by_submission_id,
    o.superseded_at,
    b.as_of
from ordered as o
inner join files as f
    on f.submission_id = o.submission_id
cross join {{ ref('int_build__params') }} as b
