// The demo page: a customer's WhatsApp on the left, the support team's Slack on the right.
// Everything shown comes from /api/state (what the emulators hold); every action goes to
// /api/... which turns it into the signed request the real platform would send the bot.
"use strict";

const $ = (id) => document.getElementById(id);
const ui = { agent: null, phone: null, channel: null, thread: null, home: false, last: "", modalKey: "", modalErrors: {}, dismissed: new Set(), spotlight: 0 };
let state = null;

async function api(path, body) {
  const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (!response.ok) {
    alert(await response.text());
    return {};
  }
  return response.json();
}

// Slack stores reactions by name; show the ones the desk uses as the emoji people see.
const EMOJI = { heavy_check_mark: "✔️", mailbox_with_mail: "📬", eyes: "👀", x: "❌", white_check_mark: "✅", warning: "⚠️", thumbsup: "👍", "+1": "👍", heart: "❤️", pray: "🙏", joy: "😂" };

function userName(id) {
  return (state && state.users[id]) || id;
}

// Formatted text, drawn as the real apps draw it: Slack's mrkdwn (links, mentions, quotes, bold,
// italics, strike, code) and WhatsApp's (*bold*, _italic_, ~strike~, ```mono```, > quotes, links).
// Text is data: it only ever becomes text nodes; markup becomes elements built here.
const SLACK_ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">" };
const INLINE = {
  link: /<([^<>\n]+)>/,
  url: /\bhttps?:\/\/[^\s<>]+[^\s<>.,;:!?)\]]/,
  code: /`([^`\n]+)`/,
  b: /(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/,
  i: /(?<![\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])/,
  s: /(?<![\w~])~(?=\S)([^~\n]*?\S)~(?![\w~])/,
};
const RULES = { slack: ["link", "code", "b", "i", "s"], whatsapp: ["url", "code", "b", "i", "s"] };

function plain(text, app) {
  const shown = app === "slack" ? text.replace(/&(amp|lt|gt);/g, (e) => SLACK_ENTITIES[e]) : text;
  return document.createTextNode(shown);
}

function make(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

// "<...>" in Slack: a person, a group, @here, a channel, or a link; anything else stays as typed.
function slackLink(inside) {
  const [target, label] = [inside.split("|")[0], inside.includes("|") ? inside.slice(inside.indexOf("|") + 1) : ""];
  if (/^@[UW][A-Z0-9]+$/.test(target)) return make("span", "mention", "@" + userName(target.slice(1)));
  if (/^!subteam\^[A-Z0-9]+$/.test(target)) return make("span", "mention", label || "@" + target.slice(9));
  if (/^!(here|channel|everyone)$/.test(target)) return make("span", "mention", "@" + target.slice(1));
  if (/^#[CG][A-Z0-9]+$/.test(target)) return make("span", "mention", "#" + (label || channelName(target.slice(1))));
  if (/^(https?:\/\/|mailto:)/i.test(target)) return anchor(target, label || target);
  return null;
}

function anchor(url, label) {
  const a = make("a", "", plain(label, "slack"));
  a.href = url;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  return a;
}

function inline(text, app, into) {
  while (text) {
    let first = null;
    for (const name of RULES[app]) {
      const m = INLINE[name].exec(text);
      if (m && (!first || m.index < first.m.index)) first = { name, m };
    }
    if (!first) { into.append(plain(text, app)); return into; }
    const { name, m } = first;
    if (m.index) into.append(plain(text.slice(0, m.index), app));
    let node;
    if (name === "link") node = slackLink(m[1]) || plain(m[0], app);
    else if (name === "url") node = anchor(m[0], m[0]);
    else if (name === "code") node = make("code", "", plain(m[1], app));
    else node = inline(m[1], app, make(name, ""));
    into.append(node);
    text = text.slice(m.index + m[0].length);
  }
  return into;
}

// Lines: "> " lines are quotes (Slack and WhatsApp); ``` fences are preformatted blocks.
function formatted(text, app) {
  const box = make("span", "formatted");
  String(text ?? "").split("```").forEach((part, n) => {
    if (n % 2) { box.append(make("pre", "", make("code", "", plain(part.replace(/^\n|\n$/g, ""), app)))); return; }
    const lines = part.split("\n");
    lines.forEach((line, k) => {
      const quote = /^>\s?(.*)$/.exec(line);
      if (quote) { box.append(inline(quote[1], app, make("blockquote", ""))); return; }
      inline(line, app, box);
      if (k < lines.length - 1 && !/^>/.test(lines[k + 1] ?? "")) box.append("\n");
    });
  });
  return box;
}

