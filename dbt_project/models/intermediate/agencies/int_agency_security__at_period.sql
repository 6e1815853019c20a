{{ changes_with(['agency_security']) }}
-- Each agency's information-security level at each period P in scope (I7): the row from the current
-- agency_security submission with the latest period in the window P-3..P that contains the agency.
-- An agency that appears in no such submission has no row here: its level is unknown at P.
{{ int_agency_security__at_period(h=false) }}
