-- Every accepted submission version received by the build's as_of, one row per version, with
-- is_current (kpi-rules.md, "Knowledge time": of the versions of one unit, dataset and period, the one
-- received last is current, ties by submission_id; the others are superseded). From
-- int_submissions__visible: what a report or a BI tool reads instead of raw.submissions. superseded_at (when
-- the next version arrived) makes it a history too: the versions known at T <= as_of are those with
-- received_at <= T, the current one of them has superseded_at NULL or > T (pressdx.figures.marts).
select
    cast(v.submission_id as varchar) as submission_id,
    cast(v.unit_code as varchar) as unit_code,
    cast(v.dataset as varchar) as dataset,
    cast(v.period_code as varchar) as period_code,
    cast(v.year as integer) as year,
    cast(v.period_index as integer) as period_index,
    cast(v.submission_status as varchar) as submission_status,
    v.received_at,
    cast(v.version_number as integer) as version_number,
    cast(v.version_count as integer) as version_count,
    v.is_current,
    v.superseded_at,
    cast(v.commentary as varchar) as commentary,
    cast(v.sha256 as varchar) as sha256,
    b.as_of
from {{ ref('int_submissions__visible') }} as v
cross join {{ ref('int_build__params') }} as b
