-- Information-security level of electronic press agencies.
-- One row per data row of every accepted submission version (all versions are kept;
-- the as-of filter and the choice of the current version are made in intermediate).
select
    {{ stg_raw_meta_columns() }},
    cast(agency_code as varchar) as agency_code,
    cast(security_level as bigint) as security_level,
    cast(certified_on as date) as certified_on
from {{ source('raw', 'agency_security') }}
