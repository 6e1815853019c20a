{#-
  Counts that are sums of things each valid for an interval of knowledge time, at every instant they change.
  `items` (a relation) has `key_columns`, `sum_columns` and valid_from / valid_to (timestamptz; valid_from NULL:
  from the start of time, valid_to NULL: still valid): the sums at an instant T are those of the items with
  valid_from <= T < valid_to. Returns key_columns, known_at and every sum (bigint) at each instant one of the
  key's items starts or ends (one +/- delta each, summed in time order: O(n log n), no grid of instants x items);
  `keys` (a relation with key_columns) adds a row of zeros at the start of time for every key, so that a key
  with nothing valid yet has its row. history_compress then keeps the instants where a sum changes.
-#}
{% macro history_interval_sum(items, key_columns, sum_columns, keys=none) -%}
    with interval_deltas as (
        select
            {%- for k in key_columns %}
            {{ k }},
            {%- endfor %}
            coalesce(valid_from, {{ history_start() }}) as known_at
            {%- for c in sum_columns %},
            {{ c }} as {{ c }}
            {%- endfor %}
        from {{ items }}

        union all

        select
            {%- for k in key_columns %}
            {{ k }},
            {%- endfor %}
            valid_to as known_at
            {%- for c in sum_columns %},
            -{{ c }} as {{ c }}
            {%- endfor %}
        from {{ items }}
        where valid_to is not null
        {%- if keys %}

        union all

        select
            {%- for k in key_columns %}
            {{ k }},
            {%- endfor %}
            {{ history_start() }} as known_at
            {%- for c in sum_columns %},
            0 as {{ c }}
            {%- endfor %}
        from {{ keys }}
        {%- endif %}
    ),

    interval_steps as (
        select
            {%- for k in key_columns %}
            {{ k }},
            {%- endfor %}
            known_at
            {%- for c in sum_columns %},
            sum({{ c }}) as {{ c }}
            {%- endfor %}
        from interval_deltas
        group by {% for k in key_columns %}{{ k }}, {% endfor %}known_at
    )

    select
        {%- for k in key_columns %}
        {{ k }},
        {%- endfor %}
        known_at
        {%- for c in sum_columns %},
        cast(sum({{ c }}) over (
            partition by {{ key_columns | join(', ') }} order by known_at rows between unbounded preceding and current row
        ) as bigint) as {{ c }}
        {%- endfor %}
    from interval_steps
{%- endmacro %}
