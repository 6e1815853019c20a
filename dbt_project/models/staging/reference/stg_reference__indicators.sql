select
    cast(indicator_code as varchar) as indicator_code,
    cast(decision_row as integer) as decision_row,
    cast(kind as varchar) as kind,
    cast(name_en as varchar) as name_en,
    cast(name_vi as varchar) as name_vi,
    cast(numerator_en as varchar) as numerator_en,
    cast(denominator_en as varchar) as denominator_en,
    cast(responsible_unit as varchar) as responsible_unit
from {{ ref('indicators') }}
