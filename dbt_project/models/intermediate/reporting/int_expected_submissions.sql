-- Every submission expected for the periods in scope (2023-Q1 .. through), kpi-rules.md "Timeliness and
-- completeness", with its due instant from the reporting calendar (never hard-coded):
--   quarterly assignment   one per period from its first_period            due: the period's due_at
--   annual assignment      one per year, in period Y-Q4, from first_period due: due_at of Y-Q4
--   once assignment        one, in its first_period                        due: that period's due_at
--   annual_implementation  one per year (period Y-Q4) from every ministry, province and governing body
--                          registered at the year's annual_report_due_at (15 December Y 00:00 Vietnam
--                          time), as known at as_of; a unit whose report for Y is received is expected
--                          for Y whatever its registration says (it did report).
{{ int_expected_submissions(h=false) }}
