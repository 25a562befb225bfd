// Dutch and English. The workshop's language is the default; the switch overrides it.
// Every text a person sees comes from here, server errors included (by their code).
// "1 stem", "2 stemmen": a count with the word in the right number.
const pl = (n, one, many) => `${n} ${n === 1 ? one : many}`;

const STRINGS = {
  nl: {
    skip: "Naar de inhoud", skip_nav: "Naar een onderdeel", skip_controls: "Naar de besturing", skip_rooms: "Naar de groepen", skip_synthesis: "Naar de synthese",
    skip_projection: "Naar de projectie", skip_polls: "Naar de peilingen", skip_exports: "Naar exporteren",
    skip_followup: "Naar de vervolgworkshop", language: "Taal",
    not_found_title: "Deze pagina bestaat niet", not_found_text: "Misschien is het adres verkeerd getypt of niet helemaal gekopieerd.",
    not_found_join: "Meedoen met een code", not_found_home: "Naar de startpagina",
    workshop_gone: "Deze workshop bestaat niet meer.", workshop_gone_home: "Naar de startpagina", create_title: "Nieuwe workshop", f_title: "Titel",
    f_question: "Centrale vraag", f_method: "Methode", m_scenario: "Scenariomethode",
    m_backcast: "Backcasting", m_free: "Vrije break-out", f_rooms: "Aantal groepen",
    f_language: "Taal", f_private: "Eerst privé schrijven (onthullen wanneer jij wilt)",
    f_room_choice: "Deelnemers kiezen zelf een groep", f_hide_tallies: "Uitslag van de stemming pas tonen als de stemfase voorbij is",
    f_horizon: "Horizon (bij backcasting)", f_horizon_hint: "Het moment in de toekomst waar de groep van terugredeneert, kort (hooguit 40 tekens), bijvoorbeeld ‘december 2030’. Een langere vraag past in ‘Centrale vraag’ hierboven.",
    f_create_token: "Toegangscode om workshops te maken",
    create_token_needed: "Deze server vraagt een toegangscode om een workshop te maken. Vul hem in en probeer opnieuw.",
    create_token_wrong: "Deze toegangscode klopt niet.", create: "Aanmaken",
    home_intro: "Plenary is een live-bord voor break-outsessies. Groepen werken tegelijk aan gedeelde geeltjes op hun telefoon of laptop, zonder account. Daarna komen alle groepen samen in één synthese op het grote scherm.",
    home_roles: "Drie rollen",
    role_moderator: "Moderator: maakt de workshop, zet fasen en timers, stuurt berichten, stelt peilingen en maakt de synthese.",
    role_participant: "Deelnemer: doet mee met de code of de QR-code en schrijft, clustert en stemt in de eigen groep.",
    role_projection: "Projectie: het grote scherm in de plenaire zaal met de code, de voortgang, de synthese en de peilingen.",
    created_hint: "Bewaar de links nu: deze pagina toont ze maar één keer, en de moderatorlink is je sleutel.", open_console: "Open de console", copy: "Kopieer", copied: "Gekopieerd", copy_failed: "Kopiëren lukte niet: selecteer de link", copy_link: (x) => `Kopieer de link: ${x}`, link_moderate: "Moderator",
    link_plenary: "Plenaire projectie", link_join: "Deelnemen", code: "code",
    join_title: "Meedoen", your_name: "Je naam", choose_room: "Groep", any_room: "Maakt niet uit",
    join: "Meedoen", join_unknown: "Deze code kennen we niet. Controleer de code op het scherm.", locked: "Vergrendeld", online: "Online", new_note: "Nieuw briefje",
    type_note: "Typ een briefje en druk op Enter", lane: "Baan", color: "Kleur", add: "Toevoegen",
    new_cluster: "Nieuwe cluster", make_cluster: "Cluster maken",
    clusters_of: (n, max) => `${n} van de ${max} clusters.`,
    clusters_too_many: (n, max) => `${n} clusters: de opdracht vraagt er hooguit ${max}. Kies de belangrijkste en verwijder de rest.`, rate_title: "Stemmen",
    plot_title: "Scenariokruis", axis_x: "As 1 (horizontaal)", axis_y: "As 2 (verticaal)",
    stories_title: "Vier scenario's", controls: "Besturing",
    targets_hint: "Geldt voor de aangevinkte groepen (geen vinkje: alle groepen).", phase: "Fase",
    set_phase: "Zet fase", prev: "← Vorige", next: "Volgende →", minutes: "Minuten",
    start_timer: "Start timer", stop_timer: "Stop timer", reveal: "Onthul briefjes",
    broadcast: "Bericht aan groepen", send: "Verstuur", synthesis: "Synthese",
    build: "Synthese maken", merge_selected: "Voeg geselecteerde samen", open_plenary: "Open projectie",
    waiting: "De synthese volgt zo.", connecting: "Verbinden…", connected: "Verbonden",
    reconnecting: "Verbinding kwijt, opnieuw verbinden…", pending: "wacht op verbinding",
    pending_note: "wacht op verbinding", offline: "Geen verbinding",
    reconnecting_pending: (n) => `Verbinding kwijt, opnieuw verbinden… (${n} ${n === 1 ? "wacht" : "wachten"} op verbinding)`,
    impact: "Impact", uncertainty: "Onzekerheid", edit: "Bewerk", delete: "Verwijder", save: "Bewaar",
    cancel: "Annuleer", you: "jij", hidden_note: "(privé briefje)", unclustered: "Los",
    move_to: "Naar cluster", take_out: "Los (uit de cluster)", rename: "Hernoem", delete_cluster: "Verwijder cluster",
    confirm_delete_cluster: (c) => `Cluster ‘${c}’ verwijderen? De briefjes blijven, los.`,
    yes: "Ja", no: "Nee",
    tally: (m, n) => `gem. ${m} (${pl(n, "stem", "stemmen")})`, tally_hidden: (n) => `${pl(n, "stem", "stemmen")}, uitslag volgt`,
    tally_after_vote: (n) => `${pl(n, "stem", "stemmen")}; het gemiddelde zie je na je eigen stem`,
    suggested: (x, y) => `Suggestie uit de grafiek: ${x} × ${y}`, use_suggestion: "Neem de suggestie over",
    none: "—", title: "Titel", metaphor: "Metafoor",
    story_text: "Verhaal", traits: "Kenmerken", add_trait: "Kenmerk toevoegen", remove_trait: (x) => `Verwijder kenmerk ${x}`,
    traits_full: "Maximaal 8 kenmerken.",
    conflict_story: "Iemand anders veranderde tegelijk dezelfde woorden. Kies wat blijft:",
    conflict_theirs: "Hun versie", conflict_mine: "Jouw versie (aan te passen in het veld erboven):",
    take_theirs: "Neem hun versie", keep_mine: "Bewaar mijn versie",
    conflict_note: "Iemand anders veranderde dit briefje tegelijk; bekijk het en probeer opnieuw.",
    saved: "Bewaard",
    timer_left: (t) => `nog ${t}`, time_up: "De tijd is om!", timer: "Timer", participants: "Deelnemers", notes: "Briefjes",
    last_activity: "Laatste activiteit", stuck: "stil", open_board: "Open bord", lock: "Vergrendel",
    unlock: "Ontgrendel", move: "Verplaats naar", rooms_label: "groepen", score: "score", score_header: "Score",
    split: "Splits geselecteerde", new_note_announce: (t) => `Nieuw briefje: ${t}`,
    moved: "Je bent naar een andere groep verplaatst.",
    person_moved: (name, room) => `${name} zit nu in ${room}.`,
    moved_to: (r) => `De moderator heeft je naar ${r} verplaatst. Je werkt nu in deze groep verder.`,
    bad_token: "Deze link is niet (meer) geldig.",
    quadrant_fallback: "Kies eerst twee assen in het scenariokruis.",
    low: "laag", high: "hoog", pole_low: "Uiterste links/onder", pole_high: "Uiterste rechts/boven",
    pole_low_x: "Pool links", pole_high_x: "Pool rechts", pole_low_y: "Pool onder", pole_high_y: "Pool boven",
    pick_axis: "Kies een onzekerheid", axes_hint: "Kies twee onzekerheden en geef elke as twee uitersten.",
    lane_trend: "Trends", lane_keep: "Wat blijft", lane_new: "Wat is nieuw", lane_drop: "Wat verdwijnt",
    lane_note: "Briefjes", lane_step: "Stappen",
    phase_lobby: "Lobby", phase_collect: "Verzamelen", phase_cluster: "Clusteren", phase_rate: "Stemmen",
    phase_plot: "Scenariokruis", phase_story: "Verhalen", phase_path: "Route", phase_closed: "Afgesloten", phase_open: "Open",
    c_yellow: "geel", c_pink: "roze", c_blue: "blauw", c_green: "groen", c_orange: "oranje", c_purple: "paars",
    more_board: "Rest van het bord", dismiss: "Sluit", message_from: "Bericht van de moderator",
    private_on: "Je briefjes zijn privé: alleen jij en de moderator zien ze tot de moderator ze onthult.",
    private_revealed: "De briefjes zijn onthuld: wat je nu schrijft, ziet iedereen meteen.",
    path_title: "Route naar de horizon", today: "Vandaag", horizon: "Horizon", when: "Wanneer",
    when_placeholder: "bijv. Q1 2027", new_step: "Nieuwe stap", add_step: "Stap toevoegen",
    earlier: "Eerder", later: "Later", step_earlier: (s) => `Eerder: ${s}`, step_later: (s) => `Later: ${s}`,
    when_of: (s) => `Wanneer: ${s}`, no_steps: "Nog geen stappen. Voeg de eerste toe.",
    poll: "Peiling", poll_open_q: "Jouw antwoord", poll_send: "Verstuur antwoord", poll_sent: "Je antwoord is ontvangen. Je kunt het nog wijzigen.",
    poll_other_words: (n) => `${pl(n, "antwoord", "antwoorden")} in andere woorden`,
    building: "Bezig: de briefjes van alle groepen worden samengevoegd…", built_ok: (n) => `Synthese klaar: ${pl(n, "onderwerp", "onderwerpen")}.`,
    poll_locked_rooms: (names) => `Vergrendeld, dus zonder antwoord: ${names}. Ontgrendel om mee te laten doen.`,
    poll_unsent: "Gewijzigd, nog niet verstuurd: druk op ‘Verstuur antwoord’.", poll_need_text: "Typ eerst je antwoord.",
    poll_locked: "De moderator heeft jouw groep vergrendeld: je kunt nu niet antwoorden.",
    poll_pick: (n) => `Kies maximaal ${n}, de belangrijkste eerst.`, poll_choose: "Kies", poll_remove: "Haal weg",
    poll_choose_opt: (o) => `Kies: ${o}`, poll_remove_opt: (o) => `Haal weg: ${o}`, poll_up: (o) => `Hoger: ${o}`, poll_down: (o) => `Lager: ${o}`,
    poll_my_ranking: "Jouw volgorde", poll_empty_ranking: "Nog niets gekozen.",
    poll_closed: "De peiling is gesloten. De uitslag:", poll_results: "Uitslag", points: (n) => pl(n, "punt", "punten"), first_places: (n) => `${n} keer als eerste`,
    answers: (n) => `${n} ${n === 1 ? "antwoord" : "antwoorden"}`, poll_live: "Live uitslag",
    poll_join: (host, code) => `Nog niet binnen? ${host} · code ${code}`, poll_waiting: "Antwoord op je telefoon: de antwoorden verschijnen hier.",
    err_invalid: "Dat kan zo niet: controleer wat je invulde.", err_unauthorized: "Deze link is niet (meer) geldig.",
    err_forbidden: "Dat mag jij hier niet.", err_phase_forbids: "Dat kan niet in deze fase.",
    err_locked: "De moderator heeft deze groep vergrendeld.", err_not_found: "Dat bestaat (niet) meer.",
    err_conflict: "Iemand anders was je net voor; bekijk het en probeer opnieuw.", err_too_large: "Dat is te groot.",
    err_rate_limited: "Even rustig aan: probeer het zo nog eens.", err_unknown_op: "Deze versie van de pagina is verouderd: herlaad de pagina.",
    err_internal: "Er ging iets mis op de server; probeer het nog eens.", err_network: "Geen verbinding met de server; probeer het nog eens.",
    err_poll_open: "Er staat al een peiling open; sluit die eerst.", err_no_synthesis: "Maak eerst een synthese.",
    // console
    mixed: "gemengd", confirm_back: (p, n) => `Dit zet ${n} ${n === 1 ? "groep" : "groepen"} terug naar ‘${p}’. Weet je het zeker?`,
    confirm_back_one: (n) => `Dit zet ${n} ${n === 1 ? "groep" : "groepen"} een fase terug. Weet je het zeker?`,
    confirm_close: (n) => `Dit sluit ${n} ${n === 1 ? "groep" : "groepen"} af: de telefoons kunnen daarna alleen nog lezen. Weet je het zeker?`,
    confirm_delete_workshop: "De hele workshop met alle borden verwijderen? Dit kan niet ongedaan worden.",
    delete_workshop: "Workshop verwijderen",
    reveal_not_private: "Deze workshop schrijft niet privé: alle briefjes zijn al zichtbaar.",
    revealed_ok: (n) => `Briefjes onthuld in ${n} ${n === 1 ? "groep" : "groepen"}.`,
    phase_set_ok: (n) => `Fase gezet in ${n} ${n === 1 ? "groep" : "groepen"}.`, nothing_changed: "Er veranderde niets.",
    broadcast_ok: "Bericht verstuurd.", need_minutes: "Kies 1 tot 120 minuten.", need_message: "Typ eerst het bericht.", timer_ok: "Timer gezet.", timer_stopped: "Timer gestopt.",
    all_rooms: "alle groepen", ticked_rooms: (names) => (names.length <= 3 ? names.join(", ") : `${names.length} groepen aangevinkt`),
    projection: "Projectie", view: "Wat de projectie toont",
    view_auto: "Automatisch", view_join: "Meedoen (code en QR)", view_activity: "Voortgang van de groepen", view_items: "Synthese (ranglijst)",
    view_chart: "Grafiek impact × onzekerheid", view_scenarios: "Scenario's per groep", view_paths: "Routes per groep", views_hint: "Klikken toont meteen; met de pijltjes kies je en met Enter toon je.", view_poll: "Peiling",
    projection_opened: "Projectie geopend in een nieuw venster. Link voor een ander scherm:",
    polls: "Peilingen", poll_question: "Vraag aan iedereen", poll_kind: "Soort", kind_open: "Open vraag", kind_rank: "Rangorde",
    poll_options: "Opties (één per regel)", poll_from_synthesis: "Neem de top van de synthese", poll_from_previous: "Neem de top 5 van de vorige sessie", as_title: "Als titel", poll_top_n: "Hoeveel uit de top",
    poll_pick_n: "Hoeveel kiest iedereen", poll_ask: "Stel de vraag", poll_close: "Sluit de peiling",
    poll_none_open: "Geen peiling open.", poll_past: "Eerdere peilingen",
    followup: "Vervolgworkshop", followup_hint: "Een nieuwe workshop die de top 5 van deze synthese meeneemt.",
    followup_carries: "Taal, horizon, privé schrijven, verborgen uitslag en zelf een groep kiezen gaan mee zoals in deze workshop.",
    followup_question: (title) => `Hoe gaan we verder met ‘${title}’?`,
    followup_make: "Maak vervolgworkshop", followup_made: "Vervolgworkshop gemaakt:",
    followup_keep: "Bewaar de links nu: ze staan hier maar tot je de pagina herlaadt, en de moderatorlink is de sleutel van de nieuwe workshop.",
    exports: "Exporteren", export_csv_semicolon: "export.csv (puntkomma, Excel NL)", report_page: "Rapport (afdrukken)",
    cross_of: "Kruis", path_of: "Route", steps_n: (n) => pl(n, "stap", "stappen"), no_cross: "nog geen kruis",
    quiet_since: (m) => `stil sinds ${m} min`,
    lexicon: "Vakwoordenlijst (toekomst van werk) gebruiken",
    lexicon_hint: "Alleen voor workshops over werk. Omzetten maakt de synthese opnieuw.",
    lexicon_on_ok: "Synthese opnieuw gemaakt, met de vakwoordenlijst.", lexicon_off_ok: "Synthese opnieuw gemaakt, zonder de vakwoordenlijst.",
    suggestions: "Voorstellen", no_suggestions: "Geen voorstellen.",
    suggestions_hint: "Hier weet Plenary het niet zeker. Jij beslist; je antwoord blijft gelden als je de synthese opnieuw maakt.",
    sug_merge: "Samenvoegen?", sug_move: "Verplaatsen?", sug_to: "naar", sug_now_in: (x) => `nu in «${x}»`,
    sug_merge_yes: "Ja, samenvoegen", sug_merge_no: "Nee, apart houden",
    sug_undo: "Ongedaan maken", sug_merged: "Samengevoegd.", sug_moved: "Verplaatst.",
    sug_undone: "Ongedaan gemaakt: ze blijven voortaan apart.",
    sug_move_yes: "Ja, verplaatsen", sug_move_no: "Nee, laten staan",
    err_suggestion_gone: "Dit voorstel geldt niet meer: de synthese is intussen veranderd.",
    clusters: "Clusters",
    // projection
    join_at: "Doe mee op", join_with_code: "met de code", people_online: "online", notes_total: "briefjes",
    people_n: (n) => `${n} online`, notes_n: (n) => pl(n, "briefje", "briefjes"), participants_n: (n) => pl(n, "deelnemer", "deelnemers"), page_of: (a, b) => `${a}/${b}`,
    score_explain: "Score 0–100: impact telt 40%, onzekerheid 30% en het aandeel groepen dat het noemde 30%.",
    score_parts: (s, i, u, r, n, v) => `score ${s} = impact ${i} · onzekerheid ${u}${v ? ` (${pl(v, "stem", "stemmen")})` : ""} · ${r} van ${pl(n, "groep", "groepen")}`,
    score_rooms: (s, r, n) => `score ${s} = ${r} van ${pl(n, "groep", "groepen")}`,
    rooms_of: (r, n) => `genoemd in ${r} van ${pl(n, "groep", "groepen")}`,
    previous_session: (title) => `Vorige sessie: ${title}`, previous_top: (q) => `${q} Bovenaan kwam:`,
    previous_in: (n) => pl(n, "groep", "groepen"),
    score_explain_rooms: "Niemand stemde: hoe meer groepen een onderwerp noemden, hoe hoger het staat.",
    score_explain_free: "Gerangschikt op hoeveel groepen een onderwerp noemden.",
    all_rooms_badge: "alle groepen",
    legend: "Legenda", chart_title: "Impact × onzekerheid", no_scenarios: "Nog geen scenariokruis in de groepen.",
    free_no_chart: "In een vrije break-out wordt niet gestemd: er is geen grafiek.", no_votes_yet: "Nog geen stemmen: de grafiek verschijnt zodra de groepen stemmen.",
    free_no_scenarios: "Een vrije break-out maakt geen scenario's.", no_paths: "Nog geen route in de groepen.",
    no_poll: "Nog geen peiling.", waiting_activity: "De groepen zijn aan het werk",
    activity_lobby: "De groepen staan klaar voor de start", activity_closed: "De groepen zijn klaar",
    // report
    report: "Rapport", print: "Afdrukken / PDF bewaren", download_pdf: "PDF downloaden", generated: "Gemaakt op",
    method: "Methode", question: "Vraag", date: "Datum", rooms_n: "Groepen", previous: "Vorige sessie",
    scenarios_per_room: "Scenario's per groep", paths_per_room: "Route naar de horizon per groep", boards_per_room: "Borden per groep",
    rank: "#", item: "Onderwerp", raised_in: "Genoemd in", axes: "Assen", cluster: "cluster",
    of_rooms: (n, total) => `${n} van ${total}`,
    // labels of regions (aria-label), the jump to a new task, joining by code
    chart_no_votes: "Nog geen stemmen: de grafiek vult zich zodra er gestemd is.",
    rooms_aria: "Groepen", notes_aria: "Briefjes", online_aria: "Online",
    new_phase_bar: (p) => `Nieuwe fase: ${t(`phase_${p}`)} — naar de opdracht`,
    new_poll_bar: "Nieuwe peiling — naar de peiling",
    poll_result_bar: "De uitslag van de peiling — bekijk",
    locked_bar: "De moderator heeft het bord vergrendeld — naar boven",
    message_bar: "Bericht van de moderator — naar boven",
    more_notes: (n) => `nog ${pl(n, "briefje", "briefjes")}`,
    story_empty: "Dit scenario kreeg geen verhaal.",
    chart_orange: "Oranje: de assen, of de twee met de hoogste impact × onzekerheid als voorstel.",
    legend_more: (n) => `… en nog ${n}, met titel in het rapport`,
    chart_unrated: (n) => `${pl(n, "onderwerp", "onderwerpen")} zonder stemmen ${n === 1 ? "staat" : "staan"} niet in de grafiek.`,
    time_up_bar: "De tijd is om — naar boven",
    synthesis_stale: (n) => `${pl(n, "briefje is", "briefjes zijn")} nieuw, gewijzigd of weg sinds de synthese. Druk op Synthese maken om ze mee te nemen; wat je samenvoegde, hernoemde of besliste blijft.`,
    pole_unsent: (text) => `De fase ging verder voordat je naam voor een pool was opgeslagen: «${text}». Vraag de moderator even terug naar het kruis als je hem nog wilt zetten.`,
    note_unsent: (text) => `In deze fase kun je geen briefjes toevoegen, dus je begonnen briefje is nog niet verstuurd. Je tekst blijft bewaard voor als het weer kan: «${text}»`,
    join_code_title: "Meedoen met een code", f_code: "Code", code_hint: "De code staat op het grote scherm, bijvoorbeeld ABCD2345.",
    go_on: "Verder", need_code: "Vul de code in.",
    // a page opened without its key
    link_moderate_title: "Deze pagina heeft je moderatorlink nodig",
    link_moderate_text: "Open de console met de moderatorlink die je kreeg toen je de workshop maakte: het adres dat eindigt op #token=…. Een adres uit de adresbalk werkt niet: de pagina haalt de sleutel er meteen uit, zodat niemand hem kan meelezen.",
    link_plenary_title: "Deze projectie heeft een projectielink nodig",
    link_plenary_text: "Open de projectie vanuit de console met de knop Open projectie, of met de projectielink die je kreeg toen je de workshop maakte (het adres eindigt op #token=…).",
    link_report_title: "Dit rapport heeft je moderatorlink nodig",
    link_report_text: "Open het rapport vanuit de console met Rapport (afdrukken). Een adres uit de adresbalk werkt niet: de sleutel zit er niet meer in.",
    link_invalid: "Deze link is niet (meer) geldig: misschien is hij niet helemaal gekopieerd, of is de workshop verwijderd.",
    link_board_title: "Je doet nog niet mee in deze workshop",
    link_board_text: "Meld je eerst aan met je naam: met de code van het grote scherm of met de deelnamelink. Daarna kom je vanzelf in je groep.",
    link_participant: "Doe je mee als deelnemer?", link_participant_go: "Meedoen met een code",
    // what a form still needs, named by its field
    need_title: "Geef de workshop een titel.", need_question: "Vul de centrale vraag in.", need_name: "Vul je naam in.",
    locked_note: "De moderator heeft dit bord vergrendeld: je kunt meelezen, maar nu niets veranderen.",
    impact_scale: "1 = weinig invloed, 5 = heel veel invloed op ons werk.", uncertainty_scale: "1 = dat weten we vrij zeker, 5 = niemand weet hoe het uitpakt.",
    poles_unnamed: "Geef beide uitersten van elke as een naam (zoals ‘sterk’ en ‘zwak’): anders heten jullie scenario's ‘laag · hoog’.", poles_unnamed_short: "uitersten nog zonder naam",
    need_rooms: "Kies 1 tot 64 groepen.", need_horizon: "Geef de horizon: het moment in de toekomst, bijvoorbeeld ‘december 2030’.",
    need_poll_options: "Geef minstens twee opties, één per regel.", poll_option_twice: "Een optie staat er twee keer in.", need_poll_question: "Vul de vraag in.",
    chars_used: (n, max) => `${n}/${max}`, chars_full: (max) => `${max}/${max}: meer past er niet in`,
    pasted_cut: (max) => `De geplakte tekst was te lang: alleen het begin (tot ${max} tekens, tot het laatste hele woord) staat erin.`,
    note_empty: "Typ eerst iets op je briefje.", story_unsaved: "Nog niet opgeslagen: de groep ging dicht terwijl je typte. Gaat ze weer open, dan gaan je woorden vanzelf mee; anders kun je ze hier overnemen:", step_empty: "Typ eerst wat de stap is.", delete_note_q: "Dit briefje verwijderen? Het komt niet terug.",
  },
  en: {
    skip: "Skip to content", skip_nav: "Skip to a part", skip_controls: "Skip to the controls", skip_rooms: "Skip to the groups", skip_synthesis: "Skip to the synthesis",
    skip_projection: "Skip to the projection", skip_polls: "Skip to the polls", skip_exports: "Skip to the exports",
    skip_followup: "Skip to the follow-up workshop", language: "Language",
    not_found_title: "This page does not exist", not_found_text: "Perhaps the address was mistyped or not copied whole.",
    not_found_join: "Join with a code", not_found_home: "To the home page",
    workshop_gone: "This workshop no longer exists.", workshop_gone_home: "To the home page", create_title: "New workshop", f_title: "Title",
    f_question: "Central question", f_method: "Method", m_scenario: "Scenario method",
    m_backcast: "Backcasting", m_free: "Free break-out", f_rooms: "Number of groups",
    f_language: "Language", f_private: "Write privately first (reveal when you choose)",
    f_room_choice: "Participants choose their own group", f_hide_tallies: "Show vote results only once the rating phase is over",
    f_horizon: "Horizon (for backcasting)", f_horizon_hint: "The moment in the future the group reasons back from, short (40 characters at most), such as ‘December 2030’. A longer question fits in ‘Central question’ above.",
    f_create_token: "Access code to create workshops",
    create_token_needed: "This server asks for an access code to create a workshop. Fill it in and try again.",
    create_token_wrong: "This access code is not right.", create: "Create",
    home_intro: "Plenary is a live board for break-out sessions. Groups work at the same time on shared sticky notes from their phone or laptop, without an account. Then all groups come together in one synthesis on the big screen.",
    home_roles: "Three roles",
    role_moderator: "Moderator: creates the workshop, sets phases and timers, sends messages, asks polls and builds the synthesis.",
    role_participant: "Participant: joins with the code or the QR code and writes, clusters and votes in their own group.",
    role_projection: "Projection: the big screen in the plenary with the code, the progress, the synthesis and the polls.",
    created_hint: "Keep these links now: this page shows them only once, and the moderator link is your key.", open_console: "Open the console", copy: "Copy", copied: "Copied", copy_failed: "Copying failed: select the link", copy_link: (x) => `Copy the link: ${x}`, link_moderate: "Moderator",
    link_plenary: "Plenary projection", link_join: "Join", code: "code",
    join_title: "Join", your_name: "Your name", choose_room: "Group", any_room: "Any group",
    join: "Join", join_unknown: "We do not know this code. Check the code on the screen.", locked: "Locked", online: "Online", new_note: "New note",
    type_note: "Type a note and press Enter", lane: "Lane", color: "Colour", add: "Add",
    new_cluster: "New cluster", make_cluster: "Make cluster",
    clusters_of: (n, max) => `${n} of the ${max} clusters.`,
    clusters_too_many: (n, max) => `${n} clusters: the task asks for ${max} at most. Keep the most important and delete the rest.`, rate_title: "Voting",
    plot_title: "Scenario cross", axis_x: "Axis 1 (horizontal)", axis_y: "Axis 2 (vertical)",
    stories_title: "Four scenarios", controls: "Controls",
    targets_hint: "Applies to the ticked groups (none ticked: all groups).", phase: "Phase",
    set_phase: "Set phase", prev: "← Previous", next: "Next →", minutes: "Minutes",
    start_timer: "Start timer", stop_timer: "Stop timer", reveal: "Reveal notes",
    broadcast: "Message to groups", send: "Send", synthesis: "Synthesis",
    build: "Build synthesis", merge_selected: "Merge selected", open_plenary: "Open projection",
    waiting: "The synthesis follows shortly.", connecting: "Connecting…", connected: "Connected",
    reconnecting: "Connection lost, reconnecting…", pending: "waiting for connection",
    pending_note: "waiting for connection", offline: "Offline",
    reconnecting_pending: (n) => `Connection lost, reconnecting… (${n} waiting for connection)`,
    impact: "Impact", uncertainty: "Uncertainty", edit: "Edit", delete: "Delete", save: "Save",
    cancel: "Cancel", you: "you", hidden_note: "(private note)", unclustered: "Loose",
    move_to: "To cluster", take_out: "Loose (out of the cluster)", rename: "Rename", delete_cluster: "Delete cluster",
    confirm_delete_cluster: (c) => `Delete cluster ‘${c}’? Its notes stay, loose.`,
    yes: "Yes", no: "No",
    tally: (m, n) => `avg ${m} (${pl(n, "vote", "votes")})`, tally_hidden: (n) => `${pl(n, "vote", "votes")}, result follows`,
    tally_after_vote: (n) => `${pl(n, "vote", "votes")}; you see the average after your own vote`,
    suggested: (x, y) => `Suggested by the chart: ${x} × ${y}`, use_suggestion: "Use the suggestion",
    none: "—", title: "Title", metaphor: "Metaphor",
    story_text: "Story", traits: "Characteristics", add_trait: "Add characteristic", remove_trait: (x) => `Remove characteristic ${x}`,
    traits_full: "At most 8 characteristics.",
    conflict_story: "Someone else changed the same words at the same time. Choose what stays:",
    conflict_theirs: "Their version", conflict_mine: "Your version (to adjust in the field above):",
    take_theirs: "Take their version", keep_mine: "Save my version",
    conflict_note: "Someone else changed this note at the same time; look at it and try again.",
    saved: "Saved",
    timer_left: (t) => `${t} left`, time_up: "Time is up!", timer: "Timer", participants: "Participants", notes: "Notes",
    last_activity: "Last activity", stuck: "quiet", open_board: "Open board", lock: "Lock",
    unlock: "Unlock", move: "Move to", rooms_label: "groups", score: "score", score_header: "Score",
    split: "Split selected", new_note_announce: (t) => `New note: ${t}`,
    moved: "You were moved to another group.",
    person_moved: (name, room) => `${name} is now in ${room}.`,
    moved_to: (r) => `The moderator moved you to ${r}. You carry on in this group.`,
    bad_token: "This link is not valid (any more).",
    quadrant_fallback: "First choose two axes in the scenario cross.",
    low: "low", high: "high", pole_low: "Pole left/bottom", pole_high: "Pole right/top",
    pole_low_x: "Left pole", pole_high_x: "Right pole", pole_low_y: "Bottom pole", pole_high_y: "Top pole",
    pick_axis: "Choose an uncertainty", axes_hint: "Choose two uncertainties and give each axis two poles.",
    lane_trend: "Trends", lane_keep: "What stays", lane_new: "What is new", lane_drop: "What disappears",
    lane_note: "Notes", lane_step: "Steps",
    phase_lobby: "Lobby", phase_collect: "Collect", phase_cluster: "Cluster", phase_rate: "Rate",
    phase_plot: "Scenario cross", phase_story: "Stories", phase_path: "Path", phase_closed: "Closed", phase_open: "Open",
    c_yellow: "yellow", c_pink: "pink", c_blue: "blue", c_green: "green", c_orange: "orange", c_purple: "purple",
    more_board: "The rest of the board", dismiss: "Close", message_from: "Message from the moderator",
    private_on: "Your notes are private: only you and the moderator see them until the moderator reveals them.",
    private_revealed: "The notes are revealed: what you write now, everyone sees at once.",
    path_title: "Path to the horizon", today: "Today", horizon: "Horizon", when: "When",
    when_placeholder: "e.g. Q1 2027", new_step: "New step", add_step: "Add step",
    earlier: "Earlier", later: "Later", step_earlier: (s) => `Earlier: ${s}`, step_later: (s) => `Later: ${s}`,
    when_of: (s) => `When: ${s}`, no_steps: "No steps yet. Add the first one.",
    poll: "Poll", poll_open_q: "Your answer", poll_send: "Send answer", poll_sent: "Your answer is in. You can still change it.",
    poll_other_words: (n) => `${pl(n, "answer", "answers")} in other words`,
    building: "Working: merging the notes of all groups…", built_ok: (n) => `Synthesis ready: ${pl(n, "item", "items")}.`,
    poll_locked_rooms: (names) => `Locked, so not answering: ${names}. Unlock them to take part.`,
    poll_unsent: "Changed, not sent yet: press ‘Send answer’.", poll_need_text: "Type your answer first.",
    poll_locked: "The moderator has locked your group: you cannot answer now.",
    poll_pick: (n) => `Pick up to ${n}, most important first.`, poll_choose: "Pick", poll_remove: "Remove",
    poll_choose_opt: (o) => `Pick: ${o}`, poll_remove_opt: (o) => `Remove: ${o}`, poll_up: (o) => `Higher: ${o}`, poll_down: (o) => `Lower: ${o}`,
    poll_my_ranking: "Your order", poll_empty_ranking: "Nothing picked yet.",
    poll_closed: "The poll is closed. The result:", poll_results: "Result", points: (n) => pl(n, "point", "points"), first_places: (n) => (n === 1 ? "first once" : `first ${n} times`),
    answers: (n) => `${n} ${n === 1 ? "answer" : "answers"}`, poll_live: "Live result",
    poll_join: (host, code) => `Not in yet? ${host} · code ${code}`, poll_waiting: "Answer on your phone: the answers appear here.",
    err_invalid: "That does not work like this: check what you filled in.", err_unauthorized: "This link is not valid (any more).",
    err_forbidden: "You may not do that here.", err_phase_forbids: "That is not possible in this phase.",
    err_locked: "The moderator has locked this group.", err_not_found: "That does not exist (any more).",
    err_conflict: "Someone else was just ahead of you; look and try again.", err_too_large: "That is too large.",
    err_rate_limited: "Slow down a little: try again in a moment.", err_unknown_op: "This page is out of date: reload it.",
    err_internal: "Something went wrong on the server; try again.", err_network: "No connection to the server; try again.",
    err_poll_open: "A poll is already open; close it first.", err_no_synthesis: "Build the synthesis first.",
    mixed: "mixed", confirm_back: (p, n) => `This sets ${n} ${n === 1 ? "group" : "groups"} back to ‘${p}’. Are you sure?`,
    confirm_back_one: (n) => `This sets ${n} ${n === 1 ? "group" : "groups"} one phase back. Are you sure?`,
    confirm_close: (n) => `This closes ${n} ${n === 1 ? "group" : "groups"}: the phones can only read after that. Are you sure?`,
    confirm_delete_workshop: "Delete the whole workshop with every board? This cannot be undone.",
    delete_workshop: "Delete workshop",
    reveal_not_private: "This workshop does not write privately: every note is visible already.",
    revealed_ok: (n) => `Notes revealed in ${n} ${n === 1 ? "group" : "groups"}.`,
    phase_set_ok: (n) => `Phase set in ${n} ${n === 1 ? "group" : "groups"}.`, nothing_changed: "Nothing changed.",
    broadcast_ok: "Message sent.", need_minutes: "Choose 1 to 120 minutes.", need_message: "Type the message first.", timer_ok: "Timer set.", timer_stopped: "Timer stopped.",
    all_rooms: "all groups", ticked_rooms: (names) => (names.length <= 3 ? names.join(", ") : `${names.length} groups ticked`),
    projection: "Projection", view: "What the projection shows",
    view_auto: "Automatic", view_join: "Join (code and QR)", view_activity: "Progress of the groups", view_items: "Synthesis (ranking)",
    view_chart: "Chart impact × uncertainty", view_scenarios: "Scenarios per group", view_paths: "Paths per group", views_hint: "A click shows it at once; with the arrow keys you choose and Enter shows it.", view_poll: "Poll",
    projection_opened: "Projection opened in a new window. Link for another screen:",
    polls: "Polls", poll_question: "Question to everyone", poll_kind: "Kind", kind_open: "Open question", kind_rank: "Ranking",
    poll_options: "Options (one per line)", poll_from_synthesis: "Take the top of the synthesis", poll_from_previous: "Take the previous session's top 5", as_title: "As title", poll_top_n: "How many from the top",
    poll_pick_n: "How many everyone picks", poll_ask: "Ask the question", poll_close: "Close the poll",
    poll_none_open: "No poll open.", poll_past: "Earlier polls",
    followup: "Follow-up workshop", followup_hint: "A new workshop that carries this synthesis's top 5.",
    followup_carries: "Language, horizon, writing privately, hidden results and choosing a group carry over as in this workshop.",
    followup_question: (title) => `How do we go on with “${title}”?`,
    followup_make: "Create follow-up workshop", followup_made: "Follow-up workshop created:",
    followup_keep: "Keep these links now: they stay here only until you reload the page, and the moderator link is the new workshop's key.",
    exports: "Export", export_csv_semicolon: "export.csv (semicolons, Dutch Excel)", report_page: "Report (print)",
    cross_of: "Cross", path_of: "Path", steps_n: (n) => pl(n, "step", "steps"), no_cross: "no cross yet",
    quiet_since: (m) => `quiet for ${m} min`,
    lexicon: "Use the subject word list (future of work)",
    lexicon_hint: "Only for workshops about work. Switching rebuilds the synthesis.",
    lexicon_on_ok: "Synthesis rebuilt, with the subject word list.", lexicon_off_ok: "Synthesis rebuilt, without the subject word list.",
    suggestions: "Suggestions", no_suggestions: "No suggestions.",
    suggestions_hint: "Plenary is not sure about these. You decide; your answer holds when you rebuild the synthesis.",
    sug_merge: "Merge?", sug_move: "Move?", sug_to: "to", sug_now_in: (x) => `now in «${x}»`,
    sug_merge_yes: "Yes, merge", sug_merge_no: "No, keep apart",
    sug_undo: "Undo", sug_merged: "Merged.", sug_moved: "Moved.",
    sug_undone: "Undone: they stay apart from now on.",
    sug_move_yes: "Yes, move", sug_move_no: "No, leave it",
    err_suggestion_gone: "This suggestion no longer applies: the synthesis has changed meanwhile.",
    clusters: "Clusters",
    join_at: "Join at", join_with_code: "with the code", people_online: "online", notes_total: "notes",
    people_n: (n) => `${n} online`, notes_n: (n) => pl(n, "note", "notes"), participants_n: (n) => pl(n, "participant", "participants"), page_of: (a, b) => `${a}/${b}`,
    score_explain: "Score 0–100: impact counts 40%, uncertainty 30% and the share of groups that raised it 30%.",
    score_parts: (s, i, u, r, n, v) => `score ${s} = impact ${i} · uncertainty ${u}${v ? ` (${pl(v, "vote", "votes")})` : ""} · ${r} of ${pl(n, "group", "groups")}`,
    score_rooms: (s, r, n) => `score ${s} = ${r} of ${pl(n, "group", "groups")}`,
    rooms_of: (r, n) => `raised in ${r} of ${pl(n, "group", "groups")}`,
    previous_session: (title) => `Previous session: ${title}`, previous_top: (q) => `${q} Top of the list:`,
    previous_in: (n) => pl(n, "group", "groups"),
    score_explain_rooms: "Nobody voted: the more groups raised an item, the higher it stands.",
    score_explain_free: "Ranked by how many groups raised an item.",
    all_rooms_badge: "all groups",
    legend: "Legend", chart_title: "Impact × uncertainty", no_scenarios: "No scenario cross in the groups yet.",
    free_no_chart: "A free break-out does not vote: there is no chart.", no_votes_yet: "No votes yet: the chart appears once the groups vote.",
    free_no_scenarios: "A free break-out makes no scenarios.", no_paths: "No path in the groups yet.",
    no_poll: "No poll yet.", waiting_activity: "The groups are at work",
    activity_lobby: "The groups are ready to start", activity_closed: "The groups have finished",
    report: "Report", print: "Print / save as PDF", download_pdf: "Download PDF", generated: "Made on",
    method: "Method", question: "Question", date: "Date", rooms_n: "Groups", previous: "Previous session",
    scenarios_per_room: "Scenarios per group", paths_per_room: "Path to the horizon per group", boards_per_room: "Boards per group",
    rank: "#", item: "Item", raised_in: "Raised in", axes: "Axes", cluster: "cluster",
    of_rooms: (n, total) => `${n} of ${total}`,
    chart_no_votes: "No votes yet: the chart fills once people have voted.",
    rooms_aria: "Groups", notes_aria: "Notes", online_aria: "Online",
    new_phase_bar: (p) => `New phase: ${t(`phase_${p}`)} — to the task`,
    new_poll_bar: "New poll — to the poll",
    poll_result_bar: "The poll's result — see it",
    locked_bar: "The moderator has locked the board — to the top",
    message_bar: "Message from the moderator — to the top",
    more_notes: (n) => `${pl(n, "more note", "more notes")}`,
    story_empty: "This scenario got no story.",
    chart_orange: "Orange: the axes, or the two with the highest impact × uncertainty as a suggestion.",
    legend_more: (n) => `… and ${n} more, with their titles in the report`,
    chart_unrated: (n) => `${pl(n, "item", "items")} without votes ${n === 1 ? "is" : "are"} not on the chart.`,
    time_up_bar: "Time is up — to the top",
    synthesis_stale: (n) => `${pl(n, "note is", "notes are")} new, changed or gone since the synthesis. Press Build synthesis to take them in; what you merged, renamed or decided stays.`,
    pole_unsent: (text) => `The phase moved on before your pole name was saved: «${text}». Ask the moderator to go back to the cross if you still want to set it.`,
    note_unsent: (text) => `This phase takes no new notes, so the note you started is not sent yet. Your words are kept for when it does: «${text}»`,
    join_code_title: "Join with a code", f_code: "Code", code_hint: "The code is on the big screen, such as ABCD2345.",
    go_on: "Continue", need_code: "Fill in the code.",
    link_moderate_title: "This page needs your moderator link",
    link_moderate_text: "Open the console with the moderator link you got when you created the workshop: the address that ends in #token=…. An address copied from the address bar does not work: the page takes the key out at once, so nobody can read along.",
    link_plenary_title: "This projection needs a projection link",
    link_plenary_text: "Open the projection from the console with the Open projection button, or with the projection link you got when you created the workshop (the address ends in #token=…).",
    link_report_title: "This report needs your moderator link",
    link_report_text: "Open the report from the console with Report (print). An address copied from the address bar does not work: the key is no longer in it.",
    link_invalid: "This link is not valid (any more): perhaps it was not copied whole, or the workshop was deleted.",
    link_board_title: "You are not in this workshop yet",
    link_board_text: "Join with your name first: with the code on the big screen or with the join link. Then you land in your group by yourself.",
    link_participant: "Taking part as a participant?", link_participant_go: "Join with a code",
    need_title: "Give the workshop a title.", need_question: "Fill in the central question.", need_name: "Fill in your name.",
    locked_note: "The moderator has locked this board: you can read along, but not change anything now.",
    impact_scale: "1 = little effect, 5 = a great effect on our work.", uncertainty_scale: "1 = we are fairly sure, 5 = nobody knows how it will turn out.",
    poles_unnamed: "Name both ends of each axis (such as ‘strong’ and ‘weak’): otherwise your scenarios are called ‘low · high’.", poles_unnamed_short: "ends not named yet",
    need_rooms: "Choose 1 to 64 groups.", need_horizon: "Give the horizon: the moment in the future, such as ‘December 2030’.",
    need_poll_options: "Give at least two options, one per line.", poll_option_twice: "An option is there twice.", need_poll_question: "Fill in the question.",
    chars_used: (n, max) => `${n}/${max}`, chars_full: (max) => `${max}/${max}: that is the most it takes`,
    pasted_cut: (max) => `The pasted text was too long: only its start (up to ${max} characters, to the last whole word) is in.`,
    note_empty: "Type something on your note first.", story_unsaved: "Not saved yet: the group closed while you typed. If it opens again, your words go by themselves; otherwise copy them from here:", step_empty: "Type what the step is first.", delete_note_q: "Delete this note? It cannot come back.",
  },
};

