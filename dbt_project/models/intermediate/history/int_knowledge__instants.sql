{{ changes_with(figure_datasets()) }}
-- The knowledge instants of each period P in scope: the instants at or before as_of at which a figure of
-- P can change, plus the start of time (history_start(): nothing known yet). A figure of P is a function of
-- the submission versions current at the instant, and only these can enter or leave that set for P:
--   stock datasets (agency_register, agency_dx_status, agency_security, platform_stage,
--   university_curriculum)   the versions whose period lies in P's window P-3..P (macros/stock.sql)
--   agency_revenue           the versions holding a month of P's revenue window (December Y-1 .. E(P)),
--                            whatever their period (macros/latest_values.sql)
--   agency_revenue_baseline  every version
-- each at its received_at and at its superseded_at (when the next version of its unit, dataset and period
-- arrived). changed_by_submission_id: the submission that arrived at known_at (the smallest id when
-- arrival_count > 1 arrived at the same instant); NULL at the start of time. Between two consecutive instants of P every figure of P is constant, so evaluating the rules
-- at these instants gives the whole history, exactly (the *__history models).
--
-- An input that only some datasets feed changes only at their instants, so its twin is evaluated there
-- alone (h_input_grid) and read at the latest of them (<input>_known_at, h_input_at; history_inputs()):
--   revenue          agency_revenue                                     int_agency_revenue__monthly__history
--   baseline         agency_revenue_baseline                            int_agency_revenue_baseline__current__history
--   revenue_growth   revenue, baseline, agency_register, agency_dx_status  int_agency_revenue_growth__at_period__history
--   register, dx_status, security, curriculum, platform   one stock dataset each   int_<stock>__at_period__history
--   active           agency_register, agency_dx_status                  int_active_agencies__dx_status__history
--   security_level   agency_register, agency_security                   int_indicator_members__security_level__history
-- and each indicator's members are evaluated at the instants of its input (indicator_inputs()), so that
-- int_indicator_members__history holds a member once per change of what it reads, not once per arrival of
-- any dataset for the period; int_indicator_values__history reads them back at every instant (input_known_at).
-- changes_<input> is true at the instants of <input> (known_at = <input>_known_at): a column that PostgreSQL
-- keeps statistics of, so that it knows how many rows a twin's grid has (it took the comparison of two
-- columns for 1 row in 200, and paired whole tables row by row).
with periods as (
    {{ revenue_window_periods(ref('int_reporting_periods__in_scope')) }}
),

revenue_months as (
    select r.submission_id, min({{ month_index('r.month') }}) as first_month, max({{ month_index('r.month') }}) as last_month
    from {{ ref('stg_raw__agency_revenues') }} as r
    group by r.submission_id
),

relevant as (
    select p.period_code, p.period_index, s.dataset, s.submission_id, s.received_at, s.superseded_by, s.superseded_at
    from periods as p
    inner join {{ ref('int_submissions__visible') }} as s
        on s.dataset in (
            'agency_register', 'agency_dx_status', 'agency_security', 'platform_stage', 'university_curriculum'
        )
        and s.period_index <= p.period_index
        and s.period_index > p.period_index - {{ var('stock_lookback_periods', 4) }}

    union all

    select p.period_code, p.period_index, s.dataset, s.submission_id, s.received_at, s.superseded_by, s.superseded_at
    from periods as p
    inner join {{ ref('int_submissions__visible') }} as s
        on s.dataset = 'agency_revenue'
        and s.period_index is not null
    inner join revenue_months as m
        on m.submission_id = s.submission_id
        and m.first_month <= p.window_end_index
        and m.last_month >= p.window_start_index

    union all

    select p.period_code, p.period_index, s.dataset, s.submission_id, s.received_at, s.superseded_by, s.superseded_at
    from periods as p
    inner join {{ ref('int_submissions__visible') }} as s
        on s.dataset = 'agency_revenue_baseline'
        and s.period_index is not null
),

arrivals as (
    select period_code, dataset, submission_id, received_at as known_at from relevant
    union
    select period_code, dataset, superseded_by as submission_id, superseded_at as known_at
    from relevant
    where superseded_at is not null
),

instants as (
    select
        period_code,
        known_at,
        min(submission_id) as changed_by_submission_id,
        count(*) as arrival_count
        {%- for input, datasets in history_inputs().items() %},
        max(case when dataset in ('{{ datasets | join("', '") }}') then 1 else 0 end) as changes_{{ input }}
        {%- endfor %}
    from arrivals
    group by period_code, known_at
    union all
    select period_code, {{ history_start() }} as known_at, cast(null as varchar) as changed_by_submission_id,
        0 as arrival_count
        {%- for input in history_inputs() %}, 1 as changes_{{ input }}{% endfor %}
    from periods
)

select
    i.period_code,
    p.period_index,
    p.year,
    p.quarter,
    p.coverage_start,
    p.coverage_end,
    p.due_at,
    i.known_at,
    i.changed_by_submission_id,
    cast(i.arrival_count as integer) as arrival_count
    {%- for input in history_inputs() %},
    i.changes_{{ input }} = 1 as changes_{{ input }}
    {%- endfor %}
    {%- for input in history_inputs() %},
    max(case when i.changes_{{ input }} = 1 then i.known_at end) over (
        partition by i.period_code order by i.known_at rows between unbounded preceding and current row
    ) as {{ input }}_known_at
    {%- endfor %}
from instants as i
inner join {{ ref('int_reporting_periods__in_scope') }} as p
    on p.period_code = i.period_code
