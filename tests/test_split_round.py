"""bench/split_round.py: a held-out round is deduplicated against every earlier question,
its region labels written as the register writes them, and split once (tests/eval/README.md
describes the rounds; it reproduces rounds 4-6 from the helpers' files)."""

from __future__ import annotations

import json

from bench import split_round


def _q(query: str, kind: str = "paraphrase", gold: str = "Jämlika livsvillkor", **kw) -> dict:
    q = {"query": query, "kind": kind, "lang": "sv", **kw}
    if kind != "uncovered":
        q["gold_session"] = gold
    return q


def test_a_question_that_repeats_an_earlier_one_is_dropped():
    earlier = ["Vad berättade Region Skåne om smart specialisering?"]
    new = [
        _q("Vad berättade Region Skåne om sitt arbete med smart specialisering?"),  # ~ earlier
        _q("Hur arbetar Gävleborg med jämlika livsvillkor?"),
        _q("Hur arbetar Gävleborg med jämlika livsvillkor i länet?"),  # ~ one just kept
        _q("Vilka vinster finns med rena resor?"),
    ]
    kept, dropped = split_round.drop_repeats(new, earlier)
    assert [q["query"] for q in kept] == [new[1]["query"], new[3]["query"]]
    assert [twin for _, twin in dropped] == [earlier[0], new[1]["query"]]


def test_region_labels_are_the_registers_names():
    register = split_round._register()
    q = _q("Vilken region?", kind="region", regions=["region Värmland", "Omställning Västmanland"])
    fixed, unknown = split_round.normalise_regions(q, register)
    assert fixed["regions"] == ["Region Värmland"]
    assert unknown == ["Omställning Västmanland"]
    assert split_round.normalise_regions(_q("Hur?"), register) == (_q("Hur?"), [])


def test_the_split_is_stratified_and_repeatable():
    questions = [_q(f"fråga {i}", gold=f"s{i % 3}") for i in range(12)]
    questions += [_q(f"ej täckt {i}", kind="uncovered", subkind="topic") for i in range(6)]
    dev, test = split_round.split([dict(q) for q in questions], seed=7)
    again = split_round.split([dict(q) for q in questions], seed=7)
    assert (dev, test) == again
    assert len(dev) == len(test) == 9
    for part in (dev, test):
        assert sum(q["kind"] == "uncovered" for q in part) == 3
        assert sorted(q["gold_session"] for q in part if "gold_session" in q) == [
            "s0",
            "s0",
            "s1",
            "s1",
            "s2",
            "s2",
        ]


def test_a_round_is_split_once(tmp_path, capsys):
    (tmp_path / "questions.jsonl").write_text(
        json.dumps(_q("Vilka vinster finns med rena resor?"), ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "helpers").mkdir()
    helper = tmp_path / "helpers" / "a.jsonl"  # not an earlier set: only *.jsonl at the top
    lines = [_q("Vilka vinster finns med rena resor?"), _q("Hur går det för Värmlandsrådet?")]
    lines += [_q("Vem leder utredningen i Gävleborg?"), _q("Vad är en kabeltrumma?")]
    helper.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in lines))
    args = [str(helper), "--round", "9", "--seed", "1", "--eval-dir", str(tmp_path)]
    assert split_round.main(args) == 0
    dev = split_round.read_jsonl(tmp_path / "heldout9_dev.jsonl")
    test = split_round.read_jsonl(tmp_path / "heldout9_test.jsonl")
    assert len(dev) + len(test) == 3  # the repeat of questions.jsonl is dropped
    assert "4 written, 1 dropped, 3 kept" in capsys.readouterr().out
    assert split_round.main(args) == 2  # never twice: it would drop its own output
    assert split_round.read_jsonl(tmp_path / "heldout9_dev.jsonl") == dev
