-- I1: agencies distributing content on digital platforms. Members: the agencies active at P; in the
-- numerator when distributes_on_digital_platforms is true; unknown when they have no status at P.
{{ int_indicator_members__digital_distribution(h=false) }}
