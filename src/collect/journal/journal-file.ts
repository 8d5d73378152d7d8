// One file because it is one reader of one binary format that follows systemd's "Journal File
// Format" document top to bottom (header, objects, hash tables, entry arrays); its bounds checks
// lean on each other, and split they would be read apart.
//
// A read-only reader of one systemd journal file, by positional reads, never the whole file.
// Layout: https://systemd.io/JOURNAL_FILE_FORMAT/ and systemd/systemd:src/libsystemd/sd-journal/journal-def.h
// (Header, ObjectHeader, DataObject, EntryObject, EntryArrayObject, HashItem). A journal file may
// be written while we read it, may be truncated or corrupt: every offset, size and count is checked
// before use and every walk is bounded; a violation raises JournalFormatError, which the caller
// turns into a note for that file.
import fs from 'node:fs';
import { jenkinsHash64, siphash24 } from './hash.js';

export class JournalFormatError extends Error {
  override readonly name: string = 'JournalFormatError';
}

/** A DATA object compressed with an algorithm this Node cannot undo: the object is unreadable, not the file. */
export class UnsupportedCompressionError extends JournalFormatError {
  override readonly name: string = 'UnsupportedCompressionError';
}

const SIGNATURE = Buffer.from('LPKSHHRH', 'latin1');

/** Header incompatible flags (journal-def.h). */
export const INCOMPATIBLE = {
  COMPRESSED_XZ: 1 << 0,
  COMPRESSED_LZ4: 1 << 1,
  KEYED_HASH: 1 << 2,
  COMPRESSED_ZSTD: 1 << 3,
  COMPACT: 1 << 4,
} as const;
const INCOMPATIBLE_KNOWN = 0x1f;

const OBJECT = {
  DATA: 1,
  FIELD: 2,
  ENTRY: 3,
  DATA_HASH_TABLE: 4,
  FIELD_HASH_TABLE: 5,
  ENTRY_ARRAY: 6,
  TAG: 7,
} as const;
/** Object flags: at most one compression bit is set on a DATA object. */
const OBJECT_COMPRESSED_XZ = 1 << 0;
const OBJECT_COMPRESSED_LZ4 = 1 << 1;
const OBJECT_COMPRESSED_ZSTD = 1 << 2;

const OBJECT_HEADER_BYTES = 16;
const DATA_REGULAR_PAYLOAD = 64;
const DATA_COMPACT_PAYLOAD = 72;
const ENTRY_ITEMS = 64;
const ENTRY_ARRAY_ITEMS = 24;
/** All header fields up to n_data exist in every revision of the format (JOURNAL_FILE_FORMAT.md "Extensibility"). */
const HEADER_MIN_BYTES = 208;

// Bounds. journald caps an entry at 1024 fields (ENTRY_FIELD_COUNT_MAX in journal-file.h) and a
// file at 128 MiB by default; the payloads we read are log lines, which journald splits at LineMax
// (48 KiB by default, journald.conf(5)). Anything beyond these is not what we look for.
const MAX_ENTRY_ITEMS = 1024;
const MAX_HASH_CHAIN = 4096;
const MAX_ENTRY_ARRAYS = 100_000;
const ENTRY_ARRAY_SLICE = 4096;
/** Largest compressed or stored payload we read, and largest decompressed payload we produce. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

const PAGE_BYTES = 64 * 1024;
const MAX_PAGES = 64;

export interface JournalHeader {
  compatibleFlags: number;
  incompatibleFlags: number;
  state: number;
  fileId: Buffer;
  machineId: string;
  headerSize: number;
  /** End of the used part of the file: header_size + arena_size, clipped to the file's size. */
  end: number;
  dataHashTableOffset: number;
  dataHashTableSize: number;
  nEntries: number;
  headEntryRealtime: number;
  tailEntryRealtime: number;
}

export interface JournalEntry {
  offset: number;
  seqnum: number;
  realtime: number;
  monotonic: bigint;
  bootId: string;
  /** Offsets of the DATA objects of this entry. */
  items: number[];
}

export interface DataObject {
  offset: number;
  flags: number;
  hash: bigint;
  nextHashOffset: number;
  entryOffset: number;
  entryArrayOffset: number;
  nEntries: number;
  payloadOffset: number;
  payloadSize: number;
}

/** 64-bit little-endian offset or count as a number; values beyond 2^53 are corrupt for a file ≤ 2^53 bytes. */
function u64(buf: Buffer, at: number): number {
  const low = buf.readUInt32LE(at);
  const high = buf.readUInt32LE(at + 4);
  if (high >= 0x200000) throw new JournalFormatError(`64-bit field at +${at} is out of range`);
  return high * 0x100000000 + low;
}

