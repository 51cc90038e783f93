// @ts-check
// The DOM event the MAIN-world reader (main-world.js, run in the page's own
// world) fires with one API answer, heard by the content script
// (network-results.js). Its detail is a JSON string {api, validStatus,
// validFlag}: strings cross worlds intact. Both bundles import this name.

export const NETWORK_RESULT_EVENT = "heyan:network-result";
