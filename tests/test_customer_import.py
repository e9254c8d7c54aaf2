"""Customer records from the platform: ``atende customers import`` and ``POST /customers``.

Records are stored by phone (either form of a Brazilian mobile, linked Telegram chats kept);
refused lines are reported by number and every valid record is kept.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.command import main
from testing.clock import FixedClock
from testing.telegram_bot_api import FakeTelegramAPI
from testing.telegram_updates import tg_contact, tg_text
from testing.whatsapp_webhooks import wa_text_message
from tests.conftest import Desk, StartDesk, post_telegram, telegram_settings

TOKEN = "platform-push-token-123"
GOOD_CSV = """name;phone;plan;signup_date;setup_done;usage_count;renewal_date;last_active
Maria Silva;+55 (11) 98765-1234;Pro;2026-11-20;não;3;2027-11-20;2026-12-01 14:30
João Souza;(21) 99876-5432;Básico;03/12/2026;sim;25;05/01/2027;2026-12-05T09:00:00-03:00
"""

MARIA = (
    "whatsapp",
    "5511987651234",
    "Maria Silva",
    "Pro",
    "2026-11-20",
    0,
    3,
    "2027-11-20",
    "2026-12-01T17:30:00+00:00",
)
"""GOOD_CSV's first record as stored."""


def customers(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT channel, address, name, plan, signup_date, setup_done, usage_count, renewal_date, active_at"
            " FROM customers ORDER BY id"
        ).fetchall()


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "atende.db"
    monkeypatch.setenv("DATABASE_PATH", str(path))
    monkeypatch.chdir(tmp_path)  # no .env of the machine
    return path


def run_import(tmp_path: Path, name: str, content: str | bytes) -> int:
    file = tmp_path / name
    file.write_bytes(content if isinstance(content, bytes) else content.encode())
    return main(["customers", "import", str(file)])


