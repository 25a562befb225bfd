"""People's words in the Markdown report: shown literally, escaped only where needed."""

from app.boards.export_md import md


def test_markup_is_escaped_and_plain_punctuation_is_not() -> None:
    assert md("Technologie & AI") == "Technologie & AI"  # a lone & stays as typed
    assert md("AT&amp;T en &#169;") == "AT\\&amp;T en \\&#169;"  # an entity would render
    assert md("<b>vet</b> *schuin*") == "\\<b\\>vet\\</b\\> \\*schuin\\*"
    assert md("AI-assistenten. Klaar.") == "AI-assistenten. Klaar."
    assert md("# Kop") == "\\# Kop" and md("1. eerst") == "1\\. eerst"


def test_means_round_halves_up_as_the_pages_do() -> None:
    """The report's 4,3 is the wall's 4,3: the browser (V8's number format) gave these."""
    from app.boards.export_md import TEXT, decimal

    browser = {4.25: "4,3", 4.35: "4,4", 4.75: "4,8", 3.0: "3,0", 4.05: "4,1", 63.75: "63,8"}
    assert {v: decimal(v, TEXT["nl"]) for v in browser} == browser
    assert decimal(2.45, TEXT["en"]) == "2.5" and decimal(None, TEXT["en"]) == "–"
