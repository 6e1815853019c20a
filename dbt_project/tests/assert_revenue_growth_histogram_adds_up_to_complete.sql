-- Every complete agency of I4's denominator lies in exactly one bin: the bins of a period add up to
-- fct_revenue_growth_summary.complete. A returned row is a period whose bins do not.
select s.period_code, s.complete, sum(h.agency_count) as in_bins
from {{ ref('fct_revenue_growth_summary') }} as s
inner join {{ ref('fct_revenue_growth_histogram') }} as h
    on h.period_code = s.period_code
group by s.period_code, s.complete
having sum(h.agency_count) <> s.complete
