"""Every setting from the environment, JSON-decoded; defaults → instance file → environment → test dict."""
import json
import os
import re
import subprocess
import sys

from app import create_app
from app.config import Defaults, env_value, settings
from tests.conftest import ROOT, make_config


def test_env_values_are_json_decoded_else_text():
    assert env_value("True") is True and env_value("true") is True and env_value("False") is False
    assert env_value("10") == 10
    assert env_value('{"name": "name"}') == {"name": "name"}
    assert env_value("https://cas.example.edu.cn/cas") == "https://cas.example.edu.cn/cas"
    assert env_value("[1, 2") == "[1, 2"


def test_every_setting_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SSO_PROVISION", "True")
    monkeypatch.setenv("SSO_ONLY", "true")
    monkeypatch.setenv("SSO_ATTRIBUTE_MAP", '{"name": "cn", "email": "mail"}')
    monkeypatch.setenv("CAS_USERNAME_ATTRIBUTE", "uid")
    monkeypatch.setenv("LOGIN_MAX_FAILURES", "10")
    monkeypatch.setenv("PASSWORD_HASH", '{"time_cost": 1, "memory_cost": 8, "parallelism": 1}')
    monkeypatch.setenv("MAIL_PASSWORD", "123456")          # text setting: stays text
    monkeypatch.setenv("DATABASE_POOL_SIZE", "3")
    config = make_config(tmp_path)
    config.pop("PASSWORD_HASH")
    app = create_app(config)
    assert app.config["SSO_PROVISION"] is True and app.config["SSO_ONLY"] is True
    assert app.config["SSO_ATTRIBUTE_MAP"] == {"name": "cn", "email": "mail"}
    assert app.config["CAS_USERNAME_ATTRIBUTE"] == "uid"
    assert app.config["LOGIN_MAX_FAILURES"] == 10
    assert app.config["PASSWORD_HASH"]["memory_cost"] == 8
    assert app.config["MAIL_PASSWORD"] == "123456"
    assert app.config["DATABASE_POOL_SIZE"] == 3


def test_the_test_dict_wins_over_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SITE_NAME", "环境里的名字")
    assert create_app(make_config(tmp_path, SITE_NAME="测试的名字")).config["SITE_NAME"] == "测试的名字"
    assert create_app(make_config(tmp_path)).config["SITE_NAME"] == "环境里的名字"


def test_order_defaults_instance_file_environment(tmp_path):
    """A real process: instance/config.py overrides a default; the environment overrides both."""
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(
        'SITE_NAME = "实例文件"\nSSO_TIMEOUT = 30\nSECRET_KEY = "from-file"\n'
        f'DATABASE_URL = "sqlite:///{tmp_path / "x.db"}"\nHUEY_URL = "sqlite:///{tmp_path / "h.db"}"\n',
        encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in settings()}
    env.update(INSTANCE_PATH=str(instance), SSO_TIMEOUT="5", OIDC_SCOPE="openid",
               SMS_GATEWAY="log", PYTHONPATH=ROOT)
    code = ("import json; from app import create_app; c = create_app().config; "
            "print(json.dumps({k: c[k] for k in ('SITE_NAME', 'SSO_TIMEOUT', 'OIDC_SCOPE', 'SECRET_KEY', 'SSO_PROVISION')}))")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {
        "SITE_NAME": "实例文件", "SSO_TIMEOUT": 5, "OIDC_SCOPE": "openid", "SECRET_KEY": "from-file",
        "SSO_PROVISION": False}


def test_readme_configuration_table_lists_every_setting():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    first_cells = re.findall(r"^\| (`[^|]+)\|", section, re.M)
    listed = {name for cell in first_cells for name in re.findall(r"`([A-Z_0-9]+)`", cell)}
    missing = [k for k in settings() if k not in listed]
    assert not missing, f"README configuration table lacks {missing}"
    assert not listed - set(settings()) - {"INSTANCE_PATH"}, "README lists settings that do not exist"
    assert len(settings()) == len([k for k in vars(Defaults) if k.isupper()])
