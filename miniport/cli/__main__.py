"""`python -m miniport.cli`, the same as the `miniport` console script."""

import sys

from miniport.cli import main

sys.exit(main())
