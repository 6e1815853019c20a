{#-
  Knowledge time and scope of a build.

  var('as_of')   ISO-8601 instant with an offset ("2024-07-10T00:00:00+07:00", "...Z"). A YAML timestamp
                 (unquoted --vars) is accepted too. Default: the run's start time (run_started_at, UTC).
  var('through') period code "YYYY-Qn". Default (none): the period whose coverage contains the as-of
                 date in Vietnam time, resolved in SQL against the calendar (int_build__params).

  ingest/dbt.py passes both as the environment variables PRESSDX_AS_OF and PRESSDX_THROUGH rather than
  --vars: a change of --vars makes dbt parse the whole project again, a changed env_var() only the files
  that read it (int_build__params), so every build can use the kept partial-parse state.

  Everything is resolved in Jinja (Python) so that no time-zone function is needed in SQL: the SQL
  only ever sees a UTC timestamptz literal and a plain date.
-#}

{% macro pressdx_as_of_datetime() -%}
    {%- set raw = var('as_of', env_var('PRESSDX_AS_OF', '')) -%}
    {%- if raw is none or (raw is string and raw | trim == '') -%}
        {%- set ts = run_started_at -%}
    {%- elif raw is string -%}
        {%- set text = raw | trim -%}
        {%- if text.endswith('Z') or text.endswith('z') -%}
            {%- set text = text[:-1] ~ '+00:00' -%}
        {%- endif -%}
        {%- set ts = none -%}
        {%- if modules.re.fullmatch('\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?[+-]\\d{2}:?\\d{2}', text) -%}
            {%- set ts = modules.datetime.datetime.fromisoformat(text) -%}
        {%- endif -%}
    {%- elif raw.hour is defined and raw.tzinfo is defined -%}
        {%- set ts = raw -%}
    {%- else -%}
        {%- set ts = none -%}
    {%- endif -%}
    {%- if ts is none or ts.tzinfo is none -%}
        {{ exceptions.raise_compiler_error(
            "var as_of must be an ISO-8601 instant with an offset, e.g. 2024-07-10T00:00:00+07:00; got '"
            ~ raw ~ "'") }}
    {%- endif -%}
    {{ return(ts.astimezone(modules.pytz.utc)) }}
{%- endmacro %}


{#- The as-of instant as a SQL timestamptz literal (UTC). -#}
{% macro pressdx_as_of() -%}
    cast('{{ pressdx_as_of_datetime().strftime("%Y-%m-%d %H:%M:%S.%f") }}+00:00' as timestamptz)
{%- endmacro %}


{#- The as-of date in the reporting time zone (Vietnam), as a SQL date literal. -#}
{% macro pressdx_as_of_local_date() -%}
    {%- set tz = modules.pytz.timezone(var('reporting_time_zone', 'Asia/Ho_Chi_Minh')) -%}
    cast('{{ pressdx_as_of_datetime().astimezone(tz).strftime("%Y-%m-%d") }}' as date)
{%- endmacro %}


{#- var('through') as a SQL varchar literal, or a typed NULL when it is not set. -#}
{% macro pressdx_through() -%}
    {%- set raw = var('through', env_var('PRESSDX_THROUGH', '')) -%}
    {%- if raw is none or (raw | string | trim) == '' -%}
        cast(null as varchar)
    {%- else -%}
        {%- set code = raw | string | trim | upper -%}
        {%- if not modules.re.fullmatch('\\d{4}-Q[1-4]', code) -%}
            {{ exceptions.raise_compiler_error("var through must be a period code such as 2025-Q4; got '" ~ raw ~ "'") }}
        {%- endif -%}
        cast('{{ code }}' as varchar)
    {%- endif -%}
{%- endmacro %}


{#- run_started_at as a SQL timestamptz literal (UTC): when this build ran. -#}
{% macro pressdx_run_started_at() -%}
    cast('{{ run_started_at.astimezone(modules.pytz.utc).strftime("%Y-%m-%d %H:%M:%S.%f") }}+00:00' as timestamptz)
{%- endmacro %}
