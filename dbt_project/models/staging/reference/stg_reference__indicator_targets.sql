select
    cast(indicator_code as varchar) as indicator_code,
    cast(year as integer) as year,
    cast(target_share_pct as double precision) as target_share_pct,
    cast(min_revenue_growth_pct as double precision) as min_revenue_growth_pct,
    cast(target_stage as varchar) as target_stage
from {{ ref('indicator_targets') }}
