/** Longest kept name, in characters (NTFS and most file systems allow 255). */
export const MAX_NAME_LENGTH = 200;

/**
 * A file's name as the client sent it, made safe to show and to send back: only the last path
 * segment (a browser or a crafted request may send `C:\\dir\\a.pdf` or `../../etc/passwd`), without
 * control or bidirectional-override characters, NFC-normalised (a name typed on macOS arrives
 * decomposed), trimmed, at most MAX_NAME_LENGTH characters with its extension kept. It is shown and
 * recorded, never used as a path: files are stored under their digest. Null when nothing is left.
 */
export function cleanFileName(raw: string): string | null {
  const segment = raw.split(/[\\/]/).pop() ?? '';
  const cleaned = segment
    .normalize('NFC')
    .split('')
    .filter((c) => !invisible(c.charCodeAt(0)))
    .join('')
    .trim()
    // a name of dots only (`.`, `..`) names no file
    .replace(/^\.+$/, '');
  if (cleaned === '') return null;
  const characters = [...cleaned];
  if (characters.length <= MAX_NAME_LENGTH) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  return characters.slice(0, MAX_NAME_LENGTH - [...extension].length).join('') + extension;
}

/** C0/C1 controls, DEL, and the bidi controls that can make `exe.pdf` look like `fdp.exe`. */
function invisible(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * A Content-Disposition header for the name (RFC 6266): an ASCII fallback in `filename` for old
 * clients and the exact name in `filename*` (RFC 5987, UTF-8, percent-encoded).
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