function mrkdwn(text) {
  return formatted(text, "slack");
}

function textOf(obj) {
  if (!obj) return document.createTextNode("");
  return obj.type === "mrkdwn" ? mrkdwn(obj.text) : document.createTextNode(obj.text ?? "");
}

// ------------------------------------------------------------------ Block Kit

function option(value, text, selected) {
  const o = make("option", "", text ?? "");
  o.value = value ?? "";
  o.selected = Boolean(selected);
  return o;
}

function renderElement(el, ctx) {
  if (el.type === "button") {
    const b = make("button", el.style || "", el.text?.text ?? "");
    b.type = "button";
    b.dataset.actionId = el.action_id;
    b.onclick = () => click(ctx, el.action_id, el.value, "button");
    if (el.url) b.onclick = () => window.open(el.url, "_blank", "noopener");
    return b;
  }
  if (el.type === "static_select" || el.type === "overflow") {
    const s = make("select", "", option("", el.placeholder?.text ?? "Escolha…"), ...allOptions(el).map((o) => option(o.value, o.text.text)));
    s.onchange = () => s.value && click(ctx, el.action_id, s.value, el.type);
    return s;
  }
  if (el.type === "image") {
    const img = make("img", "");
    img.src = el.image_url;
    img.alt = el.alt_text ?? "";
    img.style.height = "16px";
    return img;
  }
  return make("span", "", textOf(el));
}

function allOptions(el) {
  return (el.options || []).concat(...(el.option_groups || []).map((g) => g.options));
}

function renderBlocks(blocks, ctx) {
  const box = make("div", "");
  for (const block of blocks || []) {
    const div = make("div", "");
    if (block.type === "section") {
      div.className = "block-section";
      if (block.text) div.append(textOf(block.text));
      if (block.fields) div.append(make("div", "block-fields", ...block.fields.map((x) => make("div", "", textOf(x)))));
      if (block.accessory) div.append(make("div", "accessory", renderElement(block.accessory, { ...ctx, block_id: block.block_id })));
    } else if (block.type === "context") {
      div.className = "block-context";
      for (const el of block.elements || []) div.append(renderElement(el, ctx));
    } else if (block.type === "actions") {
      div.className = "block-actions";
      for (const el of block.elements || []) div.append(renderElement(el, { ...ctx, block_id: block.block_id }));
    } else if (block.type === "header") {
      div.className = "block-header";
      div.textContent = block.text?.text ?? "";
    } else if (block.type === "divider") {
      div.append(make("hr", ""));
    } else if (block.type === "image") {
      div.className = "block-image";
      div.append(picture(block.image_url, block.alt_text ?? ""));
    } else if (block.type === "rich_text") {
      div.textContent = (block.elements || []).map((e) => (e.elements || []).map((x) => x.text ?? "").join("")).join("\n");
    }
    box.append(div);
  }
  return box;
}

async function click(ctx, actionId, value, type) {
  await api("/api/slack/click", { agent: ui.agent, action_id: actionId, value, type, block_id: ctx.block_id, channel: ctx.channel, message_ts: ctx.message_ts, view_id: ctx.view_id, home: ctx.home });
  refresh();
}

