-- Reporting units: the Ministry's units (reference seed), the ministries, provinces and governing bodies
-- registered as data (raw.unit_registrations, their latest registration known at the build's as_of,
-- removed ones included with is_active false), and every other unit with a submission visible at as_of.
with reference_units as (
    select unit_code, unit_kind, name_vi, name_en
    from {{ ref('stg_reference__reporting_units') }}
),

registrations as (
    select
        s.unit_code,
        s.unit_kind,
        s.name_vi,
        s.name_en,
        s.is_active,
        s.registered_at as registration_updated_at,
        min(s.registered_at) over (partition by s.unit_code) as first_registered_at,
        s.is_latest
    from {{ ref('int_unit_registrations__spells') }} as s
),

registered_units as (
    select *
    from registrations
    where is_latest
        and unit_code not in (select unit_code from reference_units)
),

submitting_units as (
    select distinct s.unit_code
    from {{ ref('int_submissions__visible') }} as s
    where s.unit_code not in (select unit_code from reference_units)
        and s.unit_code not in (select unit_code from registered_units)
)

select
    cast(r.unit_code as varchar) as unit_code,
    cast(r.unit_kind as varchar) as unit_kind,
    cast(r.name_vi as varchar) as name_vi,
    cast(r.name_en as varchar) as name_en,
    true as is_reference_unit,
    false as is_registered_unit,
    true as is_active,
    cast(null as timestamptz) as first_registered_at,
    cast(null as timestamptz) as registration_updated_at
from reference_units as r

union all

select
    cast(g.unit_code as varchar) as unit_code,
    cast(g.unit_kind as varchar) as unit_kind,
    cast(g.name_vi as varchar) as name_vi,
    cast(g.name_en as varchar) as name_en,
    false as is_reference_unit,
    true as is_registered_unit,
    g.is_active,
    g.first_registered_at,
    g.registration_updated_at
from registered_units as g

union all

select
    cast(s.unit_code as varchar) as unit_code,
    cast(null as varchar) as unit_kind,
    cast(null as varchar) as name_vi,
    cast(null as varchar) as name_en,
    false as is_reference_unit,
    false as is_registered_unit,
    cast(null as boolean) as is_active,
    cast(null as timestamptz) as first_registered_at,
    cast(null as timestamptz) as registration_updated_at
from submitting_units as s
