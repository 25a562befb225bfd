"""A note read as an item's title (a trial found raw notes as headings on the projection)."""

import pytest

from app.textrules import as_title


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("thuiswerken blijft.", "Thuiswerken blijft"),
        ("meer AI!!!", "Meer AI!"),
        ("Wie betaalt dat??", "Wie betaalt dat?"),
        ("  minder   vergaderen\n op kantoor ,", "Minder vergaderen op kantoor"),
        ("iPad voor iedereen", "iPad voor iedereen"),
        ("e-mail verdwijnt…", "E-mail verdwijnt"),
        ("Hybride werken", "Hybride werken"),
        ("...", "..."),
        ("ëlektrisch rijden", "Ëlektrisch rijden"),
    ],
)
def test_a_typed_note_reads_as_a_title(typed: str, title: str) -> None:
    assert as_title(typed) == title
