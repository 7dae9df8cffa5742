/** The query and command API of the service (same origin), with the bearer token. */

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  article?: string;
  errors?: Array<{ field: string; problems: string[]; codes?: string[]; problemsZh?: string[] }>;
  [k: string]: unknown;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
  }
}

export interface Claims {
  sub: string;
  name?: string;
  role: string;
  department?: string;
  exp?: number;
}

export function decodeToken(token: string): Claims | null {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return null;
  try {
    const json = decodeURIComponent(
      Array.from(atob(parts[1].replace(/-/g, '+').replace(/_/g, '/')))
        .map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
        .join(''),
    );
    const claims = JSON.parse(json) as Claims;
    return typeof claims.role === 'string' && typeof claims.sub === 'string' ? claims : null;
  } catch {
    return null;
  }
}

let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export async function api<T = unknown>(
  token: string | null,
  path: string,
  init: { method?: string; body?: unknown; idempotencyKey?: string; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.idempotencyKey) headers['idempotency-key'] = init.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError({ status: 0, code: 'NETWORK', title: 'Network error', detail: String(error) });
  }
  const text = await response.text();
  const body = text ? safeJson(text) : null;
  if (!response.ok) {
    const problem: Problem =
      body && typeof body === 'object'
        ? { ...(body as Problem), status: response.status }
        : { status: response.status, detail: text };
    if (response.status === 401 && token) onUnauthorized();
    throw new ApiError(problem);
  }
  return body as T;
}

/**
 * Downloads a file the API answers (an .xlsx export) with the bearer token: a refusal is thrown as
 * the problem it is; the file is saved under the name the server gives (RFC 5987 filename*).
 */
export async function download(token: string | null, path: string, fallbackName: string): Promise<void> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(path, { headers });
  } catch (error) {
    throw new ApiError({ status: 0, code: 'NETWORK', title: 'Network error', detail: String(error) });
  }
  if (!response.ok) {
    const text = await response.text();
    const body = text ? safeJson(text) : null;
    if (response.status === 401 && token) onUnauthorized();
    throw new ApiError(
      body && typeof body === 'object'
        ? { ...(body as Problem), status: response.status }
        : { status: response.status, detail: text },
    );
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileNameOf(response.headers.get('content-disposition')) ?? fallbackName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function fileNameOf(disposition: string | null): string | null {
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '');
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1]);
    } catch {
      return null;
    }
  }
  const plain = /filename="([^"]+)"/i.exec(disposition ?? '');
  return plain ? plain[1] : null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export interface StreamEvent {
  position: string;
  streamId: string;
  revision: number;
  type: string;
  label: string | null;
  family: string | null;
  data: Record<string, unknown>;
  metadata: {
    occurredAt: string;
    article?: string;
    actor?: { sub: string; name?: string; role: string; department?: string };
    [k: string]: unknown;
  };
}

/**
 * Server-Sent Events with an Authorization header: EventSource cannot send one, so this reads
 * the text/event-stream with fetch() and parses the frames itself, reconnecting with
 * Last-Event-ID after a drop.
 */
export function openEventStream(
  token: string,
  onEvent: (event: StreamEvent) => void,
  onState: (state: 'connecting' | 'open' | 'closed') => void,
): () => void {
  const controller = new AbortController();
  let lastId: string | undefined;
  let retryMs = 3000;
  let stopped = false;

  const run = async () => {
    while (!stopped) {
      onState('connecting');
      try {
        const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
        if (lastId) headers['last-event-id'] = lastId;
        const response = await fetch('/events/stream', { headers, signal: controller.signal, cache: 'no-store' });
        if (response.status === 401) {
          onUnauthorized();
          return;
        }
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        onState('open');
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut: number;
          while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
            const frame = buffer.slice(0, cut);
            buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, '');
            const parsed = parseFrame(frame);
            if (parsed.retry) retryMs = parsed.retry;
            if (parsed.id) lastId = parsed.id;
            if (parsed.data) {
              try {
                onEvent(JSON.parse(parsed.data) as StreamEvent);
              } catch {
                /* not JSON: ignore */
              }
            }
          }
        }
      } catch (error) {
        if (stopped || (error as Error).name === 'AbortError') return;
      }
      if (stopped) return;
      onState('closed');
      await new Promise((r) => setTimeout(r, retryMs));
    }
  };
  void run();
  return () => {
    stopped = true;
    controller.abort();
  };
}

function parseFrame(frame: string): { id?: string; data?: string; retry?: number } {
  const out: { id?: string; data?: string; retry?: number } = {};
  const data: string[] = [];
  for (const line of frame.split(/\r?\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') out.id = value;
    else if (field === 'data') data.push(value);
    else if (field === 'retry' && /^\d+$/.test(value)) out.retry = Number(value);
  }
  if (data.length) out.data = data.join('\n');
  return out;
}

export function uuid(): string {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}
