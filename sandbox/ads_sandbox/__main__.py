import sys

from ads_sandbox.cli import main

sys.exit(main())
