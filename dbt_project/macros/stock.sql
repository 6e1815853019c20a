{#-
  Stock values (kpi-rules.md, "Values known for period P"): a value is known at P from the current
  submissions whose period lies in the window P-(n-1) .. P, n = var('stock_lookback_periods') = 4.
  Older submissions are not used. Every stock dataset (agency_register, university_curriculum,
  agency_dx_status, agency_security, platform_stage) goes through these macros, so the look-back
  rule is written once.

  With h=true (macros/history.sql) every period P is taken at each instant at which the dataset can
  change for P (h_input_grid, stock_input(dataset)): the columns gain known_at, and "current" means
  current at that instant.

  Ties (two current submissions of the same dataset and period, e.g. from two units) are broken by
  the later received_at, then the larger submission_id, so that the result is deterministic.
-#}

{#- For each period P in scope, the current submissions of `dataset` whose period is in P's window. -#}
{% macro stock_submissions_in_window(dataset, h=false) -%}
    select
        {{ h_col('p', h) }}
        p.period_code,
        p.period_index,
        s.submission_id,
        s.unit_code,
        s.period_code as source_period_code,
        s.period_index as source_period_index,
        s.received_at
    from {{ h_input_grid(h, stock_input(dataset)) }} as p
    inner join {{ ref('int_submissions__visible') }} as s
        on s.dataset = '{{ dataset }}'
        and {{ h_current('s', 'p', h) }}
        and s.period_index <= p.period_index
        and s.period_index > p.period_index - {{ var('stock_lookback_periods', 4) }}
{%- endmacro %}


{#- Full lists: for each period P, the one submission that is the list at P (the latest period in the
    window), whole. Columns: period_code, period_index, submission_id, unit_code, source_period_code,
    source_period_index, received_at. -#}
{% macro stock_full_list_submissions(dataset, h=false) -%}
    select
        {{ h_col('', h) }}
        period_code,
        period_index,
        submission_id,
        unit_code,
        source_period_code,
        source_period_index,
        received_at
    from (
        select
            w.*,
            row_number() over (
                partition by {{ h_col('w', h) }} w.period_code
                order by w.source_period_index desc, w.received_at desc, w.submission_id desc
            ) as list_rank
        from ({{ stock_submissions_in_window(dataset, h) }}) as w
    ) as ranked
    where list_rank = 1
{%- endmacro %}


{#- Per-subject values: for each period P and subject, the row from the current submission with the
    latest period in the window that contains the subject. Columns: period_code, period_index,
    <subject_column>, <value_columns>, source_submission_id, source_period_code, source_row_number. -#}
{% macro stock_per_subject(dataset, rows_relation, subject_column, value_columns, h=false) -%}
    select
        {{ h_col('', h) }}
        period_code,
        period_index,
        {{ subject_column }},
        {%- for c in value_columns %}
        {{ c }},
        {%- endfor %}
        source_submission_id,
        source_period_code,
        source_row_number
    from (
        select
            {{ h_col('w', h) }}
            w.period_code,
            w.period_index,
            r.{{ subject_column }},
            {%- for c in value_columns %}
            r.{{ c }},
            {%- endfor %}
            w.submission_id as source_submission_id,
            w.source_period_code,
            r.row_number as source_row_number,
            row_number() over (
                partition by {{ h_col('w', h) }} w.period_code, r.{{ subject_column }}
                order by w.source_period_index desc, w.received_at desc, w.submission_id desc
            ) as subject_rank
        from ({{ stock_submissions_in_window(dataset, h) }}) as w
        inner join {{ rows_relation }} as r
            on r.submission_id = w.submission_id
    ) as ranked
    where subject_rank = 1
{%- endmacro %}
