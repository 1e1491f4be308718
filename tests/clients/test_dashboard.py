"""The dashboard at /dashboard in headless Chromium (playwright-core with the system's browser)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .conftest import Api
from .test_node_clients import passed, run_node_test


def chromium() -> str:
    """The Chromium to drive: $CHROMIUM, else the system's; skips the test when there is none."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.skip(
        "Chromium is not installed (Debian: apt-get install -y chromium); .ci/run installs it"
    )


async def test_dashboard_in_chromium(node_clients: Path, api: Api, tmp_path: Path) -> None:
    browser = chromium()
    token = await api.token("dashboard")
    code, output = await run_node_test(
        node_clients,
        "browser/dashboard.browser.mjs",
        url=api.url,
        token=token,
        extra_env={"CHROMIUM": browser, "SCREENSHOTS": str(tmp_path)},
    )
    assert code == 0 and passed(output), output
    assert sorted(os.listdir(tmp_path)) == [
        "sign-in.png",
        "task-completed.png",
        "wrong-token.png",
    ]
