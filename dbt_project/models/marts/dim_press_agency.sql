-- Press agencies as listed in the register at each period in scope: one row per agency and period
-- (the register's history, as known at the build's as-of instant).
select
    a.period_code,
    a.agency_code,
    a.agency_name,
    a.agency_kind,
    a.governing_body,
    a.media_types,
    a.media_type_count,
    a.has_multiple_media_types,
    a.has_electronic_media,
    a.licensed_on,
    a.closed_on,
    a.is_active,
    a.source_submission_id,
    a.source_period_code
from {{ ref('int_agency_register__at_period') }} as a
