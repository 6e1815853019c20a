-- The I4 distribution at each period (fct_agency_revenue_growth, the agencies of I4's denominator):
-- how many agencies, how many with every window month known (complete), how many meet the year's
-- threshold, and the median growth of the complete ones. The median is the middle value, or the mean of
-- the two middle values, (a + b) / 2, of an even count; NULL when no agency is complete.
{{ fct_revenue_growth_summary(h=false) }}
