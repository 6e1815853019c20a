{#- Body of int_agency_register__at_period and its twin __history (macros/history.sql). -#}
{% macro int_agency_register__at_period(h) -%}
with lists as (
    {{ stock_full_list_submissions('agency_register', h) }}
)

select
    {{ h_col('l', h) }}
    l.period_code,
    l.period_index,
    p.coverage_end,
    r.agency_code,
    r.agency_name,
    r.agency_kind,
    r.governing_body,
    r.media_types,
    cast({{ list_length('r.media_types') }} as integer) as media_type_count,
    {{ list_length('r.media_types') }} >= 2 as has_multiple_media_types,
    {{ list_contains('r.media_types', 'electronic') }} as has_electronic_media,
    r.licensed_on,
    r.closed_on,
    (r.licensed_on is null or r.licensed_on <= p.coverage_end)
        and (r.closed_on is null or r.closed_on > p.coverage_end) as is_active,
    l.submission_id as source_submission_id,
    l.source_period_code
from lists as l
inner join {{ ref('int_reporting_periods__in_scope') }} as p
    on p.period_code = l.period_code
inner join {{ ref('stg_raw__agency_registers') }} as r
    on r.submission_id = l.submission_id
{%- endmacro %}
