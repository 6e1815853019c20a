-- Registration history of the ministries, provinces and governing bodies as known at the build's as_of
-- (rows with registered_at <= as_of), each row with the interval it holds for: from effective_from to
-- effective_to (the unit's next row), exclusive. A unit is registered at an instant t when the row
-- holding at t is active.
--
-- registered_at is when the warehouse learnt of a registration (the run that read sources.yml), not
-- when the unit started reporting: the warehouse's first roster (the rows with the earliest
-- registered_at) is taken as holding since the start of the strategy (effective_from NULL), so that a
-- back-filled warehouse expects the annual reports of past years from its initial units. A unit that
-- joins in a later run (e.g. a province formed in 2025) holds from that run on only.
-- The initial roster is visible to every as-of build, even one earlier than the run that recorded it:
-- otherwise an as-of question about 2024 on a warehouse loaded in 2026 would know no registered unit.
with registrations as (
    select unit_code, unit_kind, name_vi, name_en, is_active, registered_at, sources_file, run_id
    from {{ ref('stg_raw__unit_registrations') }}
    where unit_kind in ('ministry', 'province', 'governing_body')
),

roster as (
    select min(registered_at) as first_registered_at
    from registrations
),

visible as (
    select r.unit_code, r.unit_kind, r.name_vi, r.name_en, r.is_active, r.registered_at, r.sources_file, r.run_id
    from registrations as r
    cross join {{ ref('int_build__params') }} as b
    cross join roster as f
    where r.registered_at <= b.as_of
        or r.registered_at = f.first_registered_at
)

select
    v.unit_code,
    v.unit_kind,
    v.name_vi,
    v.name_en,
    v.is_active,
    v.registered_at,
    v.run_id,
    v.registered_at = r.first_registered_at as is_initial_roster,
    case when v.registered_at = r.first_registered_at then null else v.registered_at end as effective_from,
    lead(v.registered_at) over (
        partition by v.unit_code order by v.registered_at, v.run_id
    ) as effective_to,
    cast(row_number() over (
        partition by v.unit_code order by v.registered_at, v.run_id
    ) as integer) as registration_number,
    row_number() over (
        partition by v.unit_code order by v.registered_at desc, v.run_id desc
    ) = 1 as is_latest
from visible as v
cross join roster as r
