"""GraphiQL that works offline: Strawberry's page with its CDN assets served from the package.

Strawberry's GraphiQL page loads React, GraphiQL and its explorer plugin from unpkg and stays
blank without network. ``scripts/install-assets`` puts those exact files (fetched from the npm
registry at install time) in ``atspro/static/vendor/<package>@<version>/<file>``, mirroring the
CDN paths, and this module rewrites every CDN URL to ``<assets_path>/<package>@<version>/<file>``.
Strawberry's own SRI hashes stay on each tag when the local file matches them (so the browser
checks the files); a tag whose file does not match loses ``integrity``/``crossorigin``. The
page opens on ``STARTER_QUERY``, which says how to send the token, and the Headers pane starts
from ``STARTER_HEADERS`` until the browser has headers of its own. Wiring::

    class AppGraphQL(strawberry.asgi.GraphQL):
        async def render_graphql_ide(self, request):
            return HTMLResponse(graphiql_html(graphql_path="/graphql"))

    Mount("/graphiql-assets", app=assets_app())
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import logging
import re
from functools import lru_cache
from pathlib import Path

from starlette.staticfiles import StaticFiles
from strawberry.http.ides import get_graphql_ide_html

logger = logging.getLogger(__name__)

VENDOR_DIR = Path(__file__).parent / "static" / "vendor"
INSTALL_COMMAND = "bash scripts/install-assets"
CDN_URL = re.compile(r"https://unpkg\.com/(?P<path>[^\"'\s]+)")
TAG = re.compile(r"<(?:script|link)\b[^>]*>", re.IGNORECASE)
URL_ATTR = re.compile(r"\b(?:src|href)\s*=\s*\"(?P<url>[^\"]*)\"", re.IGNORECASE)
INTEGRITY_ATTR = re.compile(r"\s+integrity\s*=\s*\"(?P<value>[^\"]*)\"", re.IGNORECASE)
CROSSORIGIN_ATTR = re.compile(r"\s+crossorigin(?:\s*=\s*\"[^\"]*\")?(?=[\s/>])", re.IGNORECASE)
# Strawberry sends queries to the page's own URL; we point them at graphql_path instead.
FETCH_URL_LINE = 'const fetchURL = window.location.href.split("?")[0];'
# Strawberry's welcome text is replaced by STARTER_QUERY; the props gain our defaults.
EXAMPLE_QUERY = re.compile(r"const EXAMPLE_QUERY = `[^`]*`;")
GRAPHIQL_PROPS = "React.createElement(GraphiQL, {"
STARTER_HEADERS = '{\n  "Authorization": "Bearer <token>"\n}'
STARTER_QUERY = """\
# ATSPro GraphQL API
#
# Every operation needs an API token. Create one on the server with
#
#     atspro token create --user <name>
#
# and put it in the Headers pane below (replace <token>):
#
#     {"Authorization": "Bearer <token>"}
#
# GraphiQL keeps those headers in this browser and sends them with every
# request, subscriptions included. The Docs pane (book icon, top left)
# describes every query, mutation, subscription and field.
#
# Run with Ctrl-Enter (or the play button). Your latest tasks:

query RecentTasks {
  tasks(first: 5) {
    nodes {
      id
      type
      status
      progress
      progressMessage
      createdAt
    }
  }
}
"""


class TemplateChanged(RuntimeError):
    """Strawberry's GraphiQL page no longer looks the way this module rewrites it."""


def cdn_asset_paths(template: str | None = None) -> list[str]:
    """The ``<package>@<version>/<file>`` paths the GraphiQL page loads from the CDN."""
    page = get_graphql_ide_html("graphiql") if template is None else template
    return [m.group("path") for m in CDN_URL.finditer(page)]


def assets_installed(*, vendor_dir: Path = VENDOR_DIR) -> bool:
    """Whether every file the GraphiQL page needs is installed locally."""
    return all(_is_nonempty(vendor_dir / path) for path in cdn_asset_paths())


def graphiql_html(
    *,
    graphql_path: str = "/graphql",
    assets_path: str = "/graphiql-assets",
    vendor_dir: Path = VENDOR_DIR,
) -> str:
    """Strawberry's GraphiQL page using local assets, or a page saying how to install them."""
    if not assets_installed(vendor_dir=vendor_dir):
        return missing_assets_html(graphql_path=graphql_path)
    page = TAG.sub(lambda m: _localise_tag(m.group(0), assets_path, vendor_dir), _template())
    if FETCH_URL_LINE not in page:
        raise TemplateChanged(f"GraphiQL template lacks {FETCH_URL_LINE!r}")
    endpoint = json.dumps(graphql_path).replace("<", "\\u003c")
    page = page.replace(
        FETCH_URL_LINE, f"const fetchURL = new URL({endpoint}, window.location.href).toString();"
    )
    page = _with_starter(page)
    external = external_urls(page)
    if external:
        raise TemplateChanged(f"GraphiQL page still loads from the network: {external}")
    return page


