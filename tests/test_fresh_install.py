"""A new user's first commands: install from the lock files into a new environment, then
`bash scripts/serve` as the README says, until /readyz, then stop.

Slow by nature (a whole install, from pip's cache when warm), so it runs once per suite.
"""

from __future__ import annotations

import re
import signal
import subprocess
import tempfile
from pathlib import Path

import httpx
import pytest
from packaging.markers import Marker

from tests.api.conftest import free_port
from tests.faults.probes import wait_until
from tests.faults.processes import Child, settings_env

ROOT = Path(__file__).resolve().parent.parent
_PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)(?: ; ([^\\\n]+))?", re.MULTILINE)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked(*files: str) -> dict[str, str]:
    pins: dict[str, str] = {}
    for name in files:
        text = (ROOT / "requirements" / name).read_text()
        for n, v, marker in _PIN.findall(text):
            # Universal locks: a pin guarded by a marker applies only where it holds.
            if not marker or Marker(marker.strip()).evaluate():
                pins[_normal(n)] = v
    return pins


def _installed(python: Path) -> dict[str, str]:
    out = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {_normal(n): v for n, v, _ in _PIN.findall(out)}


@pytest.mark.timeout(900)
async def test_locked_install_then_serve_until_ready(tmp_path: Path) -> None:
    # Not under pytest's 0700 tmp_path: an unprivileged PostgreSQL account must reach the data.
    with tempfile.TemporaryDirectory(prefix="atspro-fresh-") as name:
        venv = Path(name) / "venv"
        env = settings_env(ATSPRO_VENV=str(venv), DATA_DIR=str(Path(name) / "data"))
        env["SHUTDOWN_GRACE_S"] = "2"

        install = Child(
            ["bash", "scripts/bootstrap"], env=env, log_path=tmp_path / "bootstrap.log", cwd=ROOT
        )
        assert await install.wait_exit(timeout_s=600) == 0, install.output()[-4000:]
        installed = _installed(venv / "bin" / "python")
        locked = _locked("build.txt", "dev.txt", "skills-data.txt")
        wrong = {n: (v, installed.get(n)) for n, v in locked.items() if installed.get(n) != v}
        assert not wrong, f"installed versions differ from the lock: {wrong}"

        port = free_port()
        server = Child(
            ["bash", "scripts/serve", "--port", str(port)],
            env=env,
            log_path=tmp_path / "serve.log",
            cwd=ROOT,
        )
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=15) as http:

                async def ready() -> bool:
                    if server.proc.poll() is not None:
                        raise AssertionError("serve exited:\n" + server.output()[-4000:])
                    try:
                        return (await http.get("/readyz")).status_code == 200
                    except httpx.TransportError:
                        return False

                await wait_until(ready, timeout_s=120, what="/readyz", every_s=0.2)
                banner = server.output()
                assert f":{port}/graphql" in banner and "Authorization: Bearer" in banner, banner
            server.send(signal.SIGTERM)
            code = await server.wait_exit(timeout_s=30)
            # uvicorn re-raises SIGTERM after a clean shutdown, so -15 is a clean exit too.
            assert code in (0, -signal.SIGTERM), server.output()[-3000:]
            assert "Application shutdown complete" in server.output()
        finally:
            server.kill()
