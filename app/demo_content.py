"""What the demo workshop's rooms wrote: management assistants on their work in 2030.

Each room lists its people (name and note colour), its notes in the order they
were typed, its clusters with everyone's votes (impact, uncertainty; one pair
per voter, in the order of `people`), the two axes of its cross with their
poles, its stories, and the phase it ends in. The same ideas come back across
rooms in other words (and in English), so the synthesis has something to merge.
"""

from dataclasses import dataclass

TITLE = "Werk in 2030 (demo)"
QUESTION = "Hoe ziet het werk van de managementassistent eruit in 2030?"
HORIZON = "2030"

POLL_QUESTION = "Wat maakt je nu onzeker?"
POLL_ANSWERS = [
    "Of mijn functie blijft bestaan",
    "AI",
    "Of ik alle nieuwe tools kan bijhouden",
    "De werkdruk",
    "Of mijn baan blijft bestaan",
    "Kunstmatige intelligentie",
    "Weer een reorganisatie",
    "AI",
    "De werkdruk",
    "Of ik de technologie kan bijbenen",
    "Mijn pensioen",
]

TIMER_S = 20 * 60
BROADCAST = "Nog 20 minuten. Daarna presenteert elke groep haar scenario's in de plenaire zaal."


@dataclass(frozen=True)
class Cluster:
    """A room's cluster: its title, its notes (by text) and each voter's scores."""

    title: str
    notes: tuple[str, ...]
    votes: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Axis:
    """One axis of the cross: the cluster it stands for and its two named poles."""

    cluster: str
    low: str
    high: str


@dataclass(frozen=True)
class Story:
    """A quadrant's scenario; fields left empty were not written yet."""

    quadrant: str
    title: str
    metaphor: str = ""
    traits: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class Room:
    """Everything one break-out group did, in order."""

    people: tuple[tuple[str, str], ...]
    notes: tuple[tuple[str, str], ...]
    clusters: tuple[Cluster, ...]
    x: Axis
    y: Axis
    stories: tuple[Story, ...]
    phase: str = "story"
    edits: tuple[tuple[str, str], ...] = ()  # (note as typed, as its author corrected it)