// A picture that opens full size in the viewer, as Slack and WhatsApp open an image on click.
function picture(src, alt) {
  const img = make("img", "");
  img.src = src;
  img.alt = alt;
  img.onclick = () => openViewer(src, alt);
  return img;
}

function openViewer(src, alt) {
  $("viewer-image").src = src;
  $("viewer-image").alt = alt;
  $("viewer-title").textContent = alt;
  $("viewer").hidden = false;
}

// ------------------------------------------------------------------ the phone

function renderPhone() {
  const chat = $("chat");
  const bubbles = state.phones[ui.phone] || [];
  chat.replaceChildren();
  let unread = false;
  for (const m of bubbles) {
    const b = make("div", `bubble ${m.direction}`);
    b.dataset.testid = m.direction === "in" ? "customer-message" : "business-message";
    if (m.media_url && m.media_kind === "image") b.append(picture(m.media_url, m.filename || "imagem"));
    else if (m.media_url && (m.media_kind === "audio" || m.media_kind === "voice")) {
      const audio = make("audio", "");
      audio.controls = true;
      audio.src = m.media_url;
      b.append(audio);
    } else if (m.media_url) {
      const a = make("a", "", "📄 " + (m.filename || m.media_kind));
      a.href = m.media_url;
      a.target = "_blank";
      b.append(a);
    }
    if (m.text) b.append(make("div", "text", formatted(m.text, "whatsapp")));
    if (m.buttons.length || m.rows.length) {
      const choices = make("div", "choices");
      const options = m.buttons.length ? m.buttons : m.rows;
      if (m.list_button) choices.append(make("div", "meta", "☰ " + m.list_button));
      for (const c of options) {
        const btn = make("button", "", c.title);
        btn.type = "button";
        if (c.description) btn.append(make("small", "", c.description));
        btn.onclick = async () => {
          await api("/api/phone/tap", { phone: ui.phone, context: m.id, id: c.id, title: c.title, list: !m.buttons.length });
          refresh();
        };
        choices.append(btn);
      }
      b.append(choices);
    }
    if (m.direction === "out") {
      const ticks = make("span", m.status === "read" ? "ticks read" : "ticks", m.status === "read" || m.status === "delivered" ? "✓✓" : "✓");
      if (m.status === "read" || m.status === "delivered") ticks.dataset.testid = m.status;
      b.append(make("div", "meta", ticks));
      unread = unread || m.status === "delivered";
    }
    chat.append(b);
  }
  chat.scrollTop = chat.scrollHeight;
  if (unread && document.visibilityState === "visible") api("/api/phone/read", { phone: ui.phone });
}

// ------------------------------------------------------------------ Slack

function channelName(id) {
  if (!state) return id;
  return id === state.support_channel ? "suporte" : id.toLowerCase();
}

function topLevel(channel) {
  return state.messages.filter((m) => m.channel === channel && (!m.thread_ts || m.thread_ts === m.ts));
}

function repliesOf(channel, ts) {
  return state.messages.filter((m) => m.channel === channel && m.thread_ts === ts && m.ts !== ts);
}

// Files shared in a message: pictures (the report's charts) shown and opened; others as links.
function renderFile(f) {
  const url = `/api/media/slack/${encodeURIComponent(f.id)}`;
  if ((f.mimetype || "").startsWith("image/")) return make("div", "file-image", picture(url, f.name));
  const a = make("a", "", "📎 " + f.name);
  a.href = url;
  a.target = "_blank";
  return make("div", "file", a);
}

function renderMessage(m, channel, withReplies) {
  const div = make("div", "msg", make("span", "author", m.username || userName(m.user)));
  div.dataset.ts = m.ts;
  if (m.blocks && m.blocks.length) div.append(renderBlocks(m.blocks, { channel, message_ts: m.ts }));
  else div.append(make("div", "block-section", mrkdwn(m.text)));
  for (const f of m.files || []) div.append(renderFile(f));
  if (m.reactions && m.reactions.length) {
    div.append(make("div", "reactions", ...m.reactions.map((r) => {
      const span = make("span", "", EMOJI[r] || `:${r}:`);
      span.title = `:${r}:`;
      return span;
    })));
  }
  if (withReplies) {
    const n = repliesOf(channel, m.ts).length;
    const button = make("button", "link", n ? `${n} ${n === 1 ? "resposta" : "respostas"}` : "Abrir conversa");
    button.type = "button";
    button.onclick = () => { ui.thread = { channel, ts: m.ts }; render(); };
    div.append(make("div", "replies", button));
  }
  return div;
}

