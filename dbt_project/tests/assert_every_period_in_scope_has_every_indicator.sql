-- Singular test: fct_indicator_period has one row for every computed indicator and every period from
-- 2023-Q1 through the build's through period, data or not (a period without data is `no_data`, never
-- missing). A returned row is an (indicator, period) pair that is missing from the mart: a report or a
-- BI chart would silently skip that period.
with expected as (
    select i.indicator_code, p.period_code
    from {{ ref('int_reporting_periods__in_scope') }} as p
    cross join (
        {%- for code in pressdx_member_indicators() %}
        select cast('{{ code }}' as varchar) as indicator_code
        {%- if not loop.last %} union all{% endif %}
        {%- endfor %}
    ) as i
)

select e.indicator_code, e.period_code
from expected as e
left join {{ ref('fct_indicator_period') }} as f
    on f.indicator_code = e.indicator_code
    and f.period_code = e.period_code
where f.indicator_code is null
