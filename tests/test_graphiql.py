"""The GraphiQL page and its assets are served locally, with nothing left on a CDN."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import strawberry
from graphql import parse, validate
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from strawberry.asgi import GraphQL
from strawberry.http.ides import get_graphql_ide_html

from atspro.graphiql import (
    INSTALL_COMMAND,
    STARTER_HEADERS,
    STARTER_QUERY,
    TemplateChanged,
    assets_app,
    assets_installed,
    cdn_asset_paths,
    external_urls,
    graphiql_html,
    missing_assets_html,
)
from atspro.schema import build_schema
from atspro.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parents[1]
INSTALL_SCRIPT = PROJECT_ROOT / "scripts" / "install-assets"
ASSET_ATTR = re.compile(r"<(?:script|link)\b[^>]*?\b(?:src|href)=\"(?P<url>[^\"]+)\"[^>]*>", re.S)
needs_assets = pytest.mark.skipif(
    not assets_installed(), reason=f"GraphiQL assets not installed: run `{INSTALL_COMMAND}`"
)


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "world"


class OfflineGraphQL(GraphQL[None, None]):
    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(graphiql_html(graphql_path="/api/graphql", assets_path="/ide"))


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(
        routes=[
            Route("/api/graphql", OfflineGraphQL(strawberry.Schema(query=Query))),
            Mount("/ide", app=assets_app()),
        ]
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


def sri(data: bytes, algorithm: str) -> str:
    return f"{algorithm}-{base64.b64encode(hashlib.new(algorithm, data).digest()).decode()}"


@needs_assets
async def test_page_and_every_asset_are_served_locally(client: httpx.AsyncClient) -> None:
    page = await client.get("/api/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    body = page.text
    assert "unpkg" not in body and external_urls(body) == []
    # The only absolute URL left is the SVG namespace inside the inline favicon.
    assert set(re.findall(r"https?://[^\s\"'%<>]+", body)) <= {"http://www.w3.org/2000/svg"}
    assert 'new URL("/api/graphql", window.location.href)' in body

    tags = [m.group(0) for m in ASSET_ATTR.finditer(body) if not m.group("url").startswith("data:")]
    assert len(tags) == len(cdn_asset_paths()) == 7
    for tag in tags:
        url = ASSET_ATTR.search(tag).group("url")  # type: ignore[union-attr]
        assert url.startswith("/ide/")
        asset = await client.get(url)
        assert asset.status_code == 200, url
        kind = asset.headers["content-type"]
        if url.endswith(".css"):
            assert kind.startswith("text/css"), (url, kind)
        else:
            assert kind.split(";")[0] in {"text/javascript", "application/javascript"}, (url, kind)
        integrity = re.search(r'integrity="([^"]+)"', tag)
        # Strawberry's own SRI hashes are kept, and the served bytes satisfy them.
        assert integrity is not None and integrity.group(1) == sri(asset.content, "sha384")


@needs_assets
async def test_graphql_still_answers_beside_the_page(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/graphql", json={"query": "{ hello }"})
    assert response.json() == {"data": {"hello": "world"}}


async def test_missing_assets_give_install_instructions(tmp_path: Path) -> None:
    assert not assets_installed(vendor_dir=tmp_path)
    page = graphiql_html(graphql_path="/g<x>", vendor_dir=tmp_path)
    assert page == missing_assets_html(graphql_path="/g<x>")
    assert INSTALL_COMMAND in page and "/g&lt;x&gt;" in page
    assert external_urls(page) == [] and "<script" not in page
    app = Starlette(routes=[Mount("/ide", app=assets_app(vendor_dir=tmp_path / "absent"))])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        assert (
            await client.get("/ide/react@18.2.0/umd/react.production.min.js")
        ).status_code == 404


def copy_assets(source: Path, target: Path) -> None:
    for path in cdn_asset_paths():
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / path, target / path)


@needs_assets
def test_a_file_that_differs_from_the_pinned_hash_loses_its_integrity(tmp_path: Path) -> None:
    from atspro.graphiql import VENDOR_DIR

    copy_assets(VENDOR_DIR, tmp_path)
    changed = tmp_path / "js-cookie@3.0.5" / "dist" / "js.cookie.min.js"
    changed.write_text(changed.read_text() + "\n// patched\n")
    page = graphiql_html(vendor_dir=tmp_path)
    tag = next(t for t in re.findall(r"<script[^>]*>", page, re.S) if "js.cookie" in t)
    assert "integrity" not in tag and "crossorigin" not in tag
    react = next(t for t in re.findall(r"<script[^>]*>", page, re.S) if "react.production" in t)
    assert "integrity=" in react


def js_string_after(marker: str, page: str) -> str:
    """The JSON string literal that follows ``marker`` in ``page``."""
    text, _end = json.JSONDecoder().raw_decode(page, page.index(marker) + len(marker))
    assert isinstance(text, str)
    return text


@needs_assets
async def test_the_page_opens_on_a_starter_query_and_a_token_header(
    client: httpx.AsyncClient,
) -> None:
    body = (await client.get("/api/graphql", headers={"accept": "text/html"})).text
    assert "Welcome to GraphiQL" not in body
    assert js_string_after("const EXAMPLE_QUERY = ", body) == STARTER_QUERY
    props = body[body.index("React.createElement(GraphiQL, {") :]
    assert "defaultQuery: EXAMPLE_QUERY" in props
    headers = json.loads(js_string_after("defaultHeaders: ", props))
    assert headers == {"Authorization": "Bearer <token>"}
    # Escaped for the inline script: no raw "<" from the texts reaches the page.
    assert "Bearer <token>" not in body and "\\u003ctoken>" in body


def test_the_starter_says_how_to_send_the_token_and_is_a_valid_query() -> None:
    assert '{"Authorization": "Bearer <token>"}' in STARTER_QUERY
    assert "atspro token create" in STARTER_QUERY
    assert json.loads(STARTER_HEADERS) == {"Authorization": "Bearer <token>"}
    schema = build_schema(Settings.model_construct())._schema
    assert validate(schema, parse(STARTER_QUERY)) == []


def test_external_urls_finds_every_remote_form() -> None:
    page = (
        '<script src="https://cdn.example/x.js"></script><link href="//cdn.example/y.css">'
        '<script src="/local.js"></script><link href="data:text/css,">'
        '<img src="HTTP://Example.com/z.png">'
    )
    assert external_urls(page) == [
        "https://cdn.example/x.js",
        "//cdn.example/y.css",
        "HTTP://Example.com/z.png",
    ]


def test_a_changed_strawberry_template_fails_loudly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    original = get_graphql_ide_html("graphiql")
    for path in cdn_asset_paths(original):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("x")
    target = "atspro.graphiql.get_graphql_ide_html"

    monkeypatch.setattr(target, lambda _ide: original + '<script src="https://other.cdn/a.js">')
    with pytest.raises(TemplateChanged, match=r"other\.cdn"):
        graphiql_html(vendor_dir=tmp_path)

    monkeypatch.setattr(target, lambda _ide: original.replace("const fetchURL", "let fetchURL"))
    with pytest.raises(TemplateChanged, match="fetchURL"):
        graphiql_html(vendor_dir=tmp_path)

    monkeypatch.setattr(target, lambda _ide: original.replace("const EXAMPLE_QUERY", "var Q"))
    with pytest.raises(TemplateChanged, match="EXAMPLE_QUERY"):
        graphiql_html(vendor_dir=tmp_path)

    monkeypatch.setattr(target, lambda _ide: "<html></html>")
    assert cdn_asset_paths() == [] and assets_installed(vendor_dir=tmp_path)
    with pytest.raises(TemplateChanged, match="no CDN URL"):
        graphiql_html(vendor_dir=tmp_path)


def dashboard_asset_paths() -> list[str]:
    """The vendor files the dashboard's page loads (installed by the same script)."""
    page = (PROJECT_ROOT / "atspro" / "static" / "dashboard" / "index.html").read_text()
    return re.findall(r'src="/graphiql-assets/([^"]+)"', page)


def test_install_script_is_a_no_op_when_assets_are_present(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "dirname").symlink_to(shutil.which("dirname") or "/usr/bin/dirname")
    for path in [*cdn_asset_paths(), *dashboard_asset_paths()]:
        (tmp_path / "vendor" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "vendor" / path).write_text("x")
    env = {"PATH": str(tmp_path / "bin")}  # no npm: the fast path must not need it
    done = subprocess.run(
        ["/bin/bash", str(INSTALL_SCRIPT), str(tmp_path / "vendor")],
        env=env, capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert done.returncode == 0 and "already" in done.stdout


def test_install_script_without_npm_says_so(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "dirname").symlink_to(shutil.which("dirname") or "/usr/bin/dirname")
    env = {"PATH": str(tmp_path / "bin")}
    done = subprocess.run(
        ["/bin/bash", str(INSTALL_SCRIPT), str(tmp_path / "vendor")],
        env=env, capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "npm is not installed" in done.stderr and "scripts/install-assets" in done.stderr
    assert "graphiql@3.8.3/graphiql.min.js" in done.stderr
