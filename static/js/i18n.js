// Dutch and English. The workshop's language is the default; the switch overrides it.
const STRINGS = {
  nl: {
    skip: "Naar de inhoud", language: "Taal", create_title: "Nieuwe workshop", f_title: "Titel",
    f_question: "Centrale vraag", f_method: "Methode", m_scenario: "Scenariomethode",
    m_backcast: "Backcasting", m_free: "Vrije break-out", f_rooms: "Aantal groepen",
    f_language: "Taal", f_private: "Eerst privé schrijven (onthullen wanneer jij wilt)",
    f_room_choice: "Deelnemers kiezen zelf een groep", create: "Aanmaken",
    created_hint: "Bewaar de links: de moderatorlink is je sleutel.", link_moderate: "Moderator",
    link_plenary: "Plenaire projectie", link_join: "Deelnemen", code: "code",
    join_title: "Meedoen", your_name: "Je naam", choose_room: "Groep", any_room: "Maakt niet uit",
    join: "Meedoen", locked: "Vergrendeld", online: "Online", new_note: "Nieuw briefje",
    type_note: "Typ een briefje en druk op Enter", lane: "Baan", color: "Kleur", add: "Toevoegen",
    new_cluster: "Nieuwe cluster", make_cluster: "Cluster maken", rate_title: "Stemmen",
    plot_title: "Assenkruis", axis_x: "As 1 (horizontaal)", axis_y: "As 2 (verticaal)",
    stories_title: "Verhalen per kwadrant", controls: "Besturing",
    targets_hint: "Geldt voor de aangevinkte groepen (geen vinkje: alle groepen).", phase: "Fase",
    set_phase: "Zet fase", prev: "← Vorige", next: "Volgende →", minutes: "Minuten",
    start_timer: "Start timer", stop_timer: "Stop timer", reveal: "Onthul briefjes",
    broadcast: "Bericht aan groepen", send: "Verstuur", synthesis: "Synthese",
    build: "Synthese maken", merge_selected: "Voeg geselecteerde samen", open_plenary: "Open projectie",
    waiting: "De synthese volgt zo.", connecting: "Verbinden…", connected: "Verbonden",
    reconnecting: "Verbinding kwijt, opnieuw verbinden…", pending: "wacht op verbinding",
    impact: "Impact", uncertainty: "Onzekerheid", edit: "Bewerk", delete: "Verwijder", save: "Bewaar",
    cancel: "Annuleer", you: "jij", hidden_note: "(privé briefje)", unclustered: "Los",
    move_to: "Naar cluster", rename: "Hernoem", delete_cluster: "Verwijder cluster",
    tally: (m, n) => `gem. ${m} (${n} stemmen)`, tally_hidden: (n) => `${n} stemmen, uitslag volgt`,
    suggested: (x, y) => `Suggestie: ${x} × ${y}`, none: "—", title: "Titel", metaphor: "Metafoor",
    story_text: "Verhaal", conflict: "Iemand anders schreef tegelijk; beide teksten staan er nu in.",
    timer_left: (t) => `nog ${t}`, timer: "Timer", participants: "Deelnemers", notes: "Briefjes",
    last_activity: "Laatste activiteit", stuck: "stil", open_board: "Open bord", lock: "Vergrendel",
    unlock: "Ontgrendel", move: "Verplaats naar", rooms_label: "groepen", score: "score",
    split: "Splits geselecteerde", new_note_announce: (t) => `Nieuw briefje: ${t}`,
    moved: "Je bent naar een andere groep verplaatst.", bad_token: "Deze link is niet (meer) geldig.",
    q_hh: "Hoge impact, hoge onzekerheid", q_hl: "Hoge impact, lage onzekerheid",
    q_lh: "Lage impact, hoge onzekerheid", q_ll: "Lage impact, lage onzekerheid",
    lane_trend: "Trends", lane_keep: "Wat blijft", lane_new: "Wat is nieuw", lane_drop: "Wat verdwijnt",
    lane_note: "Notities",
    phase_lobby: "Lobby", phase_collect: "Verzamelen", phase_cluster: "Clusteren", phase_rate: "Stemmen",
    phase_plot: "Assenkruis", phase_story: "Verhalen", phase_closed: "Afgesloten", phase_open: "Open",
    c_yellow: "geel", c_pink: "roze", c_blue: "blauw", c_green: "groen", c_orange: "oranje", c_purple: "paars",
  },
  en: {
    skip: "Skip to content", language: "Language", create_title: "New workshop", f_title: "Title",
    f_question: "Central question", f_method: "Method", m_scenario: "Scenario method",
    m_backcast: "Backcasting", m_free: "Free break-out", f_rooms: "Number of rooms",
    f_language: "Language", f_private: "Write privately first (reveal when you choose)",
    f_room_choice: "Participants choose their own room", create: "Create",
    created_hint: "Keep these links: the moderator link is your key.", link_moderate: "Moderator",
    link_plenary: "Plenary projection", link_join: "Join", code: "code",
    join_title: "Join", your_name: "Your name", choose_room: "Room", any_room: "Any room",
    join: "Join", locked: "Locked", online: "Online", new_note: "New note",
    type_note: "Type a note and press Enter", lane: "Lane", color: "Colour", add: "Add",
    new_cluster: "New cluster", make_cluster: "Make cluster", rate_title: "Voting",
    plot_title: "Axis cross", axis_x: "Axis 1 (horizontal)", axis_y: "Axis 2 (vertical)",
    stories_title: "Stories per quadrant", controls: "Controls",
    targets_hint: "Applies to the ticked rooms (none ticked: all rooms).", phase: "Phase",
    set_phase: "Set phase", prev: "← Previous", next: "Next →", minutes: "Minutes",
    start_timer: "Start timer", stop_timer: "Stop timer", reveal: "Reveal notes",
    broadcast: "Message to rooms", send: "Send", synthesis: "Synthesis",
    build: "Build synthesis", merge_selected: "Merge selected", open_plenary: "Open projection",
    waiting: "The synthesis follows shortly.", connecting: "Connecting…", connected: "Connected",
    reconnecting: "Connection lost, reconnecting…", pending: "waiting for connection",
    impact: "Impact", uncertainty: "Uncertainty", edit: "Edit", delete: "Delete", save: "Save",
    cancel: "Cancel", you: "you", hidden_note: "(private note)", unclustered: "Loose",
    move_to: "To cluster", rename: "Rename", delete_cluster: "Delete cluster",
    tally: (m, n) => `avg ${m} (${n} votes)`, tally_hidden: (n) => `${n} votes, result follows`,
    suggested: (x, y) => `Suggested: ${x} × ${y}`, none: "—", title: "Title", metaphor: "Metaphor",
    story_text: "Story", conflict: "Someone else wrote at the same time; both texts are in now.",
    timer_left: (t) => `${t} left`, timer: "Timer", participants: "Participants", notes: "Notes",
    last_activity: "Last activity", stuck: "quiet", open_board: "Open board", lock: "Lock",
    unlock: "Unlock", move: "Move to", rooms_label: "rooms", score: "score",
    split: "Split selected", new_note_announce: (t) => `New note: ${t}`,
    moved: "You were moved to another room.", bad_token: "This link is not valid (any more).",
    q_hh: "High impact, high uncertainty", q_hl: "High impact, low uncertainty",
    q_lh: "Low impact, high uncertainty", q_ll: "Low impact, low uncertainty",
    lane_trend: "Trends", lane_keep: "What stays", lane_new: "What is new", lane_drop: "What disappears",
    lane_note: "Notes",
    phase_lobby: "Lobby", phase_collect: "Collect", phase_cluster: "Cluster", phase_rate: "Rate",
    phase_plot: "Axis cross", phase_story: "Stories", phase_closed: "Closed", phase_open: "Open",
    c_yellow: "yellow", c_pink: "pink", c_blue: "blue", c_green: "green", c_orange: "orange", c_purple: "purple",
  },
};

let current = localStorage.getItem("plenary.lang") || "nl";
const listeners = [];

export function t(key, ...args) {
  const value = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return typeof value === "function" ? value(...args) : value;
}

export function language() { return current; }

export function setLanguage(lang, { remember = false } = {}) {
  if (!STRINGS[lang]) return;
  current = lang;
  if (remember) localStorage.setItem("plenary.lang", lang);
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  const select = document.getElementById("lang-switch");
  if (select) select.value = lang;
  for (const listener of listeners) listener(lang);
}

// The workshop's language applies unless the person chose one with the switch.
export function useWorkshopLanguage(lang) {
  if (!localStorage.getItem("plenary.lang")) setLanguage(lang);
}

export function onLanguage(listener) { listeners.push(listener); }

export function initLanguageSwitch() {
  const select = document.getElementById("lang-switch");
  select?.addEventListener("change", () => setLanguage(select.value, { remember: true }));
  setLanguage(current);
}
