-- Each agency's 2022 revenue in VND, the baseline of indicator I4.
-- One row per data row of every accepted submission version (all versions are kept;
-- the as-of filter and the choice of the current version are made in intermediate).
select
    {{ stg_raw_meta_columns() }},
    cast(agency_code as varchar) as agency_code,
    cast(revenue_2022_vnd as bigint) as revenue_2022_vnd
from {{ source('raw', 'agency_revenue_baseline') }}
