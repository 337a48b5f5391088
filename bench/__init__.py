"""OneHall benchmarks: ``python -m bench [--quick]`` (``make bench``, ``make bench QUICK=1``)."""
