-- The I4 growth histogram at each period: the agencies of I4's denominator whose every window month is
-- known, counted in bins of growth_pct (pressdx_revenue_growth_bin_edges(): 5-point bins from −30 % to
-- +60 %, an open bin at each end). A bin holds lower_pct ≤ growth < upper_pct; every bin has a row, 0
-- when empty, so the bins of a period add up to fct_revenue_growth_summary.complete.
{%- set edges = pressdx_revenue_growth_bin_edges() %}
with bins as (
    {%- for i in range(edges | length + 1) %}
    select
        cast({{ i + 1 }} as integer) as bin_number,
        cast({{ edges[i - 1] if i > 0 else 'null' }} as integer) as lower_pct,
        cast({{ edges[i] if i < edges | length else 'null' }} as integer) as upper_pct
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

complete as (
    select period_code, growth_pct
    from {{ ref('fct_agency_revenue_growth') }}
    where in_denominator and all_months_known and growth_pct is not null
),

counted as (
    select
        g.period_code,
        n.bin_number,
        count(*) as agency_count
    from complete as g
    inner join bins as n
        on (n.lower_pct is null or g.growth_pct >= n.lower_pct)
        and (n.upper_pct is null or g.growth_pct < n.upper_pct)
    group by g.period_code, n.bin_number
)

select
    cast(p.period_code as varchar) as period_code,
    cast(p.period_index as integer) as period_index,
    n.bin_number,
    n.lower_pct,
    n.upper_pct,
    cast(coalesce(c.agency_count, 0) as integer) as agency_count,
    b.as_of
from {{ ref('int_reporting_periods__reportable') }} as p
cross join bins as n
cross join {{ ref('int_build__params') }} as b
left join counted as c
    on c.period_code = p.period_code
    and c.bin_number = n.bin_number
