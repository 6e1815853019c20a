{#-
  The rows of a relation evaluated at knowledge instants (`evaluated`, with column known_at), kept where
  the figure changes: a row is kept when it is the first of its key or one of `value_columns` differs
  (NULL-safe) from the previous instant's. Adds known_from (NULL for the start of time), known_to (the
  next kept instant; NULL while current) and the instant's changed_by_submission_id when `instants`
  (a relation with `instant_keys`, known_at and changed_by_submission_id) is given.
-#}
{% macro history_compress(evaluated, key_columns, value_columns, instants=none, instant_keys=['period_code']) -%}
    with ordered as (
        select
            e.*,
            {%- for c in value_columns %}
            lag(e.{{ c }}) over (partition by {{ key_columns | join(', ') }} order by e.known_at) as prev__{{ c }},
            {%- endfor %}
            row_number() over (partition by {{ key_columns | join(', ') }} order by e.known_at) as instant_number
        from {{ evaluated }} as e
    ),

    changed as (
        select *
        from ordered
        where instant_number = 1
            {%- for c in value_columns %}
            or {{ c }} is distinct from prev__{{ c }}
            {%- endfor %}
    )

    select
        {%- for c in key_columns %}
        c.{{ c }},
        {%- endfor %}
        {%- for c in value_columns %}
        c.{{ c }},
        {%- endfor %}
        case when c.known_at > {{ history_start() }} then c.known_at end as known_from,
        lead(c.known_at) over (
            partition by {% for c in key_columns %}c.{{ c }}{{ ', ' if not loop.last }}{% endfor %}
            order by c.known_at
        ) as known_to
        {%- if instants %},
        i.changed_by_submission_id
        {%- endif %}
    from changed as c
    {%- if instants %}
    left join {{ instants }} as i
        on i.known_at = c.known_at
        {%- for k in instant_keys %}
        and i.{{ k }} = c.{{ k }}
        {%- endfor %}
    {%- endif %}
{%- endmacro %}
