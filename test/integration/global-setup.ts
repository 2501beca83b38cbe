import { serviceAddresses, start, stop } from '../../scripts/services.mjs';

/**
 * Starts real Kafka, the real registry, Redis and PostgreSQL for the integration tests when they do not
 * already answer, exports their addresses to the tests, and stops only what it started.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const started = await start();
  const { brokers, registryUrl, redisUrl, databaseUrl } = serviceAddresses();
  process.env['NOVA_KAFKA_BROKERS'] = brokers;
  process.env['NOVA_SCHEMA_REGISTRY_URL'] = registryUrl;
  process.env['NOVA_REDIS_URL'] = redisUrl;
  process.env['NOVA_OUTBOX_DATABASE_URL'] = databaseUrl;
  return async () => {
    await stop(started);
  };
}
