"""The dashboard at /dashboard in headless Chromium (playwright-core with the system's browser).

clients/browser/dashboard.browser.mjs signs in, uploads a resume, pastes a job, scores,
tailors, downloads, drops the socket and checks the page catches up; axe-core checks the
page, and the first load's bytes are measured there (printed here).
"""

from __future__ import annotations

import os
import re
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
    code, output = await run_node_test(
        node_clients,
        "browser/dashboard.browser.mjs",
        url=api.url,
        token=await api.token("dashboard"),
        extra_env={
            "ATSPRO_TOKEN_FLOW": await api.token("dashboard-flow"),
            "ATSPRO_TOKEN_RECONNECT": await api.token("dashboard-reconnect"),
            "CHROMIUM": browser,
            "SCREENSHOTS": str(tmp_path),
        },
    )
    assert code == 0 and passed(output), output
    first_load = re.search(r"first-load bytes: \d+.*", output)
    assert first_load, output
    print(first_load.group(0))
    assert sorted(os.listdir(tmp_path)) == [
        "caught-up.png",
        "document.png",
        "job.png",
        "reconnecting.png",
        "resume.png",
        "score.png",
        "sign-in.png",
        "wrong-token.png",
    ]
