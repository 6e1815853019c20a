-- Annual implementation report of a ministry, province or governing body.
-- One row per data row of every accepted submission version (all versions are kept;
-- the as-of filter and the choice of the current version are made in intermediate).
select
    {{ stg_raw_meta_columns() }},
    cast(section as varchar) as section,
    cast(summary as varchar) as summary,
    cast(difficulties as varchar) as difficulties,
    cast(proposals as varchar) as proposals
from {{ source('raw', 'annual_implementation') }}
