{#- Body of int_agency_dx_status__at_period and its twin __history (macros/history.sql). -#}
{% macro int_agency_dx_status__at_period(h) -%}
{{ stock_per_subject(
    'agency_dx_status',
    ref('stg_raw__agency_dx_statuses'),
    'agency_code',
    [
        'distributes_on_digital_platforms',
        'uses_domestic_platforms',
        'uses_data_ai_platform',
        'converged_newsroom',
        'doing_digital_transformation',
        'staff_total',
        'staff_trained',
    ],
    h
) }}
{%- endmacro %}
