// An address that leads nowhere: the page in the person's language, with the ways on.
import { initLanguageSwitch } from "./i18n.js";

initLanguageSwitch();
