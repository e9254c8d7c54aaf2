"""The offline triage says why it decided, and ``atende ai train`` teaches it the desk's own customers."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.cli.command import main
from core.ai.normalize import normalize
from core.ai.offline import classify, hard_reason, triage
from core.ai.triage_model import MODEL_FILE, TriageModel
from tests.ai.conftest import StartAIDesk
from tests.ai.test_answers import write
from tests.test_conversation_loop import agent_says, click

TAUGHT = "o zorbax travou de novo"  # a word no shipped row has: only this desk's tickets can teach it


def triage_lines(texts: list[str]) -> list[str]:
    return [t for t in texts if t.startswith("🤖")]


async def test_the_triage_line_says_which_rule_or_words_decided(start_ai_desk: StartAIDesk) -> None:
    desk = await start_ai_desk(use_gemini=False, use_openai=False)
    await write(desk, "Vocês cobraram duas vezes no meu cartão este mês")
    [line] = triage_lines(desk.texts())
    assert "por quê: regra: contestação de cobrança" in line
    assert (await desk.rows("SELECT why FROM ai_triage")) == [("regra: contestação de cobrança",)]


async def test_a_model_decision_names_the_words_that_weighed_most(start_ai_desk: StartAIDesk) -> None:
    desk = await start_ai_desk(use_gemini=False, use_openai=False)
    await write(desk, "Seria ótimo se vocês tivessem modo escuro no painel")
    [line] = triage_lines(desk.texts())
    assert "por quê: modelo: " in line
    assert "«seria»" in line or "«modo»" in line


async def test_atende_ai_train_learns_from_the_desks_history_and_the_desk_loads_it(
    start_ai_desk: StartAIDesk,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert not classify(TAUGHT).requires_human  # the shipped model cannot know
    desk = await start_ai_desk(use_gemini=False, use_openai=False)
    # three customers write about it; each time an agent had to take over, then resolved the ticket
    for n, verb in enumerate(("travou", "parou", "caiu"), 1):
        await write(desk, f"o zorbax {verb} de novo", who=f"55119990000{n}")
        parent = desk.parents()[n - 1]
        await agent_says(desk, parent["ts"], "UANA", "Vou verificar com a equipe agora mesmo.")
        await desk.settle()
        assert await click(desk, "ticket.resolve", n, "UANA", parent["ts"]) == 200
        await desk.settle()
    assert len(await desk.rows("SELECT id FROM tickets WHERE resolved_at IS NOT NULL")) == 3
    await desk.bot.stop()

    labels = tmp_path / "labels"
    labels.mkdir()
    routine = ["como mudo a foto do perfil?", "qual o horário do suporte?", "obrigada, deu certo!"]
    (labels / "routine.jsonl").write_text(
        "".join(
            json.dumps({"text": t, "category": "general_inquiry", "urgency": "low", "human": False}) + "\n"
            for t in routine
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "atende.db"))
    # the command line, as a supervisor runs it (in a thread: it runs its own event loop)
    assert await asyncio.to_thread(main, ["ai", "train", "--labels", str(labels)]) == 0
    said = capsys.readouterr().out
    assert "3 linhas rotuladas e 3 tickets resolvidos" in said
    assert (tmp_path / MODEL_FILE).exists()

    again = await start_ai_desk(use_gemini=False, use_openai=False)  # same database folder: loads the model
    await write(again, "o zorbax falhou de novo", who="5511999000009")
    [(human, why)] = await again.rows(
        "SELECT requires_human, why FROM ai_triage WHERE message_id = (SELECT MAX(message_id) FROM ai_triage)"
    )
    assert human == 1
    assert "«zorbax»" in why


def test_training_with_nothing_to_learn_from_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "none.db"))
    assert main(["ai", "train"]) == 1
    assert "nothing to learn from" in capsys.readouterr().err
    assert not (tmp_path / MODEL_FILE).exists()


@pytest.mark.parametrize(
    ("story", "decided_by"),
    [
        (
            "Devolvi o produto pelos Correios no dia 2 e o prazo de 7 dias úteis já passou faz tempo. "
            "Abri três chamados e só recebo respostas automáticas. Quero os R$ 249,90 de volta no meu cartão.",
            "valor em dinheiro",  # the model reads the story and names the amount
        ),
        (
            "Mandei a blusa de volta pela agência no começo do mês, como o site pediu. O prazo de 10 dias "
            "para o crédito já venceu e os R$ 89,90 não voltaram pro meu cartão.",
            "regra: contestação de cobrança",  # a refund's term passed: the guide's case B, a rule
        ),
    ],
)
def test_money_owed_told_as_a_story_goes_to_a_person_and_the_line_says_why(
    story: str, decided_by: str
) -> None:
    # no "estorno", no "cobrança indevida": only the story says a refund is overdue
    result = triage(story)
    assert result.classification.escalation_reason == "billing_dispute"
    assert result.classification.category == "billing"
    assert decided_by in result.why


@pytest.mark.parametrize(
    "text",
    [
        "O prazo de entrega passou e o pedido não chegou, vocês podem ver onde está?",
        "O crédito do cupom tinha prazo e venceu ontem, dá pra renovar?",
        "Meu reembolso caiu certinho dentro do prazo, obrigada!",
    ],
)
def test_a_term_that_is_not_a_refund_overdue_is_no_dispute_by_rule(text: str) -> None:
    assert hard_reason(normalize(text)) is None


def test_training_from_scratch_chooses_the_human_threshold_by_cross_validation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    angry = ["vcs são uma piada, {} dias sem resposta", "PÉSSIMO, {} chamados e nada resolvido"]
    calm = ["como troco a foto do perfil? tentei {} vezes", "qual o horário do suporte no dia {}?"]
    rows = [
        {
            "text": text.format(n),
            "category": "general_inquiry",
            "urgency": urgency,
            "human": human,
            "reason": "angry_customer_sentiment" if human else None,
        }
        for n in range(2, 12)
        for texts, urgency, human in ((angry, "high", True), (calm, "low", False))
        for text in texts
    ]
    labels = tmp_path / "labels"
    labels.mkdir()
    (labels / "mine.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "none.db"))
    out = tmp_path / "model.npz"
    assert main(["ai", "train", "--labels", str(labels), "--from-scratch", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "limiar escolhido por validação cruzada" in said
    model = TriageModel.load(out)
    assert model.meta["threshold_from"] == "5-fold cross-validation"
    assert f"a partir de {model.human_threshold:.2f}" in said
    assert triage("vcs são uma piada, 30 dias sem resposta", model).classification.requires_human
    assert not triage("como troco a foto do perfil? tentei 30 vezes", model).classification.requires_human
