-- Stage reached by a national digital press platform.
-- One row per data row of every accepted submission version (all versions are kept;
-- the as-of filter and the choice of the current version are made in intermediate).
select
    {{ stg_raw_meta_columns() }},
    cast(platform_code as varchar) as platform_code,
    cast(stage as varchar) as stage,
    cast(evidence as varchar) as evidence
from {{ source('raw', 'platform_stage') }}
