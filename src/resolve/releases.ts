// The bundled Kubernetes release table: minor releases, their end of life and their patch releases.
// Operators replace it through the config file (parseReleaseTable) without a new build.
//
// Where every fact comes from (all public, read 2026-11-29):
// - kubernetes/website data/releases/eol.yaml, main (as served at
//   raw.githubusercontent.com/kubernetes/website/main/data/releases/eol.yaml, snapshot before the 1.33
//   end of life): endOfLifeDate and finalPatchRelease for 1.19 … 1.32. These are the dates the
//   releases page shows (for 1.28 … 1.31 the day of the final patch, not the planned date).
// - kubernetes/website data/releases/schedule.yaml at commit 0008cd26e2dc3d7c153c5596a7435b02fc252c89
//   (1.24 … 1.27, mid-2023) and at commit 28d3e1316ac03edac98c3f2f14eb9b281a17f511 (1.28 … 1.31,
//   October 2024): releaseDate and patch targetDate values. The 0008cd26 file gives 1.27's
//   releaseDate as "2024-04-11", an evident typo for 2023-04-11 (its own 1.27.0 targetDate); the
//   table uses the patch date.
// - The kubernetes.io/releases/<minor>/ pages (generated from schedule.yaml), latest stored snapshots:
//   1.37 and 1.35 as of 2026-09-15, 1.36 as of 2026-08-11, 1.34 as of 2026-06-09, 1.33 as of
//   2026-03-19: release dates, end-of-life dates and patch target dates.
// Not found in any public source available here, so left out rather than guessed:
// - release dates of 1.19 … 1.23, 1.32 and 1.33, and patch dates of 1.19 … 1.23, 1.32, 1.33.0 … 1.33.9,
//   1.31.2 … 1.31.14, 1.30.6 … 1.30.14, 1.29.10 … 1.29.14, 1.28.15;
// - every patch released after the snapshots above (1.33.11+, 1.34.10+, 1.35.10+, 1.36.5+, 1.37.2+).
// `asOf` is therefore 2026-09-15: version-patch-current reports `unknown`, not `pass`, once that is
// more than 31 days before the audit, because a newer patch may have been released since.
import type { ReleaseTable } from './release-table.js';

type Patch = readonly [version: string, date: string];
const patches = (list: readonly Patch[]) => list.map(([version, date]) => ({ version, date }));

