select
    cast(platform_code as varchar) as platform_code,
    cast(unit_code as varchar) as unit_code,
    cast(indicator_code as varchar) as indicator_code
from {{ ref('platform_responsibilities') }}
