/**
 * What an uploaded file is, decided by its bytes (magic numbers and, for Office files, the
 * container's entries), never by the client's Content-Type or the name: a file whose name claims
 * another type than its bytes is refused. Accepted: PDF, PNG, JPEG, Word/Excel/PowerPoint
 * (Office Open XML: docx, xlsx, pptx) and the older Word/Excel binary formats (doc, xls).
 */
export interface FileType {
  contentType: string;
  /** The name endings this type may carry (lowercase, without the dot). */
  extensions: readonly string[];
  /** Shown in the browser (PDF, images); anything else is downloaded as an attachment. */
  inline: boolean;
}

const PDF: FileType = { contentType: 'application/pdf', extensions: ['pdf'], inline: true };
const PNG: FileType = { contentType: 'image/png', extensions: ['png'], inline: true };
const JPEG: FileType = { contentType: 'image/jpeg', extensions: ['jpg', 'jpeg'], inline: true };
const OOXML = 'application/vnd.openxmlformats-officedocument';
const DOCX: FileType = { contentType: `${OOXML}.wordprocessingml.document`, extensions: ['docx'], inline: false };
const XLSX: FileType = { contentType: `${OOXML}.spreadsheetml.sheet`, extensions: ['xlsx'], inline: false };
const PPTX: FileType = { contentType: `${OOXML}.presentationml.presentation`, extensions: ['pptx'], inline: false };
const DOC: FileType = { contentType: 'application/msword', extensions: ['doc'], inline: false };
const XLS: FileType = { contentType: 'application/vnd.ms-excel', extensions: ['xls'], inline: false };

/** Every accepted type, by content type (the download route looks the recorded one up here). */
export const FILE_TYPES: readonly FileType[] = [PDF, PNG, JPEG, DOCX, XLSX, PPTX, DOC, XLS];

/** Every name ending accepted, for the refusal's text. */
export const ACCEPTED_EXTENSIONS: readonly string[] = FILE_TYPES.flatMap((t) => t.extensions);

const startsWith = (bytes: Buffer, signature: number[]) =>
  bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // PK\3\4: a ZIP container (Office Open XML)
const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]; // OLE2 compound file (doc, xls)

/** The type the bytes are, or null when they are none of the accepted ones. */
export function detectFileType(bytes: Buffer): FileType | null {
  if (startsWith(bytes, PDF_MAGIC)) return PDF;
  if (startsWith(bytes, PNG_MAGIC)) return PNG;
  if (startsWith(bytes, JPEG_MAGIC)) return JPEG;
  if (startsWith(bytes, ZIP_MAGIC)) return officeOpenXml(zipEntryNames(bytes));
  if (startsWith(bytes, CFB_MAGIC)) return compoundFile(bytes);
  return null;
}

/** The main part of each Office Open XML format; a ZIP without [Content_Types].xml is no Office file. */
function officeOpenXml(entries: Set<string> | null): FileType | null {
  if (!entries?.has('[Content_Types].xml')) return null;
  if (entries.has('word/document.xml')) return DOCX;
  if (entries.has('xl/workbook.xml')) return XLSX;
  if (entries.has('ppt/presentation.xml')) return PPTX;
  return null;
}

/** A Word binary keeps its text in the stream `WordDocument`, an Excel one in `Workbook` (or `Book`, Excel 5). */
function compoundFile(bytes: Buffer): FileType | null {
  const utf16 = (name: string) => Buffer.from(`${name}\0`, 'utf16le');
  if (bytes.includes(utf16('WordDocument'))) return DOC;
  if (bytes.includes(utf16('Workbook')) || bytes.includes(utf16('Book'))) return XLS;
  return null;
}

const EOCD = 0x06054b50;
const CENTRAL_ENTRY = 0x02014b50;

/**
 * The entry names of a ZIP's central directory (at its end, so every entry is listed whatever the
 * order the writer chose), or null when the directory cannot be read.
 */
function zipEntryNames(bytes: Buffer): Set<string> | null {
  // The end-of-central-directory record is 22 bytes plus a comment of at most 65 535.
  const earliest = Math.max(0, bytes.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= earliest; i--) {
    if (bytes.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = bytes.readUInt16LE(eocd + 10);
  let at = bytes.readUInt32LE(eocd + 16);
  const names = new Set<string>();
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL_ENTRY) return null;
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    if (at + 46 + nameLength > bytes.length) return null;
    names.add(bytes.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** The name's ending, lowercase without the dot ('' when it has none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** The type recorded for a stored file (its content type), for the download's headers. */
export function fileTypeOf(contentType: string): FileType | undefined {
  return FILE_TYPES.find((t) => t.contentType === contentType);
}
