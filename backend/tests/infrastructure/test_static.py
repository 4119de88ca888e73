"""Checks of the deployment files that need no running Mancrel: the compose file against the
Compose Specification's schema, `nginx -t`, promtool on the Prometheus config, rules and rule
unit tests, shellcheck on the server scripts, Grafana's provisioning and dashboards."""

import json
import subprocess

import jsonschema_rs
import yaml

from tests.infrastructure.stack import write_nginx_prefix, write_web_app
from tests.infrastructure.tools import INFRA, ROOT, tool

PROMETHEUS = INFRA / "prometheus"


def _compose_errors(document: dict) -> list[str]:
    schema = json.loads((INFRA / "compose/compose-spec.json").read_text())
    return [str(error) for error in jsonschema_rs.Draft201909Validator(schema).iter_errors(document)]


def test_compose_file_follows_the_compose_specification():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert _compose_errors(compose) == []
    services = compose["services"]
    assert {"migrate", "api", "worker", "beat", "nginx", "postgres", "redis", "qdrant", "prometheus",
            "grafana"} <= services.keys()
    assert services["qdrant"]["profiles"] == ["qdrant"]
    for name in ("api", "worker", "beat"):  # only after the migrations went through
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    # The schema is not a rubber stamp: a misspelt key is an error.
    services["api"]["restrat"] = "always"
    assert any("restrat" in error for error in _compose_errors(compose))


def test_compose_trusts_nginx_and_lets_prometheus_scrape():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    env = compose["services"]["api"]["environment"]
    addresses = {name: compose["services"][name]["networks"]["internal"]["ipv4_address"]
                 for name in ("nginx", "prometheus")}
    assert env["MANCREL_TRUSTED_PROXIES"] == addresses["nginx"]
    assert env["MANCREL_METRICS_ALLOWED_NETWORKS"] == addresses["prometheus"]


def test_nginx_accepts_the_configuration(tmp_path):
    main = write_nginx_prefix(tmp_path / "nginx", upstream="127.0.0.1:8000", web_root=write_web_app(tmp_path / "web"),
                              http=8080, tls_redirect=8081, tls=8443)
    checked = subprocess.run([tool("nginx"), "-t", "-p", str(tmp_path / "nginx"), "-c", str(main)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr


def test_promtool_checks_the_config_and_rules_and_every_alert_has_a_unit_test():
    promtool = tool("promtool")
    config = subprocess.run([promtool, "check", "config", str(PROMETHEUS / "prometheus.yml")],
                            capture_output=True, text=True)
    assert config.returncode == 0, config.stdout + config.stderr
    rules = subprocess.run([promtool, "check", "rules", str(PROMETHEUS / "alerts.yml")], capture_output=True, text=True)
    assert rules.returncode == 0, rules.stdout + rules.stderr
    tested = subprocess.run([promtool, "test", "rules", "alerts_test.yml"], cwd=PROMETHEUS / "tests",
                            capture_output=True, text=True)
    assert tested.returncode == 0, tested.stdout + tested.stderr

    alerts = {rule["alert"] for group in yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())["groups"]
              for rule in group["rules"]}
    unit = yaml.safe_load((PROMETHEUS / "tests/alerts_test.yml").read_text())
    firing = {case["alertname"] for test in unit["tests"] for case in test["alert_rule_test"] if case["exp_alerts"]}
    assert alerts == firing, f"alerts without a test that fires them: {alerts - firing}"
    for group in yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())["groups"]:
        for rule in group["rules"]:
            assert rule["annotations"]["runbook"], rule["alert"]


def test_server_scripts_pass_shellcheck():
    scripts = sorted((INFRA / "scripts").glob("*.sh"))
    assert {"setup_server.sh", "deploy.sh", "backup.sh", "restore.sh"} <= {s.name for s in scripts}
    checked = subprocess.run([tool("shellcheck"), "-x", *map(str, scripts)], capture_output=True, text=True,
                             cwd=INFRA / "scripts")
    assert checked.returncode == 0, checked.stdout
    # The nginx image sources this one with its POSIX shell.
    entrypoint = subprocess.run([tool("shellcheck"), "--shell=sh", *map(str, (INFRA / "nginx").glob("*/*.envsh"))],
                                capture_output=True, text=True)
    assert entrypoint.returncode == 0, entrypoint.stdout


def test_grafana_provisioning_and_dashboards_parse_and_are_built_from_their_source(tmp_path):
    datasource = yaml.safe_load((INFRA / "grafana/provisioning/datasources/prometheus.yml").read_text())
    uid = datasource["datasources"][0]["uid"]
    provider = yaml.safe_load((INFRA / "grafana/provisioning/dashboards/mancrel.yml").read_text())
    assert provider["providers"][0]["type"] == "file"
    # The committed JSON is what build_dashboards.py writes (nobody edited one and not the other).
    built = subprocess.run(["python3", "-c", "import sys, build_dashboards as b; "
                            f"[print(p.name) for p in b.write(__import__('pathlib').Path({str(tmp_path)!r}))]"],
                           cwd=INFRA / "grafana", capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    names = built.stdout.split()
    assert {"mancrel-api.json", "mancrel-workers.json", "mancrel-catalog.json", "mancrel-inbox.json",
            "mancrel-system.json"} == set(names)
    for name in names:
        committed = (INFRA / "grafana/dashboards" / name).read_text()
        assert committed == (tmp_path / name).read_text(), f"{name}: run infrastructure/grafana/build_dashboards.py"
        board = json.loads(committed)
        assert board["uid"] and board["panels"]
        for panel in board["panels"]:
            assert panel["targets"] and all(t["datasource"]["uid"] == uid for t in panel["targets"])


def test_systemd_units_run_real_commands_as_the_mancrel_user():
    import configparser

    from mancrel.cli import build_parser

    commands = set(build_parser()._subparsers._group_actions[0].choices)
    for name in ("mancrel-api", "mancrel-worker", "mancrel-beat"):
        unit = configparser.ConfigParser(strict=False, interpolation=None)
        unit.read(INFRA / f"systemd/{name}.service")
        service = unit["Service"]
        program, command = service["ExecStart"].split()[:2]
        assert program == "/opt/mancrel/current/.venv/bin/mancrel" and command in commands, service["ExecStart"]
        assert service["User"] == "mancrel" and service["Restart"] == "always"
        assert service["EnvironmentFile"] == "/etc/mancrel/mancrel.env"
    backup = configparser.ConfigParser(strict=False, interpolation=None)
    backup.read(INFRA / "systemd/mancrel-backup.service")
    script = backup["Service"]["ExecStart"].split()[0].removeprefix("/opt/mancrel/current/")
    assert (ROOT / script).is_file()


def test_dockerfile_builds_from_files_that_exist_and_runs_as_a_user_with_a_healthcheck():
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    stages: dict[str, list[str]] = {}
    for line in lines:
        if line.startswith("FROM "):
            current = stages.setdefault(line.split()[-1], [])
        elif stages:
            current.append(line)
    assert list(stages) == ["web", "build", "nginx", "runtime"]  # runtime last: the default target
    runtime = stages["runtime"]
    assert any(line == "USER mancrel" for line in runtime)
    assert any(line.startswith("HEALTHCHECK") and "/readyz" in line for line in runtime)
    ignored = (ROOT / ".dockerignore").read_text().split()
    for line in lines:  # a COPY from the build context names something that is there and not ignored
        if line.startswith("COPY ") and "--from=" not in line:
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), source
                assert source.rstrip("/") not in ignored, source
