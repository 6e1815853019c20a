"""OpenLineage events for lineage tools (Marquez, DataHub, OpenMetadata): what pressdx read and wrote, and when.

A wing of its own, beside the warehouse: it imports only ``pressdx.settings`` and the OpenLineage libraries,
and is called by the job steps (``pressdx.jobs.take_in``, ``pressdx.jobs.build``) with plain data, never by
intake or the warehouse themselves. ``docs/lineage.md`` ("OpenLineage") describes the events.

- ``transport``: where events go: a JSON-lines file per day under ``$PRESSDX_DATA_DIR/lineage/`` always,
  and ``PRESSDX_OPENLINEAGE_URL`` (Marquez…) as well when set; the Airflow provider can use the same.
- ``emit``: the ``Emitter`` the jobs use; a lineage failure is one log line, never a failed run.
- ``facets``: the parent run (``Parent``) and pressdx's own run facet (``pressdx_submission``).
- ``intake``: one run per judged file (landed file → ``raw.<dataset>``, GX assertions, row count).
- ``dbt``: one run per dbt node of a build, through openlineage-integration-common's artifact processor.
"""

from __future__ import annotations

JOB_NAMESPACE = "pressdx"  # the namespace of pressdx's jobs (the Airflow provider's [openlineage] namespace too)
