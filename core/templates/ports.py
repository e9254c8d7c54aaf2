"""What response templates need from storage."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.templates.model import ResponseTemplate


class Templates(Protocol):
    """The saved answers agents pick from."""

    async def list_templates(self) -> list[ResponseTemplate]:
        """Every response template, by category then id."""
        ...

    async def get_template(self, template_id: str) -> ResponseTemplate | None:
        """A response template by id."""
        ...

    async def save_template(self, template: ResponseTemplate, actor: str, at: datetime, *, new: bool) -> bool:
        """Create (``new``) or overwrite a template; False when a new id is taken or an edited one is gone."""
        ...

    async def delete_template(self, template_id: str) -> bool:
        """Remove a template from the list; False when it was already gone."""
        ...
