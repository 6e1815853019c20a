{#- Body of int_unit_registrations__spells and its twin __history (macros/history.sql). -#}
{% macro int_unit_registrations__spells(h) -%}
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
    select {{ 'b.known_at,' if h }} r.unit_code, r.unit_kind, r.name_vi, r.name_en, r.is_active, r.registered_at, r.sources_file, r.run_id
    from registrations as r
    {%- if h %}
    cross join (select distinct known_at from {{ ref('int_knowledge__reporting_instants') }}) as b
    {%- else %}
    cross join {{ ref('int_build__params') }} as b
    {%- endif %}
    cross join roster as f
    where r.registered_at <= b.{{ 'known_at' if h else 'as_of' }}
        or r.registered_at = f.first_registered_at
)

select
    {{ h_col('v', h) }}
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
        partition by {{ h_col('v', h) }} v.unit_code order by v.registered_at, v.run_id
    ) as effective_to,
    cast(row_number() over (
        partition by {{ h_col('v', h) }} v.unit_code order by v.registered_at, v.run_id
    ) as integer) as registration_number,
    row_number() over (
        partition by {{ h_col('v', h) }} v.unit_code order by v.registered_at desc, v.run_id desc
    ) = 1 as is_latest
from visible as v
cross join roster as r
{%- endmacro %}
