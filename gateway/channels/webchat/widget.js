/*
 * Aizalo web-chat widget. Embed in any page:
 *   <script src="https://YOUR-HOST/widget.js" data-tenant="SLUG"></script>
 * Optional: data-open="false" starts collapsed behind a launcher button.
 * Talks to wss://YOUR-HOST/chat/SLUG/ws over one WebSocket; replies appear live, reconnects
 * with backoff, keeps the visitor's secret in localStorage so history survives a reload. The
 * secret is this browser's credential for its conversation: the server never stores or shows
 * it (staff see a short id derived from it).
 */
(function () {
  var script = document.currentScript;
  if (!script) return;
  var slug = script.getAttribute('data-tenant');
  if (!slug) { console.error('[aizalo] data-tenant is missing on the widget script tag'); return; }
  var origin = new URL(script.src, location.href).origin;
  var key = 'aizalo:visitor-secret:' + slug;
  var visitor = localStorage.getItem(key);
  if (!visitor || !/^[A-Za-z0-9._-]{16,128}$/.test(visitor)) {
    // 32 random bytes, base64url (43 characters): unguessable, URL-safe.
    var bytes = crypto.getRandomValues(new Uint8Array(32)), bin = '';
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    visitor = btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    localStorage.setItem(key, visitor);
  }
  localStorage.removeItem('aizalo:visitor:' + slug); // the old, staff-visible id is no credential any more
  var css = '.aizalo-box{position:fixed;right:16px;bottom:16px;width:min(360px,calc(100vw - 32px));height:min(520px,calc(100vh - 32px));display:flex;flex-direction:column;background:#fff;border:1px solid #d0d5dd;border-radius:12px;box-shadow:0 8px 24px rgba(0,0,0,.15);font:14px/1.4 system-ui,sans-serif;z-index:2147483000}' +
    '.aizalo-head{padding:10px 14px;background:#0b6e4f;color:#fff;border-radius:12px 12px 0 0;display:flex;justify-content:space-between;align-items:center}' +
    '.aizalo-head button{background:none;border:0;color:#fff;font-size:18px;cursor:pointer}' +
    '.aizalo-log{flex:1;overflow-y:auto;padding:10px;display:flex;flex-direction:column;gap:6px}' +
    '.aizalo-msg{max-width:80%;padding:7px 10px;border-radius:10px;white-space:pre-wrap;word-wrap:break-word}' +
    '.aizalo-msg[data-role=customer]{align-self:flex-end;background:#0b6e4f;color:#fff}' +
    '.aizalo-msg[data-role=agent]{align-self:flex-start;background:#f2f4f7;color:#101828}' +
    '.aizalo-msg[data-author=staff]{border-left:3px solid #0b6e4f}' +
    '.aizalo-form{display:flex;gap:6px;padding:8px;border-top:1px solid #eaecf0}' +
    '.aizalo-form input{flex:1;padding:8px;border:1px solid #d0d5dd;border-radius:8px;font:inherit}' +
    '.aizalo-form button{padding:8px 12px;border:0;border-radius:8px;background:#0b6e4f;color:#fff;cursor:pointer}' +
    '.aizalo-status{font-size:12px;color:#667085;padding:0 10px 4px}' +
    '.aizalo-launch{position:fixed;right:16px;bottom:16px;border:0;border-radius:24px;padding:12px 18px;background:#0b6e4f;color:#fff;cursor:pointer;z-index:2147483000}';
  var style = document.createElement('style'); style.textContent = css; document.head.appendChild(style);

  var box = document.createElement('div'); box.className = 'aizalo-box'; box.setAttribute('role', 'dialog'); box.setAttribute('aria-label', 'Chat');
  box.innerHTML = '<div class="aizalo-head"><strong>Chat with us</strong><button type="button" aria-label="Minimise">&#8211;</button></div>' +
    '<div class="aizalo-log" aria-live="polite"></div><div class="aizalo-status"></div>' +
    '<form class="aizalo-form"><input data-testid="aizalo-input" aria-label="Message" placeholder="Type a message…" autocomplete="off" maxlength="2000">' +
    '<button data-testid="aizalo-send" type="submit">Send</button></form>';
  var launch = document.createElement('button'); launch.className = 'aizalo-launch'; launch.type = 'button'; launch.textContent = 'Chat';
  var log = box.querySelector('.aizalo-log'), status = box.querySelector('.aizalo-status');
  var form = box.querySelector('form'), input = box.querySelector('input');
  var seen = {};
  function show(open) { box.style.display = open ? 'flex' : 'none'; launch.style.display = open ? 'none' : 'block'; if (open) input.focus(); }
  box.querySelector('.aizalo-head button').onclick = function () { show(false); };
  launch.onclick = function () { show(true); };
  document.body.appendChild(box); document.body.appendChild(launch);
  show(script.getAttribute('data-open') !== 'false');

  function add(m) {
    if (m.id && seen[m.id]) return; if (m.id) seen[m.id] = 1;
    var el = document.createElement('div'); el.className = 'aizalo-msg';
    el.setAttribute('data-testid', 'aizalo-message'); el.setAttribute('data-role', m.role === 'customer' ? 'customer' : 'agent');
    el.setAttribute('data-author', m.author || (m.role === 'customer' ? 'customer' : 'ai'));
    el.textContent = m.text; log.appendChild(el); log.scrollTop = log.scrollHeight;
  }
  var ws, retry = 0, outbox = [];
  function connect() {
    ws = new WebSocket(origin.replace(/^http/, 'ws') + '/chat/' + encodeURIComponent(slug) + '/ws?visitor=' + encodeURIComponent(visitor));
    ws.onopen = function () { retry = 0; status.textContent = ''; while (outbox.length) ws.send(outbox.shift()); };
    ws.onmessage = function (ev) {
      var data; try { data = JSON.parse(ev.data); } catch (_e) { return; }
      if (data.type === 'history') data.messages.forEach(add);
      else if (data.type === 'message') add(data);
      else if (data.type === 'error') status.textContent = data.message;
    };
    ws.onclose = function (ev) {
      if (ev.code === 4404) { status.textContent = 'This chat is not available.'; return; }
      status.textContent = ev.code === 4429 ? 'The chat is busy; retrying shortly…' : 'Reconnecting…';
      if (ev.code === 4429) retry = Math.max(retry, 4);
      setTimeout(connect, Math.min(10000, 500 * Math.pow(2, retry++)));
    };
  }
  form.onsubmit = function (e) {
    e.preventDefault();
    var text = input.value.trim(); if (!text) return;
    var id = crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random();
    add({ id: 'c:' + id, role: 'customer', text: text });
    var frame = JSON.stringify({ type: 'message', clientId: id, text: text });
    if (ws && ws.readyState === 1) ws.send(frame); else outbox.push(frame);
    input.value = '';
  };
  connect();
})();