def test_a_good_csv_stores_every_field(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_import(tmp_path, "clientes.csv", GOOD_CSV) == 0
    assert capsys.readouterr().out.strip() == "2 clientes novos, 0 atualizados, 0 linhas com erro"
    assert customers(db) == [
        MARIA,
        (
            "whatsapp",
            "5521998765432",  # a national number gets Brazil's country code
            "João Souza",
            "Básico",
            "2026-12-03",
            1,
            25,
            "2027-01-05",
            "2026-12-05T12:00:00+00:00",
        ),
    ]


def test_bad_rows_are_reported_by_line_and_the_good_ones_kept(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = (
        "name,phone,usage_count,setup_done,signup_date,shoe_size\n"
        "Ana,5511911112222,4,sim,2026-12-01,38\n"
        "Sem telefone,,4,sim,2026-12-01,\n"
        "Bia,123,1,sim,,\n"
        "\n"
        "Caio,5511933334444,muitos,,,\n"
        "Davi,5511944445555,2,talvez,,\n"
        "Eva,5511955556666,1,sim,31/02/2026,\n"
        "Fábio,5511966667777,1,sim,2026-12-01,40,extra\n"
        "Gil,5511977778888,-1,,,\n"
        "Hugo,5511988889999,7,false,2026-12-02,\n"
        "Ivo,(10) 98765-4321,1,,,\n"
    )
    assert run_import(tmp_path, "clientes.csv", content) == 1
    assert capsys.readouterr().out.splitlines() == [
        "linha 3: falta o telefone (phone)",
        "linha 4: telefone inválido: '123' (use DDD + número, ex.: +55 11 98765-4321)",
        "linha 6: usage_count deve ser um número inteiro, não 'muitos'",
        "linha 7: setup_done deve ser sim ou não (true/false, 1/0), não 'talvez'",
        "linha 8: signup_date não é uma data válida: '31/02/2026' (use AAAA-MM-DD ou DD/MM/AAAA)",
        "linha 9: 7 colunas, mas o cabeçalho tem 6",
        "linha 10: usage_count deve ser um número inteiro de 0 para cima, não '-1'",
        "linha 12: telefone inválido: '(10) 98765-4321' (o DDD 10 não existe)",
        "colunas ignoradas (desconhecidas): shoe_size",
        "2 clientes novos, 0 atualizados, 8 linhas com erro",
    ]
    assert [row[2] for row in customers(db)] == ["Ana", "Hugo"]


def test_json_lists_and_json_lines_report_the_line_a_record_starts_on(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = [
        {"name": "Ana", "phone": "5511911112222", "setup_done": False, "usage_count": 12},
        {"name": "Bia", "phone": "5511922223333", "renewal_date": "amanhã"},
        {"name": "Caio", "phone": 5511933334444, "last_active": "2026-12-04T10:00:00Z"},
    ]
    assert run_import(tmp_path, "clientes.json", json.dumps(records, indent=2)) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "linha 8: renewal_date não é uma data válida: 'amanhã' (use AAAA-MM-DD ou DD/MM/AAAA)"
    assert out[-1] == "2 clientes novos, 0 atualizados, 1 linha com erro"
    rows = customers(db)
    assert [(r[2], r[5], r[6], r[8]) for r in rows] == [
        ("Ana", 0, 12, None),
        ("Caio", None, None, "2026-12-04T10:00:00+00:00"),
    ]

    lines = '{"phone": "5511911112222", "plan": "Pro"}\n{"phone": \n["not", "a record"]\n'
    assert run_import(tmp_path, "mais.jsonl", lines) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("linha 2: JSON inválido")
    assert out[1].startswith("linha 3: cada cliente deve ser um objeto")
    assert out[-1] == "0 clientes novos, 1 atualizado, 2 linhas com erro"
    assert customers(db)[0][3] == "Pro" and customers(db)[0][6] == 12  # updated, nothing else lost


def test_a_broken_json_list_keeps_the_records_before_the_break(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = (
        '[\n  {"phone": "5511911112222"},\n  {"phone": "5511922223333"}\n  {"phone": "5511933334444"}\n]'
    )
    assert run_import(tmp_path, "clientes.json", content) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "linha 4: JSON inválido (esperava ',' ou ']'); o resto do arquivo foi ignorado"
    assert len(customers(db)) == 2


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("clientes.xlsx", "x", "extensão desconhecida"),
        ("clientes.csv", "name;plan\nAna;Pro\n", "falta a coluna phone (ou telefone)"),
        ("clientes.csv", "", "o arquivo está vazio"),
        ("clientes.csv", "phone;name\n5511911112222;Jos\xe9\n".encode("latin-1"), "não está em UTF-8"),
        ("clientes.json", "\n\n", "o arquivo está vazio"),
        ("ausente.csv", None, "ausente.csv: arquivo não encontrado (confira o nome e a pasta)"),
    ],
)
def test_a_file_that_cannot_be_read_says_why_and_stores_nothing(
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: str | bytes | None,
    why: str,
) -> None:
    status = (
        main(["customers", "import", str(tmp_path / name)])
        if content is None
        else run_import(tmp_path, name, content)
    )
    assert status == 2
    assert why in capsys.readouterr().err
    assert not db.exists() or customers(db) == []


def test_a_missing_file_is_said_in_portuguese(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["customers", "import", str(tmp_path / "ausente.csv")]) == 2
    err = capsys.readouterr().err
    assert err == f"atende: {tmp_path / 'ausente.csv'}: arquivo não encontrado (confira o nome e a pasta)\n"
    assert "No such file" not in err


def test_an_unclosed_quote_is_reported_and_does_not_swallow_the_next_line(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = (
        "name,phone,plan\n"
        "Ana,5511911112222,Pro\n"
        'Bia "a Rápida,5511922223333,"Pro\n'
        "Caio,5511933334444,Básico\n"
        "Davi,5511944445555,Pro\n"
    )
    assert run_import(tmp_path, "clientes.csv", content) == 1
    assert capsys.readouterr().out.splitlines() == [
        'linha 3: aspas abertas sem fechar; feche as aspas (") ou tire-as',
        "3 clientes novos, 0 atualizados, 1 linha com erro",
    ]
    assert [(row[2], row[3]) for row in customers(db)] == [
        ("Ana", "Pro"),
        ("Caio", "Básico"),
        ("Davi", "Pro"),
    ]


def test_portuguese_column_names_are_accepted(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = (
        "Nome;Telefone;Plano;Data de cadastro;Configuração feita;Uso;Data de renovação;Último acesso\n"
        "Maria Silva;+55 (11) 98765-1234;Pro;2026-11-20;não;3;2027-11-20;2026-12-01 14:30\n"
    )
    assert run_import(tmp_path, "clientes.csv", content) == 0
    assert capsys.readouterr().out.strip() == "1 cliente novo, 0 atualizados, 0 linhas com erro"
    assert customers(db) == [MARIA]
    records = [
        {"nome": "João", "telefone": "(21) 99876-5432", "plano": "Básico", "ultimo_acesso": "2026-12-05"}
    ]
    assert run_import(tmp_path, "clientes.json", json.dumps(records)) == 0
    assert [(row[2], row[3]) for row in customers(db)][-1] == ("João", "Básico")


def test_a_huge_file_shows_progress_and_stores_everything(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ["phone,name,usage_count"] + [f"55119{n:08d},Cliente {n},{n % 50}" for n in range(20_000)]
    assert run_import(tmp_path, "grande.csv", "\n".join(lines)) == 0
    captured = capsys.readouterr()
    assert "20000/20000" in captured.err and "clientes" in captured.err
    assert captured.out.strip() == "20000 clientes novos, 0 atualizados, 0 linhas com erro"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*), sum(usage_count) FROM customers").fetchone() == (
            20_000,
            490_000,
        )


async def post_customers(desk: Desk, body: bytes | str, token: str | None = TOKEN, **headers: str) -> tuple:
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    data = body.encode() if isinstance(body, str) else body
    async with desk.http.post(f"{desk.url}/customers", data=data, headers=headers) as response:
        return response.status, await response.json()


async def test_the_platform_pushes_records_with_its_token(start_desk: StartDesk) -> None:
    desk = await start_desk(customers_api_token=TOKEN)
    await desk.whatsapp(wa_text_message("551187651234", "Maria", "Oi"))  # her old number form
    await desk.settle()
    records = [
        {"name": "Maria Silva", "phone": "+55 11 98765-1234", "plan": "Pro", "usage_count": 40},
        {"name": "Sem número"},
        {"name": "João", "phone": "5521998765432", "signup_date": "2026-12-03"},
    ]
    status, body = await post_customers(desk, json.dumps(records, indent=2))
    assert status == 200
    assert body == {
        "created": 1,
        "updated": 1,
        "errors": [{"line": 8, "message": "falta o telefone (phone)"}],
        "ignored_fields": [],
    }
    rows = await desk.rows("SELECT address, name, plan, usage_count FROM customers ORDER BY id")
    assert rows == [("5511987651234", "Maria Silva", "Pro", 40), ("5521998765432", "João", None, None)]

    status, body = await post_customers(
        desk, "phone,plan\n5521998765432,Pro\n", **{"Content-Type": "text/csv"}
    )
    assert (status, body["updated"]) == (200, 1)
    status, body = await post_customers(desk, '[{"phone": "1"}]')
    assert status == 422 and body["errors"][0]["line"] == 1
    status, body = await post_customers(desk, "{not json")
    assert status == 422 and "JSON inválido" in body["errors"][0]["message"]
    status, body = await post_customers(desk, "")
    assert status == 400 and "vazio" in body["error"]


@pytest.mark.parametrize("token", [None, "", "wrong", TOKEN + "x", "çã"])
async def test_a_push_without_the_right_token_gets_401_and_stores_nothing(
    start_desk: StartDesk, token: str | None
) -> None:
    desk = await start_desk(customers_api_token=TOKEN)
    status, body = await post_customers(desk, '[{"phone": "5511911112222"}]', token=token)
    assert status == 401 and "Bearer" in body["error"]
    assert await desk.rows("SELECT * FROM customers") == []


async def test_without_a_token_configured_the_endpoint_does_not_exist(desk: Desk) -> None:
    async with desk.http.post(
        f"{desk.url}/customers", data=b'[{"phone": "5511911112222"}]', headers={"Authorization": "Bearer "}
    ) as response:
        assert response.status == 404
    assert await desk.rows("SELECT * FROM customers") == []


async def test_a_customer_linked_on_telegram_keeps_one_record_with_the_pushed_plan(
    start_desk: StartDesk, telegram: FakeTelegramAPI
) -> None:
    desk = await start_desk(customers_api_token=TOKEN, **telegram_settings(telegram))
    await telegram.wait_for(lambda fake: fake.webhook)
    await post_telegram(desk, tg_text(311122233, "Maria", "Oi pelo Telegram"))
    await post_telegram(desk, tg_contact(311122233, "Maria", "+55 11 98765-1234", user_id=311122233))
    await desk.settle()

    status, body = await post_customers(desk, '[{"phone": "5511987651234", "plan": "Pro"}]')
    assert (status, body["created"], body["updated"]) == (200, 0, 1)
    [(channel, plan)] = await desk.rows("SELECT channel, plan FROM customers")
    assert (channel, plan) == ("telegram", "Pro")
    await desk.settle()
    assert "Plano Pro" in str(desk.parents()[-1]["blocks"])  # the open ticket shows the new plan


async def test_days_as_customer_count_from_the_pushed_signup_date(start_desk: StartDesk) -> None:
    clock = FixedClock(datetime(2026, 12, 2, 15, 0, tzinfo=UTC))
    desk = await start_desk(clock, customers_api_token=TOKEN)
    await desk.whatsapp(wa_text_message("5511987651234", "Maria", "Oi"))
    await desk.settle()
    assert "cliente desde hoje" in (await desk.command("cliente +55 11 98765-1234"))["text"]

    record = {"phone": "+55 11 98765-1234", "plan": "Pro", "signup_date": "2025-12-02"}
    assert (await post_customers(desk, json.dumps([record])))[0] == 200
    card = (await desk.command("cliente +55 11 98765-1234"))["text"]
    assert "cliente há 365 dias" in card and "Pro" in card


async def test_a_push_larger_than_the_body_limit_gets_413_and_stores_nothing(start_desk: StartDesk) -> None:
    desk = await start_desk(customers_api_token=TOKEN, max_body_bytes=4096)
    records = [{"name": f"Cliente {n}", "phone": f"55119{n:08d}"} for n in range(200)]
    status = await post_raw(desk, json.dumps(records))
    assert status == 413
    assert await desk.rows("SELECT * FROM customers") == []


async def post_raw(desk: Desk, body: str) -> int:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with desk.http.post(f"{desk.url}/customers", data=body.encode(), headers=headers) as response:
        await response.read()
        return response.status


# Hostile files: a JSON list nested 200,000 deep, a CSV field past the csv module's 128 KiB.
DEEP_JSON = '[{"phone": "5511911112222", "name": "Ana"}, ' + "[" * 200_000 + "]" * 200_000 + "]"
HUGE_FIELD_CSV = 'phone,name\n5511911112222,Ana\n5511933334444,"' + "x" * 140_000 + '"\n'
DEEP_LINE_JSONL = '{"phone": "5511911112222", "name": "Ana"}\n' + '{"a": ' * 100_000 + "1" + "}" * 100_000


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("fundo.json", DEEP_JSON, "linha 1: JSON aninhado demais"),
        ("campo.csv", HUGE_FIELD_CSV, "linha 3: um campo passa de 128 KiB"),
    ],
)
def test_a_hostile_file_is_refused_in_one_line_and_nothing_is_stored(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str, why: str
) -> None:
    previous = csv.field_size_limit(sys.maxsize)  # as other code in the process may leave it
    try:
        assert run_import(tmp_path, name, content) == 2
    finally:
        csv.field_size_limit(previous)
    captured = capsys.readouterr()
    [line] = captured.err.splitlines()
    assert line.startswith(f"atende: {tmp_path / name}: {why}") and "nada foi importado" in line
    assert "Traceback" not in captured.out + captured.err
    assert not db.exists() or customers(db) == []


def test_a_json_line_nested_too_deep_is_refused_alone(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_import(tmp_path, "linhas.jsonl", DEEP_LINE_JSONL) == 1
    out = capsys.readouterr().out
    assert "linha 2" in out and "aninhado demais" in out
    assert [row[2] for row in customers(db)] == ["Ana"]


@pytest.mark.parametrize(
    ("body", "content_type", "why"),
    [
        (DEEP_JSON, "application/json", "JSON aninhado demais"),
        (HUGE_FIELD_CSV, "text/csv", "um campo passa de 128 KiB"),
    ],
)
async def test_a_hostile_push_gets_400_and_stores_nothing(
    start_desk: StartDesk, body: str, content_type: str, why: str
) -> None:
    desk = await start_desk(customers_api_token=TOKEN)
    status, answer = await post_customers(desk, body, **{"Content-Type": content_type})
    assert status == 400 and why in answer["error"]
    assert await desk.rows("SELECT * FROM customers") == []
    status, answer = await post_customers(desk, DEEP_LINE_JSONL)  # JSON Lines: each line alone
    assert status == 200 and answer["created"] == 1
    assert answer["errors"] == [
        {"line": 2, "message": "JSON aninhado demais (listas ou objetos uns dentro dos outros)"}
    ]
