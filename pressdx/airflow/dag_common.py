"""What the three DAG files share: time zone, asset URIs and default task arguments.

Only the standard library is imported here, so that a DAG file importing it still parses in
milliseconds. One definition of each asset URI means a producer DAG and a consumer DAG cannot name the
same asset differently.
"""

from __future__ import annotations

from datetime import timedelta

TZ = "Asia/Ho_Chi_Minh"  # the decision's deadlines are Vietnam time

MARTS_ASSET_URI = "pressdx://warehouse/marts"
PUBLISHED_ASSET_URI = "pressdx://published/quarterly"
REPORT_ASSET_URI = "pressdx://published/annual-report"

DEFAULT_ARGS = {
    "owner": "pressdx",
    "retries": 2,
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": 2.0,  # 5 min, then 10 min
    "execution_timeout": timedelta(hours=2),
}
