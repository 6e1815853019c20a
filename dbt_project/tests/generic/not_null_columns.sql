{#- Fails with one row per row of the model where any of the given (required) columns is NULL: one query
    instead of one not_null test per column. -#}
{% test not_null_columns(model, columns) %}
    select *
    from {{ model }}
    where {% for c in columns %}{{ c }} is null{{ " or " if not loop.last }}{% endfor %}
{% endtest %}
