"""Highlighting search matches: escape first, then mark."""

from __future__ import annotations

from web.highlight import highlight


def test_marks_word_prefixes_accent_and_case_insensitively() -> None:
    assert str(highlight("Ewing-sarcoom van het bot", ["sarc"])) == (
        "Ewing-<mark>sarcoom</mark> van het bot"
    )
    assert str(highlight("Épithélioïde sarcoom", ["epitheli"])) == (
        "<mark>Épithélioïde</mark> sarcoom"
    )
    assert str(highlight("Chondrosarcoma", ["CHONDRO"])) == "<mark>Chondrosarcoma</mark>"


def test_markup_in_text_is_escaped_and_never_marked_as_html() -> None:
    out = str(highlight('<script>alert("x")</script> tumor', ["script", "tumor"]))
    assert "<script>" not in out
    assert out == (
        "&lt;<mark>script</mark>&gt;alert(&#34;x&#34;)&lt;/<mark>script</mark>&gt; "
        "<mark>tumor</mark>"
    )


def test_terms_with_markup_do_not_inject() -> None:
    assert str(highlight("bone tumour", ['<img src=x onerror="1">'])) == "bone tumour"
    assert str(highlight("a < b", [])) == "a &lt; b"
