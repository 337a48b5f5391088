"""How long the input guards take to refuse hostile input, in milliseconds (median of RUNS).

The tests check that each input is refused with the right message; how fast is a figure,
measured here rather than asserted there, where a busy machine would make a wall-clock limit
fail for nothing. The inputs are the tests' own (tests/defs/test_loader.py,
tests/forms/test_validate.py): ``guard_billion_laughs_ms`` (nine levels of YAML aliases),
``guard_oversized_ms`` (a definition one byte over the size limit), ``guard_deep_nesting_ms``
(5,000 nested brackets), ``guard_node_flood_ms`` (25,000 values), ``guard_redos_pattern_ms``
(a field pattern with nested ``\\w*`` against 400 characters; validating a form, not a file).
"""
import statistics
import time

RUNS = 15


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines)


REDOS_DEFINITION = (
    "format: 1\nid: redos\nnumber: 990\nname: 测试\ncategory: 测试\ndepartment: 宣传部\n"
    "form:\n  title: 测试\n  fields:\n"
    "    - {name: code, label: 编号, type: text, pattern: '^\\w*\\w*\\w*\\w*\\w*\\w*\\w*\\w*\\w*\\w*\\w*!$'}\n"
    "steps:\n  - {id: fill, name: 填写, by: applicant}\n")


def median_ms(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def refused(text):
    from app.defs import DefinitionError, validate_text

    def action():
        try:
            validate_text(text)
        except DefinitionError:
            return
        raise AssertionError("the guard let the input through")
    return action


def run(quick: bool, runs: int | None = None) -> dict:
    """Each guard's median refusal time; ``runs`` (else 5 quick, RUNS in full) per guard."""
    from app.defs import validate_text
    from app.defs.loader import MAX_BYTES
    from renderers.form import validate_data
    runs = runs or (5 if quick else RUNS)
    form = validate_text(REDOS_DEFINITION).form
    applicant = {"username": "alice", "type": "staff", "department": "CS"}

    def redos():
        assert validate_data(form, {"code": "a" * 400}, applicant=applicant)[1] == {"code": ["格式不正确"]}
    return {
        "guard_billion_laughs_ms": median_ms(refused(billion_laughs()), runs),
        "guard_oversized_ms": median_ms(refused("a: '" + "x" * MAX_BYTES + "'\n"), runs),
        "guard_deep_nesting_ms": median_ms(refused("a: " + "[" * 5000 + "]" * 5000), runs),
        "guard_node_flood_ms": median_ms(refused("a: [" + ",".join(["1"] * 25_000) + "]"), runs),
        "guard_redos_pattern_ms": median_ms(redos, runs),
    }
