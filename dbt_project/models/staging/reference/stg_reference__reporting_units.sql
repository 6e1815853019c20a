select
    cast(unit_code as varchar) as unit_code,
    cast(unit_kind as varchar) as unit_kind,
    cast(name_vi as varchar) as name_vi,
    cast(name_en as varchar) as name_en
from {{ ref('reporting_units') }}
