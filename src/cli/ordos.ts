import { parseArgs } from 'node:util';
import { createWriteStream } from 'node:fs';
import { sealKeyFrom } from '../audit/seal-key';
import { CSV_COLUMNS, exportLines } from '../audit/audit-log';
import { sealStore, verifyStore, verifyStream } from '../audit/integrity';
import { foldUntil, projectEvents, toHistoryEntry } from '../audit/project-history';
import { ConfigError, loadConfig, type AppConfig } from '../infrastructure/config';
import { parseInstant, projectStreamId } from '../domain';
import { StoreCorrupt, type EventStore } from '../event-store/event-store.port';
import { EventStoreDbEventStore } from '../event-store/eventstoredb-event-store';
import { EventStoreFileMissing, SqliteEventStore } from '../event-store/sqlite-event-store';
import { ALL_PROJECTIONS } from '../all-projections';
import { ProjectionRunner } from '../projections/projection-runner';
import { MongoReadModelStore } from '../read-model/mongodb-read-model.store';
import type { ReadModelStore } from '../read-model/read-model.port';
import { SqliteReadModelStore } from '../read-model/sqlite-read-model.store';

const PROJECTION_NAMES = ALL_PROJECTIONS.map((p) => p.name).join(', ');

const USAGE = `Usage: npm run cli -- <command> [options]
  history <projectId>                       every event of a project, with labels and articles
  state <projectId> [--as-of <instant>] [--revision N]
                                            the state rebuilt from the stream at that point
  verify [--project <projectId>]            recompute the hash chain (whole store and latest seal by default)
  seal                                      append a signed seal of every stream head
  export [--format jsonl|csv] [--from <instant>] [--to <instant>] [--type T1,T2] [--family 批复] [--out file]
  rebuild <projection>                      rebuild a read model from the events (${PROJECTION_NAMES})
Stores come from the same variables as the service (DATA_DIR, EVENTSTORE_CONNECTION_STRING, MONGODB_URI).`;

/** A one-line progress indicator on stderr, so stdout stays clean for the data. */
function progress(label: string): { tick(n: number): void; done(): void } {
  const started = Date.now();
  let last = 0;
  return {
    tick(n) {
      if (!process.stderr.isTTY || Date.now() - last < 100) return;
      last = Date.now();
      const rate = Math.round(n / Math.max(0.001, (Date.now() - started) / 1000));
      process.stderr.write(`\r${label}: ${n.toLocaleString()} events (${rate.toLocaleString()}/s)   `);
    },
    done() {
      if (process.stderr.isTTY) process.stderr.write('\n');
    },
  };
}

async function openEventStore(config: AppConfig): Promise<EventStore> {
  return config.eventStore.kind === 'eventstoredb'
    ? EventStoreDbEventStore.connect(config.eventStore.connectionString)
    : // fileMustExist: run without the service's DATA_DIR, the CLI must not create and then
      // "verify" an empty store (ok, checked 0) as if it were the service's.
      SqliteEventStore.open(config.eventStore.file, { fileMustExist: true });
}

