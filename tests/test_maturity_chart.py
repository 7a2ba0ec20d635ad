"""The radar chart puts every role's median for a dimension at the right distance and closes each line."""
import math
from pathlib import Path

from maturity import load, score
from maturity.chart import radar_chart, radar_frames

EXAMPLE = Path(__file__).resolve().parents[1] / "maturity" / "examples" / "demo_quick_scan.json"
RESULT = score(load(EXAMPLE))


def test_one_closed_line_per_role_at_the_role_medians():
    lines = radar_frames(RESULT, "en")["lines"]
    assert sorted(lines["role"].unique()) == ["BI / information management", "Policy", "Practice / client work"]
    for _, points in lines.groupby("role"):
        assert points.iloc[0][["x", "y"]].tolist() == points.iloc[-1][["x", "y"]].tolist()
    design = lines[(lines["dimension"] == "Evaluation design")].set_index("role")
    assert design["score"].to_dict() == {"Policy": 4.0, "Practice / client work": 2.0,
                                         "BI / information management": 3.0}
    assert all(math.isclose(math.hypot(row.x, row.y), row.score) for row in design.itertuples())


def test_a_role_without_levels_in_a_dimension_has_no_point_there():
    lines = radar_frames(RESULT, "nl")["lines"]
    practice = lines[lines["role"] == "Uitvoering / klantmanagement"]
    assert "Koppelbaarheid en toegang" not in set(practice["dimension"])   # practice answered 'weet niet'


def test_chart_spec_has_the_dimension_labels_and_role_legend():
    spec = radar_chart(RESULT, "nl", {"role": "Rol", "dimension": "Dimensie", "score": "Niveau"}).to_dict()
    texts = str(spec)
    assert "Sturing en eigenaarschap" in texts and "'title': 'Rol'" in texts
