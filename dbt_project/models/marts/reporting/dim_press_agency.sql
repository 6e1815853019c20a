-- Press agencies with their history: one row per agency and validity interval, derived from the register
-- at each period in scope (int_agency_register__at_period, as known at the build's as_of, so an as-of
-- build gets the history that was known then). A new interval starts when the agency first appears,
-- when any of its attributes (name, kind, governing body, media types, licence date, closure date)
-- differs from the previous period's register, or when it reappears after a period in which it was not
-- listed (dropped from the register, or no register known).
with register as (
    select * from {{ ref('int_agency_register__at_period') }}
),

compared as (
    select
        r.*,
        case
            when lag(r.period_index) over w is null then 1
            when lag(r.period_index) over w <> r.period_index - 1 then 1
            when lag(r.agency_name) over w is distinct from r.agency_name then 1
            when lag(r.agency_kind) over w is distinct from r.agency_kind then 1
            when lag(r.governing_body) over w is distinct from r.governing_body then 1
            when lag(r.media_types) over w is distinct from r.media_types then 1
            when lag(r.licensed_on) over w is distinct from r.licensed_on then 1
            when lag(r.closed_on) over w is distinct from r.closed_on then 1
            else 0
        end as starts_version
    from register as r
    window w as (partition by r.agency_code order by r.period_index)
),

numbered as (
    select
        c.*,
        sum(c.starts_version) over (
            partition by c.agency_code order by c.period_index rows between unbounded preceding and current row
        ) as version_number
    from compared as c
),

intervals as (
    select
        agency_code,
        version_number,
        min(period_index) as from_index,
        max(period_index) as to_index
    from numbered
    group by agency_code, version_number
)

select
    cast(i.agency_code || '@' || f.period_code as varchar) as agency_version_key,
    cast(i.agency_code as varchar) as agency_code,
    cast(i.version_number as integer) as version_number,
    cast(f.agency_name as varchar) as agency_name,
    cast(f.agency_kind as varchar) as agency_kind,
    cast(f.governing_body as varchar) as governing_body,
    cast(f.media_types as varchar) as media_types,
    cast(f.media_type_count as integer) as media_type_count,
    f.has_multiple_media_types,
    f.has_electronic_media,
    f.licensed_on,
    f.closed_on,
    cast(f.period_code as varchar) as valid_from_period,
    cast(t.period_code as varchar) as valid_to_period,
    cf.coverage_start as valid_from_date,
    t.coverage_end as valid_to_date,
    cast(t.period_index - f.period_index + 1 as integer) as period_count,
    t.period_index = b.through_period_index as is_current,
    t.is_active as is_active_at_valid_to,
    cast(f.source_submission_id as varchar) as first_source_submission_id,
    cast(t.source_submission_id as varchar) as last_source_submission_id,
    b.as_of
from intervals as i
inner join numbered as f
    on f.agency_code = i.agency_code
    and f.period_index = i.from_index
inner join numbered as t
    on t.agency_code = i.agency_code
    and t.period_index = i.to_index
inner join {{ ref('stg_reference__reporting_calendar') }} as cf
    on cf.period_index = i.from_index
cross join {{ ref('int_build__params') }} as b
