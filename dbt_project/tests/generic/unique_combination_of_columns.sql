{#- Fails with one row per combination of the given columns that occurs more than once (NULL counts as a
    value, so (task_code, NULL year) twice is a duplicate). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {%- set cols = combination_of_columns | join(', ') %}
    select {{ cols }}, count(*) as n_rows
    from {{ model }}
    group by {{ cols }}
    having count(*) > 1
{% endtest %}
