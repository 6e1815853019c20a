-- I6: press staff trained in digital transformation, a ratio of persons. Members: the agencies active at
-- P; known when both staff_total and staff_trained are known at P (per-subject stock rule); a known member
-- adds staff_trained to the numerator and staff_total to the denominator, an unknown one adds 0 to both,
-- so value_pct = Σ trained / Σ total over the known agencies and coverage_pct = known agencies / active
-- agencies.
{{ int_indicator_members__staff_trained(h=false) }}
