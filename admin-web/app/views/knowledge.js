// @ts-check
/**
 * Knowledge: what the agent may quote (FAQ, price lists, policies). List with each document's
 * indexing progress (queued → chunking → embedding n/m → ready), live from the SSE event
 * `knowledge.progress` {documentId, status, chunksDone, chunksTotal}; add by pasting text or
 * picking a .txt/.md/.csv file (read in the browser and sent as text); delete; and "try a
 * question" (POST /api/tenant/knowledge/search) showing the chunks retrieval finds.
 * Writes need `knowledge` (owner/admin).
 */
import { html, signal, useEffect, useSignal } from '/web/shared/ui.js';
import { call, errorText } from '/web/shared/api.js';
import { onLive } from '/web/shared/live.js';
import { attempt, clearFields, ListState, loadable, Notice, Pager, pageOf } from '/web/shared/components.js';
import { dayIn } from '/web/shared/format.js';
import { can, tenant } from '../session.js';

/** @typedef {import('../../types/console-api.js').KnowledgeDoc} Doc */
const PAGE = 20;
const docs = loadable(async () => (await call('GET /api/tenant/knowledge', { query: { limit: 200 } })).documents);
/** Live progress per document id (overrides the listed numbers until the next reload). */
const progress = signal(/** @type {Record<string, { status: string, chunksDone: number, chunksTotal: number }>} */ ({}));
const note = signal(/** @type {import('/web/shared/components.js').Note} */ (null));
const FORMAT_OF = /** @type {Record<string, 'text' | 'markdown' | 'csv'>} */ ({ txt: 'text', md: 'markdown', markdown: 'markdown', csv: 'csv' });

/** @param {Doc} d */
function statusOf(d) {
  const p = progress.value[d.id];
  const status = p?.status ?? d.status;
  const done = p?.chunksDone ?? d.chunksDone ?? (status === 'ready' ? d.chunkCount ?? 0 : 0);
  const total = p?.chunksTotal ?? d.chunksTotal ?? d.chunkCount ?? 0;
  const label = status === 'ready' ? `Ready${total ? ` · ${total} chunks` : ''}` : status === 'failed' ? 'Failed'
    : status === 'embedding' || status === 'indexing' ? `Embedding ${done}/${total}` : status === 'chunking' ? 'Chunking' : 'Queued';
  return { status, done, total, label };
}

/** @param {{ doc: Doc, writer: boolean }} p */
function DocItem({ doc, writer }) {
  const s = statusOf(doc);
  const remove = () => confirm(`Delete “${doc.title}”? The agent stops using it.`) && attempt(note, async () => {
    await call('DELETE /api/tenant/knowledge/:id', { params: { id: doc.id } });
    await docs.reload();
  }, `“${doc.title}” deleted.`);
  return html`<li data-testid="knowledge-doc" data-status=${s.status} data-title=${doc.title}>
    <div class="head"><strong>${doc.title}</strong><span class=${`badge ${s.status}`} data-testid="knowledge-status">${s.label}</span></div>
    ${s.status !== 'ready' && s.status !== 'failed' ? html`<progress max=${s.total || 1} value=${s.done} aria-label=${`Indexing ${doc.title}`}></progress>` : null}
    ${doc.error ? html`<p class="error">${doc.error}</p>` : null}
    <div class="actions"><span class="hint">Added ${dayIn(doc.createdAt, tenant.value.timezone)}</span>
      ${writer ? html`<button type="button" class="danger" onClick=${remove}>Delete</button>` : null}</div>
  </li>`;
}

