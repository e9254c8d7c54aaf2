"""The Templates port on SQLite: the desk's canned answers."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from core.templates.model import ResponseTemplate
from storage.sqlite.rows import Statements, to_iso


class SqliteTemplates:
    """Implements :class:`core.templates.ports.Templates`."""

    async def list_templates(self: Statements) -> list[ResponseTemplate]:
        rows = await self._all("SELECT * FROM response_templates ORDER BY category, id", ())
        return [_template(row) for row in rows]

    async def get_template(self: Statements, template_id: str) -> ResponseTemplate | None:
        row = await self._one("SELECT * FROM response_templates WHERE id = ?", (template_id,))
        return _template(row) if row else None

    async def save_template(
        self: Statements, template: ResponseTemplate, actor: str, at: datetime, *, new: bool
    ) -> bool:
        fields = (template.title, template.category, template.tone, template.body, actor, to_iso(at))
        if new:
            cursor = await self._write(
                "INSERT INTO response_templates (title, category, tone, body, updated_by, updated_at, id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                (*fields, template.id),
            )
        else:
            cursor = await self._write(
                "UPDATE response_templates SET title = ?, category = ?, tone = ?, body = ?,"
                " updated_by = ?, updated_at = ? WHERE id = ?",
                (*fields, template.id),
            )
        return cursor.rowcount == 1

    async def delete_template(self: Statements, template_id: str) -> bool:
        cursor = await self._write("DELETE FROM response_templates WHERE id = ?", (template_id,))
        return cursor.rowcount == 1


def _template(row: aiosqlite.Row) -> ResponseTemplate:
    return ResponseTemplate(
        id=row["id"], title=row["title"], category=row["category"], tone=row["tone"], body=row["body"]
    )
