/** Stream names (EventStoreDB categories `project`, `annual-plan` and `framework`), as the domain names them. */
export const PROJECT_STREAM_PREFIX = 'project-';
export const ANNUAL_PLAN_STREAM_PREFIX = 'annual-plan-';

/** The project a stream belongs to, or undefined for any other stream. */
export function projectIdOfStream(streamId: string): string | undefined {
  return streamId.startsWith(PROJECT_STREAM_PREFIX) ? streamId.slice(PROJECT_STREAM_PREFIX.length) : undefined;
}
export const SYSTEM_STREAM_PREFIX = 'system-';

/** 第七条 cross-department frameworks (EventStoreDB category `framework`). */
export const FRAMEWORK_STREAM_PREFIX = 'framework-';

/** The framework a stream belongs to, or undefined for any other stream. */
export function frameworkIdOfStream(streamId: string): string | undefined {
  return streamId.startsWith(FRAMEWORK_STREAM_PREFIX) ? streamId.slice(FRAMEWORK_STREAM_PREFIX.length) : undefined;
}