// Before a workshop's language is known (home, /join, a page without its key): the
// person's choice, else the browser's first of Dutch or English, else Dutch.
function browserLanguage() {
  for (const tag of navigator.languages || [navigator.language || ""]) {
    const lang = tag.slice(0, 2).toLowerCase();
    if (lang === "nl" || lang === "en") return lang;
  }
  return "nl";
}
let current = localStorage.getItem("plenary.lang") || browserLanguage();
const listeners = [];

export function t(key, ...args) {
  const value = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return typeof value === "function" ? value(...args) : value;
}

export function language() { return current; }

// A text that follows the language switch: kept as key and arguments, re-rendered on a switch.
export function tr(el, key, ...args) {
  if (!el) return;
  if (!key) { el.textContent = ""; el.removeAttribute("data-i18n-dyn"); el._i18n = null; return; }
  el._i18n = { key, args };
  el.setAttribute("data-i18n-dyn", "");
  el.textContent = t(key, ...args);
}

// A server error (or a network failure) in the person's language, by its code.
export function errorKey(code) {
  const key = `err_${code || "network"}`;
  return key in STRINGS.en ? key : "err_internal";
}

export function showError(el, code) { tr(el, errorKey(code)); }

export function setLanguage(lang, { remember = false } = {}) {
  if (!STRINGS[lang]) return;
  current = lang;
  if (remember) localStorage.setItem("plenary.lang", lang);
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of document.querySelectorAll("[data-i18n-aria]")) el.setAttribute("aria-label", t(el.dataset.i18nAria));
  for (const el of document.querySelectorAll("[data-i18n-dyn]")) if (el._i18n) el.textContent = t(el._i18n.key, ...el._i18n.args);
  const select = document.getElementById("lang-switch");
  if (select) select.value = lang;
  for (const listener of listeners) listener(lang);
}

