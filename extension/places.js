// @ts-check
// Where the extension's parts and the MIIT page are.

/** The SMS verification page on the MIIT site. */
export const MIIT_SMS_PAGE = "https://beian.miit.gov.cn/#/Integrated/ComplaintA";

/** Where the build puts the core (scripts/build-extension). */
export const CORE_WASM = "core/heyan-core.wasm";
