{#-
  Values that are not stocks (kpi-rules.md, "Values known for period P"): for each key, the row of the
  most recently received *current* `dataset` submission that holds the key, whatever its period, so a
  later submission may correct an earlier value and a superseded version is never used. Submissions for
  a period missing from the calendar are ignored; ties on received_at go to the larger submission_id.

  Returns a whole query with the columns key_columns, value_columns, source_submission_id,
  source_period_code, source_received_at. Used by int_agency_revenue__monthly (key: agency, month) and
  int_agency_revenue_baseline__current (key: agency).

  With h=true (macros/history.sql) the values are taken at each row of `grid` (a relation with
  period_code and known_at; by default int_knowledge__instants): the columns gain period_code and known_at.
  A twin that reads only some keys at each instant (a revenue window) takes current_value_spells instead.
-#}
{% macro latest_current_values(dataset, staging_model, key_columns, value_columns, h=false, grid=none) -%}
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


{#-
  The same rule as latest_current_values, as spells: for each key, the value it holds from valid_from until
  valid_to (NULL: still), one row per instant at which one of the key's versions arrived or was superseded,
  with the columns key_columns, value_columns, source_submission_id, source_period_code, source_received_at,
  valid_from, valid_to. A key with no current version in a spell (its only version superseded by one that
  lacks it) has no row there.

  A twin that needs the value at many instants joins these on valid_from <= known_at < valid_to instead of
  ranking every version at every instant (int_agency_revenue__monthly__history): a key has one or two
  versions, so the ranking runs once per version and the join does no sort (at 10 x the national sample,
  6.2 million (period, instant, agency, month) rows from 750,000 versions).
-#}
{% macro current_value_spells(dataset, staging_model, key_columns, value_columns) -%}
    {%- set keys = key_columns | join(', ') %}
    with versions as (
        select
            {%- for c in key_columns + value_columns %}
            r.{{ c }},
            {%- endfor %}
            s.submission_id,
            s.period_code,
            s.received_at,
            s.superseded_at
        from {{ ref('int_submissions__visible') }} as s
        inner join {{ ref(staging_model) }} as r
            on r.submission_id = s.submission_id
        where s.dataset = '{{ dataset }}'
            and s.period_index is not null
    ),

    changes as (
        select {{ keys }}, received_at as changed_at from versions
        union
        select {{ keys }}, superseded_at as changed_at from versions where superseded_at is not null
    ),

    {#- each spell starts at known_at: the versions current then (h_current) hold its value #}
    spells as (
        select
            {{ keys }},
            changed_at as known_at,
            lead(changed_at) over (partition by {{ keys }} order by changed_at) as valid_to
        from changes
    ),

    ranked as (
        select
            {%- for c in key_columns %}
            sp.{{ c }},
            {%- endfor %}
            sp.known_at as valid_from,
            sp.valid_to,
            {%- for c in value_columns %}
            v.{{ c }},
            {%- endfor %}
            v.submission_id,
            v.period_code,
            v.received_at,
            row_number() over (
                partition by {% for c in key_columns %}sp.{{ c }}, {% endfor %}sp.known_at
                order by v.received_at desc, v.submission_id desc
            ) as value_rank
        from spells as sp
        inner join versions as v
            on {% for c in key_columns %}v.{{ c }} = sp.{{ c }} and {% endfor %}{{ h_current('v', 'sp', true) }}
    )

    select
        {%- for c in key_columns + value_columns %}
        {{ c }},
        {%- endfor %}
        submission_id as source_submission_id,
        period_code as source_period_code,
        received_at as source_received_at,
        valid_from,
        valid_to
    from ranked
    where value_rank = 1
{%- endmacro %}
