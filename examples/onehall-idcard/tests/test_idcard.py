"""The plugin on its own: the GB 11643 check character, the checks and the mask."""
import pytest

from onehall_idcard import IdCard, check_char, mask, problem


@pytest.mark.parametrize("first17, expected", [
    ("11010519491231002", "X"),        # the standard's own example
    ("44052418800101001", "4"),
    ("37010219900101123", "1"),
])
def test_check_character(first17, expected):
    assert check_char(first17) == expected


def test_problems_are_worded_for_the_applicant():
    assert problem("11010519491231002X") is None
    assert problem("110105194912310021") == "校验码不正确"
    assert problem("1101051949123100") == "身份证号应为18位"
    assert problem("11010519491231002Y").startswith("身份证号格式不正确")


def test_mask_keeps_four_characters_each_side():
    assert mask("11010519491231002X") == "1101**********002X"


def test_the_type_describes_itself():
    info = IdCard().describe() | {"name": "idcard"}
    assert info["label"] == "身份证号" and "label" in info["keys"] and IdCard.sensitive
    field = type("F", (), {"max_length": None})()
    assert IdCard().validate(field, "110105194912310021") == ["校验码不正确"]
    assert IdCard().parse(field, [" 11010519491231002x "]) == "11010519491231002X"
