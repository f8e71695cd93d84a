/**
 * gob.yaml as validated data → WorkspaceConfig with every default applied. Validation happens
 * before (schema.ts); this module assumes the data matches the schema.
 */
import type { Profile, WorkspaceConfig } from '../types.js';
import { BUILD_FILE_NAME } from './discover.js';

/** gob.yaml as written (after schema validation). Field names follow the YAML. */
export interface GobFileData {
  readonly version?: 1;
  readonly go?: {
    readonly toolchain?: string;
    readonly env?: Readonly<Record<string, string>>;
    readonly trimpath?: boolean;
    readonly buildvcs?: boolean;
  };
  readonly profiles?: Readonly<Record<string, ProfileData>>;
  readonly stamp?: { readonly command?: string };
  readonly cache?: {
    readonly dir?: string;
    readonly max_size?: string | number;
    readonly remote?: { readonly url: string; readonly read_only?: boolean };
  };
  readonly build_file?: string;
  readonly ignore?: readonly string[];
}

export interface ProfileData {
  readonly gcflags?: readonly string[];
  readonly ldflags?: readonly string[];
  readonly tags?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly trimpath?: boolean;
}

/**
 * Profiles every workspace has. A profile of the same name in gob.yaml replaces the built-in
 * one entirely (fields are not merged), so what a profile does is always visible in one place.
 */
export const BUILTIN_PROFILES: Readonly<Record<string, Profile>> = {
  debug: { gcflags: ['all=-N -l'], trimpath: false },
  release: { ldflags: ['-s', '-w'] },
};

export function toWorkspaceConfig(data: GobFileData): WorkspaceConfig {
  const profiles: Record<string, Profile> = { ...BUILTIN_PROFILES };
  for (const [name, p] of Object.entries(data.profiles ?? {})) profiles[name] = toProfile(p);
  const remote = data.cache?.remote;
  return {
    version: 1,
    go: {
      toolchain: data.go?.toolchain ?? 'local',
      env: { ...data.go?.env },
      trimpath: data.go?.trimpath ?? true,
      buildvcs: data.go?.buildvcs ?? false,
    },
    profiles,
    stamp: data.stamp === undefined ? undefined : { command: data.stamp.command },
    cache: {
      dir: data.cache?.dir,
      maxSizeBytes: data.cache?.max_size === undefined ? undefined : parseSize(data.cache.max_size),
      remote: remote === undefined ? undefined : { url: remote.url, readOnly: remote.read_only ?? false },
    },
    buildFile: data.build_file ?? BUILD_FILE_NAME,
    ignore: [...(data.ignore ?? [])],
  };
}

function toProfile(p: ProfileData): Profile {
  const out: { -readonly [K in keyof Profile]: Profile[K] } = {};
  if (p.gcflags !== undefined) out.gcflags = [...p.gcflags];
  if (p.ldflags !== undefined) out.ldflags = [...p.ldflags];
  if (p.tags !== undefined) out.tags = [...p.tags];
  if (p.env !== undefined) out.env = { ...p.env };
  if (p.trimpath !== undefined) out.trimpath = p.trimpath;
  return out;
}

const UNITS: Readonly<Record<string, number>> = {
  B: 1,
  kB: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
};

/**
 * Bytes in a size such as `10GiB`, `500MB`, `1.5 GB` or `1024` (the schema's max_size pattern);
 * undefined for anything else. Decimal units are powers of 1000, binary ones of 1024.
 */
export function parseSize(size: string | number): number | undefined {
  if (typeof size === 'number') return Number.isInteger(size) && size >= 0 ? size : undefined;
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]+)?$/.exec(size);
  if (m === null) return undefined;
  const unit = UNITS[m[2] ?? 'B'];
  return unit === undefined ? undefined : Math.floor(Number(m[1]) * unit);
}
