"""Phone numbers as agents see them and as customers are matched."""

from core import phone


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