function AddDoc() {
  const text = useSignal('');
  const title = useSignal('');
  const format = useSignal(/** @type {'text' | 'markdown' | 'csv'} */ ('text'));
  /** @param {Event} e */
  const pick = async (e) => {
    const file = /** @type {HTMLInputElement} */ (e.target).files?.[0];
    if (!file) return;
    const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
    if (!FORMAT_OF[ext]) return void (note.value = { kind: 'error', text: 'Pick a .txt, .md or .csv file.' });
    text.value = await file.text();
    format.value = FORMAT_OF[ext] ?? 'text';
    if (!title.value) title.value = file.name.replace(/\.[^.]+$/, '');
  };
  /** @param {SubmitEvent} e */
  const submit = async (e) => {
    e.preventDefault();
    const body = { title: title.value.trim(), text: text.value, format: format.value };
    if (!body.title || !body.text.trim()) return void (note.value = { kind: 'error', text: 'Give it a title and some text.' });
    const ok = await attempt(note, async () => {
      await call('POST /api/tenant/knowledge', { body });
      await docs.reload();
    }, `“${body.title}” added: indexing has started.`);
    if (ok) {
      title.value = '';
      text.value = '';
      clearFields(/** @type {HTMLFormElement} */ (e.target), ['file']);
    }
  };
  return html`<form class="card" onSubmit=${submit} aria-label="Add knowledge">
    <label>Title <input name="title" required maxlength="200" value=${title.value} onInput=${(/** @type {Event} */ e) => (title.value = /** @type {HTMLInputElement} */ (e.target).value)} /></label>
    <label>Text, Markdown or FAQ <textarea name="text" rows="8" value=${text.value} onInput=${(/** @type {Event} */ e) => (text.value = /** @type {HTMLTextAreaElement} */ (e.target).value)}
      placeholder=${'Q: Do you have parking?\nA: Yes, free for guests.'}></textarea></label>
    <label>Or pick a file (.txt, .md, .csv) <input name="file" type="file" accept=".txt,.md,.markdown,.csv,text/plain,text/markdown,text/csv" onChange=${pick} /></label>
    <label>Format <select name="format" value=${format.value} onChange=${(/** @type {Event} */ e) => (format.value = /** @type {any} */ (/** @type {HTMLSelectElement} */ (e.target).value))}>
      <option value="text">Plain text / FAQ</option><option value="markdown">Markdown</option><option value="csv">CSV (question, answer)</option></select></label>
    <button type="submit">Add to knowledge</button>
  </form>`;
}

function TryQuestion() {
  const result = useSignal(/** @type {import('/web/shared/components.js').Loadable<import('../../types/console-api.js').KnowledgeChunk[]> | null} */ (null));
  /** @param {SubmitEvent} e */
  const ask = async (e) => {
    e.preventDefault();
    const query = String(new FormData(/** @type {HTMLFormElement} */ (e.target)).get('query') ?? '').trim();
    if (!query) return;
    result.value = { state: 'loading' };
    try {
      result.value = { state: 'ready', data: (await call('POST /api/tenant/knowledge/search', { body: { query } })).chunks };
    } catch (err) {
      result.value = { state: 'error', error: errorText(err) };
    }
  };
  return html`<div class="card"><h2>Try a question</h2>
    <form class="row" onSubmit=${ask}><label>Question <input name="query" required maxlength="500" placeholder="Do you have parking?" /></label><button type="submit">Search</button></form>
    ${result.value ? html`<${ListState} load=${result} empty="Nothing found: the agent would not know this." label="chunks">
      ${(/** @type {import('../../types/console-api.js').KnowledgeChunk[]} */ chunks) => html`<ol class="items" data-testid="knowledge-chunks">${chunks.map((c) => html`<li data-testid="knowledge-chunk">
        <div class="head"><strong>${c.title}</strong><span class="badge">score ${c.score.toFixed(2)}</span></div><div>${c.text}</div></li>`)}</ol>`}<//>` : null}
  </div>`;
}

export function View() {
  const page = useSignal(1);
  const writer = can('knowledge');
  useEffect(() => {
    progress.value = {};
    void docs.reload();
    return onLive((type, ev) => {
      if (type !== 'knowledge.progress' || !ev?.documentId) return;
      progress.value = { ...progress.value, [ev.documentId]: { status: ev.status, chunksDone: ev.chunksDone ?? 0, chunksTotal: ev.chunksTotal ?? 0 } };
      if (!docs.s.value.data?.some((d) => d.id === ev.documentId)) void docs.reload();
    });
  }, []);
  return html`<section>
    <h1>Knowledge</h1>
    <p class="hint">What your agent knows: answers it may give customers.</p>
    <${Notice} note=${note} />
    <div class="two">
      <div>
        <${ListState} load=${docs.s} empty="No documents yet. Add your FAQ so the agent can answer from it." label="knowledge" retry=${docs.reload}>
          ${(/** @type {Doc[]} */ all) => {
            const { rows, hasMore } = pageOf(all, page.value, PAGE);
            return html`<ul class="items" aria-live="polite">${rows.map((d) => html`<${DocItem} key=${d.id} doc=${d} writer=${writer} />`)}</ul>
              <${Pager} page=${page.value} hasMore=${hasMore} onPage=${(/** @type {number} */ n) => (page.value = n)} label="Knowledge pages" />`;
          }}
        <//>
        <${TryQuestion} />
      </div>
      ${writer ? html`<div><h2>Add knowledge</h2><${AddDoc} /></div>` : null}
    </div>
  </section>`;
}
