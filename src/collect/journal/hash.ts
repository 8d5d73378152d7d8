// The two hash functions of the journal file format: SipHash-2-4 keyed by the file id when the
// header has HEADER_INCOMPATIBLE_KEYED_HASH, else Jenkins lookup3 `hashlittle2` folded into 64 bits
// (https://systemd.io/JOURNAL_FILE_FORMAT/ "Basics" and "Data Objects";
// systemd/systemd:src/libsystemd/sd-journal/journal-file.h `journal_file_hash_data`,
// systemd/systemd:src/basic/siphash24.c, systemd/systemd:src/libsystemd/sd-journal/lookup3.c).
// Both are only used to find a bucket in the data hash table and to compare with the stored hash,
// a handful of calls per file, so clarity wins over speed here.

/**
 * SipHash-2-4 of `data` under the 16-byte `key`, as the unsigned 64-bit value systemd stores (le64).
 * Computed on 32-bit halves (h = high, l = low word): the payloads whose hash we verify are k3s
 * command lines of several KiB, and BigInt arithmetic is an order of magnitude slower.
 */
export function siphash24(data: Uint8Array, key: Uint8Array): bigint {
  if (key.length !== 16) throw new RangeError(`siphash24 needs a 16-byte key, got ${key.length}`);
  const kv = new DataView(key.buffer, key.byteOffset, 16);
  const k0l = kv.getUint32(0, true);
  const k0h = kv.getUint32(4, true);
  const k1l = kv.getUint32(8, true);
  const k1h = kv.getUint32(12, true);
  // "somepseudorandomlygeneratedbytes"
  let v0h = (0x736f6d65 ^ k0h) >>> 0,
    v0l = (0x70736575 ^ k0l) >>> 0;
  let v1h = (0x646f7261 ^ k1h) >>> 0,
    v1l = (0x6e646f6d ^ k1l) >>> 0;
  let v2h = (0x6c796765 ^ k0h) >>> 0,
    v2l = (0x6e657261 ^ k0l) >>> 0;
  let v3h = (0x74656462 ^ k1h) >>> 0,
    v3l = (0x79746573 ^ k1l) >>> 0;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const blocks = Math.floor(data.length / 8);
  // The last block holds the remaining bytes and the length (mod 256) in its top byte.
  let lastl = 0;
  let lasth = (data.length & 0xff) << 24;
  for (let i = blocks * 8; i < data.length; i++) {
    const shift = 8 * (i - blocks * 8);
    if (shift < 32) lastl |= (data[i] ?? 0) << shift;
    else lasth |= (data[i] ?? 0) << (shift - 32);
  }
  // One loop, no closures: blocks 0..blocks-1 of the data, then the last block (2 rounds each),
  // then finalisation (4 rounds). Plain locals keep this fast before the JIT has optimised it.
  let h: number,
    l: number,
    mh = 0,
    ml = 0;
  for (let block = 0; block <= blocks + 1; block++) {
    let rounds = 2;
    if (block < blocks) {
      mh = view.getUint32(block * 8 + 4, true);
      ml = view.getUint32(block * 8, true);
    } else if (block === blocks) {
      mh = lasth >>> 0;
      ml = lastl >>> 0;
    } else {
      v2l = (v2l ^ 0xff) >>> 0;
      rounds = 4;
    }
    if (block <= blocks) {
      v3h = (v3h ^ mh) >>> 0;
      v3l = (v3l ^ ml) >>> 0;
    }
    for (let r = 0; r < rounds; r++) {
      // v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32)
      l = (v0l + v1l) >>> 0;
      v0h = (v0h + v1h + (l < v0l ? 1 : 0)) >>> 0;
      v0l = l;
      h = ((v1h << 13) | (v1l >>> 19)) >>> 0;
      l = ((v1l << 13) | (v1h >>> 19)) >>> 0;
      v1h = (h ^ v0h) >>> 0;
      v1l = (l ^ v0l) >>> 0;
      h = v0h;
      v0h = v0l;
      v0l = h;
      // v2 += v3; v3 = rotl(v3, 16); v3 ^= v2
      l = (v2l + v3l) >>> 0;
      v2h = (v2h + v3h + (l < v2l ? 1 : 0)) >>> 0;
      v2l = l;
      h = ((v3h << 16) | (v3l >>> 16)) >>> 0;
      l = ((v3l << 16) | (v3h >>> 16)) >>> 0;
      v3h = (h ^ v2h) >>> 0;
      v3l = (l ^ v2l) >>> 0;
      // v0 += v3; v3 = rotl(v3, 21); v3 ^= v0
      l = (v0l + v3l) >>> 0;
      v0h = (v0h + v3h + (l < v0l ? 1 : 0)) >>> 0;
      v0l = l;
      h = ((v3h << 21) | (v3l >>> 11)) >>> 0;
      l = ((v3l << 21) | (v3h >>> 11)) >>> 0;
      v3h = (h ^ v0h) >>> 0;
      v3l = (l ^ v0l) >>> 0;
      // v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32)
      l = (v2l + v1l) >>> 0;
      v2h = (v2h + v1h + (l < v2l ? 1 : 0)) >>> 0;
      v2l = l;
      h = ((v1h << 17) | (v1l >>> 15)) >>> 0;
      l = ((v1l << 17) | (v1h >>> 15)) >>> 0;
      v1h = (h ^ v2h) >>> 0;
      v1l = (l ^ v2l) >>> 0;
      h = v2h;
      v2h = v2l;
      v2l = h;
    }
    if (block <= blocks) {
      v0h = (v0h ^ mh) >>> 0;
      v0l = (v0l ^ ml) >>> 0;
    }
  }
  const outh = (v0h ^ v1h ^ v2h ^ v3h) >>> 0;
  const outl = (v0l ^ v1l ^ v2l ^ v3l) >>> 0;
  return (BigInt(outh) << 32n) | BigInt(outl);
}

