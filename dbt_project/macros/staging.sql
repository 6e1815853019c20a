{#- The eight metadata columns every raw.<dataset> table carries (ingest/datasets.py RAW_META_COLUMNS),
    cast and renamed the same way in every staging model (period → period_code). -#}
{% macro stg_raw_meta_columns() -%}
        cast(submission_id as varchar) as submission_id,
        cast(unit_code as varchar) as unit_code,
        cast(dataset as varchar) as dataset,
        cast(period as varchar) as period_code,
        cast(submission_status as varchar) as submission_status,
        cast(received_at as timestamptz) as received_at,
        cast(sha256 as varchar) as sha256,
        cast(row_number as integer) as row_number
{%- endmacro %}
