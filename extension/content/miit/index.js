// @ts-check
// The content script of beian.miit.gov.cn: the shared bootstrap with this
// site's card placement and its feature list. Built into one classic script
// (content scripts cannot be modules) by scripts/build-extension.

import { startContent } from "../bootstrap.js";
import { miitPlacement } from "./page.js";
import { smsAssistant } from "./sms.js";

startContent({ id: "miit", placement: miitPlacement, features: [smsAssistant] });
