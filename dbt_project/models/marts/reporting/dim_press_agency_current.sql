-- Press agencies as registered now: one row per agency ever on a register, with the attributes of its
-- latest interval in dim_press_agency, so BI tools look an agency up by code with a plain join instead of
-- a type-2 range join (dim_press_agency keeps the history). "Now" is the build's through period as known
-- at its as_of: is_registered says whether the latest register still lists the agency, is_active whether
-- it also counts in that period's indicators (licensed, not closed).
with ranked as (
    select
        a.*,
        row_number() over (partition by a.agency_code order by a.version_number desc) as recency
    from {{ ref('dim_press_agency') }} as a
)

select
    cast(r.agency_code as varchar) as agency_code,
    cast(r.agency_name as varchar) as agency_name,
    cast(r.agency_kind as varchar) as agency_kind,
    cast(r.governing_body as varchar) as governing_body,
    cast(r.media_types as varchar) as media_types,
    cast(r.media_type_count as integer) as media_type_count,
    r.has_multiple_media_types,
    r.has_electronic_media,
    r.licensed_on,
    r.closed_on,
    r.is_current as is_registered,
    r.is_current and r.is_active_at_valid_to as is_active,
    cast(r.valid_from_period as varchar) as valid_from_period,
    r.valid_from_date,
    cast(r.valid_to_period as varchar) as last_listed_period,
    cast(r.version_number as integer) as version_number,
    cast(r.agency_version_key as varchar) as agency_version_key,
    r.as_of
from ranked as r
where r.recency = 1
