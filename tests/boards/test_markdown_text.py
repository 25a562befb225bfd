"""People's words in the Markdown report: shown literally, escaped only where needed."""

from app.boards.export_md import md


def test_markup_is_escaped_and_plain_punctuation_is_not() -> None:
    assert md("Technologie & AI") == "Technologie & AI"  # a lone & stays as typed
    assert md("AT&amp;T en &#169;") == "AT\\&amp;T en \\&#169;"  # an entity would render
    assert md("<b>vet</b> *schuin*") == "\\<b\\>vet\\</b\\> \\*schuin\\*"
    assert md("AI-assistenten. Klaar.") == "AI-assistenten. Klaar."
    assert md("# Kop") == "\\# Kop" and md("1. eerst") == "1\\. eerst"