// What only you see, with Slack's "Dispensar" to clear it away.
function renderEphemerals() {
  const shown = state.ephemerals.filter((e) => !ui.dismissed.has(e.key)).slice(-3);
  $("ephemerals").replaceChildren(...shown.map((e) => {
    const dismiss = make("button", "link dismiss", "Dispensar");
    dismiss.type = "button";
    dismiss.onclick = () => { ui.dismissed.add(e.key); renderEphemerals(); };
    const box = make("div", "ephemeral", make("div", "who-sees", "Só você pode ver esta mensagem", dismiss));
    box.dataset.testid = "ephemeral";
    box.append(e.blocks && e.blocks.length ? renderBlocks(e.blocks, { channel: ui.channel }) : mrkdwn(e.text));
    return box;
  }));
}

function renderSlack() {
  const channels = [state.support_channel, ...new Set(state.messages.map((m) => m.channel))].filter((c, i, a) => a.indexOf(c) === i);
  $("channels").replaceChildren(...channels.map((c) => {
    const b = make("button", "channel" + (!ui.home && ui.channel === c ? " active" : ""), "# " + channelName(c));
    b.type = "button";
    b.onclick = () => { ui.channel = c; ui.home = false; ui.thread = null; render(); };
    return b;
  }));
  $("home-tab").className = "channel" + (ui.home ? " active" : "");
  const pane = $("messages");
  pane.replaceChildren();
  if (ui.home) {
    $("channel-title").textContent = "🏠 atende · Home";
    pane.append(state.home ? renderBlocks(state.home.blocks, { home: true, view_id: state.home.id }) : "Nada publicado na Home ainda.");
  } else {
    $("channel-title").textContent = "# " + channelName(ui.channel);
    for (const m of topLevel(ui.channel)) pane.append(renderMessage(m, ui.channel, true));
    pane.scrollTop = pane.scrollHeight;
  }
  renderEphemerals();
  const thread = $("thread");
  thread.hidden = !ui.thread;
  if (ui.thread) {
    const parent = state.messages.find((m) => m.channel === ui.thread.channel && m.ts === ui.thread.ts);
    $("thread-parent").replaceChildren(...(parent ? [renderMessage(parent, ui.thread.channel, false)] : []));
    const list = $("thread-messages");
    list.replaceChildren(...repliesOf(ui.thread.channel, ui.thread.ts).map((r) => renderMessage(r, ui.thread.channel, false)));
    list.scrollTop = list.scrollHeight;
  }
}

// ------------------------------------------------------------------ modals

