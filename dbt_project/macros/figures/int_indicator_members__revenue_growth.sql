{#- Body of int_indicator_members__revenue_growth and its twin __history (macros/history.sql). The twin
    holds the members at the growth's own instants (indicator_inputs(): I4 reads revenue_growth). -#}
{% macro int_indicator_members__revenue_growth(h) -%}
select
    {{ h_col('g', h) }}
    cast('I4' as varchar) as indicator_code,
    g.period_code,
    g.agency_code as member_code,
    g.all_months_known as is_known,
    cast(case when g.meets_threshold then 1 else 0 end as bigint) as numerator_value,
    cast(1 as bigint) as denominator_value
from {{ h_ref('int_agency_revenue_growth__at_period', h) }} as g
where g.in_denominator
{%- endmacro %}