export function hexId(buf: Buffer): string {
  return buf.toString('hex');
}

/** A positional reader with a small page cache: entries and their data lie close together. */
class PagedFile {
  private readonly pages = new Map<number, Buffer>();

  constructor(
    readonly fd: number,
    readonly size: number,
  ) {}

  read(offset: number, length: number): Buffer {
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new JournalFormatError(`read of ${length} bytes at ${offset} beyond the file's ${this.size} bytes`);
    }
    const pageStart = offset - (offset % PAGE_BYTES);
    if (offset + length <= pageStart + PAGE_BYTES) {
      const page = this.page(pageStart);
      if (offset + length - pageStart <= page.length)
        return page.subarray(offset - pageStart, offset - pageStart + length);
    }
    const out = Buffer.alloc(length);
    const got = fs.readSync(this.fd, out, 0, length, offset);
    if (got !== length) throw new JournalFormatError(`short read of ${length} bytes at ${offset} (the file shrank)`);
    return out;
  }

  private page(start: number): Buffer {
    const cached = this.pages.get(start);
    if (cached !== undefined) return cached;
    const length = Math.min(PAGE_BYTES, this.size - start);
    const page = Buffer.allocUnsafe(length);
    const got = fs.readSync(this.fd, page, 0, length, start);
    const filled = got === length ? page : page.subarray(0, got);
    if (this.pages.size >= MAX_PAGES) {
      const oldest = this.pages.keys().next();
      if (oldest.done !== true) this.pages.delete(oldest.value);
    }
    this.pages.set(start, filled);
    return filled;
  }
}

export class JournalFile {
  readonly header: JournalHeader;
  private readonly file: PagedFile;
  private readonly compact: boolean;
  private readonly keyed: boolean;

  private constructor(
    readonly path: string,
    fd: number,
    size: number,
  ) {
    this.file = new PagedFile(fd, size);
    this.header = this.readHeader(size);
    this.compact = (this.header.incompatibleFlags & INCOMPATIBLE.COMPACT) !== 0;
    this.keyed = (this.header.incompatibleFlags & INCOMPATIBLE.KEYED_HASH) !== 0;
  }

