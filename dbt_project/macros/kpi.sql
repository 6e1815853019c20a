{#-
  Cross-engine arithmetic of the indicators. Both engines compute in IEEE double precision with the
  same operations in the same order, so DuckDB and PostgreSQL give bit-identical figures
  (a literal like 100.0 would be NUMERIC on PostgreSQL and DECIMAL on DuckDB: never use one here).
-#}

{#- 100 × numerator / denominator, unrounded; NULL when the denominator is 0 (no value). -#}
{% macro pct(numerator, denominator) -%}
    case
        when {{ denominator }} is null or {{ denominator }} = 0 then cast(null as double precision)
        else cast({{ numerator }} as double precision) * 100 / cast({{ denominator }} as double precision)
    end
{%- endmacro %}


{#- Status of a ratio indicator against the year's target (kpi-rules.md, "Status against the year's target").
    No value → no_data (takes precedence); no target for the year → no_target. -#}
{% macro ratio_status(value_pct, target_pct) -%}
    case
        when {{ value_pct }} is null then 'no_data'
        when {{ target_pct }} is null then 'no_target'
        when {{ value_pct }} >= {{ target_pct }} then 'achieved'
        else 'below_target'
    end
{%- endmacro %}


{#- Status of a stage indicator: achieved when the stage's rank ≥ the target stage's rank. -#}
{% macro stage_status(stage_rank, target_stage_rank) -%}
    case
        when {{ stage_rank }} is null then 'no_data'
        when {{ target_stage_rank }} is null then 'no_target'
        when {{ stage_rank }} >= {{ target_stage_rank }} then 'achieved'
        else 'below_target'
    end
{%- endmacro %}


{#- Number of items of a ';'-separated, normalised list such as media_types ("print;electronic" → 2). -#}
{% macro list_length(list_column) -%}
    case
        when {{ list_column }} is null or {{ list_column }} = '' then 0
        else length({{ list_column }}) - length(replace({{ list_column }}, ';', '')) + 1
    end
{%- endmacro %}


{#- True when a ';'-separated list contains the item exactly. -#}
{% macro list_contains(list_column, item) -%}
    coalesce((';' || {{ list_column }} || ';') like '%;{{ item }};%', false)
{%- endmacro %}
