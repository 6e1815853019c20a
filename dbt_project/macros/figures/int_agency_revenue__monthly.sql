{#- Body of int_agency_revenue__monthly and its twin __history (macros/history.sql). The twin holds, for
    each period P at each instant at which P's revenue can change (h_input_grid 'revenue'), the months of
    P's revenue window only (December Y-1 .. E(P)): the only months a figure of P reads. It takes each
    (agency, month) from the spell of its value that holds at the instant (current_value_spells, the same
    rule as latest_current_values). -#}
{% macro int_agency_revenue__monthly(h) -%}
{%- if h %}
with grid as (
    {{ revenue_window_periods(h_input_grid(true, 'revenue')) }}
),

spells as (
    {{ current_value_spells('agency_revenue', 'stg_raw__agency_revenues', ['agency_code', 'month'], ['revenue_vnd']) }}
),

{#- the months of each period's window, so that every join below is on equal keys (a range join of the
    spells to the windows made PostgreSQL pair every spell with every instant first) #}
window_months as (
    select distinct g.period_code, m.month
    from grid as g
    inner join (select distinct month from spells) as m
        on {{ month_index('m.month') }} between g.window_start_index and g.window_end_index
),

latest as (
    select g.period_code, g.known_at, sp.*
    from spells as sp
    inner join window_months as w
        on w.month = sp.month
    inner join grid as g
        on g.period_code = w.period_code
        and g.known_at >= sp.valid_from
        and (sp.valid_to is null or g.known_at < sp.valid_to)
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