// The workshop's language applies unless the person chose one with the switch.
export function useWorkshopLanguage(lang) {
  if (!localStorage.getItem("plenary.lang") && lang !== current) setLanguage(lang);
}

export function onLanguage(listener) { listeners.push(listener); }

export function initLanguageSwitch() {
  const select = document.getElementById("lang-switch");
  select?.addEventListener("change", () => setLanguage(select.value, { remember: true }));
  setLanguage(current);
}

// 24-hour clock times in the page's language.
export function clockTime(iso) {
  if (!iso) return "—";
  const locale = current === "nl" ? "nl-NL" : "en-GB";
  return new Date(iso).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
}

// A mean as the language writes it: "3,5" in Dutch, "3.5" in English.
export function decimal(value, digits = 1) {
  if (value == null) return "–";
  return value.toLocaleString(current === "nl" ? "nl-NL" : "en-GB", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

// A score: a whole number when it is one (75), else with the language's decimal (76,8).
export function scoreText(score) {
  return Number.isInteger(score) ? String(score) : decimal(score);
}

export function dateText(iso) {
  if (!iso) return "";
  const locale = current === "nl" ? "nl-NL" : "en-GB";
  return new Date(iso).toLocaleDateString(locale, { day: "numeric", month: "long", year: "numeric" });
}

// A quadrant's pole on one axis ("h" or "l" of "hl"): its name, else "hoog"/"laag".
const pole = (axis, letter) => axis?.[letter === "h" ? "high" : "low"] || t(letter === "h" ? "high" : "low");

// A scenario named by its poles (the server's rules.quadrant_name): "Axis: pole · Axis: pole".
export function quadrantName(quadrant, axes) {
  return `${axes?.x?.title || "X"}: ${pole(axes?.x, quadrant[0])} · ${axes?.y?.title || "Y"}: ${pole(axes?.y, quadrant[1])}`;
}

// The same scenario by its poles alone ("overal · veel"): where the axes' names stand beside it.
export function quadrantPoles(quadrant, axes) {
  return `${pole(axes?.x, quadrant[0])} · ${pole(axes?.y, quadrant[1])}`;
}

// A carried item's facts: what it was (backcasting's five mix what stays, is new,
// disappears) and in how many groups it came up.
export function previousFacts(item, rooms) {
  const lane = ["keep", "new", "drop", "step"].includes(item.lane) ? `${t(`lane_${item.lane}`)} · ` : "";
  return `${lane}${t("previous_in", rooms)}`;
}
