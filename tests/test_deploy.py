"""The class deployment files (issue 19): what can be checked without a cluster or a Docker engine.

- ``deploy/k8s/config.yaml`` merged over Zero to JupyterHub 4.4.0's defaults passes that chart's
  own values schema (vendored in ``deploy/k8s/z2jh-4.4.0/``), as ``helm install`` would check it,
  and a misspelt key fails the same check;
- the course image (``deploy/k8s/Dockerfile``) copies files that exist, starts the course's own
  single-user script, and pins the single-user JupyterHub to the chart's;
- ``deploy/local/jupyterhub_config.py`` loads in both modes: a test class listens on 127.0.0.1,
  lets only the users of its password file in, culls idle servers and sets per-user limits; a
  real class lets only its roster in;
- the test-class authenticator accepts the right password only, stores no password in clear and
  refuses a password file others can read.
"""

from __future__ import annotations

import copy
import json
import re
import sys

import jsonschema
import pytest
import yaml
from traitlets.config import Config

from tests.conftest import ROOT

K8S = ROOT / "deploy" / "k8s"
CHART = K8S / "z2jh-4.4.0"
LOCAL = ROOT / "deploy" / "local"
sys.path.insert(0, str(LOCAL))
import twitch_hub  # noqa: E402


def _merge(base: dict, over: dict) -> dict:
    """Helm's merge of user values over chart defaults (maps merge, anything else replaces)."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _validate(values: dict) -> None:
    schema = yaml.safe_load((CHART / "values.schema.yaml").read_text())
    jsonschema.Draft7Validator(schema).validate(values)


@pytest.fixture(scope="module")
def config() -> dict:
    return yaml.safe_load((K8S / "config.yaml").read_text())


@pytest.fixture(scope="module")
def defaults() -> dict:
    return yaml.safe_load((CHART / "values.yaml").read_text())


def test_helm_values_pass_the_charts_schema(config, defaults):
    _validate(_merge(defaults, config))


def test_a_misspelt_helm_value_fails_the_same_check(config, defaults):
    bad = _merge(config, {"singleuser": {"memroy": {"limit": "1G"}}})
    with pytest.raises(jsonschema.ValidationError, match="memroy"):
        _validate(_merge(defaults, bad))


def test_helm_values_run_the_course_with_login_limits_and_culling(config):
    single = config["singleuser"]
    script = single["cmd"][-1]
    assert script.startswith("/opt/twitch/")
    assert (ROOT / script.removeprefix("/opt/twitch/")).is_file()
    assert single["defaultUrl"] == "/lab/tree/START-HERE.ipynb"
    assert single["storage"]["homeMountPath"] == "/home/jovyan"
    assert single["memory"]["limit"] and single["cpu"]["limit"]
    assert config["cull"]["enabled"] and config["cull"]["timeout"] > 0
    auth = config["hub"]["config"]["JupyterHub"]["authenticator_class"]
    assert auth not in ("dummy", "null", "shared-password"), "never an open hub"
    assert config["hub"]["config"]["Authenticator"]["allowed_users"]


def test_course_image_copies_what_exists_and_matches_the_charts_hub():
    text = (K8S / "Dockerfile").read_text()
    for line in re.findall(r"^COPY (.+) \S+$", text, re.M):
        for src in line.split():
            assert src == "." or (ROOT / src).exists(), src
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", text, re.M).group(1))
    assert (ROOT / cmd[-1].removeprefix("/opt/twitch/")).is_file()
    app = yaml.safe_load((CHART / "Chart.yaml").read_text())["appVersion"]
    assert f'"jupyterhub=={app}"' in text, "single-user JupyterHub must match the chart's hub"
    assert "-r requirements.txt -c constraints.txt" in text


def _load_hub_config(env: dict, monkeypatch) -> Config:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    for key in ("TWITCH_CLASS_DIR", "CONFIGPROXY_AUTH_TOKEN", "TWITCH_CLASS_ADMIN_TOKEN"):
        if key not in env:
            monkeypatch.delenv(key, raising=False)
    cfg = Config()
    code = compile((LOCAL / "jupyterhub_config.py").read_text(), "jupyterhub_config.py", "exec")
    exec(code, {"get_config": lambda: cfg, "__file__": str(LOCAL / "jupyterhub_config.py")})
    return cfg


def test_local_hub_config_for_a_test_class(tmp_path, monkeypatch):
    users = {"instructor": twitch_hub.hash_password("a"),
             "student01": twitch_hub.hash_password("b")}
    pw = tmp_path / "passwords.json"
    pw.write_text(json.dumps(users))
    pw.chmod(0o600)
    cfg = _load_hub_config({"TWITCH_CLASS_DIR": str(tmp_path)}, monkeypatch)
    assert cfg.JupyterHub.bind_url.startswith("http://127.0.0.1:")
    assert cfg.JupyterHub.hub_ip == "127.0.0.1"
    assert cfg.JupyterHub.authenticator_class is twitch_hub.ClassPasswordAuthenticator
    assert cfg.JupyterHub.spawner_class is twitch_hub.ClassTestSpawner
    assert cfg.Authenticator.allowed_users == set(users)
    assert cfg.Authenticator.admin_users == {"instructor"}
    assert str(tmp_path / "home") in cfg.ClassTestSpawner.home_dir_template
    assert cfg.Spawner.mem_limit and cfg.Spawner.cpu_limit
    culler = [s for s in cfg.JupyterHub.services if s["name"] == "idle-culler"]
    assert culler and "jupyterhub_idle_culler" in culler[0]["command"]
    assert not cfg.JupyterHub.cleanup_servers, "a hub restart must leave students' servers up"


def test_local_hub_config_for_a_real_class_lets_only_the_roster_in(tmp_path, monkeypatch):
    roster = tmp_path / "roster.txt"
    roster.write_text("# class of 2026\nana\nben\n")
    cfg = _load_hub_config({"TWITCH_HUB_STATE": str(tmp_path / "state"),
                            "TWITCH_CLASS_ROSTER": str(roster)}, monkeypatch)
    assert cfg.JupyterHub.spawner_class is twitch_hub.CourseSpawner
    assert cfg.Authenticator.allowed_users == {"ana", "ben"}
    assert cfg.JupyterHub.bind_url.startswith("http://127.0.0.1:")


def test_class_passwords_are_hashed_and_checked(tmp_path):
    stored = twitch_hub.hash_password("correct horse")
    assert "correct horse" not in stored
    assert twitch_hub.check_password("correct horse", stored)
    assert not twitch_hub.check_password("correct hors", stored)
    assert not twitch_hub.check_password("correct horse", "md5$00$00")
    assert twitch_hub.hash_password("x") != twitch_hub.hash_password("x"), "salted"
    path = tmp_path / "passwords.json"
    path.write_text(json.dumps({"student01": stored}))
    path.chmod(0o644)
    with pytest.raises(PermissionError, match="chmod 600"):
        twitch_hub.read_password_file(path)
    path.chmod(0o600)
    assert twitch_hub.read_password_file(path) == {"student01": stored}
