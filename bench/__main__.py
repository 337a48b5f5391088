"""Run every benchmark module present and print its figures as ``name: value`` lines.

Each module of MODULES is optional: ``bench/<name>.py`` with ``run(quick: bool) -> dict``.
"""
import argparse
import importlib
import sys
import time

MODULES = ("engine", "raw", "peers", "todo", "pdf", "load", "stats", "guards")


def load(name):
    try:
        return importlib.import_module(f"bench.{name}")
    except ModuleNotFoundError as e:
        if e.name == f"bench.{name}":
            return None
        raise


def fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 100 else f"{value:.1f}"
    return str(value)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: finishes within a minute")
    parser.add_argument("only", nargs="*", help=f"run only these of {', '.join(MODULES)}")
    args = parser.parse_args(argv)
    started = time.monotonic()
    for name in args.only or MODULES:
        module = load(name)
        if module is None:
            continue
        for key, value in module.run(args.quick).items():
            print(f"{key}: {fmt(value)}", flush=True)
    print(f"# finished in {time.monotonic() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
