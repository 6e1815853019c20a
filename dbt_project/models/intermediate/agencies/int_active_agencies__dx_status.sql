-- The agencies active at each period P, each with its digital-transformation status at P when one is
-- known (has_dx_status false and the status columns NULL otherwise: unknown, not false).
select
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
from {{ ref('int_agency_register__at_period') }} as a
left join {{ ref('int_agency_dx_status__at_period') }} as d
    on d.period_code = a.period_code
    and d.agency_code = a.agency_code
where a.is_active
