"""Knowledge-base articles (:mod:`core.kb.model`): the playbook's category tree, reading one from Markdown.

An article file is Markdown with YAML front matter::

    ---
    slug: conectar-whatsapp-business
    title: Como conectar o WhatsApp Business
    category: getting_started
    subcategory: whatsapp_integration
    tags: [whatsapp, qr code]
    estimated_time: 5 minutos      # technical solutions: how long the steps take
    ---
    Texto do artigo...

A file that breaks a rule is refused with a sentence saying which rule, so an import can
report it and keep every valid file. Article files are hostile input like any other: the
front matter is read by a YAML loader that refuses aliases (``*name``: a few hundred bytes
of nested aliases expand to gigabytes) and deep nesting, and the importer refuses files over
:data:`MAX_ARTICLE_BYTES`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import frontmatter
import yaml

from core.kb.model import Article, CandidateDraft

# The playbook's knowledge_base_structure: category -> its subcategories.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "getting_started": ("account_setup", "first_steps", "whatsapp_integration", "basic_features"),
    "ai_departments": (
        "marketing_department",
        "customer_service_department",
        "design_department",
        "sales_department",
        "finance_department",
        "data_analytics_department",
    ),
    "integrations": (
        "whatsapp_business",
        "facebook_instagram",
        "payment_gateways",
        "email_marketing",
        "e_commerce_platforms",
    ),
    "billing_and_plans": (
        "plan_comparison",
        "upgrade_downgrade",
        "payment_methods",
        "invoicing",
        "cancellation_policy",
    ),
    "troubleshooting": ("common_errors", "performance_issues", "integration_problems", "ai_response_quality"),
}

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_TITLE = 150
MAX_ARTICLE_BYTES = 512 * 1024
"""An article file larger than this is refused (the bundled ones are under 2 KiB)."""


class ArticleError(ValueError):
    """An article that cannot be imported; the message names the broken rule (in English, for operators)."""


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing aliases: without them no front matter expands past its size."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "YAML aliases (*name) are not accepted", mark)
        return super().compose_node(parent, index)  # type: ignore[no-any-return]


class _FrontMatter(frontmatter.YAMLHandler):
    """python-frontmatter's YAML handler with :class:`_NoAliasLoader`."""

    def load(self, fm: str, **kwargs: object) -> Any:
        return yaml.load(fm, Loader=_NoAliasLoader)  # noqa: S506  # a SafeLoader subclass


def parse_article(text: str, source: str) -> Article:
    """Read an article file's text; raise :class:`ArticleError` naming what is wrong."""
    try:
        post = frontmatter.loads(text, handler=_FrontMatter())
    except yaml.YAMLError as error:
        raise ArticleError(f"front matter is not valid YAML: {_first_line(str(error))}") from error
    except RecursionError as error:
        raise ArticleError("front matter is nested too deeply") from error
    meta = post.metadata
    if not meta:
        raise ArticleError("no front matter (a --- block with slug, title, category) at the top")
    missing = [name for name in ("slug", "title", "category") if not meta.get(name)]
    if missing:
        raise ArticleError(f"front matter lacks {', '.join(missing)}")
    slug, title, category = (str(meta[name]).strip() for name in ("slug", "title", "category"))
    if not _SLUG.match(slug):
        raise ArticleError(f"slug {slug!r} must be lower-case letters, digits and single hyphens")
    if len(title) > MAX_TITLE:
        raise ArticleError(f"title is longer than {MAX_TITLE} characters")
    subcategory = str(meta["subcategory"]).strip() if meta.get("subcategory") else None
    check_category(category, subcategory)
    tags = meta.get("tags") or []
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",")]
    if not isinstance(tags, list):
        raise ArticleError("tags must be a list (tags: [pix, boleto]) or a comma-separated string")
    body = post.content.strip()
    if not body:
        raise ArticleError("the article has no text after the front matter")
    estimated = meta.get("estimated_time")
    return Article(
        slug=slug,
        title=title,
        category=category,
        subcategory=subcategory,
        tags=tuple(str(t).strip() for t in tags if str(t).strip()),
        body=body,
        estimated_time=str(estimated).strip() if estimated else None,
        source=source,
    )


def check_category(category: str, subcategory: str | None) -> None:
    """Refuse a category or subcategory outside the playbook's structure."""
    if category not in CATEGORIES:
        raise ArticleError(f"category {category!r} is not one of {', '.join(CATEGORIES)}")
    if subcategory is not None and subcategory not in CATEGORIES[category]:
        raise ArticleError(
            f"subcategory {subcategory!r} is not one of {category}'s: {', '.join(CATEGORIES[category])}"
        )


def slugify(title: str) -> str:
    """A slug from a title: "Emitir nota fiscal?" -> "emitir-nota-fiscal"."""
    folded = unicodedata.normalize("NFKD", title.casefold())
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")[:80].strip("-") or "artigo"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


def check_draft(draft: CandidateDraft) -> None:
    """Refuse a draft a reviewer could not publish; the :class:`ArticleError` is pt-BR (agents read it)."""
    if not draft.title.strip():
        raise ArticleError("o título está vazio")
    if len(draft.title) > MAX_TITLE:
        raise ArticleError(f"o título passa de {MAX_TITLE} caracteres")
    if not draft.body.strip():
        raise ArticleError("o texto do artigo está vazio")
    if draft.category not in CATEGORIES:
        raise ArticleError("escolha uma categoria")
    check_category(draft.category, draft.subcategory)
