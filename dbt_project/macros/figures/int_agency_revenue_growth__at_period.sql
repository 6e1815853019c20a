{#- Body of int_agency_revenue_growth__at_period and its twin __history (macros/history.sql). The twin is
    evaluated at the instants at which revenue, baselines, registers or DX statuses can change
    (h_input_grid 'revenue_growth'); it reads the revenue months, the baselines, the registers and the
    active agencies at their own latest instants (h_input_at). -#}
{% macro int_agency_revenue_growth__at_period(h) -%}
with periods as (
    select
        {{ h_col('w', h) }}
        {%- if h %}
        {{ h_input_at('w', 'revenue') }} as revenue_known_at,
        {{ h_input_at('w', 'baseline') }} as baseline_known_at,
        {{ h_input_at('w', 'register') }} as register_known_at,
        {{ h_input_at('w', 'active') }} as active_known_at,
        {%- endif %}
        w.period_code,
        w.year,
        w.quarter,
        w.period_index,
        w.window_start,
        w.coverage_end as window_end,
        w.window_start_index,
        w.window_end_index
    from ({{ revenue_window_periods(h_input_grid(h, 'revenue_growth')) }}) as w
),

thresholds as (
    select t.year, t.min_revenue_growth_pct
    from {{ ref('stg_reference__indicator_targets') }} as t
    where t.indicator_code = 'I4'
),

baselines as (
    select {{ h_col('', h) }} {{ 'period_code,' if h }} agency_code, revenue_2022_vnd, source_submission_id, source_period_code, source_received_at
    from {{ h_ref('int_agency_revenue_baseline__current', h) }}
),

{#- Each period's window summed per agency. The current model joins the months of each window on equal
    keys (a range join made PostgreSQL compare every month with every period: half of this model's time at
    10 x the national sample). The twin of the revenue months holds each period's window months only (the
    same revenue_window_periods), so it is summed as it stands, at the revenue's own instants, with no join;
    window_revenue reads the sums at the growth's instants (revenue_known_at): several growth instants share
    one revenue instant, and summing after that join summed the same months once per growth instant (2 x
    the node time at 10 x the national sample). -#}
window_sums as (
    select
        {{ h_col('m', h) }}
        {{ 'm' if h else 'w' }}.period_code,
        m.agency_code,
        count(*) as months_known,
        sum(m.revenue_vnd) as window_revenue_vnd
    {%- if h %}
    from {{ ref('int_agency_revenue__monthly__history') }} as m
    group by m.known_at, m.period_code, m.agency_code
    {%- else %}
    from (
        select w.period_code, mi.month_index
        from (select distinct period_code, window_start_index, window_end_index from periods) as w
        inner join (select distinct month_index from {{ ref('int_agency_revenue__monthly') }}) as mi
            on mi.month_index between w.window_start_index and w.window_end_index
    ) as w
    inner join {{ ref('int_agency_revenue__monthly') }} as m
        on m.month_index = w.month_index
    group by w.period_code, m.agency_code
    {%- endif %}
),

window_revenue as (
    {%- if h %}
    select p.known_at, p.period_code, w.agency_code, w.months_known, w.window_revenue_vnd
    from periods as p
    inner join window_sums as w
        on w.period_code = p.period_code
        and w.known_at = p.revenue_known_at
    {%- else %}
    {#- named columns, not `select *`: column lineage (openlineage-sql) stops at a star #}
    select period_code, agency_code, months_known, window_revenue_vnd
    from window_sums
    {%- endif %}
),

joined as (
    select
        {{ h_col('p', h) }}
        p.period_code,
        p.year,
        p.quarter,
        p.period_index,
        b.agency_code,
        coalesce(r.is_active, false) as is_active,
        d.doing_digital_transformation,
        b.revenue_2022_vnd,
        b.source_submission_id as baseline_submission_id,
        p.window_start,
        p.window_end,
        p.window_end_index - p.window_start_index + 1 as window_months,
        coalesce(w.months_known, 0) as months_known,
        w.window_revenue_vnd,
        t.min_revenue_growth_pct as threshold_pct
    from periods as p
    {%- if h %}
    inner join baselines as b
        on b.period_code = p.period_code
        and b.known_at = p.baseline_known_at
    {%- else %}
    cross join baselines as b
    {%- endif %}
    left join {{ h_ref('int_agency_register__at_period', h) }} as r
        on r.period_code = p.period_code
        and r.agency_code = b.agency_code
        {{ h_on_input('r', 'p', 'register', h) }}
    left join {{ h_ref('int_active_agencies__dx_status', h) }} as d
        on d.period_code = p.period_code
        and d.agency_code = b.agency_code
        {{ h_on_input('d', 'p', 'active', h) }}
    left join window_revenue as w
        on w.period_code = p.period_code
        and w.agency_code = b.agency_code
        {{ h_on('w', 'p', h) }}
    left join thresholds as t
        on t.year = p.year
)

select
    {{ h_col('', h) }}
    period_code,
    year,
    quarter,
    period_index,
    agency_code,
    is_active,
    doing_digital_transformation,
    revenue_2022_vnd,
    baseline_submission_id,
    coalesce(is_active and doing_digital_transformation and revenue_2022_vnd > 0, false) as in_denominator,
    window_start,
    window_end,
    cast(window_months as integer) as window_months,
    cast(months_known as integer) as months_known,
    months_known >= window_months as all_months_known,
    cast(window_revenue_vnd as bigint) as window_revenue_vnd,
    cast(revenue_2022_vnd as double precision) * cast(window_months as double precision) / 12
        as prorated_baseline_vnd,
    case
        when revenue_2022_vnd > 0 and months_known >= window_months then
            (
                cast(window_revenue_vnd as double precision)
                / (cast(revenue_2022_vnd as double precision) * cast(window_months as double precision) / 12)
                - 1
            ) * 100
    end as growth_pct,
    threshold_pct,
    case
        when revenue_2022_vnd is null or revenue_2022_vnd <= 0 or threshold_pct is null then cast(null as boolean)
        when months_known < window_months then false
        else cast(window_revenue_vnd as numeric(38, 0)) * 1200
            >= cast(revenue_2022_vnd as numeric(38, 0)) * window_months
            * (100 + cast(threshold_pct as numeric(38, 6)))
    end as meets_threshold
from joined
{%- endmacro %}
