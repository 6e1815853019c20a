{{ changes_with(['agency_register']) }}
-- The register at each period P in scope: the current agency_register submission with the latest
-- period in the window P-3..P, whole (an agency missing from it is not on the register), with
-- whether each listed agency is active at P: licensed_on empty or <= E(P) and closed_on empty or > E(P).
{{ int_agency_register__at_period(h=false) }}
