"""Reading the data CSV and option files: encodings, and bad input named by row and column."""

import numpy as np
import pytest

from shouwei.evaluation import EvaluationError, read_decision_matrix, read_pairwise
from shouwei.evaluation.data import (
    DecisionMatrix,
    parse_directions,
    parse_targets,
    read_weights,
)

CSV = '园区,GDP,城镇调查失业率\n衡阳高新区,520.5,4.1\n松木经开区,"1,234",5.0\n白沙园区,310,—\n'


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_it_reads_utf8_utf8_bom_and_gb18030(tmp_path, encoding):
    path = tmp_path / "data.csv"
    path.write_bytes(CSV.encode(encoding))
    data = read_decision_matrix(path)
    assert data.units == ("衡阳高新区", "松木经开区", "白沙园区")
    assert data.indicators == ("GDP", "城镇调查失业率")
    np.testing.assert_array_equal(data.values[:, 0], [520.5, 1234.0, 310.0])
    assert np.isnan(data.values[2, 1])


def write(tmp_path, text):
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_non_numeric_cell_is_named_by_row_and_column(tmp_path):
    path = write(tmp_path, "园区,GDP,税收\n甲,1,2\n乙,3,abc\n")
    with pytest.raises(EvaluationError) as exc:
        read_decision_matrix(path)
    assert (exc.value.row, exc.value.column, exc.value.code) == (3, "税收", "non_numeric")
    assert (
        "第 3 行" in str(exc.value) and "「税收」列" in str(exc.value) and "abc" in str(exc.value)
    )


def test_infinity_is_not_a_number_here(tmp_path):
    with pytest.raises(EvaluationError) as exc:
        read_decision_matrix(write(tmp_path, "园区,GDP\n甲,1\n乙,inf\n"))
    assert exc.value.row == 3


def test_duplicate_unit_names_are_refused_with_both_rows(tmp_path):
    with pytest.raises(EvaluationError) as exc:
        read_decision_matrix(write(tmp_path, "园区,GDP\n甲,1\n乙,2\n甲,3\n"))
    assert exc.value.code == "duplicate_unit"
    assert "第 2 行和第 4 行" in str(exc.value)


def test_fewer_than_two_units_cannot_be_ranked(tmp_path):
    with pytest.raises(EvaluationError) as exc:
        read_decision_matrix(write(tmp_path, "园区,GDP\n甲,1\n"))
    assert exc.value.code == "too_few_units"
    assert "至少需要 2 个单位" in str(exc.value)


def test_a_row_with_the_wrong_number_of_cells_is_named(tmp_path):
    with pytest.raises(EvaluationError) as exc:
        read_decision_matrix(write(tmp_path, "园区,GDP,税收\n甲,1,2\n乙,3\n"))
    assert (exc.value.code, exc.value.row) == ("ragged_row", 3)


def test_duplicate_indicator_names_are_refused():
    with pytest.raises(EvaluationError) as exc:
        DecisionMatrix.from_arrays(["甲", "乙"], ["GDP", "GDP"], [[1, 2], [3, 4]])
    assert exc.value.code == "duplicate_indicator"


def test_directions_are_read_inline_or_from_a_file(tmp_path):
    names = ["GDP", "失业率", "能耗"]
    np.testing.assert_array_equal(parse_directions("失业率:-，能耗:负向", names), [1, -1, -1])
    path = tmp_path / "dirs.csv"
    path.write_text("指标,方向\n失业率,-\n", encoding="gb18030")
    np.testing.assert_array_equal(parse_directions(str(path), names), [1, -1, 1])


def test_an_unknown_direction_or_indicator_is_refused():
    with pytest.raises(EvaluationError) as exc:
        parse_directions("失业率:down", ["失业率"])
    assert exc.value.code == "bad_direction"
    with pytest.raises(EvaluationError) as exc:
        parse_directions("失业:-", ["失业率"])
    assert exc.value.code == "unknown_indicator" and exc.value.indicator == "失业"


def test_targets_leave_unlisted_indicators_to_the_leader():
    refs = parse_targets("GDP:500", ["GDP", "税收"])
    assert refs[0] == 500 and np.isnan(refs[1])


def test_weights_file_must_list_every_indicator(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("指标,权重\nGDP,0.6\n", encoding="utf-8")
    with pytest.raises(EvaluationError) as exc:
        read_weights(path, ["GDP", "税收"])
    assert exc.value.indicator == "税收"
    path.write_text("指标,权重\nGDP,0.6\n税收,0.4\n", encoding="utf-8")
    np.testing.assert_array_equal(read_weights(path, ["GDP", "税收"]), [0.6, 0.4])


def test_an_ahp_file_takes_fractions_and_is_reordered_to_the_data(tmp_path):
    path = tmp_path / "ahp.csv"
    path.write_text(",税收,GDP\n税收,1,1/3\nGDP,3,1\n", encoding="utf-8")
    pairwise = read_pairwise(path, ["GDP", "税收"])
    assert pairwise.indicators == ("GDP", "税收")
    np.testing.assert_allclose(pairwise.matrix, [[1, 3], [1 / 3, 1]])


def test_a_bad_ahp_cell_is_named(tmp_path):
    path = tmp_path / "ahp.csv"
    path.write_text(",a,b\na,1,x\nb,1,1\n", encoding="utf-8")
    with pytest.raises(EvaluationError) as exc:
        read_pairwise(path)
    assert (exc.value.row, exc.value.column) == (2, "b")
