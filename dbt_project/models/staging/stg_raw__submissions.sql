-- Every accepted submission version; the as-of filter and the current version are chosen in
-- intermediate (int_submissions__visible).
select
    cast(submission_id as varchar) as submission_id,
    cast(unit_code as varchar) as unit_code,
    cast(dataset as varchar) as dataset,
    cast(period as varchar) as period_code,
    cast(status as varchar) as submission_status,
    cast(commentary as varchar) as commentary,
    cast(received_at as timestamptz) as received_at,
    cast(sha256 as varchar) as sha256,
    cast(encoding as varchar) as encoding,
    cast(source_name as varchar) as source_name,
    cast(path as varchar) as source_path,
    cast(row_count as integer) as row_count,
    cast(warning_count as integer) as warning_count,
    cast(run_id as varchar) as run_id,
    cast(loaded_at as timestamptz) as loaded_at
from {{ source('raw', 'submissions') }}
