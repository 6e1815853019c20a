{#- Body of int_platform_stage__at_period and its twin __history (macros/history.sql). -#}
{% macro int_platform_stage__at_period(h) -%}
{{ stock_per_subject(
    'platform_stage',
    ref('stg_raw__platform_stages'),
    'platform_code',
    ['stage', 'evidence'],
    h
) }}
{%- endmacro %}
