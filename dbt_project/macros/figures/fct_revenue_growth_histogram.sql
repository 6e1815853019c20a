{#- Body of fct_revenue_growth_histogram and its twin fct_revenue_growth_histogram_history (macros/history.sql),
    on the grid of fct_revenue_growth_summary's twin (revenue_growth_periods, revenue_growth_rows). -#}
{% macro fct_revenue_growth_histogram(h) -%}
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
    select {{ h_col('', h) }} period_code, growth_pct
    from {{ revenue_growth_rows(h) }} as g
    where in_denominator and all_months_known and growth_pct is not null
),

counted as (
    select
        {{ h_col('g', h) }}
        g.period_code,
        n.bin_number,
        count(*) as agency_count
    from complete as g
    inner join bins as n
        on (n.lower_pct is null or g.growth_pct >= n.lower_pct)
        and (n.upper_pct is null or g.growth_pct < n.upper_pct)
    group by {{ h_col('g', h) }} g.period_code, n.bin_number
)

select
    {{ h_col('p', h) }}
    cast(p.period_code as varchar) as period_code,
    cast(p.period_index as integer) as period_index,
    n.bin_number,
    n.lower_pct,
    n.upper_pct,
    cast(coalesce(c.agency_count, 0) as integer) as agency_count
    {%- if not h %},
    b.as_of
    {%- endif %}
from {{ revenue_growth_periods(h) }} as p
cross join bins as n
{%- if not h %}
cross join {{ ref('int_build__params') }} as b
{%- endif %}
left join counted as c
    on c.period_code = p.period_code
    and c.bin_number = n.bin_number
    {{ h_on('c', 'p', h) }}
{%- endmacro %}
