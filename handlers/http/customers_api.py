"""``POST /customers``: the platform pushes customer records, authenticated with a bearer token.

The body is a JSON list of records (or JSON Lines, or CSV with ``Content-Type: text/csv``),
with the fields of ``atende customers import``. The answer counts what was stored and lists
each refused record by line with the reason; a wrong or missing token gets 401 before the
body is read, so nothing is stored. Without a configured token the route does not exist.
"""

from __future__ import annotations

import functools
import hmac
import io
import json

from aiohttp import web

from core.customers.files import FormatError, Rows, read_csv, read_json
from core.customers.importer import CustomerImport

_dumps = functools.partial(json.dumps, ensure_ascii=False)
UNAUTHORIZED = "token ausente ou inválido: envie Authorization: Bearer <CUSTOMERS_API_TOKEN>"


class CustomersEndpoint:
    """The route's handler; ``token`` is CUSTOMERS_API_TOKEN (never empty here)."""

    def __init__(self, token: str, importer: CustomerImport) -> None:
        self._expected = f"Bearer {token}".encode()
        self._importer = importer

    async def handle(self, request: web.Request) -> web.Response:
        """Check the token, read the records, store the valid ones, report the rest."""
        given = request.headers.get("Authorization", "").encode("utf-8", "replace")
        if not hmac.compare_digest(given, self._expected):
            return web.json_response(
                {"error": UNAUTHORIZED}, status=401, headers={"WWW-Authenticate": 'Bearer realm="customers"'}
            )
        try:
            text = (await request.read()).decode("utf-8-sig")
            rows = _rows(text, request.content_type)
        except UnicodeDecodeError:
            return web.json_response({"error": "o corpo deve estar em UTF-8"}, status=400)
        except FormatError as error:
            return web.json_response({"error": str(error)}, status=400)
        report = await self._importer.run(rows)
        body = {
            "created": report.created,
            "updated": report.updated,
            "errors": [{"line": line, "message": message} for line, message in report.errors],
            "ignored_fields": report.ignored_columns,
        }
        status = 422 if report.errors and not report.stored else 200
        return web.json_response(body, status=status, dumps=_dumps)


def _rows(text: str, content_type: str) -> Rows:
    if content_type == "text/csv":
        return read_csv(io.StringIO(text, newline=""))
    if not text.strip():
        raise FormatError("o corpo está vazio: envie uma lista de clientes em JSON")
    return read_json(text)
