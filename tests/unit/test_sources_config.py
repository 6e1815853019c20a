"""``sources.yml`` read through its schema: every mistake is one line naming the file, the entry and the key.

Why it matters: a typo such as ``contcat:`` used to be ignored, and the unit never got its rejection notices.
"""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import pytest
import yaml

from ingest.parsing import Limits
from ingest.sources import load_config
from ingest.sources.schema import FolderSource, HttpSource, LimitsEntry, SourcesFile, UnitEntry
from pressdx.cli import main
from pressdx.settings import ConfigError

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "sources": [
        {"unit_code": "cbc", "kind": "folder", "path": "inbox/CBC", "contact": "a@cbc.example; b@cbc.example"},
        {"name": "attt-api", "unit_code": "ATTT", "kind": "http", "url": "https://reports.example/attt",
         "token_env": "PRESSDX_TOKEN_ATTT", "contact": ["x@attt.example", "y@attt.example"]},
        {"name": "cbc-drop", "unit_code": "CBC", "kind": "folder", "path": "/srv/sftp/cbc"},
    ],
    "units": [{"unit_code": "btttt", "unit_kind": "ministry", "name_vi": "Bộ TT&TT", "name_en": "MIC"},
              {"unit_code": "HN", "unit_kind": "province"}],
    "limits": {"max_rows": 500_000, "max_xlsx_ratio": 150},
}


