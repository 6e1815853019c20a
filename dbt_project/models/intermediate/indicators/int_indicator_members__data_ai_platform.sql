-- I2: agencies using a centralised data-analytics / AI platform. Members: the agencies active at P;
-- in the numerator when uses_data_ai_platform is true; unknown when they have no status at P.
{{ int_indicator_members__data_ai_platform(h=false) }}
