-- The provisional share of each indicator's figure at each period: of the submissions the figure is
-- computed from (their current versions at as_of), the share whose current version is provisional
-- (docs/report.md, "Provisional share"). Which datasets an indicator reads: pressdx_indicator_datasets().
-- Which of their submissions count at period P:
--   stock datasets (register, dx status, security, curricula, platform stage): per unit, the current
--     submission of the latest period in the look-back window P-3..P (var('stock_lookback_periods'));
--   agency_revenue (I4): every current submission of P's reporting year up to P;
--   agency_revenue_baseline (I4): per unit, the latest current one up to P;
--   I8R/I8T/I8E: only the platform's responsible unit (platform_responsibilities).
{{ fct_indicator_provisional_share(h=false) }}
