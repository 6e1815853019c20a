-- Monthly revenue of each agency in VND.
-- One row per data row of every accepted submission version (all versions are kept;
-- the as-of filter and the choice of the current version are made in intermediate).
select
    {{ stg_raw_meta_columns() }},
    cast(agency_code as varchar) as agency_code,
    cast(month as date) as month,
    cast(revenue_vnd as bigint) as revenue_vnd
from {{ source('raw', 'agency_revenue') }}
