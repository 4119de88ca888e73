"""A real `mancrel run` with the repository's nginx config in front of it and a Prometheus
(with the database and Redis exporters) scraping it, as the infrastructure tests meet it."""

import contextlib
import datetime
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from mancrel.core.embedded import free_port
from tests.core.test_run import ADMIN, Run
from tests.infrastructure.tools import INFRA, stop, tool, wait_for_port

DOMAIN = "mancrel.test"
NGINX = INFRA / "nginx"


def render(template: str, values: dict[str, str]) -> str:
    """envsubst restricted to our names, as the nginx image and setup_server.sh run it."""
    for name, value in values.items():
        template = template.replace("${" + name + "}", value)
    return template


def _listen_on_loopback(config: str, ports: dict[int, int]) -> str:
    """The templates listen on 80/443 on every address; here, free ports on 127.0.0.1."""
    config = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", config)
    return re.sub(r"listen (\d+)", lambda m: f"listen 127.0.0.1:{ports[int(m.group(1))]}", config)


def _self_signed(folder: Path) -> Path:
    folder.mkdir(parents=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, DOMAIN)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(DOMAIN)]), critical=False)
            .sign(key, hashes.SHA256()))
    (folder / "fullchain.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "privkey.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                           serialization.PrivateFormat.PKCS8,
                                                           serialization.NoEncryption()))
    return folder


