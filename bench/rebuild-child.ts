import { SqliteEventStore } from '../src/event-store/sqlite-event-store';
import { ALL_PROJECTIONS } from '../src/all-projections';
import { ProjectionRunner } from '../src/projections/projection-runner';
import { SqliteReadModelStore } from '../src/read-model/sqlite-read-model.store';

/** Rebuilds every read model from zero in its own process: events/s and peak RSS. */
async function main(): Promise<void> {
  const [eventsFile, readModelsFile] = process.argv.slice(2);
  const events = SqliteEventStore.open(eventsFile);
  const readModels = SqliteReadModelStore.open(readModelsFile);
  const head = await events.headPosition();
  const started = process.hrtime.bigint();
  const runner = new ProjectionRunner(events, readModels, ALL_PROJECTIONS);
  await runner.start();
  if (head)
    while (!(await runner.waitForPosition(head, 1000))) {
      /* keep waiting */
    }
  // Included in the figure: the indexes, built in one pass after the catch-up.
  await runner.indexed();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await runner.stop();
  await readModels.close();
  await events.close();
  process.stdout.write(
    `${JSON.stringify({ seconds, head, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
