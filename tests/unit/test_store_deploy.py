"""The deployment artefacts in ``deploy/`` hold together, checked without a container engine:
the compose file and the Kubernetes manifests parse and say what they must, every
``SECURITY_BOT_*`` variable they set is a real configuration key, the ConfigMap's bot.toml
is a valid configuration, and the systemd unit passes ``systemd-analyze verify`` when that
is installed.
"""

from __future__ import annotations

import configparser
import dataclasses
import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest

from bot.config import Config, build_config

yaml = pytest.importorskip("yaml", reason="PyYAML is needed to check the deployment YAML")

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
KUBE = DEPLOY / "kubernetes"
HEALTH_URL = "http://127.0.0.1:8080/healthz"


def config_keys() -> set[tuple[str, str]]:
    keys = set()
    for section in dataclasses.fields(Config):
        section_type = type(getattr(Config(), section.name))
        for f in dataclasses.fields(section_type):
            keys.add((section.name, f.name))
    return keys


def check_env_names(names: list[str]) -> None:
    known = config_keys()
    secrets = {"SECURITY_BOT_GERRIT_PASSWORD", "SECURITY_BOT_ADMIN_TOKEN"}
    for name in names:
        if name in secrets or not name.startswith("SECURITY_BOT_") or name == "SECURITY_BOT_CONFIG":
            continue
        section, sep, key = name.removeprefix("SECURITY_BOT_").lower().partition("__")
        assert sep and (section, key) in known, f"{name} is not a configuration key"


# -- Dockerfile -------------------------------------------------------------------------------


def dockerfile() -> str:
    return (DEPLOY / "Dockerfile").read_text()


def test_dockerfile_runs_as_a_non_root_user_with_a_health_check() -> None:
    text = dockerfile()
    users = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
    assert users and users[-1].split(":")[0] not in ("0", "root")
    joined = text.replace("\\\n", " ")  # continuation lines
    healthcheck = re.search(r"^HEALTHCHECK .*? CMD (\[.*\])$", joined, re.MULTILINE)
    assert healthcheck is not None
    command = json.loads(healthcheck.group(1))
    assert command[:2] == ["python", "-c"] and HEALTH_URL in command[2]
    compile(command[2], "<healthcheck>", "exec")  # the inline program is valid Python
    assert '"gerrit-security-bot[postgres]"' in text and '".[postgres]"' in text
    for shipped in ("fakegerrit", "config", "bot", "pyproject.toml"):
        assert re.search(rf"^COPY .*\b{re.escape(shipped)}\b", text, re.MULTILINE), shipped
    assert re.search(r'^ENTRYPOINT \["security-bot"\]', text, re.MULTILINE)
    assert "EXPOSE 8080" in text


def test_dockerfile_environment_names_real_keys() -> None:
    check_env_names(re.findall(r"\b(SECURITY_BOT_[A-Z_]+)=", dockerfile()))


def test_dockerignore_lets_the_wheel_sources_in() -> None:
    rules = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    for needed in ("!pyproject.toml", "!README.md", "!bot/", "!fakegerrit/", "!config/"):
        assert needed in rules


# -- compose ----------------------------------------------------------------------------------


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return data


def test_compose_runs_postgres_and_two_bot_replicas() -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", "bot"}
    bot = services["bot"]
    assert bot["deploy"]["replicas"] == 2
    assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "healthcheck" in services["postgres"]
    env = bot["environment"]
    assert env["SECURITY_BOT_STORE__URL"].startswith("postgresql+psycopg://")
    assert "@postgres:" in env["SECURITY_BOT_STORE__URL"]
    assert bot["read_only"] is True and "ALL" in bot["cap_drop"]
    # Each replica gets its own (anonymous) volume for the mirrors cache.
    volumes = bot["volumes"]
    assert any(v["target"] == env["SECURITY_BOT_SCM__CACHE_DIR"].rsplit("/", 1)[0] for v in volumes)
    check_env_names(list(env))