function renderModal() {
  const view = state.modal;
  const key = view ? JSON.stringify(view) : "";
  if (key === ui.modalKey) return;
  ui.modalKey = key;
  ui.modalErrors = {};
  $("modal-backdrop").hidden = !view;
  if (!view) return;
  const form = $("modal");
  form.replaceChildren(make("h2", "", view.title?.text ?? ""));
  for (const block of view.blocks || []) {
    if (block.type !== "input") {
      form.appendChild(renderBlocks([block], { view_id: view.id }));
      continue;
    }
    const label = document.createElement("label");
    label.dataset.blockId = block.block_id;
    label.append(make("span", "", block.label?.text ?? "", ...(block.optional ? [" ", make("span", "hint", "(opcional)")] : [])));
    const input = inputFor(block.element);
    if (block.dispatch_action) {
      // Slack sends the pick at once (with what the form holds) so the bot can redraw the form
      input.onchange = async () => {
        await api("/api/slack/click", { agent: ui.agent, action_id: block.element.action_id, value: input.value, type: block.element.type, block_id: block.block_id, view_id: view.id, values: modalValues(view) });
        refresh();
      };
    }
    label.appendChild(input);
    if (block.hint) label.append(make("span", "hint", block.hint.text ?? ""));
    label.append(make("span", "error"));
    form.appendChild(label);
  }
  const buttons = document.createElement("div");
  buttons.className = "modal-buttons";
  const cancel = make("button", "", view.close?.text || "Cancelar");
  cancel.type = "button";
  cancel.id = "modal-cancel";
  buttons.append(cancel);
  if (view.submit) {
    const submit = make("button", "primary", view.submit.text ?? "");
    submit.type = "submit";
    buttons.append(submit);
  }
  form.appendChild(buttons);
  $("modal-cancel").onclick = async () => { await api("/api/slack/close", { view_id: view.id }); ui.modalKey = ""; refresh(); };
  form.onsubmit = async (event) => {
    event.preventDefault();
    const answer = await api("/api/slack/submit", { agent: ui.agent, view_id: view.id, values: modalValues(view) });
    if (answer.response_action === "errors") {
      for (const [blockId, message] of Object.entries(answer.errors || {})) {
        const holder = form.querySelector(`label[data-block-id="${CSS.escape(blockId)}"] .error`);
        if (holder) holder.textContent = message;
      }
      return;
    }
    ui.modalKey = "";
    refresh();
  };
}

function inputFor(el) {
  let input;
  if (el.type === "plain_text_input") {
    input = document.createElement(el.multiline ? "textarea" : "input");
    if (el.multiline) input.rows = 5;
    input.value = el.initial_value ?? "";
    input.placeholder = el.placeholder?.text ?? "";
  } else if (el.type === "number_input") {
    input = document.createElement("input");
    input.type = "number";
    input.value = el.initial_value ?? "";
  } else if (el.type === "datepicker") {
    input = document.createElement("input");
    input.type = "date";
    input.value = el.initial_date ?? "";
  } else if (["static_select", "radio_buttons", "users_select", "multi_static_select", "checkboxes"].includes(el.type)) {
    input = document.createElement("select");
    const options = el.type === "users_select"
      ? state.people.map((p) => ({ value: p.id, text: { text: p.name } }))
      : allOptions(el);
    input.multiple = el.type === "multi_static_select" || el.type === "checkboxes";
    const initial = el.initial_option?.value ?? el.initial_user;
    const initialMany = (el.initial_options || []).map((o) => o.value);
    if (!input.multiple) input.append(option("", el.placeholder?.text ?? "Escolha…"));
    input.append(...options.map((o) => option(o.value, o.text.text, o.value === initial || initialMany.includes(o.value))));
  } else {
    input = document.createElement("input");
    input.value = el.initial_value ?? "";
  }
  input.dataset.actionId = el.action_id;
  input.dataset.type = el.type;
  input.name = el.action_id;
  return input;
}

function modalValues(view) {
  const values = {};
  for (const block of view.blocks || []) {
    if (block.type !== "input") continue;
    const el = block.element;
    const input = $("modal").querySelector(`label[data-block-id="${CSS.escape(block.block_id)}"] [data-action-id]`);
    const options = el.type === "users_select" ? [] : allOptions(el);
    const option = (value) => { const o = options.find((x) => x.value === value); return o ? { text: o.text, value: o.value } : null; };
    let state;
    if (el.type === "plain_text_input" || el.type === "number_input") state = { type: el.type, value: input.value || null };
    else if (el.type === "datepicker") state = { type: el.type, selected_date: input.value || null };
    else if (el.type === "users_select") state = { type: el.type, selected_user: input.value || null };
    else if (input.multiple) state = { type: el.type, selected_options: [...input.selectedOptions].map((o) => option(o.value)).filter(Boolean) };
    else state = { type: el.type, selected_option: input.value ? option(input.value) : null };
    values[block.block_id] = { [el.action_id]: state };
  }
  return values;
}

