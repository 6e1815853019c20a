{#- Body of int_agency_revenue__monthly and its twin __history (macros/history.sql). The twin holds, for
    each period P at each instant at which P's revenue can change (h_input_grid 'revenue'), the months of
    P's revenue window only (December Y-1 .. E(P)): the only months a figure of P reads. -#}
{% macro int_agency_revenue__monthly(h) -%}
{%- if h %}
with grid as (
    {{ revenue_window_periods(h_input_grid(true, 'revenue')) }}
),

latest as (
    {{ latest_current_values(
        'agency_revenue', 'stg_raw__agency_revenues', ['agency_code', 'month'], ['revenue_vnd'],
        h=true, grid='grid',
        row_filter=month_index('r.month') ~ ' between g.window_start_index and g.window_end_index'
    ) }}
)
{%- else %}
with latest as (
    {{ latest_current_values('agency_revenue', 'stg_raw__agency_revenues', ['agency_code', 'month'], ['revenue_vnd']) }}
)
{%- endif %}

select
    {{ h_col('', h) }}
    {{ 'period_code,' if h }}
    agency_code,
    month,
    {{ month_index('month') }} as month_index,
    revenue_vnd,
    source_submission_id,
    source_period_code,
    source_received_at
from latest
{%- endmacro %}
