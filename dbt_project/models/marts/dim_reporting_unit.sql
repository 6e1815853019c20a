-- Reporting units: the Ministry's units of the reference seed, plus every other unit that has a
-- submission visible at the build's as-of instant (ministries, provinces and governing bodies are
-- registered as data; their kind and names are not known here yet and are left NULL).
with reference_units as (
    select unit_code, unit_kind, name_vi, name_en
    from {{ ref('stg_reference__reporting_units') }}
),

submitting_units as (
    select distinct s.unit_code
    from {{ ref('int_submissions__visible') }} as s
)

select
    r.unit_code,
    r.unit_kind,
    r.name_vi,
    r.name_en,
    true as is_reference_unit
from reference_units as r

union all

select
    s.unit_code,
    cast(null as varchar) as unit_kind,
    cast(null as varchar) as name_vi,
    cast(null as varchar) as name_en,
    false as is_reference_unit
from submitting_units as s
where not exists (select 1 from reference_units as r where r.unit_code = s.unit_code)
