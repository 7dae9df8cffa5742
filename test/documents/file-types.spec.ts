import ExcelJS from 'exceljs';
import { cleanFileName, contentDisposition, MAX_NAME_LENGTH } from '../../src/documents/file-names';
import { detectFileType, extensionOf } from '../../src/documents/file-types';
import { PDF, PNG } from '../support/multipart';

/** A ZIP (stored, no compression) with these entry names: enough for the central directory. */
function zip(names: string[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const name of names) {
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(n.length, 26);
    locals.push(local, n);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, n);
    offset += 30 + n.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** An OLE2 compound file header followed by a directory entry name (UTF-16LE). */
const compound = (stream: string) =>
  Buffer.concat([
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
    Buffer.alloc(504),
    Buffer.from(`Root Entry\0`, 'utf16le'),
    Buffer.from(`${stream}\0`, 'utf16le'),
  ]);

describe('file types decided by their bytes', () => {
  test('PDF, PNG and JPEG by their magic numbers; shown inline', () => {
    expect(detectFileType(PDF)).toMatchObject({ contentType: 'application/pdf', inline: true });
    expect(detectFileType(PNG)).toMatchObject({ contentType: 'image/png', inline: true });
    expect(detectFileType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toMatchObject({
      contentType: 'image/jpeg',
      extensions: ['jpg', 'jpeg'],
    });
  });

  test('Office Open XML by the main part its ZIP lists; a plain ZIP is no document', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('概算');
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(detectFileType(xlsx)?.extensions).toEqual(['xlsx']);
    expect(detectFileType(zip(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']))?.extensions).toEqual([
      'docx',
    ]);
    expect(detectFileType(zip(['[Content_Types].xml', 'ppt/presentation.xml']))?.extensions).toEqual(['pptx']);
    expect(detectFileType(zip(['word/document.xml']))).toBeNull();
    expect(detectFileType(zip(['[Content_Types].xml', 'payload.exe']))).toBeNull();
    expect(detectFileType(Buffer.from('PK\x03\x04 truncated'))).toBeNull();
  });

  test('the binary Word and Excel formats by their compound file streams', () => {
    expect(detectFileType(compound('WordDocument'))?.extensions).toEqual(['doc']);
    expect(detectFileType(compound('Workbook'))?.extensions).toEqual(['xls']);
    expect(detectFileType(compound('PowerPoint Document'))).toBeNull();
  });

  test('anything else is refused, whatever it claims', () => {
    expect(detectFileType(Buffer.from('MZ\x90\x00'))).toBeNull();
    expect(detectFileType(Buffer.from('<!doctype html><script>'))).toBeNull();
    expect(detectFileType(Buffer.alloc(0))).toBeNull();
    expect(extensionOf('建议书.PDF')).toBe('pdf');
    expect(extensionOf('.pdf')).toBe('');
    expect(extensionOf('README')).toBe('');
  });
});

describe('file names', () => {
  test('only the last segment, no controls or bidi overrides, NFC, trimmed', () => {
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('C:\\Users\\张三\\建议书.pdf')).toBe('建议书.pdf');
    expect(cleanFileName('a\u0000b\r\n.pdf')).toBe('ab.pdf');
    expect(cleanFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(cleanFileName('Cafe\u0301.pdf')).toBe('Caf\u00e9.pdf');
    expect(cleanFileName('  可研.docx  ')).toBe('可研.docx');
    expect(cleanFileName('..')).toBeNull();
    expect(cleanFileName('dir/')).toBeNull();
    expect(cleanFileName('\u0007')).toBeNull();
  });

  test('a long name is cut to the limit, keeping its extension', () => {
    const long = cleanFileName(`${'初'.repeat(500)}.xlsx`)!;
    expect([...long].length).toBe(MAX_NAME_LENGTH);
    expect(long.endsWith('.xlsx')).toBe(true);
  });

  test('Content-Disposition carries an ASCII fallback and the RFC 5987 UTF-8 name', () => {
    expect(contentDisposition('attachment', '概算(终).xlsx')).toBe(
      `attachment; filename="__(_).xlsx"; filename*=UTF-8''%E6%A6%82%E7%AE%97%28%E7%BB%88%29.xlsx`,
    );
    expect(contentDisposition('inline', 'a "quoted" \\ name.pdf')).toBe(
      `inline; filename="a _quoted_ _ name.pdf"; filename*=UTF-8''a%20%22quoted%22%20%5C%20name.pdf`,
    );
  });
});
