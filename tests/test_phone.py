"""Phone numbers as agents see them, as customers are matched, and which numbers exist."""

import pytest

from core.common import phone
from core.crisis import audience
from core.crisis.audience import AudienceError
from core.privacy import texts as privacy_texts
from tests.conftest import StartDesk


def test_mask_hides_the_middle_of_a_brazilian_mobile() -> None:
    assert phone.mask("5511987651234") == "+55 11 9****-1234"


def test_mask_keeps_an_eight_digit_landline_recognisable() -> None:
    assert phone.mask("551133334444") == "+55 11 3***-4444"


def test_mask_of_a_foreign_number_shows_only_country_and_last_digits() -> None:
    assert phone.mask("972987654321") == "+97 ******4321"


def test_both_forms_of_a_number_missing_the_ninth_digit_are_tried() -> None:
    assert phone.variants("551187651234") == ["5511987651234", "551187651234"]
    assert phone.variants("+55 (11) 98765-1234") == ["5511987651234", "551187651234"]


def test_landlines_and_foreign_numbers_have_one_form() -> None:
    assert phone.variants("551133334444") == ["551133334444"]
    assert phone.variants("972987654321") == ["972987654321"]


def test_display_formats_the_full_number_when_masking_is_off() -> None:
    assert phone.display("5511987651234") == "+55 11 98765-1234"


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("+55 (10) 98765-4321", "o DDD 10 não existe"),
        ("(20) 3333-4444", "o DDD 20 não existe"),
        ("+55 11 12345-6789", "esse número não existe; confira o DDD e os dígitos (ex.: +55 11 98765-4321)"),
        ("+1 999 555 0123", "esse número não existe; confira o código do país e os dígitos"),
        ("123", "use DDD + número, ex.: +55 11 98765-4321"),
    ],
)
def test_a_number_that_does_not_exist_is_refused_with_the_reason(typed: str, why: str) -> None:
    """Eight to fifteen digits were enough before: an area code that does not exist got in."""
    assert phone.canonical(typed) is None
    assert phone.problem(typed) == why


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("+55 (11) 98765-1234", "5511987651234"),
        ("(21) 99876-5432", "5521998765432"),
        ("11 8765-1234", "5511987651234"),  # a mobile missing the ninth digit gets it
        ("+55 21 3333-4444", "552133334444"),  # a landline
        ("+1 202 555 0123", "12025550123"),
    ],
)
def test_real_numbers_are_accepted_in_canonical_form(typed: str, number: str) -> None:
    assert phone.problem(typed) is None
    assert phone.canonical(typed) == number


def test_a_pasted_list_names_the_number_that_does_not_exist() -> None:
    with pytest.raises(AudienceError) as refused:
        audience.parse("list", phones="+55 11 98765-1234\n+55 (10) 98765-4321")
    assert refused.value.field == "phones"
    assert str(refused.value) == (
        "Não parecem telefones: +55 (10) 98765-4321 (+55 (10) 98765-4321: o DDD 10 não existe)."
        " Corrija ou apague essas linhas."
    )


async def test_slack_commands_say_why_a_typed_number_is_not_a_phone(start_desk: StartDesk) -> None:
    desk = await start_desk(slack_supervisors="UBOSS")
    refused = privacy_texts.invalid_phone("o DDD 10 não existe")
    assert (await desk.command("cliente +55 (10) 98765-4321"))["text"] == refused
    assert (await desk.command("lgpd exportar (10) 98765-4321", user="UBOSS"))["text"] == refused