def write(tmp_path: Path, doc) -> Path:
    f = tmp_path / "sources.yml"
    f.write_text(doc if isinstance(doc, str) else yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return f


def mistake(tmp_path: Path, change) -> str:
    doc = copy.deepcopy(GOOD)
    change(doc)
    with pytest.raises(ConfigError) as e:
        load_config(write(tmp_path, doc))
    msg = str(e.value)
    assert "\n" not in msg
    assert msg.startswith(f"{tmp_path / 'sources.yml'}: ")
    return msg.split(": ", 1)[1]


def test_a_good_file_reads_into_the_config(tmp_path):
    cfg = load_config(write(tmp_path, GOOD))
    folder, http, drop = cfg.sources
    assert (folder.name, folder.unit_code, folder.kind, folder.path) == (
        "CBC:inbox/CBC", "CBC", "folder", (tmp_path / "inbox/CBC").resolve())
    assert folder.contact == "a@cbc.example; b@cbc.example"
    assert (http.name, http.url, http.token_env, http.path) == (
        "attt-api", "https://reports.example/attt", "PRESSDX_TOKEN_ATTT", None)
    assert http.contact == ("x@attt.example", "y@attt.example")
    assert drop.path == Path("/srv/sftp/cbc")
    assert cfg.units == {"BTTTT": "ministry", "HN": "province"}
    assert cfg.unit_names == {"BTTTT": ("Bộ TT&TT", "MIC"), "HN": ("HN", "HN")}
    assert cfg.limits == dataclasses.replace(Limits(), max_rows=500_000, max_xlsx_ratio=150.0)
    hash(cfg.sources)  # sources are dictionary keys in the run


def test_defaults_when_only_sources_are_given(tmp_path):
    cfg = load_config(write(tmp_path, "sources: []\nunits:\n"))
    assert (cfg.sources, cfg.units, cfg.limits) == ((), {}, Limits())


@pytest.mark.parametrize("change, expected", [
    (lambda d: d["sources"][2].update(contcat="x@cbc.example"),
     "sources[2] (cbc-drop): unknown key 'contcat' (did you mean 'contact'?)"),
    (lambda d: d["sources"][0].pop("path"),
     "sources[0] (cbc): missing key 'path' (a folder source needs unit_code, kind, path)"),
    (lambda d: d["sources"][1].pop("token_env"),
     "sources[1] (attt-api): missing key 'token_env' (an http source needs unit_code, kind, url, token_env)"),
    (lambda d: d["sources"][1].pop("url"),
     "sources[1] (attt-api): missing key 'url' (an http source needs unit_code, kind, url, token_env)"),
    (lambda d: d["sources"][0].pop("unit_code"),
     "sources[0]: missing key 'unit_code' (a folder source needs unit_code, kind, path)"),
    (lambda d: d["sources"][0].pop("kind"), "sources[0] (cbc): missing key 'kind' (folder or http)"),
    (lambda d: d["sources"][0].update(kind="sftp"), "sources[0] (cbc): kind must be folder or http, not 'sftp'"),
    (lambda d: d["sources"][0].update(url="https://x.example"),
     "sources[0] (cbc): unknown key 'url' for a folder source ('url' belongs to http sources)"),
    (lambda d: d["sources"][0].update(path=["a", "b"]), "sources[0] (cbc): 'path' must be text, not ['a', 'b']"),
    (lambda d: d["sources"][0].update(unit_code=""), "sources[0]: 'unit_code' must be non-empty text, not ''"),
    (lambda d: d["sources"][0].update(contact={"to": "a@b"}), "sources[0] (cbc): 'contact': must be an e-mail"),
    (lambda d: d["sources"].__setitem__(1, "ATTT"), "sources[1]: this entry must be a mapping (key: value)"),
    (lambda d: d["sources"][2].update(name="attt-api"),
     "sources[2] (attt-api): two sources are named 'attt-api' (sources[1] too)"),
    (lambda d: d.update(sources={"unit_code": "CBC"}), "'sources' must be a list"),
    (lambda d: d.update(unit=[]), "unknown key 'unit' (did you mean 'units'?)"),
    (lambda d: d["units"][1].update(unit_kind="city"),
     "units[1] (HN): 'unit_kind' must be one of ministry, province or governing_body, not 'city'"),
    (lambda d: d["units"][1].update(name="Hà Nội"), "units[1] (HN): unknown key 'name' (did you mean 'name_vi'?)"),
    (lambda d: d["units"][0].pop("unit_kind"), "units[0] (btttt): missing key 'unit_kind' (a unit needs"),
    (lambda d: d["limits"].update(max_rows="many"), "limits: 'max_rows' must be a whole number, not 'many'"),
    (lambda d: d["limits"].update(max_row=5), "limits: unknown key 'max_row' (did you mean 'max_rows'?)"),
    (lambda d: d["limits"].update(max_file_bytes=0), "limits: 'max_file_bytes' must be greater than 0, not 0"),
    (lambda d: d.update(limits=20), "'limits' must be a mapping (key: value), not 20"),
])
def test_every_mistake_is_one_line_naming_the_entry_and_the_key(tmp_path, change, expected):
    assert mistake(tmp_path, change).startswith(expected)


def test_several_mistakes_name_the_first_and_count_the_rest(tmp_path):
    def two(d):
        d["sources"][0]["contcat"] = "x"
        d["limits"]["max_row"] = 1
    assert mistake(tmp_path, two).endswith("(did you mean 'contact'?) (+1 more problem(s))")


def test_a_token_pasted_into_token_env_is_refused_and_never_shown(tmp_path):
    token = "eyJhbGciOi.s3cr3t-token-value"
    msg = mistake(tmp_path, lambda d: d["sources"][1].update(token_env=token))
    assert token not in msg and "s3cr3t" not in msg
    assert msg.startswith("sources[1] (attt-api): 'token_env' must be the name of an environment variable")


@pytest.mark.parametrize("text, says", [
    ("sources: [\n", "not valid YAML"),
    ("- a\n- b\n", "expected a mapping with a 'sources:' list"),
    ("units: []\n", "expected a mapping with a 'sources:' list"),
])
def test_a_file_that_is_not_a_sources_file(tmp_path, text, says):
    with pytest.raises(ConfigError, match=says):
        load_config(write(tmp_path, text))


def test_a_mistake_exits_2_with_one_line_through_the_command_line(tmp_path, capsys):
    doc = copy.deepcopy(GOOD)
    doc["sources"][2]["contcat"] = "x@cbc.example"
    f = write(tmp_path, doc)
    code = main(["run", "--sources", str(f), "--warehouse", f"duckdb:///{tmp_path}/w.duckdb", "--no-build"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err == f"pressdx: {f}: sources[2] (cbc-drop): unknown key 'contcat' (did you mean 'contact'?)\n"
    assert not (tmp_path / "w.duckdb").exists()  # refused before anything was opened


def test_the_limits_schema_has_every_limit_of_intake():
    assert set(LimitsEntry.model_fields) == {f.name for f in dataclasses.fields(Limits)}
    assert LimitsEntry().model_dump() == dataclasses.asdict(Limits())


def test_docs_configuration_names_every_key():
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for model in (SourcesFile, FolderSource, HttpSource, UnitEntry, LimitsEntry):
        for key in model.model_fields:
            assert f"`{key}`" in doc, f"docs/configuration.md does not document {model.__name__}.{key}"
    for env in ("PRESSDX_WAREHOUSE", "PRESSDX_DATA_DIR", "PRESSDX_SOURCES"):
        assert env in doc


def test_the_example_in_docs_configuration_is_a_valid_file(tmp_path):
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    cfg = load_config(write(tmp_path, example))
    assert cfg.sources and cfg.units
