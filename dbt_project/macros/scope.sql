{#-
  Scoped builds (pressdx/warehouse/scope.py). A regular build after new files rebuilds only the models whose
  rows those files can change; the others stay as published, and dbt reads them there (--defer).

  changes_with(datasets): declares, on a model that reads a table of every dataset (int_submissions__visible,
  int_knowledge__instants, int_build__params), the datasets whose new submissions can change its rows;
  '*' = every build (the build's own instant). A model without a declaration changes when one of the models
  it reads does; a staging model over raw.<dataset> when that table has new rows. A wrong declaration would
  leave a model stale: tests/integration/test_scoped_build.py compares a scoped build with a full one, every
  table, after a new submission of each dataset.
-#}
{% macro changes_with(datasets) -%}
    {{ config(meta={'changes_with': datasets}) }}
{%- endmacro %}

{#- The datasets whose arrivals create knowledge instants of the figures (int_knowledge__instants). -#}
{% macro figure_datasets() -%}
    {%- set datasets = [] -%}
    {%- for input, feeds in history_inputs().items() -%}
        {%- for d in feeds if d not in datasets %}{% do datasets.append(d) %}{% endfor -%}
    {%- endfor -%}
    {{ return(datasets) }}
{%- endmacro %}
