-- I7: electronic press agencies with information-security level 3 or above. Members: the agencies active
-- at P that have the electronic media type; in the numerator when their security level at P (per-subject
-- stock rule) is ≥ var('i7_min_security_level', 3); unknown when they have no level at P.
{{ int_indicator_members__security_level(h=false) }}
