{#- Body of int_task_progress__reports and its twin __history (macros/history.sql). -#}
{% macro int_task_progress__reports(h) -%}
select
    {{ h_col('g', h) }}
    r.task_code,
    cast(r.year as integer) as report_year,
    r.status,
    r.progress_pct,
    r.output_count,
    r.deliverable_ref,
    r.note,
    r.unit_code,
    r.submission_id,
    r.period_code,
    r.submission_status,
    r.received_at,
    r.row_number
from {{ ref('stg_raw__task_progress_reports') }} as r
{%- if h %}
cross join {{ ref('int_knowledge__task_instants') }} as g
{%- endif %}
inner join {{ ref('int_submissions__visible') }} as v
    on v.submission_id = r.submission_id
    and {{ h_current('v', 'g', h) }}
inner join {{ ref('stg_reference__tasks') }} as t
    on t.task_code = r.task_code
where strpos(';' || replace(t.lead_units, ' ', '') || ';', ';' || r.unit_code || ';') > 0
{%- endmacro %}
