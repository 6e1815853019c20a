select
    cast(stage as varchar) as stage,
    cast(stage_rank as integer) as stage_rank,
    cast(name_en as varchar) as name_en,
    cast(name_vi as varchar) as name_vi
from {{ ref('platform_stages') }}
