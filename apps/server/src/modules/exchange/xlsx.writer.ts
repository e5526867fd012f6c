import { once } from 'node:events';
import { crc32, createDeflateRaw } from 'node:zlib';

/**
 * A minimal XLSX (Office Open XML) writer for large, plain exports: string and number cells, shared
 * strings, no styles. A row may stand for `repeat` identical rows (rows carry no `r` attribute, so
 * their XML is identical): a million-row export is written in about a second instead of building a
 * workbook in memory. Sheets hold at most SHEET_ROWS rows each (Excel's limit is 1,048,576); larger
 * row sets continue on "name 2", "name 3"… with the header repeated.
 */
export const SHEET_ROWS = 1_000_000;

export type TXlsxCell = string | number;
export interface TXlsxRow {
  readonly cells: readonly TXlsxCell[];
  readonly repeat?: number;
}
export interface TXlsxSheet {
  readonly name: string;
  readonly header?: readonly TXlsxCell[];
  readonly rows: Iterable<TXlsxRow>;
  /** Column widths in characters (optional). */
  readonly widths?: readonly number[];
}

const escapeXml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // characters XML 1.0 does not allow
    // biome-ignore lint/suspicious/noControlCharactersInRegex: exactly these must go
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');

interface Entry {
  name: string;
  data: Buffer[];
  crc: number;
  size: number;
  compressed: number;
}

/** Deflates text and bytes into one zip entry, through a 1 MiB buffer. */
class EntryWriter {
  private readonly deflate = createDeflateRaw({ level: 1 });
  private readonly out: Buffer[] = [];
  private crc = 0;
  private size = 0;
  private chunk = Buffer.allocUnsafe(1 << 20);
  private pos = 0;
  constructor(private readonly name: string) {
    this.deflate.on('data', (c: Buffer) => this.out.push(c));
  }
  async write(text: string): Promise<void> {
    await this.bytes(Buffer.from(text, 'utf8'));
  }
  /** Room for `n` more bytes in the buffer (flushing it first when needed). */
  async reserve(n: number): Promise<Buffer> {
    if (this.pos + n > this.chunk.length) {
      await this.flush();
      if (n > this.chunk.length) this.chunk = Buffer.allocUnsafe(n);
    }
    return this.chunk;
  }
  get offset(): number {
    return this.pos;
  }
  advance(n: number): void {
    this.pos += n;
  }
  async bytes(b: Buffer): Promise<void> {
    const chunk = await this.reserve(b.length);
    b.copy(chunk, this.pos);
    this.pos += b.length;
  }
  private async flush(): Promise<void> {
    if (!this.pos) return;
    // the deflate stream keeps the buffer it is given: hand it a copy and reuse ours
    const b = Buffer.from(this.chunk.subarray(0, this.pos));
    this.pos = 0;
    this.crc = crc32(b, this.crc);
    this.size += b.length;
    if (!this.deflate.write(b)) await once(this.deflate, 'drain');
  }
  async end(): Promise<Entry> {
    await this.flush();
    const done = once(this.deflate, 'end');
    this.deflate.end();
    await done;
    return {
      name: this.name,
      data: this.out,
      crc: this.crc >>> 0,
      size: this.size,
      compressed: this.out.reduce((s, c) => s + c.length, 0),
    };
  }
}

