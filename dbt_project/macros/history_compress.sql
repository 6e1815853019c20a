{#-
  The rows of a relation evaluated at knowledge instants (`evaluated`, with column known_at), kept where
  they change: a row is kept when it is the first of its key or one of `value_columns` differs (NULL-safe)
  from the previous instant's. Adds known_from (NULL for the start of time), known_to (the next kept
  instant; NULL while current) and, when `instants` (a relation with `instant_keys`, known_at and
  changed_by_submission_id) is given, the instant's changed_by_submission_id.

  A key that is not evaluated at every instant (an expected submission that exists only once its unit
  registered or reported) needs `grid` (a relation with `grid_keys` and known_at: every instant of the
  key): each key is then taken at every instant of its grid, absent or present, so that a row that
  disappears gets a known_to, and the windows where it is absent are left out.
-#}
{% macro history_compress(evaluated, key_columns, value_columns, instants=none, instant_keys=['period_code'],
                          grid=none, grid_keys=none) -%}
    with
    {%- if grid %}
    history_keys as (
        select distinct {% for c in key_columns %}{{ c }}{{ ', ' if not loop.last }}{% endfor %}
        from {{ evaluated }}
    ),

    completed as (
        select
            {%- for c in key_columns %}
            k.{{ c }},
            {%- endfor %}
            g.known_at,
            {%- for c in value_columns %}
            e.{{ c }},
            {%- endfor %}
            e.known_at is not null as is_present
        from history_keys as k
        inner join (select distinct {{ grid_keys | join(', ') }}, known_at from {{ grid }}) as g
            on {% for c in grid_keys %}g.{{ c }} = k.{{ c }}{{ ' and ' if not loop.last }}{% endfor %}
        left join {{ evaluated }} as e
            on e.known_at = g.known_at
            {%- for c in key_columns %}
            and e.{{ c }} = k.{{ c }}
            {%- endfor %}
    ),
    {%- endif %}

    ordered as (
        select
            e.*,
            {%- for c in value_columns + (['is_present'] if grid else []) %}
            lag(e.{{ c }}) over (partition by {{ key_columns | join(', ') }} order by e.known_at) as prev__{{ c }},
            {%- endfor %}
            row_number() over (partition by {{ key_columns | join(', ') }} order by e.known_at) as instant_number
        from {{ 'completed' if grid else evaluated }} as e
    ),

    changed as (
        select *
        from ordered
        where instant_number = 1
            {%- for c in value_columns + (['is_present'] if grid else []) %}
            or {{ c }} is distinct from prev__{{ c }}
            {%- endfor %}
    ),

    windows as (
        select
            c.*,
            lead(c.known_at) over (
                partition by {% for c in key_columns %}c.{{ c }}{{ ', ' if not loop.last }}{% endfor %}
                order by c.known_at
            ) as next_known_at
        from changed as c
    )

    select
        {%- for c in key_columns %}
        w.{{ c }},
        {%- endfor %}
        {%- for c in value_columns %}
        w.{{ c }},
        {%- endfor %}
        case when w.known_at > {{ history_start() }} then w.known_at end as known_from,
        w.next_known_at as known_to
        {%- if instants %},
        i.changed_by_submission_id
        {%- endif %}
    from windows as w
    {%- if instants %}
    left join (
        select distinct {{ (instant_keys + ['known_at', 'changed_by_submission_id']) | join(', ') }} from {{ instants }}
    ) as i
        on i.known_at = w.known_at
        {%- for k in instant_keys %}
        and i.{{ k }} = w.{{ k }}
        {%- endfor %}
    {%- endif %}
    {%- if grid %}
    where w.is_present
    {%- endif %}
{%- endmacro %}
