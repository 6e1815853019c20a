{#- Body of int_active_agencies__dx_status and its twin __history (macros/history.sql). The twin is
    evaluated at the instants at which a register or a DX status can change (h_input_grid 'active'),
    reading each at its own latest instant (h_on_input). -#}
{% macro int_active_agencies__dx_status(h) -%}
select
    {{ h_col('g', h) }}
    a.period_code,
    a.period_index,
    a.agency_code,
    a.media_type_count,
    a.has_multiple_media_types,
    a.has_electronic_media,
    d.agency_code is not null as has_dx_status,
    d.distributes_on_digital_platforms,
    d.uses_domestic_platforms,
    d.uses_data_ai_platform,
    d.converged_newsroom,
    d.doing_digital_transformation,
    d.staff_total,
    d.staff_trained,
    d.source_submission_id as dx_source_submission_id,
    d.source_period_code as dx_source_period_code
{{ h_register_from(h, 'active') }}
left join {{ h_ref('int_agency_dx_status__at_period', h) }} as d
    on d.period_code = a.period_code
    and d.agency_code = a.agency_code
    {{ h_on_input('d', 'g', 'dx_status', h) }}
where a.is_active
{%- endmacro %}
