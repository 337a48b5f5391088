"""A floor under property tests: the share of generated examples that really reached the
property must stay above a stated minimum, or the test fails.

Without it a property test whose generator drifts (every example refused, every start
failing) passes while exercising nothing. Use it as the outermost decorator:

    SHARE = Floor(0.6, "evaluated")

    @SHARE
    @settings(...)
    @given(...)
    def test_x(text):
        ...
        assume(SHARE.seen(ok, "why not"))      # discard: not counted as exercised
        # or: if SHARE.seen(parsed, "refused"): evaluate   (a valid example either way)

Every example passes ``seen`` exactly once; each outcome is also a Hypothesis ``event``
(visible with ``--hypothesis-show-statistics``).
"""
import functools

from hypothesis import event


class Floor:
    def __init__(self, minimum: float, what: str = "exercised"):
        self.minimum, self.what = minimum, what
        self.total = self.hits = 0

    def seen(self, hit: bool, label: str = "") -> bool:
        self.total += 1
        self.hits += bool(hit)
        event(self.what if hit else (label or f"not {self.what}"))
        return bool(hit)

    @property
    def share(self) -> float:
        return self.hits / self.total if self.total else 0.0

    def __call__(self, test):
        @functools.wraps(test)
        def run(*args, **kwargs):
            self.total = self.hits = 0
            test(*args, **kwargs)
            print(f"{test.__name__}: {self.hits}/{self.total} {self.what} ({self.share:.0%}, floor {self.minimum:.0%})")
            assert self.total, f"{test.__name__}: no example reached Floor.seen()"
            assert self.share >= self.minimum, (
                f"{test.__name__}: only {self.hits} of {self.total} examples {self.what} "
                f"({self.share:.0%}); the floor is {self.minimum:.0%}")
        return run
