// X.509 certificates read in JavaScript (RFC 5280 §4.1, DER as in ITU-T X.690 §8–10), for the
// few fields the checks use: subject and issuer as node:crypto prints them, validity, the CA flag
// and the SHA-256 fingerprint. Not node:crypto's X509Certificate: loading node:crypto took ~12–16
// ms of an audit's start (bench/start.ts), and this keeps OpenSSL's parser away from files another
// user may have written. Strict: anything but well-formed DER is no certificate, so a check sees
// one certificate fewer, never a better one. test/collect/x509.test.ts compares every field with
// node:crypto on the fixtures' certificates and on generated ones.
import { sha256 } from './sha256.js';

export interface X509Fields {
  /** One line per relative distinguished name, `CN=a + O=b` for several, as node:crypto's `subject`. */
  subject: string;
  issuer: string;
  /** ISO 8601. */
  notBefore: string;
  notAfter: string;
  /** As node:crypto's `ca`: basicConstraints says CA, and keyUsage, if present, allows certificate signing. */
  isCA: boolean;
  /** Colon-separated upper-case hex, as node:crypto's `fingerprint256`. */
  fingerprint256: string;
}

const SEQUENCE = 0x30;
const SET = 0x31;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const OID = 0x06;
const BOOLEAN = 0x01;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;
const VERSION = 0xa0;
const EXTENSIONS = 0xa3;

interface Element {
  tag: number;
  /** The content's first byte and the byte after it. */
  start: number;
  end: number;
}

/** The certificate in `der` (exactly one, nothing after it), or undefined if it is not well-formed. */
export function readCertificate(der: Uint8Array): X509Fields | undefined {
  const certificate = element(der, 0, der.length);
  if (certificate?.tag !== SEQUENCE || certificate.end !== der.length) return undefined;
  const [tbs, algorithm, signature, extra] = children(der, certificate) ?? [];
  if (tbs?.tag !== SEQUENCE || algorithm?.tag !== SEQUENCE || signature?.tag !== BIT_STRING || extra) return undefined;
  const fields = children(der, tbs);
  if (fields === undefined) return undefined;
  const first = fields[0]?.tag === VERSION ? 1 : 0;
  const [serial, signatureAlgorithm, issuerName, validity, subjectName, publicKey] = fields.slice(first, first + 6);
  const optional = fields.slice(first + 6);
  if (
    serial?.tag !== INTEGER ||
    signatureAlgorithm?.tag !== SEQUENCE ||
    issuerName?.tag !== SEQUENCE ||
    validity?.tag !== SEQUENCE ||
    subjectName?.tag !== SEQUENCE ||
    publicKey?.tag !== SEQUENCE ||
    !inOrder(
      optional.map((field) => field.tag),
      OPTIONAL_FIELDS,
    )
  )
    return undefined;
  const [notBefore, notAfter, extraTime] = children(der, validity) ?? [];
  const issuer = printName(der, issuerName);
  const subject = printName(der, subjectName);
  const from = notBefore && time(der, notBefore);
  const to = notAfter && time(der, notAfter);
  const ca = isCA(
    der,
    optional.find((field) => field.tag === EXTENSIONS),
  );
  if (issuer === undefined || subject === undefined || !from || !to || extraTime || ca === undefined) return undefined;
  let fingerprint: string | undefined;
  return {
    subject,
    issuer,
    notBefore: from,
    notAfter: to,
    isCA: ca,
    // On first use: only etcd-separate-ca compares fingerprints, and hashing in JavaScript costs
    // ~0.35 ms per KB without optimizing compilers (4 MiB, the most a file may hold: 1.4 s).
    get fingerprint256() {
      return (fingerprint ??= hex(sha256(der)));
    },
  };
}

/** issuerUniqueID [1], subjectUniqueID [2] and extensions [3], each at most once, in this order. */
const OPTIONAL_FIELDS = [0x81, 0x82, EXTENSIONS];

function inOrder(tags: number[], allowed: number[]): boolean {
  let next = 0;
  for (const tag of tags) {
    const index = allowed.indexOf(tag, next);
    if (index === -1) return false;
    next = index + 1;
  }
  return true;
}

/** The element at `at`, if its header and content lie within `limit`. */
function element(der: Uint8Array, at: number, limit: number): Element | undefined {
  if (at + 2 > limit) return undefined;
  const tag = der[at]!;
  // High tag numbers (0x1f) occur nowhere in a certificate's structure.
  if ((tag & 0x1f) === 0x1f) return undefined;
  let length = der[at + 1]!;
  let start = at + 2;
  if (length >= 0x80) {
    const bytes = length & 0x7f;
    // 0x80 is BER's indefinite length; more than 4 length bytes is beyond any file we read.
    if (bytes === 0 || bytes > 4 || start + bytes > limit || der[start] === 0) return undefined;
    length = 0;
    for (let i = 0; i < bytes; i += 1) length = length * 256 + der[start + i]!;
    start += bytes;
    if (length < 0x80) return undefined; // DER: the short form where it fits
  }
  const end = start + length;
  return end > limit ? undefined : { tag, start, end };
}

