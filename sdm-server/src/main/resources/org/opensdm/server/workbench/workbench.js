// SDM workbench: fill in an assessment, watch the decision, its scores and its trail; ask what would
// change it; see the same answers under another version. It only calls this service's own routes
// (GET /rulesets, GET /rulesets/{id}/{version}, POST /evaluate, POST /whatif). Every text from a
// ruleset or a request is put in the page as text, never as HTML.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const LEVELS = ['LOW', 'MODERATE', 'HIGH', 'VERY_HIGH'];

  const state = {
    rulesets: [],
    form: null,            // the form definition of the chosen version
    answers: {},           // item id -> answer (choice: key, multi: [keys], yesno: boolean, text: string)
    children: [],          // [{id, answers}]
    overrides: {},         // "type" or "type:code" -> {type, code, value, reason, on}
    facts: {},             // fact id -> boolean
    reached: new Set(),    // sections shown because the rules reached them
    decision: null,
    problems: [],
    seq: 0,
    whatifOpen: false,
    token: sessionStorage.getItem('sdm.token') || '',
  };

  // ------------------------------------------------------------------ helpers

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (v === true) e.setAttribute(k, '');
      else e.setAttribute(k, String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function clear(node, ...children) {
    node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  }

  async function api(method, path, body) {
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (state.token) headers.Authorization = 'Bearer ' + state.token;
    const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const type = r.headers.get('Content-Type') || '';
    const data = type.includes('json') ? await r.json() : await r.text();
    if (r.status === 401) {
      $('tokenBar').hidden = false;
    }
    return { status: r.status, ok: r.ok, data };
  }

  function notice(text) {
    $('notice').hidden = !text;
    $('notice').textContent = text || '';
  }

  function debounce(fn, ms) {
    let t = null;
    return (...args) => {
      clearTimeout(t);
      t = setTimeout(() => fn(...args), ms);
    };
  }

  function levelClass(value) {
    return LEVELS.includes(value) ? 'level-' + value : '';
  }

  function show(value) {
    if (value === null || value === undefined) return '\u2014';
    if (Array.isArray(value)) return value.length ? value.map(show).join(', ') : 'none';
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  }

  function today() {
    const d = new Date();
    const p = (n) => String(n).padStart(2, '0');
    return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate());
  }

  function allItems() {
    return state.form ? state.form.items.concat(state.form.childItems) : [];
  }

  function itemOf(id) {
    return allItems().find((i) => i.id === id);
  }

  function optionText(item, key) {
    const o = item && item.options.find((x) => x.key === key);
    return o ? o.text : key;
  }

  function answerText(item, value) {
    if (!item) return show(value);
    if (item.kind === 'yesno') return value ? 'yes' : 'no';
    if (item.kind === 'multi') return value.length ? value.map((k) => optionText(item, k)).join(', ') : 'none';
    if (item.kind === 'choice') return optionText(item, value);
    return show(value);
  }

  // ------------------------------------------------------------------ rulesets and versions

  async function start() {
    $('assessedOn').value = today();
    const r = await api('GET', '/rulesets');
    if (!r.ok) {
      notice(r.data && r.data.detail ? r.data.detail : 'The rulesets could not be read.');
      return;
    }
    state.rulesets = r.data.rulesets;
    const [wantId, wantVersion] = decodeURIComponent(location.hash.slice(1)).split('@');
    const chosen = state.rulesets.find((x) => x.id === wantId)
      || state.rulesets.find((x) => x.id === 'ref.family-risk') || state.rulesets[0];
    clear($('ruleset'), state.rulesets.map((x) => el('option', { value: x.id, text: x.id, title: x.title })));
    $('ruleset').value = chosen.id;
    fillVersions(chosen, wantVersion);
    await loadForm();
  }

  function fillVersions(ruleset, want) {
    clear($('version'), ruleset.versions.map((v) => el('option', { value: v.version, text: v.version + ' \u00b7 ' + v.effectiveFrom, title: v.title })));
    const latest = ruleset.versions[ruleset.versions.length - 1].version;
    $('version').value = ruleset.versions.some((v) => v.version === want) ? want : latest;
  }

  function currentRuleset() {
    return state.rulesets.find((x) => x.id === $('ruleset').value);
  }

  async function loadForm() {
    const id = $('ruleset').value;
    const version = $('version').value;
    history.replaceState(null, '', '#' + encodeURIComponent(id + '@' + version));
    const r = await api('GET', '/rulesets/' + encodeURIComponent(id) + '/' + encodeURIComponent(version));
    if (!r.ok) {
      notice(r.data && r.data.detail ? r.data.detail : 'The form could not be read.');
      return;
    }
    notice('');
    const keepAnswers = state.form && state.form.id === id ? state.answers : {};
    state.form = r.data;
    state.answers = {};
    for (const item of state.form.items) {
      if (item.id in keepAnswers) state.answers[item.id] = keepAnswers[item.id];
    }
    state.children = state.form.childItems.length ? [{ id: 'child-1', answers: {} }] : [];
    state.overrides = {};
    state.facts = {};
    for (const f of state.form.facts) state.facts[f.id] = f.default;
    state.reached = new Set();
    state.decision = null;
    fillCompare();
    renderForm();
    evaluate();
  }

  // ------------------------------------------------------------------ the form

  function renderForm() {
    const f = state.form;
    clear($('versionInfo'),
      el('strong', { text: f.title }), ' \u00b7 version ' + f.version + ', in force from ' + f.effectiveFrom + ' \u00b7 ',
      el('span', { text: f.status }), ' \u00b7 sha256 ' + f.sha256.slice(0, 12));
    const form = $('form');
    const blocks = [];
    const general = f.items.filter((i) => !i.section);
    if (general.length) {
      blocks.push(el('div', { class: 'step', id: 'step-main' }, el('h2', { text: 'Items' }), general.map((i) => renderItem(i))));
    }
    for (const s of f.sections) {
      const items = f.items.filter((i) => i.section === s.id);
      if (!items.length) continue;
      blocks.push(el('div', { class: 'step section', id: 'step-' + s.id, 'data-section': s.id, hidden: true },
        el('h2', { text: s.text || s.id }), items.map((i) => renderItem(i))));
    }
    if (f.childItems.length) {
      blocks.push(renderChildren());
    }
    if (f.overrides.length) {
      blocks.push(el('div', { class: 'step', id: 'step-overrides' }, el('h2', { text: 'Overrides' }),
        f.overrides.map(renderOverride)));
    }
    if (f.facts.length) {
      blocks.push(el('div', { class: 'step', id: 'step-facts' }, el('h2', { text: 'Facts' }),
        f.facts.map((fact) => el('label', { class: 'option' },
          el('input', { type: 'checkbox', id: 'fact-' + fact.id, checked: state.facts[fact.id],
            onchange: (e) => { state.facts[fact.id] = e.target.checked; changed(); } }),
          fact.text || fact.id))));
    }
    clear(form, blocks);
    showSections();
  }

  function points(option) {
    const p = Object.entries(option.points || {}).filter(([, v]) => v !== 0);
    return p.length ? p.map(([k, v]) => (v > 0 ? '+' : '') + v + ' ' + k).join(', ') : '';
  }

  function renderItem(item, child) {
    const store = child ? child.answers : state.answers;
    const name = (child ? child.id + ':' : '') + item.id;
    const set = (v) => {
      if (v === undefined) delete store[item.id];
      else store[item.id] = v;
      changed();
    };
    const box = el('fieldset', { class: 'item', id: 'item-' + name, 'data-item': item.id },
      el('legend', {}, el('span', { class: 'id', text: item.id }), item.text));
    const options = el('div', { class: 'options' });
    if (item.kind === 'choice' || item.kind === 'yesno') {
      const opts = item.kind === 'yesno' ? [{ key: true, text: 'yes', points: {} }, { key: false, text: 'no', points: {} }] : item.options;
      for (const o of opts) {
        const id = 'opt-' + name + '-' + o.key;
        options.append(el('label', { class: 'option', for: id },
          el('input', { type: 'radio', name, id, value: String(o.key), checked: store[item.id] === o.key,
            onchange: () => set(o.key) }),
          o.text, points(o) ? el('span', { class: 'pts', text: points(o) }) : null));
      }
    } else if (item.kind === 'multi') {
      for (const o of item.options) {
        const id = 'opt-' + name + '-' + o.key;
        options.append(el('label', { class: 'option', for: id },
          el('input', { type: 'checkbox', name, id, value: o.key, checked: (store[item.id] || []).includes(o.key),
            onchange: () => {
              const chosen = item.options.map((x) => x.key)
                .filter((k) => document.getElementById('opt-' + name + '-' + k).checked);
              set(chosen);
            } }),
          o.text, points(o) ? el('span', { class: 'pts', text: points(o) }) : null));
      }
      if (!(item.id in store)) store[item.id] = [];
    } else {
      options.append(el('textarea', { rows: 2, id: 'text-' + name, 'aria-label': item.text,
        oninput: (e) => set(e.target.value.trim() ? e.target.value : undefined) }, store[item.id] || ''));
    }
    box.append(options);
    return box;
  }

  function renderChildren() {
    const box = el('div', { class: 'step', id: 'step-children' }, el('h2', { text: 'Children' }));
    state.children.forEach((child, n) => {
      box.append(el('div', { class: 'child', 'data-child': n },
        el('div', { class: 'child-head' },
          el('label', {}, 'Child id ', el('input', { type: 'text', value: child.id,
            oninput: (e) => { child.id = e.target.value; changed(); } })),
          state.children.length > 1 ? el('button', { type: 'button', class: 'link',
            onclick: () => { state.children.splice(n, 1); renderForm(); changed(); } }, 'remove') : null),
        state.form.childItems.map((item) => renderItem(item, child))));
    });
    box.append(el('button', { type: 'button', onclick: () => {
      state.children.push({ id: 'child-' + (state.children.length + 1), answers: {} });
      renderForm();
      changed();
    } }, 'Add a child'));
    return box;
  }

  function renderOverride(def) {
    const rows = [];
    const row = (key, label, extra) => {
      const o = state.overrides[key] || (state.overrides[key] = { type: def.type, on: false, reason: '' });
      Object.assign(o, extra);
      const reason = el('input', { type: 'text', class: 'reason', placeholder: 'written reason (required)', value: o.reason,
        hidden: !o.on, 'aria-label': 'reason for ' + label, oninput: (e) => { o.reason = e.target.value; changed(); } });
      rows.push(el('div', { class: 'override' },
        el('label', { class: 'option' }, el('input', { type: 'checkbox', id: 'ovr-' + key.replace(/[^A-Za-z0-9_-]/g, '_'), checked: o.on,
          onchange: (e) => { o.on = e.target.checked; reason.hidden = !o.on; changed(); } }), label),
        reason));
    };
    if (def.codes.length) {
      for (const c of def.codes) row(def.type + ':' + c.code, def.type + ' ' + c.code + (c.text ? ': ' + c.text : ''), { code: c.code });
    } else if (def.values.length) {
      for (const v of def.values) row(def.type + '=' + v, def.type + ': ' + v, { value: v });
    } else {
      row(def.type, def.type + (def.text ? ' \u2014 ' + def.text : ''), {});
    }
    return el('div', { 'data-override': def.type }, rows);
  }

  function sectionShown(id) {
    return state.reached.has(id);
  }

  function showSections() {
    for (const step of document.querySelectorAll('.step.section')) {
      const on = sectionShown(step.dataset.section);
      step.hidden = !on;
      step.classList.toggle('reached', on);
    }
  }

  // ------------------------------------------------------------------ the request

  function request(version) {
    const f = state.form;
    const answers = {};
    for (const item of f.items) {
      if (item.section && !sectionShown(item.section)) continue;
      if (item.id in state.answers) answers[item.id] = state.answers[item.id];
    }
    const r = { ruleset: f.id, version: version || f.version, answers };
    if ($('assessedOn').value) r.assessedOn = $('assessedOn').value;
    if ($('caseId').value.trim()) r.caseId = $('caseId').value.trim();
    const overrides = Object.values(state.overrides).filter((o) => o.on).map((o) => {
      const x = { type: o.type };
      if (o.code) x.code = o.code;
      if (o.value) x.value = o.value;
      x.reason = o.reason;
      return x;
    });
    if (overrides.length) r.overrides = overrides;
    if (f.facts.length) r.facts = Object.assign({}, state.facts);
    if (f.childItems.length) {
      r.children = state.children.map((c) => ({ id: c.id, answers: Object.assign({}, c.answers) }));
    }
    return r;
  }

  const changed = debounce(() => evaluate(), 150);

  async function evaluate() {
    if (!state.form) return;
    const seq = ++state.seq;
    const req = request();
    const r = await api('POST', '/evaluate', req);
    if (seq !== state.seq) return; // a later change is under way
    if (r.ok) {
      state.decision = r.data;
      state.problems = [];
      // a step shown whose answers the rules marked not applicable, or left unasked, is not reached (any more)
      for (const s of [...state.reached]) {
        const asked = state.form.items.filter((i) => i.section === s && i.id in req.answers).map((i) => i.id);
        const notApplicable = r.data.trail.some((t) => t.effect && t.effect.notApplicable === s);
        if (!asked.length || notApplicable) state.reached.delete(s);
      }
    } else {
      state.decision = null;
      state.problems = r.data && r.data.problems ? r.data.problems : [{ path: '$', message: String(r.data && r.data.detail || r.status) }];
      // a step the rules reached: they name its unanswered items
      let more = false;
      for (const p of state.problems) {
        const m = /^answers\.(.+)$/.exec(p.path);
        const item = m && itemOf(m[1]);
        if (item && item.section && !sectionShown(item.section) && !(item.id in req.answers)) {
          state.reached.add(item.section);
          more = true;
        }
      }
      if (more) {
        // the step's items are on the form now (a multi item's "none" among them): ask again with them
        showSections();
        evaluate();
        return;
      }
    }
    showSections();
    renderDecision(req);
    if (state.whatifOpen) whatIf();
    compare();
  }

  // ------------------------------------------------------------------ the decision

  function scores(decision) {
    const out = {};
    for (const index of state.form.indices) out[index.id] = 0;
    for (const t of decision.trail) {
      for (const index of state.form.indices) {
        if (Number.isInteger(t.effect[index.id])) out[index.id] += t.effect[index.id];
      }
    }
    return out;
  }

  function renderIndices(decision) {
    if (!state.form.indices.length) return null;
    const s = scores(decision);
    return el('div', { class: 'indices', id: 'indices' }, state.form.indices.map((index) => {
      const bands = index.cutPoints;
      const top = Math.max(...bands.map((b) => (b.max === null ? b.min + 2 : b.max + 1)), s[index.id] + 1);
      const band = bands.find((b) => s[index.id] >= b.min && (b.max === null || s[index.id] <= b.max));
      const bar = el('div', { class: 'bar', 'aria-hidden': 'true' });
      for (const b of bands) {
        const width = ((b.max === null ? top : b.max + 1) - b.min) / top * 100;
        const part = el('div', { class: 'band ' + levelClass(b.level) + (b === band ? ' current' : ''), title: b.level });
        part.style.width = width + '%';
        bar.append(part);
      }
      const marker = el('div', { class: 'marker' });
      marker.style.left = 'calc(' + ((s[index.id] + 0.5) / top * 100) + '% - 1px)';
      bar.append(marker);
      return el('div', { class: 'index', 'data-index': index.id },
        el('div', { class: 'index-label' },
          el('span', {}, el('strong', { text: index.text || index.id }), ' score ', el('span', { class: 'score', text: String(s[index.id]) })),
          el('span', { text: band ? band.level + ' (' + band.min + (band.max === null ? '+' : '\u2013' + band.max) + ')' : '' })),
        bar);
    }));
  }

  function renderProblems(problems) {
    return el('ul', { class: 'problems', id: 'problems' }, problems.map((p) => {
      const m = /answers\.([^.[\]]+)/.exec(p.path);
      const item = m && itemOf(m[1]);
      return el('li', {}, el('code', { text: p.path }), ' ', item ? item.text + ': ' : '', p.message);
    }));
  }

  function renderDecision(req) {
    document.querySelectorAll('.item.missing').forEach((e) => e.classList.remove('missing'));
    const badge = $('badge');
    const key = state.form.decisionKey;
    if (!state.decision) {
      const missing = [];
      const other = [];
      for (const p of state.problems) {
        const m = /^answers\.([^.[\]]+)$/.exec(p.path);
        if (m && p.message.startsWith('missing')) missing.push(m[1]);
        else other.push(p);
      }
      for (const id of missing) {
        const e = document.getElementById('item-' + id);
        if (e) e.classList.add('missing');
      }
      badge.className = 'badge';
      badge.textContent = missing.length ? missing.length + ' to answer' : 'not decided';
      clear($('decision'),
        el('p', { id: 'status', text: missing.length
          ? missing.length + ' item' + (missing.length === 1 ? '' : 's') + ' still to answer'
            + (other.length ? ', and ' + other.length + ' problem' + (other.length === 1 ? '' : 's') + ' to fix' : '') + '.'
          : 'The request is not valid yet:' }),
        missing.length ? el('p', { class: 'todo', id: 'todo' }, missing.map((id) => el('a', { href: '#item-' + id, class: 'chip',
          onclick: (e) => { e.preventDefault(); const t = document.getElementById('item-' + id); if (t) t.scrollIntoView({ block: 'center' }); } }, id))) : null,
        other.length ? renderProblems(other) : null);
      clear($('trail'));
      $('trailCount').textContent = '';
      return;
    }
    const d = state.decision;
    const value = d.outcome[key];
    badge.className = 'badge ' + levelClass(value);
    badge.textContent = key + ': ' + show(value);
    const rows = Object.entries(d.outcome).map(([k, v]) => el('tr', { 'data-key': k }, el('th', { text: k }), el('td', { text: show(v) })));
    clear($('decision'),
      el('div', { class: 'decision-key' }, el('span', { text: key }),
        el('span', { class: 'value ' + levelClass(value), id: 'decisionValue', text: show(value) })),
      renderIndices(d),
      el('table', { class: 'outcome', id: 'outcome' }, el('tbody', {}, rows)),
      d.overrides.length ? el('ul', { class: 'problems' }, d.overrides.map((o) => el('li', {},
        'override ' + o.type + (o.code ? ' ' + o.code : '') + (o.value ? ' ' + o.value : '') + ': ' + (o.applied ? 'applied' : 'not applied')))) : null,
      el('p', { class: 'provenance', text: d.ruleset.id + ' ' + d.ruleset.version + ' (' + d.ruleset.status + '): ' + d.ruleset.provenance }));
    $('trailCount').textContent = d.trail.length + ' rules fired';
    clear($('trail'), el('table', { class: 'trail', id: 'trailTable' },
      el('thead', {}, el('tr', {}, el('th', { text: 'rule' }), el('th', { text: 'item' }), el('th', { text: 'answer' }), el('th', { text: 'effect' }))),
      el('tbody', {}, d.trail.map((t) => el('tr', {},
        el('td', { text: t.rule }),
        el('td', { text: (t.child ? t.child + ' ' : '') + (t.item || '') }),
        el('td', { text: t.item ? answerText(itemOf(t.item), t.answer) : '' }),
        el('td', { text: effectText(t.effect) }))))));
    void req;
  }

  function effectText(effect) {
    const indices = state.form.indices.map((i) => i.id);
    return Object.entries(effect).map(([k, v]) => (indices.includes(k) && Number.isInteger(v)
      ? (v >= 0 ? '+' : '') + v + ' ' + k : k + ' = ' + show(v))).join(', ');
  }

  // ------------------------------------------------------------------ what-if

  function describeChange(c) {
    if (c.item) {
      const item = itemOf(c.item);
      const who = (c.child ? c.child + ' \u00b7 ' : '') + c.item + ' ' + (item ? item.text : '');
      if (item && item.kind === 'multi') {
        const added = c.to.filter((k) => !c.from.includes(k));
        const removed = c.from.filter((k) => !c.to.includes(k));
        return who + ': ' + (added.length ? 'add ' + added.map((k) => optionText(item, k)).join(', ')
          : 'remove ' + removed.map((k) => optionText(item, k)).join(', '));
      }
      return who + ': ' + answerText(item, c.from) + ' \u2192 ' + answerText(item, c.to);
    }
    return (c.override === 'add' ? 'add ' : 'remove ') + c.type + ' override' + (c.code ? ' ' + c.code : '') + (c.value ? ' ' + c.value : '');
  }

  async function whatIf() {
    const box = $('whatif');
    if (!state.decision) {
      clear(box, el('p', { class: 'muted', text: 'Complete the form to see what would change the decision.' }));
      return;
    }
    const seq = state.seq;
    const r = await api('POST', '/whatif', request());
    if (seq !== state.seq) return;
    if (!r.ok) {
      clear(box, el('p', { text: r.data.detail || 'The what-if failed.' }));
      return;
    }
    const w = r.data;
    const key = w.key;
    const answers = w.changes.filter((c) => c.item);
    const overrides = w.changes.filter((c) => !c.item);
    const list = (changes) => el('ul', { class: 'changes' }, changes.map((c) => el('li', { 'data-change': c.item || c.override },
      describeChange(c), ' ', el('span', { class: 'arrow', text: '\u21d2 ' }),
      el('span', { class: 'to-level', text: show(c[key]) }))));
    const positions = w.indices.map((i) => {
      const index = state.form.indices.find((x) => x.id === i.index);
      const bands = index ? [...index.cutPoints].sort((a, b) => a.min - b.min) : [];
      const at = bands.findIndex((b) => b.level === i.level && b.min === i.min);
      const up = i.pointsToNextLevelUp === null ? 'the top level'
        : i.pointsToNextLevelUp + ' more point' + (i.pointsToNextLevelUp === 1 ? '' : 's') + ' \u2192 ' + (bands[at + 1] ? bands[at + 1].level : '');
      const down = i.pointsToNextLevelDown === null ? 'the lowest level'
        : i.pointsToNextLevelDown + ' fewer \u2192 ' + (bands[at - 1] ? bands[at - 1].level : '');
      return el('li', { 'data-index': i.index },
        el('strong', { text: (index && index.text) || i.index }), ': score ' + i.score + ', ' + i.level + ' ('
          + i.min + (i.max === null ? '+' : '\u2013' + i.max) + '); ' + up + '; ' + down);
    });
    clear(box,
      el('p', { id: 'whatifSummary' }, el('strong', { text: String(w.changes.length) }),
        ' single change' + (w.changes.length === 1 ? '' : 's') + ' would move ' + key + ' from ' + show(w[key]) + '.'),
      w.indices.length ? el('h3', { text: 'Points to the next cut point' }) : null,
      w.indices.length ? el('ul', { class: 'positions', id: 'whatifIndices' }, positions) : null,
      answers.length ? el('h3', { text: 'Answers' }) : null, answers.length ? list(answers) : null,
      overrides.length ? el('h3', { text: 'Overrides' }) : null, overrides.length ? list(overrides) : null,
      w.unevaluable.length ? el('p', { class: 'muted', text: w.unevaluable.length + ' change(s) could not be evaluated (they reach a step whose items are unanswered).' }) : null);
  }

  // ------------------------------------------------------------------ compare versions

  function fillCompare() {
    const rs = currentRuleset();
    const others = rs.versions.filter((v) => v.version !== state.form.version);
    clear($('compareWith'), el('option', { value: '', text: '\u2014' }),
      others.map((v) => el('option', { value: v.version, text: v.version })));
    if (!others.length) $('compareWith').disabled = true;
    else $('compareWith').disabled = false;
    clear($('compare'), el('p', { class: 'muted', text: others.length
      ? 'Choose another version to see the same answers under both.' : 'This ruleset has one version.' }));
  }

  async function compare() {
    const other = $('compareWith').value;
    const box = $('compare');
    if (!other) return;
    const seq = state.seq;
    const req = request(other);
    const r = await api('POST', '/evaluate', req);
    if (seq !== state.seq) return;
    const here = state.decision;
    const head = el('tr', {}, el('th', { text: '' }), el('th', { text: state.form.version }), el('th', { text: other }));
    if (!r.ok) {
      clear(box, el('table', { id: 'compareTable' }, el('thead', {}, head)),
        el('p', { text: 'Under ' + other + ' these answers are not a valid request:' }),
        renderProblems(r.data.problems || []));
      return;
    }
    const there = r.data;
    const keys = [...new Set(Object.keys(here ? here.outcome : {}).concat(Object.keys(there.outcome)))];
    const rows = keys.map((k) => {
      const a = here ? show(here.outcome[k]) : '\u2014';
      const b = show(there.outcome[k]);
      return el('tr', { class: a !== b ? 'differs' : null, 'data-key': k },
        el('th', { text: k }), el('td', { class: levelClass(here && here.outcome[k]), text: a }), el('td', { text: b }));
    });
    const differing = rows.filter((row) => row.classList.contains('differs')).length;
    clear(box,
      el('p', { id: 'compareSummary', text: here ? (differing ? differing + ' outcome value' + (differing === 1 ? '' : 's') + ' differ.' : 'Both versions decide the same.') : 'Complete the form to compare.' }),
      el('table', { id: 'compareTable' }, el('thead', {}, head), el('tbody', {}, rows)));
  }

  // ------------------------------------------------------------------ wiring

  $('ruleset').addEventListener('change', () => { fillVersions(currentRuleset()); loadForm(); });
  $('version').addEventListener('change', () => loadForm());
  $('assessedOn').addEventListener('change', () => changed());
  $('caseId').addEventListener('input', () => changed());
  $('compareWith').addEventListener('change', () => {
    if (!$('compareWith').value) fillCompare();
    compare();
  });
  $('whatifToggle').addEventListener('click', () => {
    state.whatifOpen = !state.whatifOpen;
    $('whatif').hidden = !state.whatifOpen;
    $('whatifToggle').setAttribute('aria-expanded', String(state.whatifOpen));
    $('whatifToggle').textContent = state.whatifOpen ? 'Hide' : 'Show';
    if (state.whatifOpen) whatIf();
  });
  $('tokenBar').addEventListener('submit', (e) => {
    e.preventDefault();
    state.token = $('token').value.trim();
    sessionStorage.setItem('sdm.token', state.token);
    $('tokenBar').hidden = true;
    start();
  });

  start();
})();
