"""统一社会信用代码 checked by the GB 32100 check character."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from shouwei.enterprises.models import Enterprise
from shouwei.enterprises.uscc import ALPHABET, check_character, validate_uscc
from tests.factories import EnterpriseFactory

# Published on the national enterprise credit information system (and in GB 32100's own
# example): the check characters are theirs, not computed here.
PUBLISHED = [
    "91350100M000100Y43",  # GB 32100-2015 example
    "914403001922038216",  # 华为技术有限公司
    "9144030071526726XG",  # 深圳市腾讯计算机系统有限公司
    "91330100716105852F",  # 阿里巴巴（中国）有限公司
    "91110108551385082Q",  # 北京小米科技有限责任公司
]


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_pass(code):
    assert validate_uscc(code) == code


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_a_code_with_its_computed_check_character_passes(body):
    code = body + check_character(body)
    assert validate_uscc(code) == code


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17), st.sampled_from(ALPHABET))
def test_any_other_check_character_is_refused_naming_the_expected_one(body, wrong):
    expected = check_character(body)
    if wrong == expected:
        return
    with pytest.raises(ValidationError) as exc:
        validate_uscc(body + wrong)
    assert f"应为 {expected}" in exc.value.messages[0]


def test_a_wrong_check_character_names_the_expected_one():
    with pytest.raises(ValidationError) as exc:
        validate_uscc("914403001922038217")
    assert exc.value.messages == ["统一社会信用代码校验位错误：第 18 位应为 6，而不是 7"]


@pytest.mark.parametrize("code", ["91440300192203821", "9144030019220382160", ""])
def test_a_code_of_the_wrong_length_is_refused(code):
    with pytest.raises(ValidationError, match="应为 18 位"):
        validate_uscc(code)


def test_letters_outside_the_alphabet_are_refused():
    with pytest.raises(ValidationError, match="I、O"):
        validate_uscc("91350100I000100Y43")


def test_lower_case_and_full_width_are_normalised():
    assert validate_uscc("9144030071526726xg") == "9144030071526726XG"
    assert validate_uscc("９１３５０１００M０００１００Y４３") == "91350100M000100Y43"


def test_an_enterprise_stores_the_normalised_code(db):
    e = EnterpriseFactory.build(uscc="9144030071526726xg")
    e.full_clean()
    assert e.uscc == "9144030071526726XG"


def test_an_enterprise_with_a_bad_check_is_refused(db):
    e = EnterpriseFactory.build(uscc="9144030071526726XH")
    with pytest.raises(ValidationError) as exc:
        e.full_clean()
    assert "应为 G" in exc.value.message_dict["uscc"][0]


def test_a_duplicate_code_is_refused_even_in_another_case(db):
    EnterpriseFactory(uscc="9144030071526726XG")
    e = EnterpriseFactory.build(uscc="9144030071526726xg")
    with pytest.raises(ValidationError) as exc:
        e.full_clean()
    assert exc.value.message_dict["uscc"] == ["统一社会信用代码已存在，不能重复"]
    assert Enterprise.objects.filter(uscc="9144030071526726XG").count() == 1
