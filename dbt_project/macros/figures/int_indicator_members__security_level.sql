{#- Body of int_indicator_members__security_level and its twin __history (macros/history.sql). The twin is
    evaluated at the instants at which a register or a security level can change (h_input_grid
    'security_level'), reading each at its own latest instant (h_on_input). -#}
{% macro int_indicator_members__security_level(h) -%}
select
    {{ h_col('g', h) }}
    cast('I7' as varchar) as indicator_code,
    a.period_code,
    a.agency_code as member_code,
    s.security_level is not null as is_known,
    cast(case when s.security_level >= {{ var('i7_min_security_level', 3) }} then 1 else 0 end as bigint)
        as numerator_value,
    cast(1 as bigint) as denominator_value
{{ h_register_from(h, 'security_level') }}
left join {{ h_ref('int_agency_security__at_period', h) }} as s
    on s.period_code = a.period_code
    and s.agency_code = a.agency_code
    {{ h_on_input('s', 'g', 'security', h) }}
where a.is_active
    and a.has_electronic_media
{%- endmacro %}