def test_compose_secrets_are_docker_secrets_not_values() -> None:
    data = compose()
    declared = set(data["secrets"])
    for service in data["services"].values():
        assert set(service.get("secrets", [])) <= declared
        for name, value in (service.get("environment") or {}).items():
            if re.search(r"PASSWORD|TOKEN", name):
                assert name.endswith("_FILE") and str(value).startswith("/run/secrets/"), name
    for secret in data["secrets"].values():
        assert secret["file"].startswith("./secrets/")
    ignore = [
        line
        for line in (DEPLOY / "secrets" / ".gitignore").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert ignore[0] == "*"  # real secret files are never committed


# -- Kubernetes -------------------------------------------------------------------------------


def manifests() -> dict[str, dict[str, Any]]:
    docs: dict[str, dict[str, Any]] = {}
    for path in sorted(KUBE.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                assert doc["apiVersion"] and doc["metadata"]["name"]
                docs[doc["kind"]] = doc
    return docs


def test_kustomization_lists_every_manifest() -> None:
    kustomization = yaml.safe_load((KUBE / "kustomization.yaml").read_text())
    files = {p.name for p in KUBE.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == files
    assert set(manifests()) == {"ConfigMap", "Secret", "Deployment", "Service"}


def test_deployment_has_two_replicas_probes_resources_and_a_locked_down_container() -> None:
    docs = manifests()
    deployment = docs["Deployment"]
    assert deployment["spec"]["replicas"] == 2
    pod = deployment["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    (container,) = pod["containers"]
    sc = container["securityContext"]
    assert sc["readOnlyRootFilesystem"] is True
    assert sc["allowPrivilegeEscalation"] is False
    assert sc["capabilities"]["drop"] == ["ALL"]
    port = {p["name"]: p["containerPort"] for p in container["ports"]}["http"]
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        get = container[probe]["httpGet"]
        assert get["path"] == "/healthz" and get["port"] in ("http", port), probe
    assert container["resources"]["requests"] and container["resources"]["limits"]
    # Service → pods, and the Service's port is the dashboard's.
    service = docs["Service"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert service["spec"]["ports"][0]["targetPort"] in ("http", port)


def test_deployment_mounts_config_secrets_and_a_writable_mirrors_cache() -> None:
    docs = manifests()
    pod = docs["Deployment"]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
    env = {e["name"]: e for e in container["env"]}
    bot_toml = tomllib.loads(docs["ConfigMap"]["data"]["bot.toml"])

    config_path = env["SECURITY_BOT_CONFIG"]["value"]
    assert (
        volumes[mounts[config_path]["name"]]["configMap"]["name"]
        == docs["ConfigMap"]["metadata"]["name"]
    )
    cache = bot_toml["scm"]["cache_dir"]
    cache_mount = next(m for path, m in mounts.items() if cache.startswith(path + "/"))
    assert not cache_mount.get("readOnly") and "emptyDir" in volumes[cache_mount["name"]]
    assert "emptyDir" in volumes[mounts["/tmp"]["name"]]

    secret = docs["Secret"]
    secret_keys = set(secret["stringData"])
    secret_volume = next(v for v in pod["volumes"] if "secret" in v)
    assert secret_volume["secret"]["secretName"] == secret["metadata"]["name"]
    assert {i["key"] for i in secret_volume["secret"]["items"]} <= secret_keys
    secret_dir = next(p for p, m in mounts.items() if m["name"] == secret_volume["name"])
    files = {f"{secret_dir}/{i['path']}" for i in secret_volume["secret"]["items"]}
    assert bot_toml["gerrit"]["password_file"] in files
    assert bot_toml["dashboard"]["admin_token_file"] in files
    ref = env["PGPASSWORD"]["valueFrom"]["secretKeyRef"]
    assert ref["name"] == secret["metadata"]["name"] and ref["key"] in secret_keys


def test_configmap_bot_toml_is_a_valid_configuration() -> None:
    raw = tomllib.loads(manifests()["ConfigMap"]["data"]["bot.toml"])
    # The secret files exist only in the pod; give the secrets through the environment here.
    for section in raw.values():
        for key in [k for k in section if k.endswith("_file")]:
            del section[key]
    env = {"SECURITY_BOT_GERRIT_PASSWORD": "x", "SECURITY_BOT_ADMIN_TOKEN": "y"}
    config = build_config(raw, env=env)
    assert config.store.url.startswith("postgresql+psycopg://")
    assert ":" not in config.store.url.split("@")[0].split("//")[1]  # no password in the URL
    assert config.dashboard.host == "0.0.0.0" and config.dashboard.port == 8080


# -- systemd ----------------------------------------------------------------------------------

UNIT = DEPLOY / "systemd" / "security-bot.service"


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(UNIT.read_text())
    return parser


def test_systemd_unit_is_hardened() -> None:
    service = unit()["Service"]
    assert service["ExecStart"].endswith("security-bot run")
    assert service["DynamicUser"] == "yes"
    assert service["ProtectSystem"] == "strict"
    assert service["StateDirectory"] == "security-bot"
    assert service["CacheDirectory"] == "security-bot"
    assert service["EnvironmentFile"].startswith("/etc/security-bot/")
    assert service["NoNewPrivileges"] == "yes" and service["CapabilityBoundingSet"] == ""
    environment = re.findall(r"^Environment=(\w+)=", UNIT.read_text(), re.MULTILINE)
    check_env_names(environment)
    assert "multi-user.target" in unit()["Install"]["WantedBy"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_unit_verifies(tmp_path: Path) -> None:
    # verify checks that ExecStart exists; point it at a binary this machine has.
    text = re.sub(r"^ExecStart=.*$", "ExecStart=/bin/true", UNIT.read_text(), flags=re.MULTILINE)
    copy = tmp_path / "security-bot.service"
    copy.write_text(text)
    result = subprocess.run(
        ["systemd-analyze", "verify", str(copy)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    problems = [line for line in result.stderr.splitlines() if "security-bot.service" in line]
    assert result.returncode == 0 and not problems, result.stderr


# -- the operations guide ---------------------------------------------------------------------


def test_operations_guide_covers_every_task() -> None:
    text = (ROOT / "docs" / "operations.md").read_text()
    for heading in ("Install", "Configure", "migrations", "Back up", "Upgrade", "Scale", "Rotate"):
        assert re.search(rf"^## .*{heading}", text, re.MULTILINE | re.IGNORECASE), heading
    for command in ("security-bot migrate", "pg_dump", ".backup", "pg_try_advisory_lock"):
        assert command in text
