{#-
  The ratio indicators computed from denominator members. Each code X here has a model
  int_indicator_members__x (lower-case) of this shape, one row per denominator member and period:

      indicator_code     varchar   'X'
      period_code        varchar   a period in scope
      member_code        varchar   the member (agency, institution, ...)
      is_known           boolean   the member's value is known at P (coverage)
      numerator_value    bigint    its contribution to the numerator (0 when unknown)
      denominator_value  bigint    its contribution to the denominator

  (I1-I3, I5, I7: 1 / 0-or-1 per member; I6: staff_trained / staff_total, 0 when unknown; I4: one row per
  agency of the denominator, 1 when it meets the threshold). int_indicator_members unions them and
  int_indicator_values aggregates them for every period in scope, even when no member exists.
  To add an indicator: write its members model and add its code here.
-#}
{% macro pressdx_member_indicators() -%}
    {{ return(['I1', 'I2', 'I3', 'I4', 'I5', 'I6', 'I7']) }}
{%- endmacro %}


{#- The target years the progress classes are computed for (kpi-rules.md, "Progress towards 2025 and
    2030"); a target year for which an indicator has no target gets no row. -#}
{% macro pressdx_progress_target_years() -%}
    {{ return(var('progress_target_years', [2025, 2030])) }}
{%- endmacro %}


{#- Months as integers (year × 12 + month − 1), so that a window of months is an integer range on both
    engines without any date arithmetic: 2022-12-01 → 24275, 2023-01-15 → 24276. -#}
{% macro month_index(date_expr) -%}
    (cast(extract(year from {{ date_expr }}) as integer) * 12 + cast(extract(month from {{ date_expr }}) as integer) - 1)
{%- endmacro %}


{#- A member row of a boolean indicator: 1 in the numerator when the flag is true, unknown when NULL. -#}
{% macro boolean_indicator_member(indicator_code, flag_column, member_column='agency_code') -%}
    cast('{{ indicator_code }}' as varchar) as indicator_code,
    period_code,
    {{ member_column }} as member_code,
    {{ flag_column }} is not null as is_known,
    cast(case when {{ flag_column }} then 1 else 0 end as bigint) as numerator_value,
    cast(1 as bigint) as denominator_value
{%- endmacro %}
