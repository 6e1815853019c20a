-- Singular test: fct_indicator_annual agrees with fct_indicator_period and the targets.
-- A returned row is an (indicator, year, target year) whose annual figures contradict the period figures:
--   * annual_value_pct is not the value_pct of period Y-Q4;
--   * latest_value_pct / base_value_pct are not the Q4 values of latest_year / base_year, or those years
--     lie outside 2023..Y;
--   * target_pct is not the indicator's target for the target year;
--   * a ratio indicator, year and target year with a target has no row.
with annual as (
    select * from {{ ref('fct_indicator_annual') }}
),

q4 as (
    select indicator_code, year, value_pct
    from {{ ref('fct_indicator_period') }}
    where quarter = 4
),

targets as (
    select indicator_code, year, target_share_pct
    from {{ ref('stg_reference__indicator_targets') }}
    where target_share_pct is not null
),

checked as (
    select
        a.indicator_code,
        a.year,
        a.target_year,
        case
            when a.annual_value_pct is distinct from cur.value_pct then 'annual_value_pct is not the Y-Q4 value'
            when a.latest_year > a.year or a.base_year > a.latest_year then 'base/latest year outside 2023..Y'
            when a.latest_value_pct is distinct from vt.value_pct then 'latest_value_pct is not the Q4 value of latest_year'
            when a.base_value_pct is distinct from vb.value_pct then 'base_value_pct is not the Q4 value of base_year'
            when t.target_share_pct is null or a.target_pct <> t.target_share_pct then 'target_pct is not the target of the target year'
            when a.annual_value_count < 2 and a.cagr is not null then 'cagr with fewer than two annual values'
        end as problem
    from annual as a
    left join q4 as cur
        on cur.indicator_code = a.indicator_code and cur.year = a.year
    left join q4 as vt
        on vt.indicator_code = a.indicator_code and vt.year = a.latest_year
    left join q4 as vb
        on vb.indicator_code = a.indicator_code and vb.year = a.base_year
    left join targets as t
        on t.indicator_code = a.indicator_code and t.year = a.target_year
),

expected_rows as (
    select t.indicator_code, y.year, t.year as target_year
    from targets as t
    cross join (select distinct year from {{ ref('int_reporting_periods__in_scope') }}) as y
    where t.year in ({% for y in pressdx_progress_target_years() %}{{ y | int }}{{ ", " if not loop.last }}{% endfor %})
        and t.indicator_code in ({% for c in pressdx_member_indicators() %}'{{ c }}'{{ ", " if not loop.last }}{% endfor %})
)

select indicator_code, year, target_year, problem
from checked
where problem is not null

union all

select e.indicator_code, e.year, e.target_year, 'missing row' as problem
from expected_rows as e
where not exists (
    select 1 from annual as a
    where a.indicator_code = e.indicator_code and a.year = e.year and a.target_year = e.target_year
)
