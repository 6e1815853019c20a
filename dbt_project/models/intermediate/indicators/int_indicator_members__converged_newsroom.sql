-- I3: agencies running a converged newsroom. Members: the agencies active at P with two or more media
-- types; in the numerator when converged_newsroom is true; unknown when they have no status at P.
{{ int_indicator_members__converged_newsroom(h=false) }}
