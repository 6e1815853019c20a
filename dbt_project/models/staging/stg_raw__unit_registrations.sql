-- Registration history of the ministries, provinces and press governing bodies (raw.unit_registrations,
-- appended by ingest/pipeline.py register_units): every row, every column cast. The as-of filter and the
-- validity of each row are decided in intermediate (int_unit_registrations__spells).
select
    cast(unit_code as varchar) as unit_code,
    cast(unit_kind as varchar) as unit_kind,
    cast(name_vi as varchar) as name_vi,
    cast(name_en as varchar) as name_en,
    cast(active as boolean) as is_active,
    cast(registered_at as timestamptz) as registered_at,
    cast(sources_file as varchar) as sources_file,
    cast(run_id as varchar) as run_id
from {{ source('raw', 'unit_registrations') }}
