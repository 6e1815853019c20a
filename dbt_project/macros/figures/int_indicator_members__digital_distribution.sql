{#- Body of int_indicator_members__digital_distribution and its twin __history (macros/history.sql). -#}
{% macro int_indicator_members__digital_distribution(h) -%}
select
    {{ h_col('', h) }}
    {{ boolean_indicator_member('I1', 'distributes_on_digital_platforms') }}
from {{ h_ref('int_active_agencies__dx_status', h) }}
{%- endmacro %}
