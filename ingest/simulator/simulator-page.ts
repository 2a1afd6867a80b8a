/**
 * The simulator page: one self-contained HTML file (inline CSS and JS, no build step).
 * You write as a test person; the page polls the conversation every second and shows the
 * service's replies with reply buttons and lists you can tap, like WhatsApp. Text from the
 * server is always set with textContent, never parsed as HTML. The dashboard replaces this
 * page in a later issue.
 */
export function simulatorPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parley simulator</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.4 system-ui, sans-serif; background: #d1d7db; display: flex; justify-content: center; }
  main { width: 100%; max-width: 480px; height: 100vh; display: flex; flex-direction: column; background: #efeae2; }
  header { background: #008069; color: #fff; padding: 10px 12px; display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
  header h1 { font-size: 16px; margin: 0 auto 0 0; }
  header input { width: 120px; padding: 4px 6px; border: 0; border-radius: 4px; }
  header button { background: #fff; color: #008069; border: 0; border-radius: 4px; padding: 4px 8px; cursor: pointer; }
  #log { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 6px; }
  .msg { max-width: 80%; padding: 6px 8px 4px; border-radius: 8px; box-shadow: 0 1px 1px #0002; white-space: pre-wrap; word-wrap: break-word; }
  .in { align-self: flex-end; background: #d9fdd3; }
  .out { align-self: flex-start; background: #fff; }
  .head { font-weight: 600; } .foot { color: #667781; font-size: 13px; }
  .meta { color: #667781; font-size: 11px; text-align: right; }
  .ticks.read { color: #53bdeb; } .ticks.failed { color: #d93025; }
  .choices { display: flex; flex-direction: column; gap: 4px; margin-top: 6px; }
  .choices button { background: #fff; color: #008069; border: 1px solid #e9edef; border-radius: 6px; padding: 6px; cursor: pointer; font: inherit; }
  .rows { display: none; } .rows.open { display: flex; }
  .rows button { text-align: left; } .rows small { display: block; color: #667781; }
  form { display: flex; gap: 8px; padding: 8px; background: #f0f2f5; }
  form input { flex: 1; padding: 10px; border: 0; border-radius: 8px; font: inherit; }
  form button { background: #008069; color: #fff; border: 0; border-radius: 8px; padding: 0 16px; cursor: pointer; }
  #error { color: #d93025; padding: 0 12px; min-height: 1em; font-size: 13px; }
</style>
</head>
<body>
<main>
  <header>
    <h1>Parley simulator</h1>
    <input id="from" aria-label="Phone number (wa_id)" placeholder="Phone number">
    <input id="name" aria-label="Name" placeholder="Name">
    <button id="reset" type="button">Reset</button>
  </header>
  <div id="log" aria-live="polite"></div>
  <div id="error" role="alert"></div>
  <form id="compose"><input id="text" aria-label="Message" placeholder="Type a message" autocomplete="off"><button>Send</button></form>
</main>
<script>
const $ = (id) => document.getElementById(id);
const from = $('from'), name = $('name'), log = $('log'), error = $('error');
from.value = localStorage.getItem('parley.sim.from') || '27820000001';
name.value = localStorage.getItem('parley.sim.name') || 'Test person';
from.onchange = () => { localStorage.setItem('parley.sim.from', from.value); render([]); refresh(); };
name.onchange = () => localStorage.setItem('parley.sim.name', name.value);
const ticks = { queued: '\\u{1F552}', accepted: '\\u2713', sent: '\\u2713', delivered: '\\u2713\\u2713', read: '\\u2713\\u2713', failed: '!' };
let shown = '';

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

function render(messages) {
  const key = JSON.stringify(messages);
  if (key === shown) return;
  shown = key;
  const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 20;
  log.replaceChildren(...messages.map(bubble));
  if (atBottom) log.scrollTop = log.scrollHeight;
}

function bubble(m) {
  const b = el('div', 'msg ' + (m.direction === 'inbound' ? 'in' : 'out'));
  if (m.header) b.append(el('div', 'head', m.header));
  b.append(el('div', '', m.text ?? ''));
  if (m.footer) b.append(el('div', 'foot', m.footer));
  const meta = el('div', 'meta', new Date(m.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) + ' ');
  if (m.direction === 'outbound') meta.append(el('span', 'ticks ' + m.status, ticks[m.status] ?? m.status));
  if (m.error) meta.title = (m.error.code ?? '') + ' ' + (m.error.title ?? '');
  b.append(meta);
  if (m.buttons) {
    const c = el('div', 'choices');
    for (const btn of m.buttons) {
      const x = el('button', '', btn.title);
      x.onclick = () => send({ button_reply: { id: btn.id, title: btn.title } });
      c.append(x);
    }
    b.append(c);
  }
  if (m.list) {
    const c = el('div', 'choices');
    const open = el('button', '', '\\u2630 ' + m.list.button);
    const rows = el('div', 'choices rows');
    open.onclick = () => rows.classList.toggle('open');
    for (const s of m.list.sections) {
      if (s.title) rows.append(el('div', 'foot', s.title));
      for (const r of s.rows) {
        const x = el('button', '', r.title);
        if (r.description) x.append(el('small', '', r.description));
        x.onclick = () => send({ list_reply: { id: r.id, title: r.title, ...(r.description ? { description: r.description } : {}) } });
        rows.append(x);
      }
    }
    c.append(open, rows);
    b.append(c);
  }
  return b;
}

async function call(method, path, body) {
  const res = await fetch(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.error?.message ?? res.statusText);
  return json;
}

async function send(content) {
  error.textContent = '';
  try {
    await call('POST', '/simulator/api/messages', { from: from.value, name: name.value || undefined, ...content });
    await refresh();
  } catch (e) { error.textContent = e.message; }
}

async function refresh() {
  try {
    const c = await call('GET', '/simulator/api/conversations/' + encodeURIComponent(from.value));
    render(c.messages);
  } catch (e) { error.textContent = e.message; }
}

$('compose').onsubmit = (ev) => {
  ev.preventDefault();
  const text = $('text').value.trim();
  if (!text) return;
  $('text').value = '';
  void send({ text });
};
$('reset').onclick = async () => {
  try { await call('POST', '/simulator/api/contacts/' + encodeURIComponent(from.value) + '/reset'); render([]); }
  catch (e) { error.textContent = e.message; }
};
void refresh();
setInterval(refresh, 1000);
</script>
</body>
</html>
`;
}
