"""`python -m sandbox`: the same as `flowlane sandbox`."""

from sandbox.server import main

main()
