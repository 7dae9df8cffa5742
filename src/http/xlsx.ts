import { stream as excelStream, Workbook, type CellValue, type Row as ExcelRow, type Worksheet } from 'exceljs';
import type { FastifyReply } from 'fastify';
import { PassThrough, type Writable } from 'node:stream';

/**
 * Excel exports (.xlsx) the way the offices read them: Chinese headers, amounts in 万元 as
 * numbers (#,##0.00), instants in Beijing time, a frozen header row, column widths and an
 * autofilter. Built with exceljs: streamed through its WorkbookWriter for the lists and the audit
 * log (which may hold 100,000+ events), in memory for one project's file (several sheets).
 */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** One column: its Chinese header, its width in characters, how its cell is taken from a row. */
export interface XlsxColumn<Row> {
  header: string;
  width: number;
  value: (row: Row) => CellValue | undefined;
  /**
   * 'wan': an amount in 万元 (the value already divided), shown `#,##0.00`; a function decides per
   * row (a sheet of facts mixes amounts and text in one column).
   */
  format?: NumberFormat | ((row: Row) => NumberFormat | undefined);
}

type NumberFormat = 'wan' | 'integer';

const NUMBER_FORMATS = { wan: '#,##0.00', integer: '0' } as const;

/** Excel's limit for the text of one cell. */
const CELL_TEXT_LIMIT = 32_767;

/** An amount in fen as 万元 (1 万元 = 10,000 元 = 1,000,000 fen); null stays empty. */
export function wanYuan(fen: unknown): number | null {
  return typeof fen === 'number' && Number.isFinite(fen) ? fen / 1_000_000 : null;
}

const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

/** An instant as Beijing wall time (Asia/Shanghai, UTC+8 all year: China keeps no summer time). */
export function beijingTime(instant: unknown): string {
  if (typeof instant !== 'string' || instant === '') return '';
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return instant;
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** 是 / 否 for a flag; empty when unknown. */
export function yesNo(value: unknown): string {
  return value === true ? '是' : value === false ? '否' : '';
}

function cell(value: CellValue | undefined): CellValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' && value.length > CELL_TEXT_LIMIT) return `${value.slice(0, CELL_TEXT_LIMIT - 1)}…`;
  return value;
}

/** Header row, widths, formats, frozen first row; the autofilter is set once the rows are known. */
function prepare<Row>(sheet: Worksheet, columns: readonly XlsxColumn<Row>[]): void {
  sheet.columns = columns.map((c, i) => ({
    key: `c${i}`,
    width: c.width,
    style: typeof c.format === 'string' ? { numFmt: NUMBER_FORMATS[c.format] } : {},
  }));
  const header = sheet.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
}

function autoFilter(sheet: Worksheet, columnCount: number, rowCount: number): void {
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, rowCount + 1), column: columnCount } };
}

/** A row's cells, with the per-row number formats. */
function addRow<Row>(sheet: Worksheet, columns: readonly XlsxColumn<Row>[], row: Row) {
  const added = sheet.addRow(columns.map((c) => cell(c.value(row))));
  columns.forEach((c, i) => {
    const format = typeof c.format === 'function' ? c.format(row) : c.format;
    if (format) added.getCell(i + 1).numFmt = NUMBER_FORMATS[format];
  });
  return added;
}

function mark(row: ExcelRow, highlighted: boolean | undefined): ExcelRow {
  if (!highlighted) return row;
  row.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDE2E1' } };
  row.font = { color: { argb: 'FF9C1C12' } };
  return row;
}

const SHEET_OPTIONS = { views: [{ state: 'frozen' as const, ySplit: 1 }] };

/** An in-memory workbook of one or more sheets (the bounded exports: lists, deadlines, one project's file). */
export class XlsxBook {
  private readonly workbook = new Workbook();

  constructor() {
    this.workbook.creator = '数字鄂尔多斯建设项目监管';
  }

  /** A sheet of rows; `highlight` marks a row (e.g. an overdue obligation) with a red fill. */
  sheet<Row>(
    name: string,
    columns: readonly XlsxColumn<Row>[],
    rows: Iterable<Row>,
    highlight?: (row: Row) => boolean,
  ): this {
    const sheet = this.workbook.addWorksheet(name, SHEET_OPTIONS);
    prepare(sheet, columns);
    let count = 0;
    for (const row of rows) {
      mark(addRow(sheet, columns, row), highlight?.(row));
      count++;
    }
    autoFilter(sheet, columns.length, count);
    return this;
  }

  async buffer(): Promise<Buffer> {
    return Buffer.from(await this.workbook.xlsx.writeBuffer());
  }
}

/**
 * One sheet streamed as its rows arrive: each row is committed (written out and forgotten) at
 * once, and production waits while the socket is behind, so memory stays flat however long the
 * export (an in-memory workbook costs about a kilobyte a cell). Resolves once the file is complete.
 */
export async function streamSheet<Row>(
  out: Writable,
  name: string,
  columns: readonly XlsxColumn<Row>[],
  rows: AsyncIterable<Row> | Iterable<Row>,
  highlight?: (row: Row) => boolean,
): Promise<number> {
  const workbook = new excelStream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = '数字鄂尔多斯建设项目监管';
  const sheet = workbook.addWorksheet(name, SHEET_OPTIONS);
  prepare(sheet, columns);
  sheet.getRow(1).commit();
  let count = 0;
  for await (const row of rows) {
    mark(addRow(sheet, columns, row), highlight?.(row)).commit();
    count++;
    if (count % 500 === 0) await drained(out);
  }
  autoFilter(sheet, columns.length, count);
  sheet.commit();
  await workbook.commit();
  return count;
}

/** Lets the zip writer catch up and waits while the socket's buffer is full. */
async function drained(out: Writable): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (out.writableNeedDrain && !out.destroyed) await new Promise((resolve) => out.once('drain', resolve));
}

/** RFC 6266 / RFC 5987: the Chinese name for browsers that read filename*, an ASCII one for the rest. */
export function attachment(chineseName: string, asciiName: string): string {
  const encoded = encodeURIComponent(chineseName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${asciiName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encoded}`;
}

/** Sends a finished workbook as an attachment. */
export function sendXlsx(reply: FastifyReply, file: Buffer, chineseName: string, asciiName: string): void {
  void reply.header('content-type', XLSX_MEDIA_TYPE).header('content-disposition', attachment(chineseName, asciiName));
  void reply.send(file);
}

/**
 * Starts a streamed workbook: the answer's headers go out, then the bytes as `write` produces them.
 * A failure once the first bytes left can only cut the file short (the client sees a broken zip).
 */
export function streamXlsx(
  reply: FastifyReply,
  chineseName: string,
  asciiName: string,
  write: (out: Writable) => Promise<unknown>,
): void {
  const out = new PassThrough({ highWaterMark: 256 * 1024 });
  void reply.header('content-type', XLSX_MEDIA_TYPE).header('content-disposition', attachment(chineseName, asciiName));
  void reply.send(out);
  write(out).catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
}
