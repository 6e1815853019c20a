{#- Body of int_indicator_members__data_ai_platform and its twin __history (macros/history.sql). -#}
{% macro int_indicator_members__data_ai_platform(h) -%}
select
    {{ h_col('', h) }}
    {{ boolean_indicator_member('I2', 'uses_data_ai_platform') }}
from {{ h_ref('int_active_agencies__dx_status', h) }}
{%- endmacro %}
