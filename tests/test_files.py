"""The helpers written once for what many modules do: writing a file whole, reading bytes
as text, YAML with decimals, a name met twice, a name nearly known."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from cswork_site.data.yamlfile import dump_yaml
from cswork_site.files import NotText, decode_text, write_whole
from cswork_site.problems import FirstSeen, did_you_mean, repeats


def test_a_file_is_replaced_whole_and_no_temporary_file_is_left(tmp_path: Path):
    target = tmp_path / "sub" / "file.txt"
    write_whole(target, b"one")
    write_whole(target, lambda out: out.write(b"two"))
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["file.txt"]


def test_without_replace_a_file_already_there_is_never_touched(tmp_path: Path):
    target = tmp_path / "snapshot.yaml"
    write_whole(target, b"first", replace=False, mode=0o644)
    assert target.stat().st_mode & 0o777 == 0o644
    with pytest.raises(FileExistsError):
        write_whole(target, b"second", replace=False)
    assert target.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["snapshot.yaml"]


def test_a_failed_check_leaves_the_target_as_it_was(tmp_path: Path):
    target = tmp_path / "benchmarks.yaml"
    target.write_bytes(b"old")

    def refuse(temp: Path) -> None:
        assert temp.read_bytes() == b"new" and temp.parent == tmp_path
        raise ValueError("no")

    with pytest.raises(ValueError):
        write_whole(target, b"new", check=refuse, durable=True)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["benchmarks.yaml"]


def test_text_is_decoded_with_or_without_a_byte_order_mark():
    assert decode_text("\ufeffa\r\nb\rc".encode()) == "a\r\nb\rc"
    assert decode_text("\ufeffa\r\nb\rc".encode(), newlines=True) == "a\nb\nc"
    assert decode_text(b"one\ntwo\n\xff") == NotText(binary=False, line=3)
    assert decode_text(b"one\ntwo\x00") == NotText(binary=True, line=2)
    assert decode_text(b"a,b\nc\x00,d\n", nul="mostly") == "a,b\nc\x00,d\n"  # a stray NUL: the caller's to report
    assert decode_text("a,b".encode("utf-16-le"), nul="mostly") == NotText(binary=True, line=1)
    assert decode_text(b"a\x00", nul="never") == "a\x00"


def test_decimals_are_written_as_a_person_writes_them():
    data = {"value": Decimal("1.8E+2"), "rate": Decimal("14.20"), "zero": Decimal("-0"), "rows": [{"a": 1}]}
    assert dump_yaml(data) == "value: 180\nrate: 14.20\nzero: 0\nrows:\n  - a: 1\n"
    assert dump_yaml(data, indent_lists=False).endswith("rows:\n- a: 1\n")


def test_repeats_name_where_each_key_was_first():
    assert list(repeats([("a", 1), ("b", 2), ("a", 3), ("a", 4)])) == [("a", 3, 1), ("a", 4, 1)]
    seen: FirstSeen[str, int] = FirstSeen()
    assert seen.before("x", 10) is None
    assert seen.before("x", 12) == 10


def test_did_you_mean_suggests_the_closest_known_word_only():
    assert did_you_mean("vacancy_rte", ["vacancy_rate", "agency_rate"]) == "did you mean 'vacancy_rate'?"
    assert did_you_mean("zzz", ["vacancy_rate"]) is None


def test_a_check_reads_data_metrics_yaml_once(site: Path, monkeypatch: pytest.MonkeyPatch):
    import cswork_site.data.yamlfile as yamlfile
    from cswork_site.build.check import check_site
    from cswork_site.cache import BuildCache

    reads: list[str] = []
    real = yamlfile.read_data_file

    def counting(file: Path, shown_as: str, *args, **kwargs):
        reads.append(shown_as)
        return real(file, shown_as, *args, **kwargs)

    monkeypatch.setattr(yamlfile, "read_data_file", counting)
    check_site(site, cache=BuildCache(site, enabled=False))
    assert reads.count("data/metrics.yaml") == 1
    assert reads.count("data/offer.yaml") == 1