def missing_assets_html(*, graphql_path: str = "/graphql") -> str:
    """A small page explaining that the GraphiQL assets are not installed and how to fix it."""
    endpoint = html.escape(graphql_path)
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8"><title>GraphiQL not installed</title>'
        '</head>\n<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">\n'
        "<h1>GraphiQL's files are not installed</h1>\n"
        "<p>The in-browser IDE needs a few JavaScript and CSS files that are fetched from the "
        "npm registry once, at install time. From the project directory run:</p>\n"
        f"<pre>{INSTALL_COMMAND}</pre>\n<p>then reload this page. The GraphQL API itself works "
        f"without them: POST queries to <code>{endpoint}</code>.</p>\n</body></html>\n"
    )


def assets_app(*, vendor_dir: Path = VENDOR_DIR) -> StaticFiles:
    """An ASGI app serving the installed GraphiQL assets (mount it at ``assets_path``)."""
    return _VendorFiles(directory=vendor_dir, check_dir=False)


class _VendorFiles(StaticFiles):
    """StaticFiles that answers 404 (not 500) while the vendor directory does not exist yet."""

    async def check_config(self) -> None:
        """Skip Starlette's directory check: the app must run (with the install hint) first."""


def external_urls(page: str) -> list[str]:
    """Every ``src``/``href`` in ``page`` that would be fetched from another host."""
    urls = [m.group("url") for m in URL_ATTR.finditer(page)]
    return [u for u in urls if re.match(r"(?i)^(?:[a-z][a-z0-9+.-]*:)?//", u)]


def _with_starter(page: str) -> str:
    """The page opening on STARTER_QUERY, with STARTER_HEADERS in a new tab's Headers pane."""
    if not EXAMPLE_QUERY.search(page) or GRAPHIQL_PROPS not in page:
        raise TemplateChanged("GraphiQL template lacks EXAMPLE_QUERY or its GraphiQL props")
    page = EXAMPLE_QUERY.sub(lambda _: f"const EXAMPLE_QUERY = {_js_string(STARTER_QUERY)};", page)
    # defaultHeaders fills the Headers pane only while the browser has none stored, so a
    # token the user entered (persisted by shouldPersistHeaders) is never overwritten.
    props = f"defaultQuery: EXAMPLE_QUERY, defaultHeaders: {_js_string(STARTER_HEADERS)},"
    return page.replace(GRAPHIQL_PROPS, f"{GRAPHIQL_PROPS}\n          {props}", 1)


def _js_string(text: str) -> str:
    # JSON is a JavaScript string literal; escaping "<" keeps "</script>" out of the page.
    return json.dumps(text).replace("<", "\\u003c")


def _template() -> str:
    page = get_graphql_ide_html("graphiql")
    if not CDN_URL.search(page):
        raise TemplateChanged("GraphiQL template has no CDN URL to rewrite")
    return page


def _localise_tag(tag: str, assets_path: str, vendor_dir: Path) -> str:
    match = CDN_URL.search(tag)
    if match is None:
        return tag
    path = match.group("path")
    tag = tag.replace(match.group(0), f"{assets_path.rstrip('/')}/{path}")
    integrity = INTEGRITY_ATTR.search(tag)
    if integrity and not _matches_integrity(vendor_dir / path, integrity.group("value")):
        logger.warning(
            "local %s does not match Strawberry's integrity hash; serving it unchecked", path
        )
        tag = CROSSORIGIN_ATTR.sub("", INTEGRITY_ATTR.sub("", tag))
    return tag


def _matches_integrity(path: Path, integrity: str) -> bool:
    stat = path.stat()
    return integrity in _sri_digests(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _sri_digests(path: str, mtime_ns: int, size: int) -> frozenset[str]:
    # Keyed on mtime and size so a reinstalled file is hashed again.
    del mtime_ns, size
    data = Path(path).read_bytes()
    return frozenset(
        f"{name}-{base64.b64encode(hashlib.new(name, data).digest()).decode()}"
        for name in ("sha256", "sha384", "sha512")
    )


def _is_nonempty(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size > 0
    except OSError:
        return False