/** The elements inside `parent`, which must fill it exactly. */
function children(der: Uint8Array, parent: Element): Element[] | undefined {
  const found: Element[] = [];
  for (let at = parent.start; at < parent.end;) {
    const child = element(der, at, parent.end);
    if (child === undefined) return undefined;
    found.push(child);
    at = child.end;
  }
  return found;
}

// OpenSSL's short names where it has one, else its long name (XN_FLAG_FN_SN): every X.520 attribute
// type it names (2.5.4.*, as node:crypto 24 prints them), and the PKCS #9 and RFC 4519 ones that
// certificates carry. Any other is printed as its dotted OID, where OpenSSL may know a name: that
// changes only how the name reads, never CN or O.
const ATTRIBUTE_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.13': 'description',
  '2.5.4.14': 'searchGuide',
  '2.5.4.15': 'businessCategory',
  '2.5.4.16': 'postalAddress',
  '2.5.4.17': 'postalCode',
  '2.5.4.18': 'postOfficeBox',
  '2.5.4.19': 'physicalDeliveryOfficeName',
  '2.5.4.20': 'telephoneNumber',
  '2.5.4.21': 'telexNumber',
  '2.5.4.22': 'teletexTerminalIdentifier',
  '2.5.4.23': 'facsimileTelephoneNumber',
  '2.5.4.24': 'x121Address',
  '2.5.4.25': 'internationaliSDNNumber',
  '2.5.4.26': 'registeredAddress',
  '2.5.4.27': 'destinationIndicator',
  '2.5.4.28': 'preferredDeliveryMethod',
  '2.5.4.29': 'presentationAddress',
  '2.5.4.30': 'supportedApplicationContext',
  '2.5.4.31': 'member',
  '2.5.4.32': 'owner',
  '2.5.4.33': 'roleOccupant',
  '2.5.4.34': 'seeAlso',
  '2.5.4.35': 'userPassword',
  '2.5.4.36': 'userCertificate',
  '2.5.4.37': 'cACertificate',
  '2.5.4.38': 'authorityRevocationList',
  '2.5.4.39': 'certificateRevocationList',
  '2.5.4.40': 'crossCertificatePair',
  '2.5.4.41': 'name',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.45': 'x500UniqueIdentifier',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.47': 'enhancedSearchGuide',
  '2.5.4.48': 'protocolInformation',
  '2.5.4.49': 'distinguishedName',
  '2.5.4.50': 'uniqueMember',
  '2.5.4.51': 'houseIdentifier',
  '2.5.4.52': 'supportedAlgorithms',
  '2.5.4.53': 'deltaRevocationList',
  '2.5.4.54': 'dmdName',
  '2.5.4.65': 'pseudonym',
  '2.5.4.72': 'role',
  '2.5.4.97': 'organizationIdentifier',
  '2.5.4.98': 'c3',
  '2.5.4.99': 'n3',
  '2.5.4.100': 'dnsName',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
};

/**
 * A Name as node:crypto prints it (OpenSSL's X509_NAME_print_ex with XN_FLAG_SEP_MULTILINE,
 * XN_FLAG_FN_SN, ASN1_STRFLGS_ESC_2253, ASN1_STRFLGS_ESC_CTRL and ASN1_STRFLGS_UTF8_CONVERT;
 * src/crypto/crypto_x509.cc in nodejs/node): one line per RDN, ` + ` between its attributes.
 */
function printName(der: Uint8Array, name: Element): string | undefined {
  const lines: string[] = [];
  for (const rdn of children(der, name) ?? [undefined]) {
    if (rdn?.tag !== SET) return undefined;
    const attributes: string[] = [];
    for (const pair of children(der, rdn) ?? [undefined]) {
      const [type, value, extra] = pair?.tag === SEQUENCE ? (children(der, pair) ?? []) : [];
      if (type?.tag !== OID || value === undefined || extra) return undefined;
      const oid = objectIdentifier(der, type);
      const text = oid === undefined ? undefined : stringValue(der, value);
      if (oid === undefined || text === undefined) return undefined;
      attributes.push(`${ATTRIBUTE_NAMES[oid] ?? oid}=${escape2253(text)}`);
    }
    if (attributes.length === 0) return undefined;
    lines.push(attributes.join(' + '));
  }
  return lines.join('\n');
}

