{#- Body of int_agency_security__at_period and its twin __history (macros/history.sql). -#}
{% macro int_agency_security__at_period(h) -%}
{{ stock_per_subject(
    'agency_security',
    ref('stg_raw__agency_securities'),
    'agency_code',
    ['security_level', 'certified_on'],
    h
) }}
{%- endmacro %}
