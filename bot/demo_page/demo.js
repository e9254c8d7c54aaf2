// The demo page: a customer's WhatsApp on the left, the support team's Slack on the right.
// Everything shown comes from /api/state (what the emulators hold); every action goes to
// /api/... which turns it into the signed request the real platform would send the bot.
"use strict";

const $ = (id) => document.getElementById(id);
const ui = { agent: null, phone: null, channel: null, thread: null, home: false, last: "", modalKey: "", modalErrors: {} };
let state = null;

async function api(path, body) {
  const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (!response.ok) {
    alert(await response.text());
    return {};
  }
  return response.json();
}

function esc(text) {
  return String(text ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

// Slack stores reactions by name; show the ones the desk uses as the emoji people see.
const EMOJI = { heavy_check_mark: "✔️", mailbox_with_mail: "📬", eyes: "👀", x: "❌", white_check_mark: "✅", warning: "⚠️", thumbsup: "👍", "+1": "👍", heart: "❤️", pray: "🙏", joy: "😂" };

function userName(id) {
  return (state && state.users[id]) || id;
}

// Slack mrkdwn -> HTML (links, mentions, bold, italics, strike, code).
function mrkdwn(text) {
  let html = esc(text);
  html = html.replace(/```([\s\S]*?)```/g, "<pre><code>$1</code></pre>");
  html = html.replace(/&lt;@([A-Z0-9]+)(?:\|[^&]*)?&gt;/g, (_, id) => `<span class="mention">@${esc(userName(id))}</span>`);
  html = html.replace(/&lt;!subteam\^([A-Z0-9]+)(?:\|([^&]*))?&gt;/g, (_, id, label) => `<span class="mention">${esc(label || "@" + id)}</span>`);
  html = html.replace(/&lt;!(here|channel|everyone)&gt;/g, '<span class="mention">@$1</span>');
  html = html.replace(/&lt;#([A-Z0-9]+)(?:\|([^&]*))?&gt;/g, (_, id, label) => `<span class="mention">#${esc(label || id)}</span>`);
  html = html.replace(/&lt;((?:https?|mailto):[^|&]+)\|([^&]+)&gt;/g, '<a href="$1" target="_blank">$2</a>');
  html = html.replace(/&lt;((?:https?|mailto):[^&]+)&gt;/g, '<a href="$1" target="_blank">$1</a>');
  html = html.replace(/`([^`]+)`/g, "<code>$1</code>");
  html = html.replace(/(^|[\s(])\*([^*\n]+)\*/g, "$1<b>$2</b>");
  html = html.replace(/(^|[\s(])_([^_\n]+)_/g, "$1<i>$2</i>");
  html = html.replace(/(^|[\s(])~([^~\n]+)~/g, "$1<s>$2</s>");
  // Slack's own escapes (&amp; &lt; &gt;) show as the characters, after the markup was read
  return html.replace(/&amp;(amp|lt|gt);/g, "&$1;");
}

function textOf(obj) {
  if (!obj) return "";
  return obj.type === "mrkdwn" ? mrkdwn(obj.text) : esc(obj.text);
}

// ------------------------------------------------------------------ Block Kit

function renderElement(el, ctx) {
  if (el.type === "button") {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = el.text?.text ?? "";
    if (el.style) b.className = el.style;
    b.dataset.actionId = el.action_id;
    b.onclick = () => click(ctx, el.action_id, el.value, "button");
    if (el.url) b.onclick = () => window.open(el.url, "_blank");
    return b;
  }
  if (el.type === "static_select" || el.type === "overflow") {
    const s = document.createElement("select");
    s.innerHTML = `<option value="">${esc(el.placeholder?.text ?? "Escolha…")}</option>` +
      allOptions(el).map((o) => `<option value="${esc(o.value)}">${esc(o.text.text)}</option>`).join("");
    s.onchange = () => s.value && click(ctx, el.action_id, s.value, el.type);
    return s;
  }
  if (el.type === "image") {
    const img = document.createElement("img");
    img.src = el.image_url;
    img.alt = el.alt_text ?? "";
    img.style.height = "16px";
    return img;
  }
  const span = document.createElement("span");
  span.innerHTML = textOf(el);
  return span;
}

function allOptions(el) {
  return (el.options || []).concat(...(el.option_groups || []).map((g) => g.options));
}

function renderBlocks(blocks, ctx) {
  const box = document.createElement("div");
  for (const block of blocks || []) {
    const div = document.createElement("div");
    if (block.type === "section") {
      div.className = "block-section";
      if (block.text) div.innerHTML = textOf(block.text);
      if (block.fields) {
        const f = document.createElement("div");
        f.className = "block-fields";
        f.innerHTML = block.fields.map((x) => `<div>${textOf(x)}</div>`).join("");
        div.appendChild(f);
      }
      if (block.accessory) {
        const acc = document.createElement("div");
        acc.className = "accessory";
        acc.appendChild(renderElement(block.accessory, { ...ctx, block_id: block.block_id }));
        div.appendChild(acc);
      }
    } else if (block.type === "context") {
      div.className = "block-context";
      for (const el of block.elements || []) div.appendChild(renderElement(el, ctx));
    } else if (block.type === "actions") {
      div.className = "block-actions";
      for (const el of block.elements || []) div.appendChild(renderElement(el, { ...ctx, block_id: block.block_id }));
    } else if (block.type === "header") {
      div.className = "block-header";
      div.textContent = block.text?.text ?? "";
    } else if (block.type === "divider") {
      div.innerHTML = "<hr>";
    } else if (block.type === "image") {
      div.className = "block-image";
      div.innerHTML = `<img src="${esc(block.image_url)}" alt="${esc(block.alt_text)}">`;
    } else if (block.type === "rich_text") {
      div.textContent = JSON.stringify(block.elements?.map((e) => e.elements?.map((x) => x.text).join("")).join("\n"));
    }
    box.appendChild(div);
  }
  return box;
}

async function click(ctx, actionId, value, type) {
  await api("/api/slack/click", { agent: ui.agent, action_id: actionId, value, type, block_id: ctx.block_id, channel: ctx.channel, message_ts: ctx.message_ts, view_id: ctx.view_id, home: ctx.home });
  refresh();
}

// ------------------------------------------------------------------ the phone

function renderPhone() {
  const chat = $("chat");
  const bubbles = state.phones[ui.phone] || [];
  chat.innerHTML = "";
  let unread = false;
  for (const m of bubbles) {
    const b = document.createElement("div");
    b.className = `bubble ${m.direction}`;
    b.dataset.testid = m.direction === "in" ? "customer-message" : "business-message";
    if (m.media_url && m.media_kind === "image") b.innerHTML += `<img src="${m.media_url}" alt="imagem">`;
    else if (m.media_url && (m.media_kind === "audio" || m.media_kind === "voice")) b.innerHTML += `<audio controls src="${m.media_url}"></audio>`;
    else if (m.media_url) b.innerHTML += `<a href="${m.media_url}" target="_blank">📄 ${esc(m.filename || m.media_kind)}</a>`;
    if (m.text) b.insertAdjacentHTML("beforeend", `<div class="text">${esc(m.text)}</div>`);
    if (m.buttons.length || m.rows.length) {
      const choices = document.createElement("div");
      choices.className = "choices";
      const options = m.buttons.length ? m.buttons : m.rows;
      if (m.list_button) choices.insertAdjacentHTML("beforeend", `<div class="meta">☰ ${esc(m.list_button)}</div>`);
      for (const c of options) {
        const btn = document.createElement("button");
        btn.type = "button";
        btn.innerHTML = esc(c.title) + (c.description ? `<small>${esc(c.description)}</small>` : "");
        btn.onclick = async () => {
          await api("/api/phone/tap", { phone: ui.phone, context: m.id, id: c.id, title: c.title, list: !m.buttons.length });
          refresh();
        };
        choices.appendChild(btn);
      }
      b.appendChild(choices);
    }
    if (m.direction === "out") {
      const ticks = m.status === "read" ? '<span class="ticks read" data-testid="read">✓✓</span>'
        : m.status === "delivered" ? '<span class="ticks" data-testid="delivered">✓✓</span>' : '<span class="ticks">✓</span>';
      b.insertAdjacentHTML("beforeend", `<div class="meta">${ticks}</div>`);
      unread = unread || m.status === "delivered";
    }
    chat.appendChild(b);
  }
  chat.scrollTop = chat.scrollHeight;
  if (unread && document.visibilityState === "visible") api("/api/phone/read", { phone: ui.phone });
}

// ------------------------------------------------------------------ Slack

function channelName(id) {
  return id === state.support_channel ? "suporte" : id.toLowerCase();
}

function topLevel(channel) {
  return state.messages.filter((m) => m.channel === channel && (!m.thread_ts || m.thread_ts === m.ts));
}

function repliesOf(channel, ts) {
  return state.messages.filter((m) => m.channel === channel && m.thread_ts === ts && m.ts !== ts);
}

function renderMessage(m, channel, withReplies) {
  const div = document.createElement("div");
  div.className = "msg";
  div.dataset.ts = m.ts;
  const author = m.username || userName(m.user);
  div.innerHTML = `<span class="author">${esc(author)}</span>`;
  if (m.blocks && m.blocks.length) div.appendChild(renderBlocks(m.blocks, { channel, message_ts: m.ts }));
  else div.insertAdjacentHTML("beforeend", `<div class="block-section">${mrkdwn(m.text)}</div>`);
  for (const f of m.files || []) div.insertAdjacentHTML("beforeend", `<div>📎 ${esc(f.name)}</div>`);
  if (m.reactions && m.reactions.length) {
    div.insertAdjacentHTML("beforeend", `<div class="reactions">${m.reactions.map((r) => `<span title=":${esc(r)}:">${EMOJI[r] || `:${esc(r)}:`}</span>`).join("")}</div>`);
  }
  if (withReplies) {
    const n = repliesOf(channel, m.ts).length;
    const link = document.createElement("div");
    link.className = "replies";
    link.innerHTML = `<button type="button" class="link">${n ? `${n} respostas` : "Abrir conversa"}</button>`;
    link.querySelector("button").onclick = () => { ui.thread = { channel, ts: m.ts }; render(); };
    div.appendChild(link);
  }
  return div;
}

function renderSlack() {
  const channels = [state.support_channel, ...new Set(state.messages.map((m) => m.channel))].filter((c, i, a) => a.indexOf(c) === i);
  $("channels").innerHTML = "";
  for (const c of channels) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "channel" + (!ui.home && ui.channel === c ? " active" : "");
    b.textContent = "# " + channelName(c);
    b.onclick = () => { ui.channel = c; ui.home = false; ui.thread = null; render(); };
    $("channels").appendChild(b);
  }
  $("home-tab").className = "channel" + (ui.home ? " active" : "");
  const pane = $("messages");
  pane.innerHTML = "";
  if (ui.home) {
    $("channel-title").textContent = "🏠 atende · Home";
    pane.appendChild(state.home ? renderBlocks(state.home.blocks, { home: true, view_id: state.home.id }) : document.createTextNode("Nada publicado na Home ainda."));
  } else {
    $("channel-title").textContent = "# " + channelName(ui.channel);
    for (const m of topLevel(ui.channel)) pane.appendChild(renderMessage(m, ui.channel, true));
    pane.scrollTop = pane.scrollHeight;
  }
  $("ephemerals").innerHTML = state.ephemerals.slice(-3).map((e) =>
    `<div class="ephemeral" data-testid="ephemeral"><div class="who-sees">Só você pode ver esta mensagem</div>${mrkdwn(e.text)}</div>`).join("");
  const thread = $("thread");
  thread.hidden = !ui.thread;
  if (ui.thread) {
    const parent = state.messages.find((m) => m.channel === ui.thread.channel && m.ts === ui.thread.ts);
    $("thread-parent").innerHTML = "";
    if (parent) $("thread-parent").appendChild(renderMessage(parent, ui.thread.channel, false));
    const list = $("thread-messages");
    list.innerHTML = "";
    for (const r of repliesOf(ui.thread.channel, ui.thread.ts)) list.appendChild(renderMessage(r, ui.thread.channel, false));
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
  form.innerHTML = `<h2>${esc(view.title?.text)}</h2>`;
  for (const block of view.blocks || []) {
    if (block.type !== "input") {
      form.appendChild(renderBlocks([block], { view_id: view.id }));
      continue;
    }
    const label = document.createElement("label");
    label.dataset.blockId = block.block_id;
    label.innerHTML = `<span>${esc(block.label?.text)}${block.optional ? ' <span class="hint">(opcional)</span>' : ""}</span>`;
    const input = inputFor(block.element);
    if (block.dispatch_action) {
      // Slack sends the pick at once (with what the form holds) so the bot can redraw the form
      input.onchange = async () => {
        await api("/api/slack/click", { agent: ui.agent, action_id: block.element.action_id, value: input.value, type: block.element.type, block_id: block.block_id, view_id: view.id, values: modalValues(view) });
        refresh();
      };
    }
    label.appendChild(input);
    if (block.hint) label.insertAdjacentHTML("beforeend", `<span class="hint">${esc(block.hint.text)}</span>`);
    label.insertAdjacentHTML("beforeend", '<span class="error"></span>');
    form.appendChild(label);
  }
  const buttons = document.createElement("div");
  buttons.className = "modal-buttons";
  buttons.innerHTML = `<button type="button" id="modal-cancel">${esc(view.close?.text || "Cancelar")}</button>` +
    (view.submit ? `<button type="submit" class="primary">${esc(view.submit.text)}</button>` : "");
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
    input.innerHTML = (input.multiple ? "" : `<option value="">${esc(el.placeholder?.text ?? "Escolha…")}</option>`) +
      options.map((o) => `<option value="${esc(o.value)}" ${o.value === initial || initialMany.includes(o.value) ? "selected" : ""}>${esc(o.text.text)}</option>`).join("");
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
  if (!ui.channel) ui.channel = state.support_channel;
  fillSelects();
  render();
}

function fillSelects() {
  const agent = $("agent");
  agent.innerHTML = state.people.map((p) => `<option value="${p.id}" ${p.id === ui.agent ? "selected" : ""}>${esc(p.name)} (${esc(p.role)})</option>`).join("");
  const customer = $("customer");
  customer.innerHTML = state.customers.map((c) => `<option value="${c.phone}" ${c.phone === ui.phone ? "selected" : ""}>${esc(c.name)} · ${esc(c.plan)}</option>`).join("");
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
$("home-tab").onclick = async () => { ui.home = true; ui.thread = null; await api("/api/slack/home", { agent: ui.agent }); refresh(); render(); };

refresh();
setInterval(refresh, 700);
