"""A lexicon family answers every text on its own, even though it keeps the last answer."""

from __future__ import annotations

from core.ai import lexicon as lx
from core.ai.normalize import normalize


def test_a_family_kept_answer_is_only_for_the_very_same_text() -> None:
    legal = lx.Family(r"\bprocon\b|\badvogad")
    threat = normalize("se não resolverem vou ao Procon")
    calm = normalize("como troco a foto do perfil?")
    assert legal.search(threat) is not None
    assert legal.search(calm) is None  # another text: searched, not the kept match
    assert legal.search(threat) is not None
    # an equal text in another string object is searched too, and agrees
    copy = "".join(list(threat))
    assert copy is not threat
    found = legal.search(copy)
    assert found is not None and found.group(0) == "procon"