def write_nginx_prefix(prefix: Path, *, upstream: str, web_root: Path, http: int, tls_redirect: int,
                       tls: int) -> Path:
    """The repository's templates rendered into an nginx prefix: the plain-HTTP site on `http`,
    the TLS site on `tls` (its port-80 redirect server on `tls_redirect`)."""
    for sub in ("conf.d", "logs", "temp"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    (prefix / "mancrel").mkdir(exist_ok=True)
    for part in (NGINX / "mancrel").iterdir():
        (prefix / "mancrel" / part.name).write_text(part.read_text())
    values = {"MANCREL_UPSTREAM": upstream, "MANCREL_DOMAIN": DOMAIN, "MANCREL_WEB_ROOT": str(web_root),
              "MANCREL_CERT_DIR": str(_self_signed(prefix / "certs"))}
    (prefix / "conf.d/mancrel.conf").write_text(render((NGINX / "templates/mancrel.conf.template").read_text(),
                                                       values))
    site = render((NGINX / "sites/http.conf.template").read_text(), values)
    (prefix / "conf.d/site-http.conf").write_text(_listen_on_loopback(site, {80: http}))
    site = render((NGINX / "sites/https.conf.template").read_text(), values)
    (prefix / "conf.d/site-https.conf").write_text(_listen_on_loopback(site, {80: tls_redirect, 443: tls}))
    temp = "\n".join(f"    {kind}_temp_path {prefix / 'temp' / kind};" for kind in
                     ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main = prefix / "nginx.conf"
    main.write_text(f"""# Test harness: what /etc/nginx/nginx.conf gives on Debian, inside a prefix.
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log info;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix}/logs/access.log;
{temp}
    include conf.d/*.conf;
}}
""")
    return main


def write_web_app(folder: Path) -> Path:
    """A built web app as Vite lays it out: index.html and content-hashed files under assets/."""
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text('<!doctype html><html><head><script type="module" '
                                       'src="/assets/index-3f9a1c.js"></script></head>'
                                       '<body><div id="root">Mancrel web app</div></body></html>')
    (folder / "assets/index-3f9a1c.js").write_text("console.log('mancrel');\n" * 200)
    return folder


def _child_environment(run: Run) -> dict[str, str]:
    """DATABASE_URL and REDIS_URL as `mancrel run` hands them to its children."""
    for child in psutil.Process(run.process.pid).children(recursive=True):
        with contextlib.suppress(psutil.Error):
            env = child.environ()
            if "REDIS_URL" in env and "DATABASE_URL" in env:
                return env
    raise AssertionError("no child of `mancrel run` has DATABASE_URL and REDIS_URL")


@dataclass
class Stack:
    root: Path
    api_port: int = field(default_factory=free_port)
    http_port: int = field(default_factory=free_port)
    tls_redirect_port: int = field(default_factory=free_port)
    tls_port: int = field(default_factory=free_port)
    prometheus_port: int = field(default_factory=free_port)
    processes: list = field(default_factory=list)
    run: Run | None = None
    admin_password: str = ""
    mail_path: str = ""
    mail_key: str = ""

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def start_mancrel(self) -> None:
        # nginx on 127.0.0.1 is the one trusted proxy. /metrics: Prometheus scrapes directly
        # from 127.0.0.1, and 127.0.0.7 may read it through nginx (the tests' "monitoring host").
        self.run = Run(self.data_dir, self.api_port, MANCREL_TRUSTED_PROXIES="127.0.0.1",
                       MANCREL_METRICS_ALLOWED_NETWORKS="127.0.0.1,127.0.0.7")
        output = self.run.wait_for("stop:", timeout=300)
        self.admin_password = re.search(rf"admin:\s+{re.escape(ADMIN)} / (\S+)", output).group(1)
        mail = re.search(r"mail:\s+POST (\S+) \(Mailgun format, signing key (\w+)\)", output)
        self.mail_path, self.mail_key = re.sub(r"^https?://[^/]+", "", mail.group(1)), mail.group(2)

    def _start(self, name: str, args: list[str], port: int, **env: str) -> None:
        log = self.root / f"{name}.log"
        with log.open("w") as out:
            process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **env})
        self.processes.append(process)
        wait_for_port(port, process, log)

    def start_nginx(self) -> None:
        prefix = self.root / "nginx"
        main = write_nginx_prefix(prefix, upstream=f"127.0.0.1:{self.api_port}",
                                  web_root=write_web_app(self.root / "web"), http=self.http_port,
                                  tls_redirect=self.tls_redirect_port, tls=self.tls_port)
        self._start("nginx", [tool("nginx"), "-p", str(prefix), "-c", str(main)], self.http_port)

    def start_prometheus(self) -> None:
        children = _child_environment(self.run)
        redis = urlsplit(children["REDIS_URL"])
        pg_exporter, redis_exporter = free_port(), free_port()
        self._start("postgres-exporter", [tool("prometheus-postgres-exporter"),
                                          f"--web.listen-address=127.0.0.1:{pg_exporter}"], pg_exporter,
                    DATA_SOURCE_NAME=f"{children['DATABASE_URL']}?sslmode=disable")
        self._start("redis-exporter", [tool("prometheus-redis-exporter"),
                                       f"-redis.addr=redis://{redis.hostname}:{redis.port}",
                                       f"-web.listen-address=127.0.0.1:{redis_exporter}"], redis_exporter,
                    REDIS_PASSWORD=redis.password or "")
        targets = {"mancrel": self.api_port, "postgres": pg_exporter, "redis": redis_exporter,
                   "prometheus": self.prometheus_port}
        config = yaml.safe_load((INFRA / "prometheus/prometheus.yml").read_text())
        config["global"].update(scrape_interval="1s", evaluation_interval="1s")
        config["rule_files"] = [str(INFRA / "prometheus" / name) for name in config["rule_files"]]
        for job in config["scrape_configs"]:
            job["static_configs"] = [{"targets": [f"127.0.0.1:{targets[job['job_name']]}"]}]
        path = self.root / "prometheus.yml"
        path.write_text(yaml.safe_dump(config))
        self._start("prometheus", [tool("prometheus"), f"--config.file={path}",
                                   f"--storage.tsdb.path={self.root / 'tsdb'}",
                                   f"--web.listen-address=127.0.0.1:{self.prometheus_port}"], self.prometheus_port)

    def stop(self) -> None:
        for process in reversed(self.processes):
            stop(process)
        if self.run is not None:
            self.run.stop()
