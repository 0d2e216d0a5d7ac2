import pytest
from ads_sandbox.world import Scale, ScaleError


def test_parses_all_five_numbers() -> None:
    assert Scale.parse("4x50x10x10x30") == Scale(4, 50, 10, 10, 30)
    assert str(Scale.parse(" 3X4x3x3x30 ")) == "3x4x3x3x30"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("3x4x3x3", "must be AxCxSxDxN"),
        ("3x4x3x3xten", "must be AxCxSxDxN"),
        ("3x-4x3x3x30", "must be AxCxSxDxN"),
        ("3x0x3x3x30", "campaigns per account must be at least 1"),
        ("1x1x1x1x9999", "days must be at most"),
        ("1x1000x1000x1000x1", "ads per account"),
    ],
)
def test_errors_say_what_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(ScaleError, match=fragment):
        Scale.parse(text)
