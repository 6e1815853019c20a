{#- Body of int_indicator_members__staff_trained and its twin __history (macros/history.sql). -#}
{% macro int_indicator_members__staff_trained(h) -%}
select
    {{ h_col('', h) }}
    cast('I6' as varchar) as indicator_code,
    period_code,
    agency_code as member_code,
    staff_total is not null and staff_trained is not null as is_known,
    cast(case when staff_total is not null and staff_trained is not null then staff_trained else 0 end as bigint)
        as numerator_value,
    cast(case when staff_total is not null and staff_trained is not null then staff_total else 0 end as bigint)
        as denominator_value
from {{ h_ref('int_active_agencies__dx_status', h) }}
{%- endmacro %}