// ------------------------------------------------------------------ wiring

function render() {
  if (!state) return;
  renderPhone();
  renderSlack();
  renderModal();
}

async function refresh() {
  const response = await fetch(`/api/state?agent=${encodeURIComponent(ui.agent || "")}`);
  const text = await response.text();
  if (text === ui.last) return;
  ui.last = text;
  state = JSON.parse(text);
  if (!ui.agent) ui.agent = state.people[0].id;
  if (!ui.phone) ui.phone = state.customers[0].phone;
  // a scenario playing: the phone follows the customer it is about (until the visitor picks another)
  if (state.spotlight && state.spotlight.step !== ui.spotlight) {
    ui.spotlight = state.spotlight.step;
    ui.phone = state.spotlight.phone;
  }
  if (!ui.channel) ui.channel = state.support_channel;
  fillSelects();
  render();
}

function fillSelects() {
  const agent = $("agent");
  agent.replaceChildren(...state.people.map((p) => option(p.id, `${p.name} (${p.role})`, p.id === ui.agent)));
  const customer = $("customer");
  customer.replaceChildren(...state.customers.map((c) => option(c.phone, `${c.name} · ${c.plan}`, c.phone === ui.phone)));
}

$("agent").onchange = (e) => { ui.agent = e.target.value; ui.last = ""; ui.modalKey = ""; refresh(); };
$("customer").onchange = (e) => { ui.phone = e.target.value; render(); };
$("new-customer").onclick = () => { $("customer-form").hidden = !$("customer-form").hidden; };
$("customer-form").onsubmit = async (e) => {
  e.preventDefault();
  const data = Object.fromEntries(new FormData(e.target));
  const created = await api("/api/customers", data);
  if (created.phone) { ui.phone = created.phone; e.target.hidden = true; e.target.reset(); refresh(); }
};
$("phone-form").onsubmit = async (e) => {
  e.preventDefault();
  const text = $("phone-text").value.trim();
  if (!text) return;
  $("phone-text").value = "";
  await api("/api/phone/send", { phone: ui.phone, text });
  refresh();
};
for (const [id, voice] of [["phone-file", "0"], ["phone-voice", "1"]]) {
  $(id).onchange = async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    const form = new FormData();
    form.append("phone", ui.phone);
    form.append("voice", voice);
    form.append("file", file);
    await fetch("/api/phone/file", { method: "POST", body: form });
    e.target.value = "";
    refresh();
  };
}
$("composer").onsubmit = async (e) => {
  e.preventDefault();
  const text = $("composer-text").value.trim();
  if (!text) return;
  $("composer-text").value = "";
  if (text.startsWith("/suporte")) await api("/api/slack/command", { agent: ui.agent, channel: ui.channel, text: text.replace(/^\/suporte\s*/, "") });
  else await api("/api/slack/say", { agent: ui.agent, channel: ui.channel, text });
  refresh();
};
$("thread-composer").onsubmit = async (e) => {
  e.preventDefault();
  const text = $("thread-text").value.trim();
  if (!text || !ui.thread) return;
  $("thread-text").value = "";
  await api("/api/slack/say", { agent: ui.agent, channel: ui.thread.channel, thread_ts: ui.thread.ts, text });
  refresh();
};
$("close-thread").onclick = () => { ui.thread = null; render(); };
$("viewer-close").onclick = () => { $("viewer").hidden = true; };
$("viewer").onclick = (e) => { if (e.target === $("viewer")) $("viewer").hidden = true; };
document.addEventListener("keydown", (e) => { if (e.key === "Escape") $("viewer").hidden = true; });
$("home-tab").onclick = async () => { ui.home = true; ui.thread = null; await api("/api/slack/home", { agent: ui.agent }); refresh(); render(); };

refresh();
setInterval(refresh, 700);
