"""`flask --app complaints.app routing explain`, the way people check the table against cases."""

import json


def test_explain_prints_the_decision_and_reasons(app):
    result = app.test_cli_runner().invoke(
        args=["routing", "explain", "我是火田镇的，家里土坯房墙裂了好大一条缝，下雨天怕倒"])
    assert result.exit_code == 0, result.output
    assert "category:        dangerous-house" in result.output
    assert "township:        huotian" in result.output
    assert "火田镇" in result.output


def test_explain_json_has_the_stable_keys(app):
    result = app.test_cli_runner().invoke(args=["routing", "explain", "--json", "村干部说要送红包才给评危改"])
    decision = json.loads(result.output)
    assert list(decision) == ["category", "lead_unit", "co_units", "township", "discipline_clue",
                              "needs_triage", "accused_unit", "reasons"]
    assert decision["discipline_clue"] is True


def test_explain_jsonl_gives_one_decision_a_line(app, tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text(
        '{"text": "下河乡房顶漏雨"}\n\n'
        '{"text": "房子裂了", "township": "mapu", "household": "disabled-poor"}\n',
        encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["routing", "explain", "--jsonl", str(path)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["lead_unit"] for line in lines] == ["xiahe", "housing"]
    assert lines[1]["co_units"] == ["mapu", "disabled-federation"]


def test_explain_jsonl_names_the_bad_line(app, tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text('{"text": "ok"}\n{"township": "mapu"}\n{"text": "x", "township": "nowhere"}\n',
                    encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["routing", "explain", "--jsonl", str(path)])
    assert result.exit_code != 0 and "line 2" in result.output
