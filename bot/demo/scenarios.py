"""Scripted conversations from the playbook, played on the demo so people can watch the desk work.

Each scenario is a list of steps run through the same API the page uses: a customer writes,
an agent presses a ticket button, answers in the thread, or types a slash command. Pauses
leave time to read; the bot's own answers (AI drafts, escalations, messages) happen by
themselves in between, exactly as they would with real traffic.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.demo.api import DemoAPI
from bot.demo.customers import DEFAULT_CUSTOMERS
from handlers.slack.ticket_blocks import CLAIM, RESOLVE

log = logging.getLogger(__name__)

MARIA, JOAO, LUCIA = (c.phone for c in DEFAULT_CUSTOMERS)
ANA, CARLA = "U0ANA", "U0CARLA"
STEP_PATIENCE_SECONDS = 15.0


@dataclass(frozen=True, slots=True)
class Step:
    """One thing someone does, then a pause so a watcher can follow."""

    run: Callable[[DemoAPI], Awaitable[object]]
    pause: float = 3.0
    phone: str | None = None
    """The customer the step is about: the page shows their phone while it plays."""


def customer(phone: str, text: str, pause: float = 4.0) -> Step:
    return Step(lambda api: api.customer_says(phone, text), pause, phone)


def press(agent: str, phone: str, action_id: str, pause: float = 2.0) -> Step:
    return Step(lambda api: api.press_ticket_button(agent, phone, action_id), pause, phone)


def answer(agent: str, phone: str, text: str, pause: float = 4.0) -> Step:
    return Step(lambda api: api.answer_ticket(agent, phone, text), pause, phone)


def command(agent: str, text: str, pause: float = 3.0) -> Step:
    return Step(lambda api: api.agent_command(agent, api.demo.support_channel, text), pause)


def fill_in(agent: str, callback_id: str, fields: dict[str, str], pause: float = 5.0) -> Step:
    """Submit the open modal ``callback_id`` with ``fields``; the rest keep what the modal proposes."""

    async def run(api: DemoAPI) -> object:
        open_views = [
            view_id
            for view_id, held in api.demo.slack.views.items()
            if held["view"].get("callback_id") == callback_id and view_id not in api.closed_views
        ]
        if not open_views:
            raise LookupError(f"no {callback_id} modal open yet")
        view_id = open_views[-1]
        return await api.agent_submits(
            agent, view_id, form_values(api.demo.slack.views[view_id]["view"], fields)
        )

    return Step(run, pause)


def form_values(view: dict[str, Any], fields: dict[str, str]) -> dict[str, Any]:
    """A modal's state as Slack submits it: ``fields`` typed or picked, other inputs as proposed."""
    values: dict[str, Any] = {}
    for block in view.get("blocks", []):
        element = block.get("element") or {}
        block_id, kind = block.get("block_id"), element.get("type")
        if block.get("type") != "input" or not block_id:
            continue
        if kind == "static_select":
            chosen = fields.get(block_id) or (element.get("initial_option") or {}).get("value")
            values[block_id] = {
                block_id: {"type": kind, "selected_option": {"value": chosen} if chosen else None}
            }
        elif kind == "plain_text_input":
            values[block_id] = {
                block_id: {"type": kind, "value": fields.get(block_id, element.get("initial_value"))}
            }
    return values


SCENARIOS: dict[str, list[Step]] = {
    "first_login": [
        customer(MARIA, "Oi, me cadastrei ontem mas não consigo entrar, diz que a senha está errada"),
        press(ANA, MARIA, CLAIM),
        answer(
            ANA,
            MARIA,
            "Oi, Maria! Vamos resolver agora. Na tela de login, toque em *Esqueci minha senha* e use o "
            "e-mail do cadastro; o link chega em até 5 minutos (confira o spam também).",
        ),
        customer(MARIA, "Consegui entrar! Obrigada 😊"),
        press(ANA, MARIA, RESOLVE),
    ],
    "whatsapp_connection": [
        customer(JOAO, "Como faço pra conectar meu WhatsApp Business? Não aparece o QR code"),
        press(ANA, JOAO, CLAIM),
        answer(
            ANA,
            JOAO,
            "Oi, João! Em Configurações > Integrações > WhatsApp, clique em *Conectar*. Se o QR code não "
            "aparecer, desative o bloqueador de pop-ups e recarregue a página. Me avise se funcionou!",
        ),
        customer(JOAO, "Apareceu e conectou, valeu!"),
        press(ANA, JOAO, RESOLVE),
    ],
    "billing_dispute": [
        customer(
            LUCIA, "Vocês cobraram DUAS vezes no meu cartão esse mês!!! Quero meu dinheiro de volta agora"
        ),
        press(CARLA, LUCIA, CLAIM),
        answer(
            CARLA,
            LUCIA,
            "Dona Lúcia, peço desculpas pelo transtorno. Já localizei as duas cobranças e abri o estorno da "
            "duplicada; ele aparece na fatura em até 2 ciclos. Te mando o comprovante ainda hoje.",
        ),
    ],
    "crisis": [
        customer(MARIA, "A plataforma está fora do ar? Não consigo acessar nada"),
        customer(JOAO, "Aqui também não carrega, o que houve?"),
        command(CARLA, "crise"),
        fill_in(
            CARLA,
            "crisis.draft",
            {
                "scenario": "platform_outage",
                "severity": "alta",
                "description": "o painel e o app não carregam",
                "audience": "all",
                "template": "aviso_importante",
            },
        ),
        # the preview: how many get the message now, and the text; nothing is sent before this
        fill_in(CARLA, "crisis.confirm", {}, pause=8.0),
    ],
}


async def play(api: DemoAPI, name: str, pace: float = 1.0) -> None:
    """Play a scenario step by step; an unknown name lists the ones there are.

    ``pace`` scales the pauses (0 in tests). A step about something not on the desk yet (a
    ticket, a modal) is tried again for a while, since the bot works in between.
    """
    if name not in SCENARIOS:
        raise SystemExit(f"cenário desconhecido: {name}. Há: {', '.join(SCENARIOS)}")
    steps = SCENARIOS[name]
    if first := next((step.phone for step in steps if step.phone), None):
        api.follow(first)  # the page opens on the scenario's customer, not on the first one listed
    await asyncio.sleep(2.0 * pace)  # let the page connect first
    for step in steps:
        if step.phone:
            api.follow(step.phone)
        deadline = time.monotonic() + STEP_PATIENCE_SECONDS
        while True:
            try:
                await step.run(api)
                break
            except LookupError as error:
                if time.monotonic() > deadline:
                    raise
                log.info("scenario step waits: %s", error)
                await asyncio.sleep(0.2)
        await asyncio.sleep(step.pause * pace)
