"""The pressdx benchmark (issue #7): how fast the pipeline is and how its cost grows.

``python -m bench`` (``make bench``) generates synthetic sources with ``pressdx.sample.generator`` at several scales,
runs the pipeline on DuckDB and PostgreSQL stage by stage (a full-history run, then one new quarter on
top), measures a lower bound in the same run (the same normalised rows bulk-loaded natively and one
hand-written SQL query computing I1–I7) and writes ``bench/results/latest.{json,md}``. See
``bench/README.md``. Speed targets live here, never in timed tests.

- ``bench.run``: the command line, the orchestration of the cases and the results files;
- ``bench.case``: one measured phase of one case, run in its own process (``python -m bench.case``) so
  that its peak memory is its own;
- ``bench.lower_bound`` and ``lower_bound.sql``: the native bulk load and the single query;
- ``bench.report``: the Markdown report and the targets.
"""
