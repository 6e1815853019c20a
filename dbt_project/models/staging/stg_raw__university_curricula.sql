-- The full list of journalism universities and faculties and their curricula.
-- One row per data row of every accepted submission version (all versions are kept;
-- the as-of filter and the choice of the current version are made in intermediate).
select
    {{ stg_raw_meta_columns() }},
    cast(institution_code as varchar) as institution_code,
    cast(institution_name as varchar) as institution_name,
    cast(has_journalism_program as boolean) as has_journalism_program,
    cast(curriculum_updated as boolean) as curriculum_updated
from {{ source('raw', 'university_curriculum') }}