function objectIdentifier(der: Uint8Array, oid: Element): string | undefined {
  if (oid.end === oid.start || der[oid.end - 1]! >= 0x80) return undefined;
  const arcs: number[] = [];
  let arc = 0;
  for (let at = oid.start; at < oid.end; at += 1) {
    const byte = der[at]!;
    if (arc === 0 && byte === 0x80) return undefined; // DER: no leading zero groups
    arc = arc * 128 + (byte & 0x7f);
    if (arc > Number.MAX_SAFE_INTEGER / 128) return undefined;
    if (byte < 0x80) {
      arcs.push(arc);
      arc = 0;
    }
  }
  const first = arcs[0]!;
  const [top, second] = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [top, second, ...arcs.slice(1)].join('.');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf16 = new TextDecoder('utf-16be', { fatal: true });

/**
 * A string value as OpenSSL reads it for printing: UTF8String decoded, BMPString and
 * UniversalString as 2 and 4 bytes per character, every other type one byte per character.
 */
function stringValue(der: Uint8Array, value: Element): string | undefined {
  const bytes = der.subarray(value.start, value.end);
  try {
    switch (value.tag) {
      case 0x0c: // UTF8String
        return utf8.decode(bytes);
      case 0x1e: // BMPString
        return bytes.length % 2 === 0 ? utf16.decode(bytes) : undefined;
      case 0x1c: {
        // UniversalString
        if (bytes.length % 4 !== 0) return undefined;
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        let text = '';
        for (let at = 0; at < bytes.length; at += 4) text += String.fromCodePoint(view.getUint32(at));
        return text;
      }
      default:
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    }
  } catch {
    return undefined; // malformed UTF-8 or UTF-16, or a code point past U+10FFFF
  }
}

/** RFC 2253 escapes and control characters as \XX, as ASN1_STRFLGS_ESC_2253 | ESC_CTRL print them. */
function escape2253(text: string): string {
  let out = '';
  const characters = Array.from(text); // code points, as OpenSSL walks the string
  characters.forEach((character, index) => {
    const code = character.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) out += `\\${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (',+"\\<>;'.includes(character)) out += `\\${character}`;
    else if (index === 0 && (character === ' ' || character === '#')) out += `\\${character}`;
    else if (index === characters.length - 1 && character === ' ') out += `\\${character}`;
    else out += character;
  });
  return out;
}

/** UTCTime (years 1950–2049) or GeneralizedTime, in DER's one form: seconds and `Z`. */
function time(der: Uint8Array, element: Element): string | undefined {
  if (element.end - element.start > 15) return undefined;
  const text = String.fromCharCode(...der.subarray(element.start, element.end));
  const match =
    element.tag === UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : element.tag === GENERALIZED_TIME
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
        : null;
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const fullYear = element.tag === UTC_TIME ? (year < 50 ? 2000 + year : 1900 + year) : year;
  const date = new Date(Date.UTC(fullYear, month - 1, day, hour, minute, second));
  // Date.UTC rolls 2026-02-30 into March: such a date is no date.
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1 || hour > 23 || minute > 59 || second > 59)
    return undefined;
  return date.toISOString();
}

const BASIC_CONSTRAINTS = '2.5.29.19';
const KEY_USAGE = '2.5.29.15';

/** basicConstraints cA, unless a keyUsage without keyCertSign forbids it (OpenSSL's check_ca() == 1). */
function isCA(der: Uint8Array, extensions: Element | undefined): boolean | undefined {
  if (extensions === undefined) return false;
  const [list, extra] = children(der, extensions) ?? [];
  if (list?.tag !== SEQUENCE || extra) return undefined;
  let ca = false;
  let certSign: boolean | undefined;
  for (const extension of children(der, list) ?? [undefined]) {
    // Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
    const parts = extension?.tag === SEQUENCE ? (children(der, extension) ?? []) : [];
    const [id, value] = parts[1]?.tag === BOOLEAN ? [parts[0], parts[2]] : parts;
    if (id?.tag !== OID || value?.tag !== OCTET_STRING || parts.length !== (parts[1]?.tag === BOOLEAN ? 3 : 2))
      return undefined;
    const oid = objectIdentifier(der, id);
    if (oid === BASIC_CONSTRAINTS) {
      const [constraints] = children(der, value) ?? [];
      if (constraints?.tag !== SEQUENCE) return undefined;
      const [flag] = children(der, constraints) ?? [];
      ca = flag?.tag === BOOLEAN && flag.end - flag.start === 1 && der[flag.start] === 0xff;
    } else if (oid === KEY_USAGE) {
      const [bits] = children(der, value) ?? [];
      if (bits?.tag !== BIT_STRING || bits.end - bits.start < 1) return undefined;
      // Bit 5, keyCertSign, in the first content byte after the unused-bits count.
      certSign = bits.end - bits.start > 1 && (der[bits.start + 1]! & 0x04) !== 0;
    }
  }
  return ca && certSign !== false;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(':');
}
