{#- Body of int_university_curriculum__at_period and its twin __history (macros/history.sql). -#}
{% macro int_university_curriculum__at_period(h) -%}
with lists as (
    {{ stock_full_list_submissions('university_curriculum', h) }}
)

select
    {{ h_col('l', h) }}
    l.period_code,
    l.period_index,
    c.institution_code,
    c.institution_name,
    c.has_journalism_program,
    c.curriculum_updated,
    l.submission_id as source_submission_id,
    l.source_period_code
from lists as l
inner join {{ ref('stg_raw__university_curricula') }} as c
    on c.submission_id = l.submission_id
{%- endmacro %}
