"""docs/bi.md's data dictionary is generated from the dbt YAML (pressdx.publishing.dictionary) and never drifts.

Regenerating it from the dbt project must give docs/bi.md byte for byte: a mart or column added, renamed or
re-described in the YAML without ``python -m pressdx.publishing.dictionary`` fails here. The other tests
make sure the generator itself cannot hide a mart or a column.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pressdx.publishing.dictionary import BEGIN, DOC, END, main, marts, render, updated
from pressdx.settings import dbt_project_dir

MARTS_DIR = dbt_project_dir() / "models" / "marts"


def test_docs_bi_md_holds_the_dictionary_of_today_s_yaml():
    text = DOC.read_text(encoding="utf-8")
    assert updated(text, marts()) == text, (
        "docs/bi.md's data dictionary is stale: run .venv/bin/python -m pressdx.publishing.dictionary")


def test_every_mart_model_is_in_the_dictionary_with_every_column():
    sql_models = {p.stem for p in MARTS_DIR.rglob("*.sql")}
    described = {m.name: m for m in marts()}
    assert set(described) == sql_models  # a model without YAML (or YAML without a model) is a gap for BI users
    assert "dim_press_agency_current" in described
    for m in described.values():
        assert m.description, f"{m.name} has no description"
        assert m.columns, f"{m.name} declares no column (the contract needs them)"
        for c in m.columns:
            assert c.description and c.data_type, f"{m.name}.{c.name} lacks a description or a type"
    section = render(list(described.values()))
    for m in described.values():
        assert f"### {m.name}\n" in section
        for c in m.columns:
            assert f"| `{c.name}` | {c.data_type} |" in section


def test_flags_and_pipes_are_rendered(tmp_path: Path):
    marts_dir = tmp_path / "models" / "marts" / "x"
    marts_dir.mkdir(parents=True)
    (marts_dir / "_x.yml").write_text(yaml.safe_dump({"version": 2, "models": [{
        "name": "fct_x", "description": "Some\n  facts.",
        "columns": [
            {"name": "k", "data_type": "varchar", "description": "key | code",
             "constraints": [{"type": "not_null"}], "data_tests": ["unique", "not_null"]},
            {"name": "v", "data_type": "double precision", "description": "a value",
             "data_tests": [{"accepted_values": {"arguments": {"values": [1]}}}]},
        ]}]}), encoding="utf-8")
    (marts_dir / "_x__unit_tests.yml").write_text("unit_tests: []\n", encoding="utf-8")
    [m] = marts(tmp_path)
    assert (m.name, m.folder, m.description) == ("fct_x", "x", "Some facts.")
    out = render([m])
    assert "| `k` | varchar | key, not null | key \\| code |" in out
    assert "| `v` | double precision |  | a value |" in out


def test_a_mart_described_twice_is_an_error(tmp_path: Path):
    d = tmp_path / "models" / "marts"
    d.mkdir(parents=True)
    for name in ("a.yml", "b.yml"):
        (d / name).write_text("models:\n  - name: dim_x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="described twice"):
        marts(tmp_path)


def test_the_command_rewrites_only_between_the_markers_and_checks(tmp_path: Path, capsys):
    doc = tmp_path / "bi.md"
    doc.write_text(f"# intro\n\n{BEGIN}\nold\n{END}\n\nafter\n", encoding="utf-8")
    assert main(["--check", "--doc", str(doc)]) == 1
    assert "stale" in capsys.readouterr().err
    assert main(["--doc", str(doc)]) == 0
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# intro\n\n" + BEGIN) and text.endswith(END + "\n\nafter\n") and "\nold\n" not in text
    assert main(["--check", "--doc", str(doc)]) == 0
    doc.write_text("no markers\n", encoding="utf-8")
    assert main(["--doc", str(doc)]) == 2
    assert capsys.readouterr().err.count("\n") == 1
