import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Claims, StreamEvent } from './api';
import { translate, type Lang } from './i18n';

export interface Department {
  code: string;
  name: string;
  nameEn: string;
}

/** GET /meta/info `policy`: the policy new decisions are taken under, and whether it lapsed (第三十三条). */
export interface PolicyInfo {
  id: string;
  effectiveFrom: string;
  effectiveUntil: string;
  lapsed: boolean;
}

export interface CommandMeta {
  type: string;
  roles: string[];
  articles: string;
  route: string;
  creates?: boolean;
}

export interface Session {
  token: string;
  claims: Claims;
}

export interface AppCtx {
  lang: Lang;
  t: (key: string, vars?: Record<string, string | number>) => string;
  session: Session;
  departments: Department[];
  commands: CommandMeta[];
  navigate: (path: string) => void;
  /** subscribe to live events; returns unsubscribe */
  onLive: (fn: (e: StreamEvent) => void) => () => void;
  deptName: (code: string | null | undefined) => string;
}

export const Ctx = createContext<AppCtx>(null as unknown as AppCtx);
export const useApp = () => useContext(Ctx);

export function makeT(lang: Lang) {
  return (key: string, vars?: Record<string, string | number>) => translate(lang, key, vars);
}
