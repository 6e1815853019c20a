-- The full register of press agencies as at the period end.
-- One row per data row of every accepted submission version (all versions are kept;
-- the as-of filter and the choice of the current version are made in intermediate).
select
    {{ stg_raw_meta_columns() }},
    cast(agency_code as varchar) as agency_code,
    cast(agency_name as varchar) as agency_name,
    cast(agency_kind as varchar) as agency_kind,
    cast(governing_body as varchar) as governing_body,
    cast(media_types as varchar) as media_types,
    cast(licensed_on as date) as licensed_on,
    cast(closed_on as date) as closed_on
from {{ source('raw', 'agency_register') }}
