-- I7: electronic press agencies with information-security level 3 or above. Members: the agencies active
-- at P that have the electronic media type; in the numerator when their security level at P (per-subject
-- stock rule) is ≥ var('i7_min_security_level', 3); unknown when they have no level at P.
select
    cast('I7' as varchar) as indicator_code,
    a.period_code,
    a.agency_code as member_code,
    s.security_level is not null as is_known,
    cast(case when s.security_level >= {{ var('i7_min_security_level', 3) }} then 1 else 0 end as bigint)
        as numerator_value,
    cast(1 as bigint) as denominator_value
from {{ ref('int_agency_register__at_period') }} as a
left join {{ ref('int_agency_security__at_period') }} as s
    on s.period_code = a.period_code
    and s.agency_code = a.agency_code
where a.is_active
    and a.has_electronic_media
