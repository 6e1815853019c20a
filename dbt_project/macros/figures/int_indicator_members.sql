{#- Body of int_indicator_members and its twin __history (macros/history.sql). -#}
{% macro int_indicator_members(h) -%}
{%- for code, model in pressdx_member_indicators().items() %}
select
    {{ h_col('', h) }}
    indicator_code,
    period_code,
    member_code,
    is_known,
    numerator_value,
    denominator_value
from {{ h_ref(model, h) }}
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
{%- endmacro %}
