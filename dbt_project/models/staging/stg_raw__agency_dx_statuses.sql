-- Digital-transformation status of each agency that answered, as at the period end.
-- One row per data row of every accepted submission version (all versions are kept;
-- the as-of filter and the choice of the current version are made in intermediate).
select
    {{ stg_raw_meta_columns() }},
    cast(agency_code as varchar) as agency_code,
    cast(distributes_on_digital_platforms as boolean) as distributes_on_digital_platforms,
    cast(uses_domestic_platforms as boolean) as uses_domestic_platforms,
    cast(uses_data_ai_platform as boolean) as uses_data_ai_platform,
    cast(converged_newsroom as boolean) as converged_newsroom,
    cast(doing_digital_transformation as boolean) as doing_digital_transformation,
    cast(staff_total as bigint) as staff_total,
    cast(staff_trained as bigint) as staff_trained
from {{ source('raw', 'agency_dx_status') }}
