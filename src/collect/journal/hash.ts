// The two hash functions of the journal file format: SipHash-2-4 keyed by the file id when the
// header has HEADER_INCOMPATIBLE_KEYED_HASH, else Jenkins lookup3 `hashlittle2` folded into 64 bits
// (https://systemd.io/JOURNAL_FILE_FORMAT/ "Basics" and "Data Objects";
// systemd/systemd:src/libsystemd/sd-journal/journal-file.h `journal_file_hash_data`,
// systemd/systemd:src/basic/siphash24.c, systemd/systemd:src/libsystemd/sd-journal/lookup3.c).
// Both are only used to find a bucket in the data hash table and to compare with the stored hash,
// a handful of calls per file, so clarity wins over speed here.

const MASK64 = (1n << 64n) - 1n;

function rotl64(x: bigint, b: bigint): bigint {
  return ((x << b) | (x >> (64n - b))) & MASK64;
}

/** SipHash-2-4 of `data` under the 16-byte `key`, as the unsigned 64-bit value systemd stores (le64). */
export function siphash24(data: Uint8Array, key: Uint8Array): bigint {
  if (key.length !== 16) throw new RangeError(`siphash24 needs a 16-byte key, got ${key.length}`);
  const keyView = new DataView(key.buffer, key.byteOffset, 16);
  const k0 = keyView.getBigUint64(0, true);
  const k1 = keyView.getBigUint64(8, true);
  let v0 = 0x736f6d6570736575n ^ k0;
  let v1 = 0x646f72616e646f6dn ^ k1;
  let v2 = 0x6c7967656e657261n ^ k0;
  let v3 = 0x7465646279746573n ^ k1;
  const round = (): void => {
    v0 = (v0 + v1) & MASK64; v1 = rotl64(v1, 13n); v1 ^= v0; v0 = rotl64(v0, 32n);
    v2 = (v2 + v3) & MASK64; v3 = rotl64(v3, 16n); v3 ^= v2;
    v0 = (v0 + v3) & MASK64; v3 = rotl64(v3, 21n); v3 ^= v0;
    v2 = (v2 + v1) & MASK64; v1 = rotl64(v1, 17n); v1 ^= v2; v2 = rotl64(v2, 32n);
  };
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const whole = data.length - (data.length % 8);
  for (let i = 0; i < whole; i += 8) {
    const m = view.getBigUint64(i, true);
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  let last = BigInt(data.length & 0xff) << 56n;
  for (let i = whole; i < data.length; i++) last |= BigInt(data[i] ?? 0) << BigInt(8 * (i - whole));
  v3 ^= last;
  round();
  round();
  v0 ^= last;
  v2 ^= 0xffn;
  round();
  round();
  round();
  round();
  return (v0 ^ v1 ^ v2 ^ v3) & MASK64;
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
    a = (a - c) >>> 0; a = (a ^ rot32(c, 4)) >>> 0; c = (c + b) >>> 0;
    b = (b - a) >>> 0; b = (b ^ rot32(a, 6)) >>> 0; a = (a + c) >>> 0;
    c = (c - b) >>> 0; c = (c ^ rot32(b, 8)) >>> 0; b = (b + a) >>> 0;
    a = (a - c) >>> 0; a = (a ^ rot32(c, 16)) >>> 0; c = (c + b) >>> 0;
    b = (b - a) >>> 0; b = (b ^ rot32(a, 19)) >>> 0; a = (a + c) >>> 0;
    c = (c - b) >>> 0; c = (c ^ rot32(b, 4)) >>> 0; b = (b + a) >>> 0;
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
    c = (c ^ b) >>> 0; c = (c - rot32(b, 14)) >>> 0;
    a = (a ^ c) >>> 0; a = (a - rot32(c, 11)) >>> 0;
    b = (b ^ a) >>> 0; b = (b - rot32(a, 25)) >>> 0;
    c = (c ^ b) >>> 0; c = (c - rot32(b, 16)) >>> 0;
    a = (a ^ c) >>> 0; a = (a - rot32(c, 4)) >>> 0;
    b = (b ^ a) >>> 0; b = (b - rot32(a, 14)) >>> 0;
    c = (c ^ b) >>> 0; c = (c - rot32(b, 24)) >>> 0;
  }
  return (BigInt(c) << 32n) | BigInt(b);
}
