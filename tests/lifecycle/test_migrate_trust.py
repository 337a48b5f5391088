"""`flask defs migrate` (SPEC §8.3): visible_when judged per instance; --serials never "all"
by mistake, never a traceback."""
from app.engine import core
from app.models import Instance
from tests.engine.conftest import CHAIN, chain  # noqa: F401  (chain: a fixture)
from tests.lifecycle.test_migrate import cli, new_version

V2_SHOWN_WHEN_BIG = CHAIN.replace(
    "    - {name: note, label: 备注, type: textarea}",
    "    - {name: note, label: 备注, type: textarea}\n"
    "    - {name: budget, label: 经费卡号, type: text, required: true, visible_when: form.amount > 50}")


def test_a_now_required_field_blocks_only_where_it_is_shown(app, chain, user):
    big = core.start(chain, user("t2001"), {"subject": "大额", "amount": 80})
    small = core.start(chain, user("t2001"), {"subject": "小额", "amount": 10})
    new_version(V2_SHOWN_WHEN_BIG)
    result = cli(app, "test-chain", "--to", "2")
    assert result.exit_code == 3, result.output
    lines = result.output.splitlines()
    assert f"{big.serial}: blocked: 字段“经费卡号”在新版本中为必填，但没有填写" in lines
    assert f"{small.serial}: ok" in lines
    assert Instance.get(Instance.serial == big.serial).version.version == 1      # nothing moved
    assert Instance.get(Instance.serial == small.serial).version.version == 2


def test_a_shown_required_field_that_is_filled_moves(app, chain, user):
    inst = core.start(chain, user("t2001"), {"subject": "大额", "amount": 80})
    Instance.update(data=dict(inst.data, budget="KY-001")).where(Instance.id == inst.id).execute()
    new_version(V2_SHOWN_WHEN_BIG)
    assert cli(app, "test-chain", "--to", "2").exit_code == 0


def test_empty_serials_is_an_error_never_all(app, chain, user):
    inst = core.start(chain, user("t2001"), {"subject": "x"})
    new_version(V2_SHOWN_WHEN_BIG)
    for empty in ("", " ", ",", " , "):
        result = cli(app, "test-chain", "--to", "2", "--serials", empty)
        assert result.exit_code == 2, (empty, result.output)
        assert "--serials is empty" in result.output
    assert Instance.get(Instance.serial == inst.serial).version.version == 1


def test_out_of_range_serials_give_one_clear_line(app, chain, user):
    inst = core.start(chain, user("t2001"), {"subject": "x"})
    new_version(V2_SHOWN_WHEN_BIG)
    for bad in ("99999999999999999999999", "-5", "0", "12a", f"{inst.serial},9223372036854775808"):
        result = cli(app, "test-chain", "--to", "2", "--serials", bad)
        assert result.exit_code == 2, (bad, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.output and "not a 流水号" in result.output
    assert Instance.get(Instance.serial == inst.serial).version.version == 1
    ok = cli(app, "test-chain", "--to", "2", "--serials", "9223372036854775807")
    assert ok.exit_code == 3 and "9223372036854775807: blocked: 不是该服务正在办理的事项" in ok.output


def test_an_out_of_range_version_is_one_clear_line(app, chain):
    for bad in ("99999999999999999999999", "-1"):
        result = cli(app, "test-chain", "--to", bad)
        assert result.exit_code == 1 and "没有版本" in result.output, result.output


V2_REQUIRED_WHEN_BIG = CHAIN.replace(
    "    - {name: note, label: 备注, type: textarea}",
    "    - {name: note, label: 备注, type: textarea}\n"
    "    - {name: budget, label: 经费卡号, type: text, required_when: form.amount > 50}")


def test_a_field_required_when_blocks_only_where_its_condition_holds(app, chain, user):
    big = core.start(chain, user("t2001"), {"subject": "大额", "amount": 80})
    small = core.start(chain, user("t2001"), {"subject": "小额", "amount": 10})
    new_version(V2_REQUIRED_WHEN_BIG)
    result = cli(app, "test-chain", "--to", "2")
    assert result.exit_code == 3, result.output
    lines = result.output.splitlines()
    assert f"{big.serial}: blocked: 字段“经费卡号”在新版本中为必填，但没有填写" in lines
    assert f"{small.serial}: ok" in lines
