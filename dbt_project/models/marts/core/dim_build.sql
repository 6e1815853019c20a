-- One row describing the build that produced these marts: which dbt invocation, for which knowledge
-- instant and through which period.
select
    cast('{{ invocation_id }}' as varchar) as build_id,
    b.as_of,
    cast(b.through_period as varchar) as through_period,
    {{ pressdx_run_started_at() }} as built_at
from {{ ref('int_build__params') }} as b
