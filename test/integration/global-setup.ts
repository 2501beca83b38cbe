import { serviceAddresses, start, stop } from '../../scripts/services.mjs';

/**
 * Starts real Kafka and the real registry for the integration tests when they do not already
 * answer, and stops only what it started.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const started = await start();
  const { brokers, registryUrl } = serviceAddresses();
  process.env['NOVA_KAFKA_BROKERS'] = brokers;
  process.env['NOVA_SCHEMA_REGISTRY_URL'] = registryUrl;
  return async () => {
    await stop(started);
  };
}
