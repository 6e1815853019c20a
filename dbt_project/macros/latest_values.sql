{#-
  Values that are not stocks (kpi-rules.md, "Values known for period P"): for each key, the row of the
  most recently received *current* `dataset` submission that holds the key, whatever its period, so a
  later submission may correct an earlier value and a superseded version is never used. Submissions for
  a period missing from the calendar are ignored; ties on received_at go to the larger submission_id.

  Returns a whole query with the columns key_columns, value_columns, source_submission_id,
  source_period_code, source_received_at. Used by int_agency_revenue__monthly (key: agency, month) and
  int_agency_revenue_baseline__current (key: agency).

  With h=true (macros/history.sql) the values are taken at each row of `grid` (a relation with
  period_code and known_at; by default int_knowledge__instants), keeping only the rows that satisfy
  `row_filter` (SQL over r, the staging row, and g, the grid row): the columns gain period_code and
  known_at.
-#}
{% macro latest_current_values(dataset, staging_model, key_columns, value_columns, h=false, grid=none, row_filter=none) -%}
    with candidates as (
        select
            {%- if h %}
            g.period_code as grid_period_code,
            g.known_at,
            {%- endif %}
            {%- for c in key_columns + value_columns %}
            r.{{ c }},
            {%- endfor %}
            s.submission_id,
            s.period_code,
            s.received_at,
            row_number() over (
                partition by {% if h %}g.period_code, g.known_at, {% endif %}r.{{ key_columns | join(', r.') }}
                order by s.received_at desc, s.submission_id desc
            ) as value_rank
        {%- if h %}
        from {{ grid if grid else ref('int_knowledge__instants') }} as g
        inner join {{ ref('int_submissions__visible') }} as s
            on {{ h_current('s', 'g', h) }}
        {%- else %}
        from {{ ref('int_submissions__visible') }} as s
        {%- endif %}
        inner join {{ ref(staging_model) }} as r
            on r.submission_id = s.submission_id
        where s.dataset = '{{ dataset }}'
            {%- if not h %}
            and s.is_current
            {%- endif %}
            and s.period_index is not null
            {%- if h and row_filter %}
            and {{ row_filter }}
            {%- endif %}
    )

    select
        {%- if h %}
        grid_period_code as period_code,
        known_at,
        {%- endif %}
        {%- for c in key_columns + value_columns %}
        {{ c }},
        {%- endfor %}
        submission_id as source_submission_id,
        period_code as source_period_code,
        received_at as source_received_at
    from candidates
    where value_rank = 1
{%- endmacro %}
