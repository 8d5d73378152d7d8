// Offline images only: a kubelet with no process is audited from the command line its systemd
// unit would start. On a running host a kubelet with no process is not running, and its unit says
// what would start, not what runs.
import { kubeletFromUnit } from '../kubelet-unit.js';
import { alreadyFound, type ComponentSourceModule } from './types.js';

export const systemdUnit: ComponentSourceModule = {
  name: 'systemd-unit',
  find(context) {
    if (context.tree.real || alreadyFound(context, 'kubelet')) return [];
    const kubelet = kubeletFromUnit(context.root, context.notes);
    return kubelet ? [kubelet] : [];
  },
};
