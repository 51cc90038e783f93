// @ts-check
// Saved people: validated by the core, shown to pages only masked.

/**
 * maskPhone keeps the first 3 and last 4 digits: 138****8000.
 * @param {string} phone
 */
function maskPhone(phone) {
  return phone.length >= 7 ? phone.slice(0, 3) + "****" + phone.slice(-4) : "****";
}

/**
 * personView is what a page may see of a person.
 * @param {Person} p
 * @returns {PersonView}
 */
function personView(p) {
  return {
    id: p.id, name: p.name, role: p.role, phoneMasked: maskPhone(p.phone),
    docType: p.docType, province: p.province || "", filing: p.filing,
  };
}

/**
 * personRecord is what the popup lists of a person: the view and the ID last 6.
 * @param {Person} p
 * @returns {PersonRecord}
 */
function personRecord(p) {
  return { ...personView(p), idLast6: p.idLast6 };
}

/**
 * provinceFor keeps the province only where it changes the rules: Zhejiang,
 * for an HK/Macau permit.
 * @param {string} docType
 * @param {unknown} province
 * @returns {Province}
 */
function provinceFor(docType, province) {
  return docType === "hk-macau-permit" && province === "zhejiang" ? "zhejiang" : "";
}

const ROLES = /** @type {const} */ (["principal", "app-owner", "service-owner"]);

/**
 * validatePerson checks a person with the core and returns the normalized
 * person, or the problems.
 * @param {HeyanCore} core
 * @param {PersonInput} input
 * @param {Lang} lang
 * @returns {{person: Omit<Person, "id"> | null, problems: Problem[]}}
 */
function validatePerson(core, input, lang) {
  /** @type {Problem[]} */
  const problems = [];
  const name = String(input.name || "").trim().slice(0, 40);
  if (!name) {
    problems.push({ code: "name-empty", message: lang === "en" ? "Enter the person's name." : "请填写姓名。" });
  }
  const role = ROLES.includes(input.role) ? input.role : "principal";
  const phone = core.checkPhone(String(input.phone || ""), lang);
  problems.push(...phone.problems);
  const docType = String(input.docType || "resident-id");
  const province = provinceFor(docType, input.province);
  const id = core.checkId(String(input.idLast6 || ""), docType, province, lang);
  problems.push(...id.problems);
  if (problems.length || !phone.valid || !id.valid) return { person: null, problems };
  return {
    person: {
      name, role, phone: phone.normalized, docType, province, idLast6: id.normalized,
      filing: String(input.filing || "").trim().slice(0, 60),
    },
    problems: [],
  };
}

/**
 * savePerson adds the person, or replaces the saved one with the same phone
 * and role. A round kept under the phone alone (answers counted before the
 * person was saved with a filing) moves into the filing's round, so saving
 * never resets the counts.
 * @param {State} state
 * @param {Omit<Person, "id">} person
 * @returns {Person}
 */
function savePerson(state, person) {
  const same = state.people.find((p) => p.phone === person.phone && p.role === person.role);
  const saved = { ...person, id: same ? same.id : crypto.randomUUID() };
  state.people = state.people.filter((p) => p !== same).concat(saved);
  if (saved.filing) mergeSeries(state, "phone:" + saved.phone, "filing:" + saved.filing);
  return saved;
}

/**
 * deletePerson forgets a saved person. Their filing's round stays: it is the
 * filing's, not the person's.
 * @param {State} state
 * @param {string} id
 */
function deletePerson(state, id) {
  state.people = state.people.filter((p) => p.id !== id);
}

/**
 * peopleByPhone lists the saved people with this normalized phone (one phone
 * can verify several filings, or several roles of one).
 * @param {State} state
 * @param {string} phone
 */
function peopleByPhone(state, phone) {
  return state.people.filter((p) => p.phone === phone);
}

/**
 * ownerOf is the saved person an answer for this phone belongs to: the one
 * chosen in the tab when that is their phone, else the first with a filing,
 * else the first with the phone.
 * @param {State} state
 * @param {string} phone normalized
 * @param {string} selectedId the person chosen in the tab, or ""
 */
function ownerOf(state, phone, selectedId) {
  const all = peopleByPhone(state, phone);
  return all.find((p) => p.id === selectedId) || all.find((p) => p.filing) || all[0] || null;
}