async function openReadModels(config: AppConfig): Promise<ReadModelStore> {
  return config.readModels.kind === 'mongodb'
    ? MongoReadModelStore.connect(config.readModels.uri, config.readModels.dbName)
    : SqliteReadModelStore.open(config.readModels.file);
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'as-of': { type: 'string' },
      revision: { type: 'string' },
      project: { type: 'string' },
      format: { type: 'string', default: 'jsonl' },
      from: { type: 'string' },
      to: { type: 'string' },
      type: { type: 'string' },
      family: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, argument] = positionals;
  if (!command || values.help) {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const config = loadConfig();
  let eventStore: EventStore;
  try {
    eventStore = await openEventStore(config);
  } catch (error) {
    if (error instanceof EventStoreFileMissing) {
      throw new UsageError(`no event store at ${error.file}: set DATA_DIR to the service's data directory`, false);
    }
    if (error instanceof StoreCorrupt && command === 'verify') {
      print({
        ok: false,
        status: 'corrupt',
        checked: 0,
        reason: 'the event store file is damaged; restore it from a backup',
      });
      return 1;
    }
    throw error;
  }
  try {
    switch (command) {
      case 'history': {
        if (!argument) throw new UsageError('history needs a projectId');
        const events = await projectEvents(eventStore, argument);
        if (events.length === 0) throw new UsageError(`no project ${argument}`);
        print(events.map(toHistoryEntry));
        return 0;
      }
      case 'state': {
        if (!argument) throw new UsageError('state needs a projectId');
        const revision = values.revision === undefined ? undefined : Number(values.revision);
        const asOf = optionalInstant(values['as-of'], '--as-of');
        const result = foldUntil(argument, await projectEvents(eventStore, argument, revision), { asOf, revision });
        if (result.revision === -1) throw new UsageError(`project ${argument} did not exist at that point`);
        print(result);
        return 0;
      }
      case 'verify': {
        const bar = progress('verifying');
        const result = values.project
          ? { projectId: values.project, ...(await verifyStream(eventStore, projectStreamId(values.project))) }
          : await verifyStore(eventStore, sealKeyFrom(config), (n) => bar.tick(n));
        bar.done();
        print(result);
        return result.ok ? 0 : 1;
      }
      case 'seal':
        print(await sealStore(eventStore, sealKeyFrom(config), new Date()));
        return 0;
      case 'export': {
        const csv = values.format === 'csv';
        if (!csv && values.format !== 'jsonl') throw new UsageError('--format must be jsonl or csv');
        const out = values.out ? createWriteStream(values.out) : process.stdout;
        const write = (chunk: string) =>
          out.write(chunk) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
        const bar = progress('exporting');
        let n = 0;
        if (csv) await write(`\uFEFF${CSV_COLUMNS.join(',')}\r\n`);
        const filter = {
          from: optionalInstant(values.from, '--from'),
          to: optionalInstant(values.to, '--to'),
          types: values.type?.split(','),
          family: values.family,
        };
        for await (const chunk of exportLines(eventStore, filter, csv ? 'csv' : 'jsonl', {})) {
          await write(chunk);
          n += csv ? chunk.split('\r\n').length - 1 : chunk.split('\n').length - 1;
          bar.tick(n);
        }
        bar.done();
        if (out !== process.stdout) await new Promise<void>((r) => out.end(() => r()));
        process.stderr.write(`exported ${n} events\n`);
        return 0;
      }
      case 'rebuild': {
        const projection = ALL_PROJECTIONS.find((p) => p.name === argument);
        if (!projection) throw new UsageError(`rebuild needs one of ${ALL_PROJECTIONS.map((p) => p.name).join(', ')}`);
        const readModels = await openReadModels(config);
        const runner = new ProjectionRunner(eventStore, readModels, [projection]);
        const bar = progress(`rebuilding ${projection.name}`);
        await runner.start();
        await runner.indexed();
        await runner.rebuild(projection.name);
        const head = await eventStore.headPosition();
        if (head) {
          while (!(await runner.waitForPosition(head, 200, projection.name))) {
            const [status] = await runner.status();
            bar.tick(Number(status.checkpoint ?? 0));
          }
        }
        bar.done();
        await runner.stop();
        await readModels.close();
        print((await runner.status())[0]);
        return 0;
      }
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } finally {
    await eventStore.close();
  }
}

class UsageError extends Error {
  constructor(
    message: string,
    /** Whether the usage text helps (not when the command was right but the store is missing). */
    readonly showUsage = true,
  ) {
    super(message);
  }
}

// `… | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n${error instanceof UsageError && error.showUsage ? USAGE : ''}\n`);
      process.exit(2);
    }
    process.stderr.write(`failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

/** The same instants the HTTP API accepts (parseInstant); anything else is a usage error, not "no filter". */
function optionalInstant(raw: string | undefined, flag: string): string | undefined {
  if (raw === undefined) return undefined;
  const instant = parseInstant(raw);
  if (instant === null)
    throw new UsageError(
      `${flag} must be an RFC 3339 instant with Z or ±hh:mm, or a day YYYY-MM-DD (00:00 Ordos time)`,
    );
  return instant;
}
