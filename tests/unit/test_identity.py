import secrets

import pytest

from complaints.core.identity import (
    IdentityVault,
    InvalidPhoneError,
    WrongKeyError,
    is_mobile,
    mask_long_numbers,
    mask_phone,
    normalise_phone,
)


@pytest.fixture
def vault():
    return IdentityVault(secrets.token_bytes(32))


def test_sealed_name_opens_with_the_same_key_and_purpose(vault):
    sealed = vault.seal("林秀英", "reporter-name")
    assert "林秀英".encode() not in sealed
    assert vault.open(sealed, "reporter-name") == "林秀英"


def test_same_text_seals_differently_each_time(vault):
    assert vault.seal("林秀英", "reporter-name") != vault.seal("林秀英", "reporter-name")


def test_sealed_value_does_not_open_for_another_purpose(vault):
    sealed = vault.seal("+8613055441314", "reporter-phone")
    with pytest.raises(WrongKeyError):
        vault.open(sealed, "reporter-name")


def test_another_key_cannot_open(vault):
    sealed = vault.seal("林秀英", "reporter-name")
    with pytest.raises(WrongKeyError):
        IdentityVault(secrets.token_bytes(32)).open(sealed, "reporter-name")


@pytest.mark.parametrize(
    "written", ["13055441314", "130 5544 1314", "+86 130-5544-1314", "0086 13055441314"]
)
def test_phone_written_any_way_normalises_to_one_number(written):
    assert normalise_phone(written) == "+8613055441314"


def test_landline_with_area_code():
    assert normalise_phone("0596-8525603") == "+865968525603"


@pytest.mark.parametrize("written", ["", "hello", "12", "1305544131412345678"])
def test_not_a_phone(written):
    with pytest.raises(InvalidPhoneError):
        normalise_phone(written)


def test_repeat_reporter_found_by_hash_whatever_the_format(vault):
    first = vault.phone_hash(normalise_phone("130 5544 1314"))
    assert first == vault.phone_hash(normalise_phone("+8613055441314"))
    assert first != vault.phone_hash(normalise_phone("13055441315"))
    # The hash is keyed: another deployment's key gives another hash.
    assert first != IdentityVault(secrets.token_bytes(32)).phone_hash("+8613055441314")


def test_masked_phone_hides_the_middle():
    assert mask_phone("+8613055441314") == "130****1314"


@pytest.mark.parametrize("written", ["12345", "1380596123", "138059612345", "0596-12"])
def test_numbers_that_cannot_be_dialled_are_refused(written):
    with pytest.raises(InvalidPhoneError):
        normalise_phone(written)


def test_a_landline_is_kept_but_only_a_mobile_gets_sms():
    assert is_mobile(normalise_phone("130 5544 1314"))
    assert not is_mobile(normalise_phone("0596-8525603"))


@pytest.mark.parametrize("written", ["13955441314", "139 5544 1314", "139-0596-1234",
                                     "139 - 0596 - 1234", "139/0596/5678", "0596-8525603",
                                     "身份证350622195001011234"])
def test_numbers_written_into_public_text_are_starred_however_spaced(written):
    masked = mask_long_numbers(f"我的电话{written}，请回电")
    assert not any(run in masked for run in ("1314", "1234", "5678", "5603")), masked
    assert masked.startswith("我的电话") and masked.endswith("，请回电")


def test_dates_and_areas_stay():
    assert mask_long_numbers("2026-07-01前，面积120.5平方") == "2026-07-01前，面积120.5平方"