export const BUNDLED_RELEASE_TABLE: ReleaseTable = {
  source:
    'bundled: kubernetes/website data/releases/eol.yaml (main) and schedule.yaml (commits 0008cd26, 28d3e131), kubernetes.io/releases/<minor>/ pages as of 2026-09-15',
  asOf: '2026-09-15',
  minors: [
    {
      minor: '1.37',
      releaseDate: '2026-08-26',
      endOfLife: '2027-10-28',
      patches: patches([
        ['1.37.0', '2026-08-26'],
        ['1.37.1', '2026-09-15'],
      ]),
    },
    {
      minor: '1.36',
      releaseDate: '2026-04-22',
      endOfLife: '2027-06-28',
      patches: patches([
        ['1.36.0', '2026-04-22'],
        ['1.36.1', '2026-05-13'],
        ['1.36.2', '2026-06-09'],
        ['1.36.3', '2026-07-14'],
        ['1.36.4', '2026-08-11'],
      ]),
    },
    {
      minor: '1.35',
      releaseDate: '2025-12-17',
      endOfLife: '2027-02-28',
      patches: patches([
        ['1.35.0', '2025-12-17'],
        ['1.35.1', '2026-02-10'],
        ['1.35.2', '2026-02-26'],
        ['1.35.3', '2026-03-19'],
        ['1.35.4', '2026-04-14'],
        ['1.35.5', '2026-05-12'],
        ['1.35.6', '2026-06-09'],
        ['1.35.7', '2026-07-14'],
        ['1.35.8', '2026-08-11'],
        ['1.35.9', '2026-09-15'],
      ]),
    },
    {
      minor: '1.34',
      releaseDate: '2025-08-27',
      endOfLife: '2026-10-27',
      patches: patches([
        ['1.34.0', '2025-08-27'],
        ['1.34.1', '2025-09-09'],
        ['1.34.2', '2025-11-11'],
        ['1.34.3', '2025-12-09'],
        ['1.34.4', '2026-02-10'],
        ['1.34.5', '2026-02-26'],
        ['1.34.6', '2026-03-19'],
        ['1.34.7', '2026-04-14'],
        ['1.34.8', '2026-05-12'],
        ['1.34.9', '2026-06-09'],
      ]),
    },
    { minor: '1.33', endOfLife: '2026-06-28', patches: patches([['1.33.10', '2026-03-19']]) },
    { minor: '1.32', endOfLife: '2026-02-28', finalPatch: '1.32.13', patches: [] },
    {
      minor: '1.31',
      releaseDate: '2024-08-13',
      endOfLife: '2025-11-11',
      finalPatch: '1.31.14',
      patches: patches([['1.31.1', '2024-09-11']]),
    },
    {
      minor: '1.30',
      releaseDate: '2024-04-17',
      endOfLife: '2025-07-15',
      finalPatch: '1.30.14',
      patches: patches([
        ['1.30.0', '2024-04-17'],
        ['1.30.1', '2024-05-15'],
        ['1.30.2', '2024-06-11'],
        ['1.30.3', '2024-07-16'],
        ['1.30.4', '2024-08-14'],
        ['1.30.5', '2024-09-10'],
      ]),
    },
    {
      minor: '1.29',
      releaseDate: '2023-12-13',
      endOfLife: '2025-02-28',
      finalPatch: '1.29.14',
      patches: patches([
        ['1.29.0', '2023-12-13'],
        ['1.29.1', '2024-01-17'],
        ['1.29.2', '2024-02-14'],
        ['1.29.3', '2024-03-12'],
        ['1.29.4', '2024-04-16'],
        ['1.29.5', '2024-05-14'],
        ['1.29.6', '2024-06-11'],
        ['1.29.7', '2024-07-16'],
        ['1.29.8', '2024-08-14'],
        ['1.29.9', '2024-09-10'],
      ]),
    },
    {
      minor: '1.28',
      releaseDate: '2023-08-15',
      endOfLife: '2024-10-22',
      finalPatch: '1.28.15',
      patches: patches([
        ['1.28.0', '2023-08-15'],
        ['1.28.1', '2023-08-23'],
        ['1.28.2', '2023-09-13'],
        ['1.28.3', '2023-10-18'],
        ['1.28.4', '2023-11-14'],
        ['1.28.5', '2023-12-20'],
        ['1.28.6', '2024-01-17'],
        ['1.28.7', '2024-02-14'],
        ['1.28.8', '2024-03-12'],
        ['1.28.9', '2024-04-16'],
        ['1.28.10', '2024-05-14'],
        ['1.28.11', '2024-06-11'],
        ['1.28.12', '2024-07-16'],
        ['1.28.13', '2024-08-14'],
        ['1.28.14', '2024-09-10'],
      ]),
    },
    {
      minor: '1.27',
      releaseDate: '2023-04-11',
      endOfLife: '2024-07-16',
      finalPatch: '1.27.16',
      patches: patches([
        ['1.27.0', '2023-04-11'],
        ['1.27.1', '2023-04-14'],
        ['1.27.2', '2023-05-17'],
        ['1.27.3', '2023-06-14'],
      ]),
    },
    {
      minor: '1.26',
      releaseDate: '2022-12-09',
      endOfLife: '2024-02-28',
      finalPatch: '1.26.15',
      patches: patches([
        ['1.26.0', '2022-12-09'],
        ['1.26.1', '2023-01-18'],
        ['1.26.2', '2023-02-15'],
        ['1.26.3', '2023-03-15'],
        ['1.26.4', '2023-04-12'],
        ['1.26.5', '2023-05-17'],
        ['1.26.6', '2023-06-14'],
      ]),
    },
    {
      minor: '1.25',
      releaseDate: '2022-08-23',
      endOfLife: '2023-10-28',
      finalPatch: '1.25.16',
      patches: patches([
        ['1.25.0', '2022-08-23'],
        ['1.25.1', '2022-09-14'],
        ['1.25.2', '2022-09-21'],
        ['1.25.3', '2022-10-12'],
        ['1.25.4', '2022-11-09'],
        ['1.25.5', '2022-12-08'],
        ['1.25.6', '2023-01-18'],
        ['1.25.7', '2023-02-15'],
        ['1.25.8', '2023-03-15'],
        ['1.25.9', '2023-04-12'],
        ['1.25.10', '2023-05-17'],
        ['1.25.11', '2023-06-14'],
      ]),
    },
    {
      minor: '1.24',
      releaseDate: '2022-05-03',
      endOfLife: '2023-07-28',
      finalPatch: '1.24.17',
      patches: patches([
        ['1.24.0', '2022-05-03'],
        ['1.24.1', '2022-05-24'],
        ['1.24.2', '2022-06-15'],
        ['1.24.3', '2022-07-13'],
        ['1.24.4', '2022-08-17'],
        ['1.24.5', '2022-09-14'],
        ['1.24.6', '2022-09-21'],
        ['1.24.7', '2022-10-12'],
        ['1.24.8', '2022-11-09'],
        ['1.24.9', '2022-12-08'],
        ['1.24.10', '2023-01-18'],
        ['1.24.11', '2023-02-15'],
        ['1.24.12', '2023-03-15'],
        ['1.24.13', '2023-04-12'],
        ['1.24.14', '2023-05-17'],
        ['1.24.15', '2023-06-14'],
      ]),
    },
    { minor: '1.23', endOfLife: '2023-02-28', finalPatch: '1.23.17', patches: [] },
    // eol.yaml lists 1.22 three times (2022-10-28 with 1.22.15, then out-of-band 1.22.16 and 1.22.17);
    // the end of life is the first date, the final patch the last.
    { minor: '1.22', endOfLife: '2022-10-28', finalPatch: '1.22.17', patches: [] },
    { minor: '1.21', endOfLife: '2022-06-28', finalPatch: '1.21.14', patches: [] },
    { minor: '1.20', endOfLife: '2022-02-28', finalPatch: '1.20.15', patches: [] },
    { minor: '1.19', endOfLife: '2021-10-28', finalPatch: '1.19.16', patches: [] },
  ],
};
