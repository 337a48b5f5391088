"""`python -m bench guards`: every guard's refusal time is measured (the guard did refuse)."""


def test_the_guards_bench_measures_each_refusal():
    from bench import guards
    out = guards.run(quick=True, runs=1)      # each guard refuses once: the figure is the bench's
    assert set(out) == {"guard_billion_laughs_ms", "guard_oversized_ms", "guard_deep_nesting_ms",
                        "guard_node_flood_ms", "guard_redos_pattern_ms"}
    assert all(value > 0 for value in out.values()), out
