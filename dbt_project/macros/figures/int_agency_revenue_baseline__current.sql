{#- Body of int_agency_revenue_baseline__current and its twin __history (macros/history.sql), which holds
    the baseline of each agency for each period P at each instant at which a baseline can change
    (h_input_grid 'baseline'). -#}
{% macro int_agency_revenue_baseline__current(h) -%}
{{ latest_current_values(
    'agency_revenue_baseline', 'stg_raw__agency_revenue_baselines', ['agency_code'], ['revenue_2022_vnd'], h=h,
    grid=h_input_grid(h, 'baseline') if h else none
) }}
{%- endmacro %}