ROOMS = (
    Room(
        people=(("Anouk", "yellow"), ("Bart", "blue"), ("Chantal", "pink")),
        notes=(
            ("Anouk", "AI neemt routinetaken over"),
            ("Bart", "Thuiswerken blijft"),
            ("Chantal", "Personeelstekort"),
            ("Anouk", "Vergrijzing: veel collega's gaan met pensioen"),
            ("Bart", "Agenda's plannen doet straks een bot"),
            ("Chantal", "Van secretaresse naar strategisch partner"),
            ("Anouk", "Vierdaagse werkweek"),
            ("Bart", "Blijven leren: digitale vaardigheden"),
            ("Chantal", "Werkdruk"),
        ),
        edits=(("Werkdruk", "Werkdruk neemt toe"),),
        clusters=(
            Cluster(
                "AI en automatisering",
                ("AI neemt routinetaken over", "Agenda's plannen doet straks een bot"),
                ((5, 4), (4, 5), (5, 3)),
            ),
            Cluster(
                "Werkplek", ("Thuiswerken blijft", "Vierdaagse werkweek"), ((4, 4), (4, 5), (3, 4))
            ),
            Cluster(
                "Krapte en vergrijzing",
                (
                    "Personeelstekort",
                    "Vergrijzing: veel collega's gaan met pensioen",
                    "Werkdruk neemt toe",
                ),
                ((4, 2), (5, 2), (4, 3)),
            ),
            Cluster(
                "Rol van de assistent",
                (
                    "Van secretaresse naar strategisch partner",
                    "Blijven leren: digitale vaardigheden",
                ),
                ((3, 3), (4, 2), (3, 3)),
            ),
        ),
        x=Axis("AI en automatisering", "AI als hulpmiddel", "AI als collega"),
        y=Axis("Werkplek", "op kantoor", "overal"),
        stories=(
            Story(
                "hh",
                "De regisseur op afstand",
                "Een verkeersleider met een laptop",
                (
                    "AI plant, notuleert en sorteert de mail",
                    "werken waar en wanneer je wilt",
                    "resultaat telt, niet aanwezigheid",
                    "eenzaamheid ligt op de loer",
                ),
                "Anouk begint haar dag thuis. Haar AI-assistent heeft de agenda's van drie "
                "managers al op elkaar afgestemd en de mail gesorteerd. Zij beslist wat de "
                "software niet kan wegen: wie vandaag echt aandacht nodig heeft. Het team "
                "ziet elkaar eens per maand op een heidag; wie niet oplet, raakt de "
                "verbinding kwijt.",
            ),
            Story(
                "hl",
                "Het slimme kantoor",
                "De verkeerstoren van Schiphol",
                (
                    "iedereen weer op kantoor",
                    "AI regelt ruimtes, bezoek en systemen",
                    "de assistent is de spil van het gebouw",
                    "strakke planning",
                ),
                "Organisaties halen iedereen terug naar kantoor, omdat samenwerken met de "
                "AI-systemen daar het beste gaat. De managementassistent bestuurt het gebouw: "
                "ruimtes, bezoekers, systemen. Het routinewerk is verdwenen; overzicht houden "
                "is het vak geworden.",
            ),
            Story(
                "lh",
                "Aan de keukentafel",
                "Een eenmanszaak met wifi",
                (
                    "AI is een hulpje, geen collega",
                    "bijna altijd thuis",
                    "veel zelf regelen",
                    "werk en privé lopen door elkaar",
                ),
                "AI is er, maar vooral als slimme spellingscontrole. Assistenten werken bijna "
                "altijd thuis en doen nog veel met de hand. Ze zijn zelfstandiger dan ooit, "
                "maar ook vaker overbelast: niemand ziet hoeveel ze wegwerken.",
            ),
            Story(
                "ll",
                "Alles bij het oude",
                "Een warme huiskamer",
                (
                    "vaste werkplek",
                    "persoonlijk contact",
                    "weinig vernieuwing",
                    "jong talent kiest voor een ander",
                ),
                "Op kantoor is het gezellig en vertrouwd. De technologie helpt een beetje, "
                "maar echt veranderen doet er weinig. Dat voelt veilig, totdat de jonge "
                "collega's kiezen voor werkgevers die meer vrijheid bieden.",
            ),
        ),
    ),
    Room(
        people=(("Dewi", "yellow"), ("Erik", "yellow"), ("Fatima", "green")),
        notes=(
            ("Dewi", "Krapte op de arbeidsmarkt"),
            ("Erik", "Working from home stays"),
            ("Erik", "AI writes the minutes"),
            ("Fatima", "Altijd bereikbaar via Teams en WhatsApp"),
            ("Dewi", "Meer zzp'ers en flexcontracten"),
            ("Erik", "Paperless office"),
            ("Fatima", "Privacy en datalekken"),
            ("Dewi", "Minder vierkante meters kantoor"),
            ("Fatima", "Meer regie, minder typewerk"),
            ("Dewi", "Tekort aan personeel"),
        ),
        clusters=(
            Cluster(
                "Digitalisering",
                (
                    "AI writes the minutes",
                    "Paperless office",
                    "Privacy en datalekken",
                    "Meer regie, minder typewerk",
                ),
                ((5, 3), (4, 4), (5, 4)),
            ),
            Cluster(
                "Flexibel werken",
                (
                    "Working from home stays",
                    "Minder vierkante meters kantoor",
                    "Meer zzp'ers en flexcontracten",
                ),
                ((4, 3), (3, 4), (4, 4)),
            ),
            Cluster(
                "Arbeidsmarkt",
                ("Krapte op de arbeidsmarkt", "Tekort aan personeel"),
                ((5, 4), (4, 5), (5, 5)),
            ),
            Cluster(
                "Welzijn", ("Altijd bereikbaar via Teams en WhatsApp",), ((4, 2), (3, 3), (4, 3))
            ),
        ),
        x=Axis("Arbeidsmarkt", "ruim", "krap"),
        y=Axis("Digitalisering", "mensenwerk", "volledig digitaal"),
        stories=(
            Story(
                "hh",
                "De onmisbare regisseur",
                "Een kapitein op een schip met automatische piloot",
                (
                    "weinig mensen, veel systemen",
                    "de assistent kiest de tools",
                    "goed betaald",
                    "privacy is dagelijkse zorg",
                ),
                "Er zijn te weinig managementassistenten, dus wie er is, wordt gekoesterd. "
                "Systemen doen het typewerk; de assistent beslist wat de systemen doen en "
                "bewaakt de privacy. Het werk is afwisselend, maar de verantwoordelijkheid is "
                "groot.",
            ),
            Story(
                "hl",
                "Iedereen zijn eigen secretaresse",
                "Een huishouden zonder huishoudster",
                (
                    "managers doen het zelf",
                    "weinig digitale hulp",
                    "gaten in de planning",
                    "hoge werkdruk",
                ),
                "Er zijn geen assistenten meer te vinden en de digitale hulp valt tegen. "
                "Managers plannen zelf, notulen worden niet gemaakt, afspraken lopen door "
                "elkaar. Wie nog assistent is, wordt gedeeld door vijf managers.",
            ),
            Story(
                "lh",
                "De assistent als app",
                "Een zelfscankassa",
                ("mensen genoeg", "alles via systemen", "banen verdwijnen", "omscholing nodig"),
                "Er zijn mensen genoeg, maar het werk is naar software gegaan. Plannen, "
                "notuleren en declareren gaan vanzelf. Assistenten die zich omscholen tot "
                "projectondersteuner of databeheerder vinden nieuw werk; de anderen hebben "
                "het moeilijk.",
            ),
            Story(
                "ll",
                "Het vertrouwde secretariaat",
                "De koffieautomaat als ontmoetingsplek",
                (
                    "genoeg collega's",
                    "veel persoonlijk contact",
                    "trage digitalisering",
                    "papier is nog niet weg",
                ),
                "Er zijn genoeg mensen en de digitalisering gaat langzaam. Het secretariaat "
                "is het hart van de afdeling. Het werk is herkenbaar, maar de organisatie "
                "loopt achter bij de concurrent.",
            ),
        ),
    ),
    Room(
        people=(("Gijs", "yellow"), ("Hanneke", "pink")),
        notes=(
            ("Hanneke", "Meer thuiswerkdagen"),
            ("Gijs", "Kunstmatige intelligentie plant de agenda"),
            ("Hanneke", "Burn-out klachten nemen toe"),
            ("Gijs", "Kantoor wordt ontmoetingsplek"),
            ("Hanneke", "Managementassistent wordt projectleider"),
            ("Gijs", "Continuous learning is a must"),
            ("Hanneke", "Veel collega's gaan met pensioen"),
            ("Gijs", "Duurzaam reizen: minder vliegen, meer videobellen"),
        ),
        clusters=(
            Cluster(
                "Hybride werken",
                (
                    "Meer thuiswerkdagen",
                    "Kantoor wordt ontmoetingsplek",
                    "Duurzaam reizen: minder vliegen, meer videobellen",
                ),
                ((5, 4), (4, 5)),
            ),
            Cluster(
                "Slimme tools",
                ("Kunstmatige intelligentie plant de agenda", "Continuous learning is a must"),
                ((4, 3), (5, 3)),
            ),
            Cluster("Gezondheid", ("Burn-out klachten nemen toe",), ((4, 4), (5, 4))),
            Cluster(
                "Loopbaan",
                ("Managementassistent wordt projectleider", "Veel collega's gaan met pensioen"),
                ((3, 3), (3, 2)),
            ),
        ),
        x=Axis("Hybride werken", "vast op kantoor", "volledig vrij"),
        y=Axis("Gezondheid", "onder druk", "in balans"),
        stories=(
            Story(
                "hh",
                "Vrij en fit",
                "Een fietser met de wind in de rug",
                (
                    "zelf kiezen waar je werkt",
                    "vitaliteitsbudget",
                    "kantoor alleen voor overleg",
                    "minder reistijd",
                ),
                "Assistenten kiezen zelf waar ze werken. Het kantoor is een ontmoetingsplek "
                "voor overleg en de vrijdagborrel. Werkgevers investeren in gezondheid: er is "
                "een vitaliteitsbudget en niemand mailt na zes uur. Het verzuim is in vijf "
                "jaar gehalveerd.",
            ),
            Story(
                "ll",
                "De snelkookpan",
                "Een snelkookpan zonder ventiel",
                ("vijf dagen naar kantoor", "lange files"),
                "Na jaren thuiswerken moet iedereen weer elke dag naar kantoor.",
            ),
        ),
    ),
    Room(
        people=(("Ilse", "yellow"), ("Jeroen", "blue"), ("Karin", "orange")),
        notes=(
            ("Ilse", "Hybride werken is de norm"),
            ("Jeroen", "AI takes over routine tasks"),
            ("Karin", "Flexibele contracten in plaats van vaste banen"),
            ("Ilse", "Cybersecurity wordt belangrijker"),
            ("Jeroen", "Omscholing: nieuwe vaardigheden nodig"),
            ("Karin", "Four-day work week"),
            ("Ilse", "Altijd online, nooit echt vrij"),
            ("Jeroen", "Minder managers, meer zelfsturende teams"),
        ),
        clusters=(
            Cluster(
                "Werkvormen",
                (
                    "Hybride werken is de norm",
                    "Four-day work week",
                    "Altijd online, nooit echt vrij",
                ),
                ((4, 5), (5, 4), (4, 4)),
            ),
            Cluster(
                "Technologie",
                ("AI takes over routine tasks", "Cybersecurity wordt belangrijker"),
                ((5, 4), (5, 3), (4, 4)),
            ),
            Cluster(
                "Vaardigheden", ("Omscholing: nieuwe vaardigheden nodig",), ((4, 2), (3, 3), (4, 2))
            ),
            Cluster(
                "Organisatie",
                (
                    "Flexibele contracten in plaats van vaste banen",
                    "Minder managers, meer zelfsturende teams",
                ),
                ((3, 3), (4, 3), (3, 4)),
            ),
        ),
        x=Axis("Werkvormen", "op kantoor", "overal"),
        y=Axis("Technologie", "ondersteunend", "leidend"),
        stories=(),
        phase="plot",
    ),
)
