// @ts-check
// Deliberately wrong: a content script reaching into the service worker's
// state. The content type check must refuse it (test/typecheck.test.js):
// the worker's modules are not in the content scripts' file list, so their
// code cannot end up in a content-script bundle unnoticed.

import { readState } from "../../background/store.js";

readState().then((state) => console.log(Object.keys(state.people).length));
