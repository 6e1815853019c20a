{#-
  Figure history (bitemporal marts, docs/knowledge-time.md). A figure changes only when a submission is
  taken in, so the figures of period P are evaluated once at each knowledge instant of P
  (int_knowledge__instants: the arrivals that can change P, and the start of time) and kept where they
  change (fct_indicator_period_history, fct_indicator_annual_history).

  The rules are written once. Each model on the way from the submissions to the figures is a macro with
  a flag `h`: its regular model calls it with h=false (the figures at the build's as_of, the SQL of any
  other build), its twin `<model>__history` with h=true, which adds the column known_at and keys every
  join, partition and group on it. These helpers are the only difference between the two:

    h_ref(name, h)       ref(name), or ref(name ~ '__history')
    h_col(alias, h)      "alias.known_at," (or nothing): first in a select list or a partition/group key
    h_on(a, b, h)        "and a.known_at = b.known_at" (or nothing): in a join condition
    h_grid(h[, grid])    the periods in scope, or the periods in scope at each of their instants
                         (int_knowledge__instants for figures, int_knowledge__reporting_instants for
                         timeliness and reporting rates)
    h_input_grid(h, input)  the instants at which one input of the figures can change (an input evaluated
                         at these alone: int_knowledge__instants, <input>_known_at; history_inputs())
    h_input_at(alias, input)  the instant at which to read such an input from a grid row `alias`
    h_on_input(a, b, input, h)  "and a.known_at = b.<input>_known_at" (or nothing): a join of an input
                         evaluated at its own instants to a row of a grid that carries them
    h_indicator_grid()   the knowledge instants of each period, one row per member indicator, with the
                         instant at which its members were evaluated (input_known_at)
-#}

{#- The inputs evaluated at their own instants, and the datasets whose arrivals can change each
    (int_knowledge__instants gives <input>_known_at for each: the latest instant at or before known_at at
    which one of them arrived for the period). An input that is a function of others changes where they do
    (active agencies: registers and DX statuses). -#}
{% macro history_inputs() -%}
    {{ return({
        'revenue': ['agency_revenue'],
        'baseline': ['agency_revenue_baseline'],
        'revenue_growth': ['agency_revenue', 'agency_revenue_baseline', 'agency_register', 'agency_dx_status'],
        'register': ['agency_register'],
        'dx_status': ['agency_dx_status'],
        'security': ['agency_security'],
        'curriculum': ['university_curriculum'],
        'platform': ['platform_stage'],
        'active': ['agency_register', 'agency_dx_status'],
        'security_level': ['agency_register', 'agency_security'],
    }) }}
{%- endmacro %}

{#- The input a stock dataset's twin (macros/stock.sql) is evaluated on. -#}
{% macro stock_input(dataset) -%}
    {{ return({
        'agency_register': 'register',
        'agency_dx_status': 'dx_status',
        'agency_security': 'security',
        'university_curriculum': 'curriculum',
        'platform_stage': 'platform',
    }[dataset]) }}
{%- endmacro %}

{#- The input each member indicator's members are evaluated on (pressdx_member_indicators()). -#}
{% macro indicator_inputs() -%}
    {{ return({
        'I1': 'active', 'I2': 'active', 'I3': 'active', 'I6': 'active',
        'I4': 'revenue_growth', 'I5': 'curriculum', 'I7': 'security_level',
    }) }}
{%- endmacro %}

{% macro h_ref(name, h) -%}
    {{ ref(name ~ '__history') if h else ref(name) }}
{%- endmacro %}

{% macro h_col(alias, h) -%}
    {%- if h %}{{ alias ~ '.' if alias }}known_at,{% endif -%}
{%- endmacro %}

{% macro h_on(a, b, h) -%}
    {%- if h %} and {{ a }}.known_at = {{ b }}.known_at{% endif -%}
{%- endmacro %}

{% macro h_grid(h, grid='int_knowledge__instants') -%}
    {{ ref(grid) if h else ref('int_reporting_periods__in_scope') }}
{%- endmacro %}

{#- The periods in scope at the instants at which `input` (revenue, baseline, revenue_growth) can change,
    the start of time included: a twin evaluated on this grid holds every value the input takes. -#}
{% macro h_input_grid(h, input) -%}
    {%- if h -%}
        (select * from {{ ref('int_knowledge__instants') }} where changes_{{ input }})
    {%- else -%}
        {{ ref('int_reporting_periods__in_scope') }}
    {%- endif -%}
{%- endmacro %}

{#- The instant at which an input evaluated on h_input_grid holds the value it has at grid row `alias`'s
    instant: the latest instant of the input at or before it. -#}
{% macro h_input_at(alias, input) -%}
    {{ alias }}.{{ input }}_known_at
{%- endmacro %}

{% macro h_on_input(a, b, input, h) -%}
    {%- if h %} and {{ a }}.known_at = {{ b }}.{{ input }}_known_at{% endif -%}
{%- endmacro %}

{#- `from` the agency register at each period P, as alias `a`: (h) at each instant of `input`'s grid (alias
    `g`), the register read at its own latest instant. -#}
{% macro h_register_from(h, input) -%}
    {%- if h %}
from {{ h_input_grid(h, input) }} as g
inner join {{ ref('int_agency_register__at_period__history') }} as a
    on a.period_code = g.period_code
    {{ h_on_input('a', 'g', 'register', h) }}
    {%- else %}
from {{ ref('int_agency_register__at_period') }} as a
    {%- endif %}
{%- endmacro %}

{#- Every knowledge instant of every period once per member indicator, with input_known_at: the instant at
    which that indicator's members (int_indicator_members__history) hold their value at known_at. -#}
{% macro h_indicator_grid() -%}
    select
        g.*,
        c.indicator_code,
        case c.indicator_code
            {%- for code, input in indicator_inputs().items() %}
            when '{{ code }}' then g.{{ input }}_known_at
            {%- endfor %}
        end as input_known_at
    from {{ ref('int_knowledge__instants') }} as g
    cross join (
        {%- for code in indicator_inputs() %}
        select cast('{{ code }}' as varchar) as indicator_code{{ ' union all' if not loop.last }}
        {%- endfor %}
    ) as c
{%- endmacro %}

{#- Whether submission version `s` is the current one at the grid row `g`'s instant (h) or at as_of. -#}
{% macro h_current(s, g, h) -%}
    {%- if h -%}
        {{ s }}.received_at <= {{ g }}.known_at
        and ({{ s }}.superseded_at is null or {{ s }}.superseded_at > {{ g }}.known_at)
    {%- else -%}
        {{ s }}.is_current
    {%- endif -%}
{%- endmacro %}

{#- The start of time: the instant of every period's first history row ("nothing known yet"). The marts
    show it as known_from NULL. -#}
{% macro history_start() -%}
    cast('1900-01-01 00:00:00+00:00' as timestamptz)
{%- endmacro %}

{#- The instants at which an annual row of an indicator can change: those at which one of its Q4 figures
    changes (fct_indicator_period_history), with the submission that changed it. -#}
{% macro annual_instants() -%}
    select
        v.indicator_code,
        coalesce(v.known_from, {{ history_start() }}) as known_at,
        min(v.changed_by_submission_id) as changed_by_submission_id
    from {{ ref('fct_indicator_period_history') }} as v
    where v.quarter = 4
    group by v.indicator_code, coalesce(v.known_from, {{ history_start() }})
{%- endmacro %}

{#- The instant a date has passed in the reporting time zone (the next day's 00:00 there), as a timestamptz:
    `d < as_of_local_date` exactly when this instant <= as_of. Vietnam keeps one offset all year. -#}
{% macro local_day_after(date_expr) -%}
    {%- set tz = modules.pytz.timezone(var('reporting_time_zone', 'Asia/Ho_Chi_Minh')) -%}
    {%- set minutes = (tz.utcoffset(modules.datetime.datetime(2025, 1, 1)).total_seconds() // 60) | int -%}
    {%- set offset = '%s%02d:%02d' % ('+' if minutes >= 0 else '-', (minutes | abs) // 60, (minutes | abs) % 60) -%}
    cast(cast({{ date_expr }} + 1 as varchar) || ' 00:00:00{{ offset }}' as timestamptz)
{%- endmacro %}
