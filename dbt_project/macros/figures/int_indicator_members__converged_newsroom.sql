{#- Body of int_indicator_members__converged_newsroom and its twin __history (macros/history.sql). -#}
{% macro int_indicator_members__converged_newsroom(h) -%}
select
    {{ h_col('', h) }}
    {{ boolean_indicator_member('I3', 'converged_newsroom') }}
from {{ h_ref('int_active_agencies__dx_status', h) }}
where has_multiple_media_types
{%- endmacro %}
