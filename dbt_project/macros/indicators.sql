{#-
  The ratio indicators computed from denominator members, each with the model of its members, named by
  what it counts (int_indicator_members__<what>), of this shape, one row per denominator member and period:

      indicator_code     varchar   'X'
      period_code        varchar   a period in scope
      member_code        varchar   the member (agency, institution, ...)
      is_known           boolean   the member's value is known at P (coverage)
      numerator_value    bigint    its contribution to the numerator (0 when unknown)
      denominator_value  bigint    its contribution to the denominator

  (I1-I3, I5, I7: 1 / 0-or-1 per member; I6: staff_trained / staff_total, 0 when unknown; I4: one row per
  agency of the denominator, 1 when it meets the threshold). int_indicator_members unions them and
  int_indicator_values aggregates them for every period in scope, even when no member exists.
  To add an indicator: write its members model and add its code and model here.
-#}
{% macro pressdx_member_indicators() -%}
    {{ return({
        'I1': 'int_indicator_members__digital_distribution',
        'I2': 'int_indicator_members__data_ai_platform',
        'I3': 'int_indicator_members__converged_newsroom',
        'I4': 'int_indicator_members__revenue_growth',
        'I5': 'int_indicator_members__curriculum_updated',
        'I6': 'int_indicator_members__staff_trained',
        'I7': 'int_indicator_members__security_level',
    }) }}
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


{#- The datasets each indicator's figure is computed from (kpi-rules.md): what its provisional share
    (fct_indicator_provisional_share) counts. I8: the platform stages of the platform's responsible unit. -#}
{% macro pressdx_indicator_datasets() -%}
    {{ return({
        'I1': ['agency_register', 'agency_dx_status'],
        'I2': ['agency_register', 'agency_dx_status'],
        'I3': ['agency_register', 'agency_dx_status'],
        'I4': ['agency_register', 'agency_dx_status', 'agency_revenue_baseline', 'agency_revenue'],
        'I5': ['university_curriculum'],
        'I6': ['agency_register', 'agency_dx_status'],
        'I7': ['agency_register', 'agency_security'],
        'I8R': ['platform_stage'],
        'I8T': ['platform_stage'],
        'I8E': ['platform_stage'],
    }) }}
{%- endmacro %}


{#- Edges of the I4 growth histogram (fct_revenue_growth_histogram), in percent: 5-point bins from −30 %
    to +60 %, with an open bin at each end. The decision's thresholds (5, 10, 20 %) are edges, so a bar is
    either all above or all below a threshold. -#}
{% macro pressdx_revenue_growth_bin_edges() -%}
    {{ return(var('revenue_growth_bin_edges', range(-30, 65, 5) | list)) }}
{%- endmacro %}


{#- The rows of `relation` (periods, with year and coverage_end) with their I4 revenue window: the months
    from the first day the reporting year covers (the earliest coverage_start of its periods in the
    calendar) through E(P): window_start (a date), window_start_index and window_end_index (month_index). -#}
{% macro revenue_window_periods(relation) -%}
    select
        p.*,
        y.window_start,
        {{ month_index('y.window_start') }} as window_start_index,
        {{ month_index('p.coverage_end') }} as window_end_index
    from {{ relation }} as p
    inner join (
        select c.year, min(c.coverage_start) as window_start
        from {{ ref('stg_reference__reporting_calendar') }} as c
        group by c.year
    ) as y
        on y.year = p.year
{%- endmacro %}