function colName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Writes the workbook and returns the .xlsx bytes. */
export async function writeXlsx(sheets: readonly TXlsxSheet[], options: { sheetRows?: number } = {}): Promise<Buffer> {
  const sheetRows = options.sheetRows ?? SHEET_ROWS;
  const strings = new Map<string, number>();
  const sst = (s: string) => {
    let i = strings.get(s);
    if (i === undefined) {
      i = strings.size;
      strings.set(s, i);
    }
    return i;
  };
  /**
   * A row as text pieces to be joined with its row number: rows and cells carry their reference
   * (`r="5"`, `r="A5"`), which some readers require.
   */
  const rowPieces = (cells: readonly TXlsxCell[]) => {
    const pieces = ['<row r="'];
    let prev = '">';
    cells.forEach((c, j) => {
      pieces.push(`${prev}<c r="${colName(j)}`);
      prev = typeof c === 'number' && Number.isFinite(c) ? `"><v>${c}</v></c>` : `" t="s"><v>${sst(String(c))}</v></c>`;
    });
    pieces.push(`${prev}</row>`);
    return pieces;
  };
  const entries: Entry[] = [];
  const names: string[] = [];
  for (const sheet of sheets) {
    let part = 0;
    let w: EntryWriter | null = null;
    let used = 0;
    const open = async () => {
      part += 1;
      names.push(part === 1 ? sheet.name : `${sheet.name} ${part}`);
      w = new EntryWriter(`xl/worksheets/sheet${names.length}.xml`);
      const cols = sheet.widths?.length
        ? `<cols>${sheet.widths.map((width, i) => `<col min="${i + 1}" max="${i + 1}" width="${width}" customWidth="1"/>`).join('')}</cols>`
        : '';
      await w.write(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${cols}<sheetData>`,
      );
      used = 0;
      if (sheet.header) {
        await w.write(rowPieces(sheet.header).join('1'));
        used = 1;
      }
    };
    const close = async () => {
      if (!w) return;
      await w.write('</sheetData></worksheet>');
      entries.push(await (w as EntryWriter).end());
      w = null;
    };
    await open();
    for (const row of sheet.rows) {
      // The row's text pieces as bytes; each copy is the pieces joined with its row number.
      const pieces = rowPieces(row.cells).map((p) => Buffer.from(p, 'utf8'));
      const fixed = pieces.reduce((sum, p) => sum + p.length, 0);
      let left = row.repeat ?? 1;
      while (left > 0) {
        if (used >= sheetRows) {
          await close();
          await open();
        }
        const writer = w as unknown as EntryWriter;
        const number = String(used + 1);
        const chunk = await writer.reserve(fixed + (pieces.length - 1) * 8);
        let at = writer.offset;
        for (let k = 0; k < pieces.length; k++) {
          at += pieces[k]!.copy(chunk, at);
          if (k < pieces.length - 1) at += chunk.write(number, at, 'latin1');
        }
        writer.advance(at - writer.offset);
        used += 1;
        left -= 1;
      }
    }
    await close();
  }
  const text = async (name: string, body: string) => {
    const e = new EntryWriter(name);
    await e.write(body);
    entries.push(await e.end());
  };
  const xmlHead = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  const sstXml = [...strings.keys()].map((s) => `<si><t xml:space="preserve">${escapeXml(s)}</t></si>`).join('');
  await text(
    'xl/sharedStrings.xml',
    `${xmlHead}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.size}" uniqueCount="${strings.size}">${sstXml}</sst>`,
  );
  await text(
    'xl/workbook.xml',
    `${xmlHead}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${names
      .map((n, i) => `<sheet name="${escapeXml(n.slice(0, 31))}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
      .join('')}</sheets></workbook>`,
  );
  await text(
    'xl/_rels/workbook.xml.rels',
    `${xmlHead}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${names
      .map(
        (_, i) =>
          `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
      )
      .join(
        '',
      )}<Relationship Id="rId${names.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
  );
  await text(
    '_rels/.rels',
    `${xmlHead}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  await text(
    '[Content_Types].xml',
    `${xmlHead}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${names
      .map(
        (_, i) =>
          `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
      )
      .join(
        '',
      )}<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
  );
  // [Content_Types].xml first, as Office writes it.
  entries.unshift(entries.pop()!);
  return zip(entries);
}

/** A ZIP archive (deflate) of the entries; sizes stay below 4 GiB (no ZIP64). */
function zip(entries: Entry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const DOS_TIME = 0;
  const DOS_DATE = ((2026 - 1980) << 9) | (1 << 5) | 1;
  for (const e of entries) {
    if (e.size >= 0xffffffff || offset >= 0xffffffff) throw new RangeError('export too large for a ZIP without ZIP64');
    const name = Buffer.from(e.name, 'utf8');
    // The local header and the central directory entry share a run of fields (version needed to
    // extract … file name length), the central one two bytes further on.
    const common = (b: Buffer, at: number) => {
      b.writeUInt16LE(20, at); // version needed
      b.writeUInt16LE(0x0800, at + 2); // UTF-8 names
      b.writeUInt16LE(8, at + 4); // deflate
      b.writeUInt16LE(DOS_TIME, at + 6);
      b.writeUInt16LE(DOS_DATE, at + 8);
      b.writeUInt32LE(e.crc, at + 10);
      b.writeUInt32LE(e.compressed, at + 14);
      b.writeUInt32LE(e.size, at + 18);
      b.writeUInt16LE(name.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    common(local, 4);
    const head = Buffer.alloc(46);
    head.writeUInt32LE(0x02014b50, 0);
    head.writeUInt16LE(20, 4); // version made by
    common(head, 6);
    head.writeUInt32LE(offset, 42);
    central.push(head, name);
    parts.push(local, name, ...e.data);
    offset += local.length + name.length + e.compressed;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, dir, end]);
}