  /** Opens and validates the header; the caller must close(). Throws JournalFormatError or an fs error. */
  static open(filePath: string): JournalFile {
    // O_NONBLOCK: a FIFO planted in the journal directory must not block the audit.
    const fd = fs.openSync(filePath, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
    try {
      const stat = fs.fstatSync(fd);
      if (!stat.isFile()) throw new JournalFormatError('is not a regular file');
      return new JournalFile(filePath, fd, stat.size);
    } catch (error) {
      fs.closeSync(fd);
      throw error;
    }
  }

  close(): void {
    fs.closeSync(this.file.fd);
  }

  private readHeader(size: number): JournalHeader {
    if (size < HEADER_MIN_BYTES) throw new JournalFormatError(`is ${size} bytes, shorter than a journal header`);
    const h = this.file.read(0, HEADER_MIN_BYTES);
    if (!h.subarray(0, 8).equals(SIGNATURE)) throw new JournalFormatError('has no journal signature (LPKSHHRH)');
    const incompatibleFlags = h.readUInt32LE(12);
    const unknown = incompatibleFlags & ~INCOMPATIBLE_KNOWN;
    if (unknown !== 0) throw new JournalFormatError(`uses unknown incompatible header flags 0x${unknown.toString(16)}`);
    const headerSize = u64(h, 88);
    const arenaSize = u64(h, 96);
    if (headerSize < HEADER_MIN_BYTES || headerSize % 8 !== 0 || headerSize > size) {
      throw new JournalFormatError(`has an invalid header size ${headerSize}`);
    }
    const end = Math.min(size, headerSize + arenaSize);
    const dataHashTableOffset = u64(h, 104);
    const dataHashTableSize = u64(h, 112);
    if (
      dataHashTableSize < 16 ||
      dataHashTableSize % 16 !== 0 ||
      dataHashTableOffset < headerSize + OBJECT_HEADER_BYTES ||
      dataHashTableOffset + dataHashTableSize > end
    ) {
      throw new JournalFormatError('has a data hash table outside the file');
    }
    return {
      compatibleFlags: h.readUInt32LE(8),
      incompatibleFlags,
      state: h.readUInt8(16),
      fileId: Buffer.from(h.subarray(24, 40)),
      machineId: hexId(h.subarray(40, 56)),
      headerSize,
      end,
      dataHashTableOffset,
      dataHashTableSize,
      nEntries: u64(h, 152),
      headEntryRealtime: u64(h, 184),
      tailEntryRealtime: u64(h, 192),
    };
  }

  hash(payload: Uint8Array): bigint {
    return this.keyed ? siphash24(payload, this.header.fileId) : jenkinsHash64(payload);
  }

  /** The object header at `offset`, checked to be of `type`, aligned, at least `minSize` and inside the file. */
  private objectAt(offset: number, type: number, minSize: number): { flags: number; size: number; buf: Buffer } {
    if (offset % 8 !== 0 || offset < this.header.headerSize || offset + OBJECT_HEADER_BYTES > this.header.end) {
      throw new JournalFormatError(`object offset ${offset} is misaligned or outside the file`);
    }
    if (offset + minSize > this.header.end)
      throw new JournalFormatError(`object at ${offset} runs past the end of the file`);
    const buf = this.file.read(offset, minSize);
    const actualType = buf.readUInt8(0);
    const size = u64(buf, 8);
    if (actualType !== type)
      throw new JournalFormatError(`object at ${offset} has type ${actualType}, expected ${type}`);
    if (size < minSize || offset + size > this.header.end) {
      throw new JournalFormatError(`object at ${offset} has an invalid size ${size}`);
    }
    return { flags: buf.readUInt8(1), size, buf };
  }

  readData(offset: number): DataObject {
    const payloadOffset = this.compact ? DATA_COMPACT_PAYLOAD : DATA_REGULAR_PAYLOAD;
    const { flags, size, buf } = this.objectAt(offset, OBJECT.DATA, payloadOffset);
    return {
      offset,
      flags,
      hash: buf.readBigUInt64LE(16),
      nextHashOffset: u64(buf, 24),
      entryOffset: u64(buf, 40),
      entryArrayOffset: u64(buf, 48),
      nEntries: u64(buf, 56),
      payloadOffset: offset + payloadOffset,
      payloadSize: size - payloadOffset,
    };
  }

  /**
   * The payload of a DATA object (`FIELD=value`), decompressed. Compression the running Node cannot
   * undo (xz; lz4, which node:zlib lacks) raises JournalFormatError naming it.
   */
  payload(data: DataObject, maxBytes = MAX_PAYLOAD_BYTES): Buffer {
    if (data.payloadSize > maxBytes)
      throw new JournalFormatError(`DATA object at ${data.offset} is larger than ${maxBytes} bytes`);
    const stored = this.file.read(data.payloadOffset, data.payloadSize);
    const compression = data.flags & (OBJECT_COMPRESSED_XZ | OBJECT_COMPRESSED_LZ4 | OBJECT_COMPRESSED_ZSTD);
    if (compression === 0) return stored;
    // node:zlib is loaded on the first compressed object, not at start: a host without journal
    // files never needs it. zstd is in node:zlib from Node 22.15 / 24.
    const zlib = compression === OBJECT_COMPRESSED_ZSTD ? process.getBuiltinModule('node:zlib') : undefined;
    if (zlib !== undefined && typeof zlib.zstdDecompressSync === 'function') {
      try {
        return zlib.zstdDecompressSync(stored, { maxOutputLength: maxBytes });
      } catch (error) {
        // Corrupt input or output beyond the bound: both are zlib errors about this one object.
        throw new JournalFormatError(
          `zstd payload of DATA object at ${data.offset} cannot be decompressed: ${(error as Error).message}`,
        );
      }
    }
    const name = compression === OBJECT_COMPRESSED_XZ ? 'xz' : compression === OBJECT_COMPRESSED_LZ4 ? 'lz4' : 'zstd';
    throw new UnsupportedCompressionError(
      `DATA object at ${data.offset} is ${name}-compressed, which this reader cannot decompress`,
    );
  }

  /** Whether a (decompressed) payload matches the hash stored in its DATA object: torn or corrupt data does not. */
  verify(data: DataObject, payload: Buffer): boolean {
    return this.hash(payload) === data.hash;
  }

  /** The DATA object whose payload is exactly `payload` (e.g. `_SYSTEMD_UNIT=k3s.service`), by the data hash table. */
  findData(payload: Buffer): DataObject | undefined {
    const hash = this.hash(payload);
    const buckets = this.header.dataHashTableSize / 16;
    const bucket = Number(hash % BigInt(buckets));
    const item = this.file.read(this.header.dataHashTableOffset + bucket * 16, 16);
    let offset = u64(item, 0);
    for (let depth = 0; offset !== 0; depth++) {
      if (depth >= MAX_HASH_CHAIN)
        throw new JournalFormatError(`data hash chain of bucket ${bucket} is longer than ${MAX_HASH_CHAIN}`);
      const data = this.readData(offset);
      if (data.hash === hash && data.payloadSize <= MAX_PAYLOAD_BYTES) {
        // Equal hashes are compared by content, as journal_file_find_data_object_with_hash does.
        if (this.payload(data).equals(payload)) return data;
      }
      offset = data.nextHashOffset;
    }
    return undefined;
  }

  /**
   * Offsets of the entries referring to a DATA object, oldest first: the inline entry_offset, then
   * the entry array chain, n_entries in all.
   */
  *entryOffsets(data: DataObject): Generator<number> {
    if (data.nEntries === 0 || data.entryOffset === 0) return;
    yield data.entryOffset;
    yield* this.entryArrayChain(data.entryArrayOffset, data.nEntries - 1);
  }

  private *entryArrayChain(first: number, count: number): Generator<number> {
    const itemBytes = this.compact ? 4 : 8;
    let remaining = count;
    let offset = first;
    for (let arrays = 0; remaining > 0 && offset !== 0; arrays++) {
      if (arrays >= MAX_ENTRY_ARRAYS)
        throw new JournalFormatError(`entry array chain is longer than ${MAX_ENTRY_ARRAYS}`);
      const { size } = this.objectAt(offset, OBJECT.ENTRY_ARRAY, ENTRY_ARRAY_ITEMS);
      const next = u64(this.file.read(offset + OBJECT_HEADER_BYTES, 8), 0);
      const n = Math.min(Math.floor((size - ENTRY_ARRAY_ITEMS) / itemBytes), remaining);
      // Read in slices: a corrupt size must not make one read as large as the file.
      for (let start = 0; start < n; start += ENTRY_ARRAY_SLICE) {
        const count = Math.min(ENTRY_ARRAY_SLICE, n - start);
        const items = this.file.read(offset + ENTRY_ARRAY_ITEMS + start * itemBytes, count * itemBytes);
        for (let i = 0; i < count; i++) {
          const entry = this.compact ? items.readUInt32LE(i * 4) : u64(items, i * 8);
          // Unused slots at the end of the last array are zero.
          if (entry === 0) return;
          yield entry;
        }
      }
      remaining -= n;
      if (next !== 0 && next <= offset) throw new JournalFormatError(`entry array chain at ${offset} points backwards`);
      offset = next;
    }
  }

  /** The entry's header fields and item offsets. */
  readEntry(offset: number): JournalEntry {
    const { size } = this.objectAt(offset, OBJECT.ENTRY, ENTRY_ITEMS);
    const itemBytes = this.compact ? 4 : 16;
    const n = Math.floor((size - ENTRY_ITEMS) / itemBytes);
    if (n > MAX_ENTRY_ITEMS)
      throw new JournalFormatError(`entry at ${offset} has ${n} items, more than ${MAX_ENTRY_ITEMS}`);
    const buf = this.file.read(offset, ENTRY_ITEMS + n * itemBytes);
    const items: number[] = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      items[i] = this.compact ? buf.readUInt32LE(ENTRY_ITEMS + i * 4) : u64(buf, ENTRY_ITEMS + i * 16);
    }
    return {
      offset,
      seqnum: u64(buf, 16),
      realtime: u64(buf, 24),
      monotonic: buf.readBigUInt64LE(32),
      bootId: hexId(buf.subarray(40, 56)),
      items,
    };
  }

  /**
   * Offset of the last entry referring to a DATA object, or undefined when none. A compact file
   * keeps the tail of the DATA object's entry array chain in the object (tail_entry_array_offset,
   * tail_entry_array_n_entries: the array and how many of its slots are used); else the chain is walked.
   */
  lastEntryOffset(data: DataObject): number | undefined {
    if (data.nEntries === 0 || data.entryOffset === 0) return undefined;
    if (data.nEntries === 1) return data.entryOffset;
    if (this.compact) {
      const tail = this.file.read(data.offset + DATA_REGULAR_PAYLOAD, 8);
      const array = tail.readUInt32LE(0);
      const used = tail.readUInt32LE(4);
      if (array !== 0 && used > 0) {
        const { size } = this.objectAt(array, OBJECT.ENTRY_ARRAY, ENTRY_ARRAY_ITEMS);
        if (ENTRY_ARRAY_ITEMS + used * 4 <= size) {
          const last = this.file.read(array + ENTRY_ARRAY_ITEMS + (used - 1) * 4, 4).readUInt32LE(0);
          if (last !== 0) return last;
        }
      }
    }
    let last: number | undefined;
    for (const offset of this.entryOffsets(data)) last = offset;
    return last;
  }
}
