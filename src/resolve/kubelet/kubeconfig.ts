// The kubeconfig the kubelet talks to the API server with, and the client certificate of its current
// context's user (client-go's clientcmd picks the context and resolves relative paths the same way).
import path from 'node:path/posix';
import { certificateBlocks, parseCertificates } from '../../collect/certs.js';
import type { CertificateInfo, ProcessInfo } from '../../collect/types.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json-merge-patch.js';
import { absolutePath, fileContent, known, unknown, type Resolved } from '../resolved.js';
import { parseYamlObject } from './layers.js';

type KubeconfigUser =
  { ok: true; name: string; certificatePath?: string; certificateData?: string } | { ok: false; reason: string };

/** The user of the kubeconfig's current context (client-go's clientcmd picks it the same way). */
export function kubeconfigUser(proc: ProcessInfo, kubeconfig: string): KubeconfigUser {
  const read = fileContent(proc.files[kubeconfig], `kubeconfig ${kubeconfig} (--kubeconfig)`);
  if (!read.ok) return read;
  const parsed = parseYamlObject(read.file.content);
  if (!parsed.ok) return { ok: false, reason: `kubeconfig ${kubeconfig} ${parsed.problem}` };
  const contextName = parsed.object['current-context'];
  if (typeof contextName !== 'string' || contextName === '')
    return { ok: false, reason: `kubeconfig ${kubeconfig} has no current-context` };
  const context = namedEntry(parsed.object['contexts'], contextName)?.['context'];
  const userName = isJsonObject(context) ? context['user'] : undefined;
  if (typeof userName !== 'string')
    return { ok: false, reason: `kubeconfig ${kubeconfig}: context "${contextName}" names no user` };
  const user = namedEntry(parsed.object['users'], userName)?.['user'];
  if (!isJsonObject(user)) return { ok: false, reason: `kubeconfig ${kubeconfig}: user "${userName}" is not defined` };
  const data = user['client-certificate-data'];
  const file = user['client-certificate'];
  return {
    ok: true,
    name: userName,
    ...(typeof data === 'string' && data !== '' && { certificateData: data }),
    // clientcmd resolves relative paths in a kubeconfig against the kubeconfig's directory.
    ...(typeof file === 'string' && file !== '' && { certificatePath: absolutePath(path.dirname(kubeconfig), file) }),
  };
}

function namedEntry(list: JsonValue | undefined, name: string): JsonObject | undefined {
  if (!Array.isArray(list)) return undefined;
  return list.find((entry): entry is JsonObject => isJsonObject(entry) && entry['name'] === name);
}

export function resolveClientCertificate(proc: ProcessInfo, kubeconfig: string | undefined): Resolved<CertificateInfo> {
  if (kubeconfig === undefined)
    return unknown(
      'the kubelet has no --kubeconfig (standalone mode), so it presents no client certificate to the API server',
    );
  const user = kubeconfigUser(proc, kubeconfig);
  if (!user.ok) return unknown(user.reason);
  if (user.certificateData !== undefined) {
    const certificates = certificatesFromData(user.certificateData);
    const first = certificates?.[0];
    if (first === undefined)
      return unknown(
        `kubeconfig ${kubeconfig}: client-certificate-data of user "${user.name}" ${certificates === undefined ? 'holds a CERTIFICATE block that is not a readable X.509 certificate' : 'holds no readable certificate'}`,
      );
    return known(first, {
      source: 'certificate',
      detail: `${kubeconfig}: users[${user.name}].client-certificate-data: ${first.subject}`,
    });
  }
  if (user.certificatePath !== undefined) {
    const read = fileContent(
      proc.files[user.certificatePath],
      `client certificate ${user.certificatePath} (from ${kubeconfig})`,
    );
    if (!read.ok) return unknown(read.reason);
    const first = read.file.certificates?.[0];
    if (first === undefined)
      return unknown(`client certificate ${user.certificatePath} (from ${kubeconfig}) holds no readable certificate`);
    return known(first, { source: 'certificate', detail: `${user.certificatePath}: ${first.subject}` });
  }
  return unknown(
    `kubeconfig ${kubeconfig}: user "${user.name}" has no client certificate (token or exec plugin), so the node identity cannot be read on this node`,
  );
}

/** The certificates in base64 PEM; undefined if a CERTIFICATE block is no readable certificate. */
function certificatesFromData(base64: string): CertificateInfo[] | undefined {
  const pem = Buffer.from(base64, 'base64').toString('utf8');
  const certificates = parseCertificates(pem);
  return certificates.length < certificateBlocks(pem).length ? undefined : certificates;
}
