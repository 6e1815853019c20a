{#- A reporting calendar is usable when its periods, in period_index order, are numbered 1, 2, 3, ...
    and each starts the day after the previous one ends (so that every date falls in exactly one period).
    Returns one row per period that breaks this. -#}
{% test contiguous_calendar(model) %}
    with ordered as (
        select
            period_code,
            period_index,
            coverage_start,
            coverage_end,
            lag(coverage_end) over (order by period_index) as previous_end,
            row_number() over (order by period_index) as expected_index
        from {{ model }}
    )

    select *
    from ordered
    where period_index <> expected_index
        or coverage_end < coverage_start
        or (previous_end is not null and coverage_start <> previous_end + 1)
{% endtest %}
