{#- Body of int_active_agencies__dx_status and its twin __history (macros/history.sql). -#}
{% macro int_active_agencies__dx_status(h) -%}
select
    {{ h_col('a', h) }}
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
from {{ h_ref('int_agency_register__at_period', h) }} as a
left join {{ h_ref('int_agency_dx_status__at_period', h) }} as d
    on d.period_code = a.period_code
    and d.agency_code = a.agency_code
    {{ h_on('d', 'a', h) }}
where a.is_active
{%- endmacro %}
