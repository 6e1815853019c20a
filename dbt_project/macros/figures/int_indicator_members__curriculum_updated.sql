{#- Body of int_indicator_members__curriculum_updated and its twin __history (macros/history.sql). -#}
{% macro int_indicator_members__curriculum_updated(h) -%}
select
    {{ h_col('', h) }}
    {{ boolean_indicator_member('I5', 'curriculum_updated', 'institution_code') }}
from {{ h_ref('int_university_curriculum__at_period', h) }}
where has_journalism_program
{%- endmacro %}
