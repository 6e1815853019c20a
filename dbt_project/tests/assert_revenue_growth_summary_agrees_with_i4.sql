-- The I4 distribution counts the same agencies as I4: denominator and meeting of fct_revenue_growth_summary
-- are I4's denominator and numerator in fct_indicator_period, and complete is I4's known members. A
-- returned row is a period where they disagree.
select s.period_code, s.denominator, f.denominator as i4_denominator, s.meeting, f.numerator as i4_numerator
from {{ ref('fct_revenue_growth_summary') }} as s
inner join {{ ref('fct_indicator_period') }} as f
    on f.period_code = s.period_code
    and f.indicator_code = 'I4'
where s.denominator <> f.denominator
    or s.meeting <> f.numerator
    or (f.denominator > 0 and {{ pct('s.complete', 's.denominator') }} <> f.coverage_pct)
