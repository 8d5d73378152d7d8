import type { FileRequest, ProcessInfo } from '../collect/types.js';
import { referencedFiles as apiserverFiles } from './kube-apiserver/index.js';
import { referencedFiles as etcdFiles } from './etcd/index.js';
import { referencedFiles as kubeletFiles } from './kubelet/index.js';
import { referencedFiles as otherFiles } from './other-components.js';

/**
 * The files a process references, given what collect has read for it so far. Collect calls
 * this until it asks for nothing new, so a kubeconfig named in a config file named on the
 * command line is followed without collect knowing any component's semantics.
 */
export function referencedFiles(proc: ProcessInfo): FileRequest[] {
  switch (proc.component) {
    case 'kube-apiserver':
      return apiserverFiles(proc);
    case 'etcd':
      return etcdFiles(proc);
    case 'kubelet':
      return kubeletFiles(proc);
    default:
      return otherFiles(proc);
  }
}
