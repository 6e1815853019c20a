{#- Body of int_indicator_members__revenue_growth and its twin __history (macros/history.sql). -#}
{% macro int_indicator_members__revenue_growth(h) -%}
select
    {{ h_col('', h) }}
    cast('I4' as varchar) as indicator_code,
    period_code,
    agency_code as member_code,
    all_months_known as is_known,
    cast(case when meets_threshold then 1 else 0 end as bigint) as numerator_value,
    cast(1 as bigint) as denominator_value
from {{ h_ref('int_agency_revenue_growth__at_period', h) }}
where in_denominator
{%- endmacro %}
