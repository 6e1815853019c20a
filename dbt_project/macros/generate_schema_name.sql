{#-
  Schemas are used verbatim (no "<target schema>_" prefix as dbt does by default): staging,
  intermediate, marts, reference. An as-of build passes var('schema_prefix'), e.g. `asof_1a2b_`, and
  lands in asof_1a2b_staging, asof_1a2b_marts, ... next to the regular build without touching it.
  Sources (raw) are not generated schemas and are never prefixed.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set prefix = pressdx_schema_prefix() -%}
    {%- if custom_schema_name is none -%}
        {{ prefix ~ target.schema }}
    {%- else -%}
        {{ prefix ~ (custom_schema_name | trim) }}
    {%- endif -%}
{%- endmacro %}


{% macro pressdx_schema_prefix() -%}
    {%- set prefix = (var('schema_prefix', '') or '') | string | trim -%}
    {%- if prefix and not modules.re.fullmatch('[a-z][a-z0-9_]{0,40}', prefix) -%}
        {{ exceptions.raise_compiler_error(
            "var schema_prefix must be lower-case letters, digits and underscores (at most 41), got '"
            ~ prefix ~ "'") }}
    {%- endif -%}
    {{ prefix }}
{%- endmacro %}
