-- The I4 growth histogram at each period: the agencies of I4's denominator whose every window month is
-- known, counted in bins of growth_pct (pressdx_revenue_growth_bin_edges(): 5-point bins from −30 % to
-- +60 %, an open bin at each end). A bin holds lower_pct ≤ growth < upper_pct; every bin has a row, 0
-- when empty, so the bins of a period add up to fct_revenue_growth_summary.complete.
{{ fct_revenue_growth_histogram(h=false) }}
