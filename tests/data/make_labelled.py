"""Writes synthesis_labelled.json: a hand-labelled workshop (label = the gold item)."""

import json
from pathlib import Path

# (room, label, text, room cluster or None). Written as assistants type on a phone:
# short, with typos, compounds, English mixed in, and ideas of their own (singletons).
ROWS = """
g1|ai_routine|AI neemt routinetaken over|
g1|ai_routine|Kunstmatige intelligentie doet het saaie werk|
g1|remote|Thuiswerken blijft|
g1|remote|Hybride werken is de norm|
g1|ageing|Vergrijzing: veel collega's gaan met pensioen|
g1|shortage|Personeelstekort wordt groter|
g1|workload|Werkdruk neemt toe|
g1|role_shift|Van secretaresse naar spin in het web|
g1|online_meetings|Alles via Teams|
g1|minutes_ai|Teams maakt zelf de notulen|
g1|privacy|AVG regels worden strenger|
g1|paperless|Papierloos kantoor|
g1|single_g1a|Kantoorhond op de werkvloer|
g1|genz|Gen Z wil andere dingen|
g1|learning|Blijven leren, bijscholing nodig|
g1|chatbot|Chatbot beantwoordt standaardvragen|
g1|job_loss|Minder assistenten nodig|
g2|ai_routine|ChatGPT schrijft mijn mails en brieven|ai
g2|ai_routine|AI tools nemen repetitief werk over|ai
g2|minutes_ai|Notuleren gaat automatisch met AI|ai
g2|remote|Meer thuiswerkdagen|
g2|remote|Werken op afstand|
g2|ageing|Oudere werknemers stoppen, kennis verdwijnt|
g2|shortage|Krapte op de arbeidsmarkt|
g2|shortage|Moeilijk om goede mensen te vinden|
g2|workload|Altijd bereikbaar zijn, ook 's avonds|
g2|role_shift|Rol verschuift naar strategisch partner van de manager|
g2|sustainability|Duurzaamheid: minder reizen|
g2|security|Phishing mails worden slimmer|
g2|flex_hours|Vierdaagse werkweek|
g2|single_g2a|Hoge energieprijzen op kantoor|
g2|calendar_ai|Agenda plant zichzelf in|
g3|ai_routine|Automatisering van routinematige taken|
g3|ai_routine|Robots doen het administratieve werk|
g3|remote|Hybrid working stays|
g3|remote|Deels thuis, deels op kantoor|
g3|online_meetings|Online vergaderen via Zoom en Teams|
g3|online_meetings|Minder fysieke vergaderingen, meer videobellen|
g3|ageing|Babyboomers met pensioen|
g3|workload|Stress en burn-out|
g3|workload|Mentale gezondheid onder druk|
g3|learning|Omscholing naar digitale vaardigheden|
g3|learning|Een leven lang leren|
g3|privacy|Privacy van gegevens|
g3|paperless|Geen papieren dossiers meer, alles digitaal|
g3|job_loss|Secretaresse functie verdwijnt|
g3|genz|Jonge generatie heeft andere verwachtingen van werk|
g3|diversity|Meer diversiteit in teams|
g3|single_g3a|Kantoortuin is voorbij|
g4|ai_routine|AI takes over routine tasks|
g4|minutes_ai|AI transcribes and summarizes meetings|
g4|remote|Working from home is normal now|
g4|shortage|Labour shortage|
g4|ageing|Ageing workforce|
g4|workload|Work-life balance under pressure|
g4|role_shift|Assistant becomes business partner|
g4|security|Cybersecurity threats grow|
g4|learning|Upskilling in digital tools|
g4|chatbot|Virtual assistants answer questions|
g4|flex_hours|Four-day work week|
g4|single_g4a|Office plants everywhere|
g4|calendar_ai|Smart scheduling tools manage the calendar|
g4|sustainability|Sustainable office, less travel|
g5|ai_routine|Kunstmatige intelligentie neemt saai werk over|tech
g5|chatbot|Chatbots op de website|tech
g5|calendar_ai|Slimme agenda die zelf afspraken inplant|tech
g5|remote|Thuiswerk blijft belangrijk|werk
g5|remote|Flexplekken en thuiswerken|werk
g5|flex_hours|Flexibele werktijden|werk
g5|flex_hours|Zelf je werktijden bepalen|werk
g5|ageing|Vergrijzing|
g5|shortage|Tekort aan personeel|
g5|shortage|Veel vacatures blijven open|
g5|workload|Te hoge werkdruk|
g5|workload|Werkstress|
g5|privacy|AVG en privacy|
g5|paperless|Papierloos werken|
g5|genz|Generatie Z|
g5|job_loss|Banen verdwijnen door AI|
g5|info_overload|Te veel mails en notificaties|
g5|single_g5a|Meer aandacht voor ergonomie|
g6|ai_routine|AI schrijft verslagen en e-mails|
g6|ai_routine|Routinewerk wordt geautomatiseerd|
g6|minutes_ai|Copilot vat vergaderingen samen|
g6|remote|Hybride werken|
g6|online_meetings|Vergaderen via Teams|
g6|ageing|Oudere collega's vertrekken|
g6|shortage|Personeelstekort|
g6|role_shift|Van uitvoerend naar regisserend|
g6|role_shift|Meer projectmanagement in mijn functie|
g6|learning|Bijscholen in nieuwe tools|
g6|sustainability|Duurzaamheid|
g6|sustainability|Groene kantoren|
g6|security|Hackers en datalekken|
g6|diversity|Inclusie op de werkvloer|
g6|flex_contracts|Meer zzp'ers in het team|
g6|single_g6a|Minder budget door bezuinigingen|
g6|recognition|Meer waardering voor het vak|
g7|ai_routine|Generatieve AI doet standaardwerk|
g7|chatbot|Digitale assistent beantwoordt vragen van klanten|
g7|remote|Thuiswerken|
g7|remote|Work from home|
g7|online_meetings|Beeldbellen is normaal geworden|
g7|ageing|Vergrijzend personeelsbestand|
g7|shortage|Vacatures moeilijk te vullen|
g7|workload|Burn-out klachten nemen toe|
g7|role_shift|Assistent wordt adviseur van het management|
g7|learning|Continu leren is noodzaak|
g7|privacy|Bescherming van persoonsgegevens|
g7|paperless|Minder printen|
g7|genz|Jongeren willen flexibiliteit en zingeving|
g7|job_loss|Functie van managementassistent verdwijnt misschien|
g7|flex_contracts|Flexcontracten en uitzendkrachten|
g7|info_overload|Informatie-overload|
g7|recognition|Onzichtbaar werk krijgt geen erkenning|
g7|single_g7a|Kinderopvang op het werk|
g8|ai_routine|Steeds meer taken geautomatiseerd door AI|
g8|minutes_ai|Automatische notulen van online meetings|
g8|calendar_ai|AI beheert de agenda|
g8|remote|Plaatsonafhankelijk werken|
g8|remote|Thuis werken en op kantoor combineren|
g8|online_meetings|Meer online meetings|
g8|ageing|Langer doorwerken, oudere werknemers|
g8|shortage|War for talent|
g8|workload|Werkdruk en stress|
g8|role_shift|Managementassistent als strategisch partner|
g8|learning|Training in AI-vaardigheden|
g8|security|Cyberaanvallen en ransomware|
g8|sustainability|Klimaat en duurzaam werken|
g8|diversity|Diversiteit en inclusie|
g8|flex_hours|Kortere werkweek|
g8|genz|Nieuwe generatie op de werkvloer|
g8|info_overload|Te veel informatie en afleiding|
g8|paperless|Digitaal archief in plaats van papier|
g8|single_g8a|Werken in een andere tijdzone|
g8|single_g8b|Zelfrijdende auto's voor woon-werkverkeer|
"""


def main() -> None:
    """Write the JSON beside this script."""
    notes = []
    for n, line in enumerate(row for row in ROWS.strip().splitlines() if row.strip()):
        room, label, text, cluster = line.split("|")
        notes.append(
            {
                "id": f"n{n + 1:03d}",
                "room": room,
                "label": label,
                "text": text,
                "cluster": f"{room}:{cluster}" if cluster else None,
            }
        )
    out = {
        "description": "Scenario workshop, 8 rooms of management assistants: what changes "
        "your work? Hand-labelled: `label` names the gold item; single_* are singletons.",
        "lane": "trend",
        "notes": notes,
    }
    path = Path(__file__).with_name("synthesis_labelled.json")
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
