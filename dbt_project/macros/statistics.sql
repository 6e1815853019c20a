{#-
  Planner statistics on PostgreSQL. A table dbt has just created has none until autovacuum gets to it,
  so the planner guesses (a few thousand rows) and picks merge joins with sorts spilled to disk over
  tables of hundreds of thousands of rows. ANALYZE right after each table is built, and of the raw
  tables intake has just appended to, gives it the real sizes. DuckDB keeps its statistics itself.
-#}
{% macro analyze_relation(relation) -%}
    {%- if target.type == 'postgres' and relation is not none -%}
        analyze {{ relation }}
    {%- endif -%}
{%- endmacro %}


{% macro analyze_sources(source_name='raw') -%}
    {%- if target.type == 'postgres' and execute -%}
        {%- for node in graph.sources.values() if node.source_name == source_name -%}
            {%- set rel = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.identifier) -%}
            {%- if rel is not none -%}
                {%- do run_query('analyze ' ~ rel) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