function rot32(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * Bob Jenkins' lookup3 `hashlittle2` with both seeds 0, returned as systemd's `jenkins_hash64`:
 * the primary 32-bit result (`*pc`) is the high half, the secondary (`*pb`) the low half.
 * Bytes are read one by one, which equals the word-wise paths of lookup3.c on little-endian data.
 */
export function jenkinsHash64(data: Uint8Array): bigint {
  let length = data.length;
  let a = (0xdeadbeef + length) >>> 0;
  let b = a;
  let c = a;
  let k = 0;
  const byte = (i: number): number => data[k + i] ?? 0;
  const word = (i: number): number => (byte(i) | (byte(i + 1) << 8) | (byte(i + 2) << 16) | (byte(i + 3) << 24)) >>> 0;
  while (length > 12) {
    a = (a + word(0)) >>> 0;
    b = (b + word(4)) >>> 0;
    c = (c + word(8)) >>> 0;
    // mix(a, b, c)
    a = (a - c) >>> 0;
    a = (a ^ rot32(c, 4)) >>> 0;
    c = (c + b) >>> 0;
    b = (b - a) >>> 0;
    b = (b ^ rot32(a, 6)) >>> 0;
    a = (a + c) >>> 0;
    c = (c - b) >>> 0;
    c = (c ^ rot32(b, 8)) >>> 0;
    b = (b + a) >>> 0;
    a = (a - c) >>> 0;
    a = (a ^ rot32(c, 16)) >>> 0;
    c = (c + b) >>> 0;
    b = (b - a) >>> 0;
    b = (b ^ rot32(a, 19)) >>> 0;
    a = (a + c) >>> 0;
    c = (c - b) >>> 0;
    c = (c ^ rot32(b, 4)) >>> 0;
    b = (b + a) >>> 0;
    length -= 12;
    k += 12;
  }
  if (length > 0) {
    // The last block: up to 12 bytes, missing ones are zero (lookup3.c's switch on length).
    const tail = [0, 0, 0];
    for (let i = 0; i < length; i++) tail[i >> 2] = ((tail[i >> 2] ?? 0) | (byte(i) << (8 * (i & 3)))) >>> 0;
    a = (a + (tail[0] ?? 0)) >>> 0;
    b = (b + (tail[1] ?? 0)) >>> 0;
    c = (c + (tail[2] ?? 0)) >>> 0;
    // final(a, b, c)
    c = (c ^ b) >>> 0;
    c = (c - rot32(b, 14)) >>> 0;
    a = (a ^ c) >>> 0;
    a = (a - rot32(c, 11)) >>> 0;
    b = (b ^ a) >>> 0;
    b = (b - rot32(a, 25)) >>> 0;
    c = (c ^ b) >>> 0;
    c = (c - rot32(b, 16)) >>> 0;
    a = (a ^ c) >>> 0;
    a = (a - rot32(c, 4)) >>> 0;
    b = (b ^ a) >>> 0;
    b = (b - rot32(a, 14)) >>> 0;
    c = (c ^ b) >>> 0;
    c = (c - rot32(b, 24)) >>> 0;
  }
  return (BigInt(c) << 32n) | BigInt(b);
}
