"""``python -m pressdx.cli``: the same as the ``pressdx`` console script."""

import sys

from pressdx.cli import main

sys.exit(main())
