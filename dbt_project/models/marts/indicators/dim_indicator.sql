-- The indicators of Decision 781 (reference seed `indicators`).
select
    indicator_code,
    decision_row,
    kind,
    name_en,
    name_vi,
    numerator_en,
    denominator_en,
    responsible_unit
from {{ ref('stg_reference__indicators') }}
